//! Answer mapping and the imports it makes possible, through the API: the values of columns
//! with options listed with their rows and suggested answers; confirmed answers used and
//! remembered for next year's file; "not known" words in every field, nested ones too; an
//! optional cell that fits no option left blank at its cell with the record to review; and a
//! partial import whose left-out rows, once corrected, are added or updated — never twice.

use crate::support::*;
use city_core::api::{
    self, AnswerBasis, FieldAnswers, ImportPlan, ImportRequest, Location, RecordKind, RowAction,
    Store,
};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Writes an xlsx with openpyxl: one sheet, the rows as given (JSON values).
fn xlsx(path: &Path, sheet: &str, rows: &Value) {
    let script = format!(
        "import json, sys, openpyxl\nwb = openpyxl.Workbook()\nws = wb.active\nws.title = {sheet:?}\n\
         for r in json.loads(sys.argv[1]):\n    ws.append(r)\nwb.save(sys.argv[2])\n"
    );
    let out = std::process::Command::new(workspace().join(".venv/bin/python"))
        .args(["-c", &script, &rows.to_string(), path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An application register in council words.
fn app_register(path: &Path, extra: &[Value]) {
    let mut rows = vec![
        json!([
            "System name",
            "Service area",
            "Hosted",
            "Criticality",
            "Support status",
            "Holds personal data"
        ]),
        json!(["Academy", "Revenues & Benefits", "On prem", "H", "Yes", "Y"]),
        json!(["Mosaic", "Children's Social Care", "SaaS", "H", "Y", "Yes"]),
        json!([
            "Liquidlogic",
            "Adults' Social Care",
            "Hosted",
            "M",
            "No - EOL 2024",
            "Y"
        ]),
        json!(["iTrent", "HR/Payroll", "Cloud", "M", "Yes", "Y"]),
        json!(["Xpress", "Elections", "on-premise", "L", "Yes", "N"]),
        json!(["Bartec", "Waste", "Azure", "Medium-High", "Yes", "N"]),
        json!(["Chipside", "Parking", "N/A", "L", "TBC", "?"]),
        json!(["Team Alpha tool", "Team Alpha", "-", "L", "Yes", "N"]),
    ];
    rows.extend(extra.iter().cloned());
    xlsx(path, "Applications", &Value::Array(rows));
}

fn field<'a>(answers: &'a [FieldAnswers], key: &str) -> &'a FieldAnswers {
    answers
        .iter()
        .find(|f| f.key == key)
        .unwrap_or_else(|| panic!("no answers for {key}"))
}

fn answer_of(f: &FieldAnswers, value: &str) -> (Option<String>, AnswerBasis, u32) {
    let v = f
        .values
        .iter()
        .find(|v| v.value == value)
        .unwrap_or_else(|| panic!("no value {value} in {}", f.key));
    (v.answer.clone(), v.basis, v.rows)
}

fn default_request(store: &mut Store, file: &Path) -> ImportRequest {
    api::default_import_request(&store.inspect_spreadsheet(file).unwrap())
}

fn systems(t: &mut TempStore) -> Vec<(Value, api::ReviewState)> {
    t.store
        .list(None, RecordKind::System, false)
        .unwrap()
        .into_iter()
        .map(|r| {
            let data = serde_json::to_value(&r).unwrap()["data"].clone();
            (data, r.review_state)
        })
        .collect()
}

fn system<'a>(list: &'a [(Value, api::ReviewState)], name: &str) -> &'a (Value, api::ReviewState) {
    list.iter()
        .find(|(d, _)| d["name"] == name)
        .unwrap_or_else(|| panic!("no system {name}"))
}

#[test]
fn inspect_lists_each_value_with_its_rows_and_suggested_answer() {
    let mut t = TempStore::camden();
    let file = t.dir.path().join("apps.xlsx");
    app_register(&file, &[]);
    let info = t.store.inspect_spreadsheet(&file).unwrap();
    let sheet = &info.sheets[0];
    assert_eq!(sheet.kind, Some(RecordKind::System));
    let answers = &sheet.answers;
    let area = field(answers, "system.service_area");
    assert_eq!(area.column, "B");
    assert_eq!(area.options.len(), 13);
    assert_eq!(
        answer_of(area, "Revenues & Benefits"),
        (Some("esd:1".into()), AnswerBasis::Synonym, 1)
    );
    assert_eq!(answer_of(area, "HR/Payroll").0.as_deref(), Some("esd:42"));
    assert_eq!(answer_of(area, "Waste").0.as_deref(), Some("esd:30"));
    assert_eq!(answer_of(area, "Team Alpha"), (None, AnswerBasis::None, 1));
    let crit = field(answers, "system.criticality");
    assert_eq!(
        answer_of(crit, "H"),
        (Some("high".into()), AnswerBasis::Synonym, 2)
    );
    assert_eq!(answer_of(crit, "Medium-High").0, None, "fits no one option");
    assert_eq!(crit.values[0].rows, 3, "most used first (L)");
    let hosting = field(answers, "system.hosting");
    assert_eq!(
        answer_of(hosting, "Cloud").0,
        None,
        "a bare cloud says too little"
    );
    assert_eq!(answer_of(hosting, "N/A").1, AnswerBasis::NotKnown);
    let support = field(answers, "system.support_status");
    assert_eq!(
        answer_of(support, "No - EOL 2024").0.as_deref(),
        Some("out_of_support")
    );
    let personal = field(answers, "system.personal_data");
    assert_eq!(answer_of(personal, "Y").0.as_deref(), Some("yes"));
    assert_eq!(personal.options.len(), 2);
}

#[test]
fn the_default_path_imports_every_row_leaving_unmapped_optional_cells_blank_to_review() {
    let mut t = TempStore::camden();
    let file = t.dir.path().join("apps.xlsx");
    app_register(&file, &[]);
    let req = default_request(&mut t.store, &file);
    let plan = t
        .store
        .import_commit(None, &file, &req, &ctx(), &mut |_| {})
        .unwrap();
    assert!(plan.committed);
    assert_eq!(plan.counts.create, 8, "{:#?}", plan.rows);
    assert_eq!(plan.counts.error, 0);
    let list = systems(&mut t);
    let (academy, state) = system(&list, "Academy");
    assert_eq!(academy["service_area"], "esd:1");
    assert_eq!(academy["hosting"], "on_premises");
    assert_eq!(academy["criticality"], "high");
    assert_eq!(academy["support_status"], "supported");
    assert_eq!(academy["personal_data"], true);
    assert_eq!(*state, api::ReviewState::New);
    let (liquid, _) = system(&list, "Liquidlogic");
    assert_eq!(liquid["support_status"], "out_of_support");
    assert_eq!(liquid["hosting"], "supplier_hosted");
    // "Cloud" fits no one option: blank, a warning at its cell, the record to review.
    let (itrent, state) = system(&list, "iTrent");
    assert_eq!(itrent["hosting"], Value::Null);
    assert_eq!(*state, api::ReviewState::ToReview);
    let w = plan
        .warnings
        .iter()
        .find(|w| w.message.contains("'Cloud'"))
        .expect("a warning for Cloud");
    assert_eq!(
        w.location,
        Some(Location::File {
            file: file.display().to_string(),
            sheet: Some("Applications".into()),
            row: Some(5),
            column: Some("C".into()),
        })
    );
    // Not-known words are blank but do not need a review.
    let (chipside, state) = system(&list, "Chipside");
    assert_eq!(chipside["hosting"], Value::Null);
    assert_eq!(chipside["support_status"], Value::Null);
    assert_eq!(chipside["personal_data"], Value::Null);
    assert_eq!(*state, api::ReviewState::New);
    // The task list shows what is to review.
    let status = t.store.status(None).unwrap();
    let missing: Vec<String> = status
        .sections
        .iter()
        .flat_map(|s| s.missing.iter().map(|m| m.message.clone()))
        .collect();
    assert!(
        missing
            .iter()
            .any(|m| m.contains("iTrent") && m.contains("to review")),
        "{missing:#?}"
    );
}

#[test]
fn confirmed_answers_are_used_and_remembered_so_next_years_file_maps_itself() {
    let mut t = TempStore::camden();
    let file = t.dir.path().join("apps.xlsx");
    app_register(&file, &[]);
    let mut req = default_request(&mut t.store, &file);
    req.answers = api::parse_answers(
        r#"{"system.service_area": {"team alpha": "esd:42"},
            "system.hosting": {"Cloud": "saas"},
            "system.criticality": {"Medium-High": null}}"#,
    )
    .unwrap();
    let answers = t.store.import_answers(&file, &req).unwrap();
    assert_eq!(
        answer_of(field(&answers, "system.service_area"), "Team Alpha")
            .0
            .as_deref(),
        Some("esd:42"),
        "the request's answer is the one used"
    );
    let plan = t
        .store
        .import_commit(None, &file, &req, &ctx(), &mut |_| {})
        .unwrap();
    assert!(plan.committed);
    let list = systems(&mut t);
    assert_eq!(system(&list, "Team Alpha tool").0["service_area"], "esd:42");
    assert_eq!(system(&list, "iTrent").0["hosting"], "saas");
    assert_eq!(system(&list, "iTrent").1, api::ReviewState::New);
    assert_eq!(system(&list, "Bartec").0["criticality"], Value::Null);
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.message.contains("'Medium-High' left blank, as answered"))
    );

    // Next year's register, other names, the same words: no answers given.
    let mut next = TempStore::camden();
    drop(std::mem::replace(
        &mut next.store,
        Store::open(&t.path()).unwrap(),
    ));
    let file2 = t.dir.path().join("apps-next.xlsx");
    xlsx(
        &file2,
        "Applications",
        &json!([
            [
                "System name",
                "Service area",
                "Hosted",
                "Criticality",
                "Support status",
                "Holds personal data"
            ],
            [
                "Alpha two",
                "TEAM ALPHA",
                "cloud",
                "Medium-High",
                "Yes",
                "N"
            ]
        ]),
    );
    let info = t.store.inspect_spreadsheet(&file2).unwrap();
    let a = &info.sheets[0].answers;
    assert_eq!(
        answer_of(field(a, "system.service_area"), "TEAM ALPHA"),
        (Some("esd:42".into()), AnswerBasis::Remembered, 1)
    );
    assert_eq!(
        answer_of(field(a, "system.hosting"), "cloud").0.as_deref(),
        Some("saas")
    );
    let req2 = api::default_import_request(&info);
    assert!(req2.answers.is_empty());
    let plan = t
        .store
        .import_commit(None, &file2, &req2, &ctx(), &mut |_| {})
        .unwrap();
    assert_eq!(plan.counts.create, 1);
    let list = systems(&mut t);
    let (alpha, state) = system(&list, "Alpha two");
    assert_eq!(alpha["service_area"], "esd:42");
    assert_eq!(alpha["hosting"], "saas");
    assert_eq!(alpha["criticality"], Value::Null);
    assert_eq!(*state, api::ReviewState::New);
}

#[test]
fn answers_for_fields_without_options_or_with_unknown_options_are_refused() {
    let mut t = TempStore::camden();
    let file = t.dir.path().join("apps.xlsx");
    app_register(&file, &[]);
    let mut req = default_request(&mut t.store, &file);
    req.answers
        .entry("system.hosting".into())
        .or_default()
        .insert("Cloud".into(), Some("the moon".into()));
    let e = t
        .store
        .import_preview(None, &file, &req, &ctx(), &mut |_| {})
        .unwrap_err();
    assert_eq!(e.kind, api::ErrorKind::Usage);
    assert!(e.message.contains("the moon"), "{}", e.message);
}

/// A contracts register: the not-known words in every field, nested ones too.
fn contracts_register(path: &Path, rows: &[Value]) {
    let mut all = vec![json!([
        "Reference",
        "Contract title",
        "Supplier Name",
        "Company Registration Number",
        "How it was procured",
        "Total value",
        "End date"
    ])];
    all.extend(rows.iter().cloned());
    xlsx(path, "Contracts", &Value::Array(all));
}

fn contract_rows() -> Vec<Value> {
    vec![
        json!([
            "C-1",
            "Revenues system",
            "Agilisys Ltd",
            "N/A",
            "G-Cloud 13",
            250000,
            "31/03/2027"
        ]),
        json!([
            "C-2",
            "Waste routing",
            "Bartec Auto ID",
            "-",
            "Further competition",
            "n/a",
            "TBC"
        ]),
        json!([
            "C-3",
            "Parking permits",
            "Chipside",
            "unknown",
            "ESPO framework 664",
            "none",
            "?"
        ]),
        json!([
            "C-4",
            "Payroll",
            "MHR",
            "02788441",
            "Quotes",
            90000,
            "31/03/2028"
        ]),
        json!([
            "C-5",
            "Library system",
            "Civica",
            "01628868",
            "Direct Award (waiver)",
            120000,
            "31/03/2029"
        ]),
        json!([
            "C-6",
            "Elections",
            "Idox",
            "TBC",
            "CCS RM6100 TS3",
            80000,
            "31/03/2027"
        ]),
    ]
}

#[test]
fn not_known_words_are_blank_in_every_field_including_the_suppliers_companies_house_number() {
    let mut t = TempStore::camden();
    let file = t.dir.path().join("contracts.xlsx");
    contracts_register(&file, &contract_rows());
    let req = default_request(&mut t.store, &file);
    let plan = t
        .store
        .import_commit(None, &file, &req, &ctx(), &mut |_| {})
        .unwrap();
    assert!(plan.committed, "{:#?}", plan.errors);
    assert_eq!(plan.counts.error, 0);
    let contracts: Vec<Value> = t
        .store
        .list(None, RecordKind::Contract, false)
        .unwrap()
        .into_iter()
        .map(|r| serde_json::to_value(&r).unwrap()["data"].clone())
        .collect();
    assert_eq!(contracts.len(), 6);
    let by = |r: &str| {
        contracts
            .iter()
            .find(|c| c["reference"] == r)
            .unwrap()
            .clone()
    };
    assert_eq!(by("C-1")["procurement_route"], "g_cloud");
    assert_eq!(
        by("C-2")["procurement_route"],
        Value::Null,
        "no framework named"
    );
    assert_eq!(by("C-2")["total_value"], Value::Null);
    assert_eq!(by("C-2")["end_date"], Value::Null);
    assert_eq!(by("C-3")["procurement_route"], "other_framework");
    assert_eq!(by("C-4")["procurement_route"], "below_threshold");
    assert_eq!(by("C-5")["procurement_route"], "direct_award");
    assert_eq!(by("C-6")["procurement_route"], "ccs_framework");
    let suppliers: Vec<Value> = t
        .store
        .list(None, RecordKind::Supplier, false)
        .unwrap()
        .into_iter()
        .map(|r| serde_json::to_value(&r).unwrap()["data"].clone())
        .collect();
    assert_eq!(suppliers.len(), 6);
    let agilisys = suppliers
        .iter()
        .find(|s| s["name"] == "Agilisys Ltd")
        .unwrap();
    assert_eq!(agilisys["companies_house"], Value::Null);
    let mhr = suppliers.iter().find(|s| s["name"] == "MHR").unwrap();
    assert_eq!(mhr["companies_house"], "02788441");
}

fn import_partial(t: &mut TempStore, file: &Path) -> ImportPlan {
    let mut req = default_request(&mut t.store, file);
    req.partial = true;
    t.store
        .import_commit(None, file, &req, &ctx(), &mut |_| {})
        .unwrap()
}

#[test]
fn a_partial_import_leaves_out_the_rows_with_errors_and_the_corrected_file_adds_them_once() {
    let mut t = TempStore::camden();
    let file = t.dir.path().join("contracts.xlsx");
    let mut rows = contract_rows();
    // Two rows with errors: no title; the same reference twice with different values.
    rows.push(json!(["C-7", null, "Idox", "", "Open", 1000, "31/03/2027"]));
    rows.push(json!([
        "C-6",
        "Elections again",
        "Idox",
        "",
        "Open",
        5,
        "31/03/2027"
    ]));
    // A cell that fits no option: blank, to review.
    rows.push(json!([
        "C-8",
        "Highways asset",
        "Yotta",
        "",
        "Purchase order",
        7000,
        "31/03/2027"
    ]));
    contracts_register(&file, &rows);

    // The default stays all or nothing.
    let req = default_request(&mut t.store, &file);
    let e = t
        .store
        .import_commit(None, &file, &req, &ctx(), &mut |_| {})
        .unwrap_err();
    assert!(
        e.message.starts_with("nothing was imported"),
        "{}",
        e.message
    );
    assert!(
        t.store
            .list(None, RecordKind::Contract, false)
            .unwrap()
            .is_empty()
    );

    let preview = t
        .store
        .import_preview(None, &file, &req, &ctx(), &mut |_| {})
        .unwrap();
    assert!(!preview.can_commit);
    assert_eq!(preview.importable, 7);
    assert_eq!(preview.left_out, 2);

    let plan = import_partial(&mut t, &file);
    assert!(plan.committed);
    assert_eq!(plan.left_out, 2);
    let left_out: Vec<u32> = plan
        .rows
        .iter()
        .filter(|r| r.action == RowAction::Error)
        .map(|r| r.row)
        .collect();
    assert_eq!(left_out, vec![8, 9]);
    assert_eq!(
        t.store
            .list(None, RecordKind::Contract, false)
            .unwrap()
            .len(),
        7
    );

    // The error report lists each row left out with its cells and reasons.
    let report = t.dir.path().join("errors.xlsx");
    api::write_import_errors(&file, &plan, &report).unwrap();
    let out = std::process::Command::new(workspace().join(".venv/bin/python"))
        .arg(workspace().join("tests/python/check_xlsx.py"))
        .arg(&report)
        .output()
        .unwrap();
    assert!(out.status.success());
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sheet = r["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Rows left out")
        .expect("a sheet of the rows left out");
    let cells = &sheet["cells"];
    assert_eq!(cells["A2"]["value"], "Contracts");
    assert_eq!(cells["B2"]["value"], 8);
    let why = cells["C2"]["value"].as_str().unwrap();
    assert!(why.contains("title"), "{why}");
    assert_eq!(cells["D2"]["value"], "C-7");
    assert_eq!(cells["B3"]["value"], 9);
    assert_eq!(cells["E3"]["value"], "Elections again");

    // The corrected file: the two rows fixed, and the blanked cell answered.
    let mut fixed = contract_rows();
    fixed.push(json!([
        "C-7",
        "Elections printing",
        "Idox",
        "",
        "Open",
        1000,
        "31/03/2027"
    ]));
    fixed.push(json!([
        "C-9",
        "Elections again",
        "Idox",
        "",
        "Open",
        5,
        "31/03/2027"
    ]));
    fixed.push(json!([
        "C-8",
        "Highways asset",
        "Yotta",
        "",
        "RFQ",
        7000,
        "31/03/2027"
    ]));
    let file2 = t.dir.path().join("contracts-fixed.xlsx");
    contracts_register(&file2, &fixed);
    let plan = import_partial(&mut t, &file2);
    assert!(plan.can_commit, "{:#?}", plan.errors);
    let count = |a: RowAction, k: RecordKind| {
        plan.rows
            .iter()
            .filter(|r| r.action == a && r.kind == k)
            .count()
    };
    assert_eq!(
        count(RowAction::Create, RecordKind::Contract),
        2,
        "{:#?}",
        plan.rows
    );
    assert_eq!(count(RowAction::Update, RecordKind::Contract), 1);
    assert_eq!(count(RowAction::Unchanged, RecordKind::Contract), 6);
    assert_eq!(
        count(RowAction::Create, RecordKind::Supplier),
        0,
        "suppliers are found"
    );
    let contracts = t.store.list(None, RecordKind::Contract, false).unwrap();
    assert_eq!(contracts.len(), 9, "nothing added twice");
    let c8 = contracts
        .iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .find(|r| r["data"]["reference"] == "C-8")
        .unwrap();
    assert_eq!(c8["data"]["procurement_route"], "below_threshold");
    assert_eq!(
        t.store
            .list(None, RecordKind::Supplier, false)
            .unwrap()
            .len(),
        7
    );
}
