//! Spreadsheets: the survey template read back by openpyxl, a template filled in by openpyxl
//! imported exactly, each messy fixture in `fixtures/xlsx/` imported as a person would expect,
//! bad files refused with the store unchanged, remembered mappings, match keys, and the error
//! report's highlighted cells.

use crate::support::*;
use city_core::api::{
    self, ColumnChoice, ErrorKind, ImportPlan, ImportRequest, Location, MappingSource, MatchKey,
    RecordDto, RecordKind, RowAction, SheetImport, SheetLayout, Store,
};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> PathBuf {
    workspace().join("fixtures/xlsx").join(name)
}

fn python() -> PathBuf {
    let p = workspace().join(".venv/bin/python");
    assert!(
        p.exists(),
        "{} is missing: run cargo xtask setup (it creates the Python venv with openpyxl)",
        p.display()
    );
    p
}

fn run_python(script: &str, args: &[&Path]) -> String {
    let out = std::process::Command::new(python())
        .arg(workspace().join("tests/python").join(script))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn check_xlsx(path: &Path) -> Value {
    serde_json::from_str(&run_python("check_xlsx.py", &[path])).unwrap()
}

fn sheet<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

/// The suggested import of every recognised sheet of a file.
fn default_request(store: &mut Store, file: &Path) -> ImportRequest {
    let info = store.inspect_spreadsheet(file).unwrap();
    api::default_import_request(&info)
}

fn import(t: &mut TempStore, file: &Path) -> ImportPlan {
    let req = default_request(&mut t.store, file);
    t.store
        .import_commit(None, file, &req, &ctx(), &mut |_| {})
        .unwrap()
}

fn records(t: &mut TempStore, kind: RecordKind) -> Vec<Value> {
    t.store
        .list(None, kind, false)
        .unwrap()
        .into_iter()
        .map(|r: RecordDto| {
            let mut v = serde_json::to_value(&r).unwrap()["data"].clone();
            v["_id"] = json!(r.id.to_string());
            v
        })
        .collect()
}

fn by<'a>(list: &'a [Value], field: &str, value: &str) -> &'a Value {
    list.iter()
        .find(|r| r[field] == value)
        .unwrap_or_else(|| panic!("no record with {field} = {value} in {list:#?}"))
}

fn supplier_name(t: &mut TempStore, id: &Value) -> String {
    let suppliers = records(t, RecordKind::Supplier);
    by(&suppliers, "_id", id.as_str().unwrap())["name"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn the_template_opens_in_openpyxl_with_dropdowns_hidden_ids_and_formats() {
    let mut t = TempStore::camden();
    t.store
        .add(
            None,
            RecordKind::Supplier,
            json!({"name": "=HYPERLINK(\"http://x\")", "notes": "+44 20 7974 4444"}),
            &ctx(),
        )
        .unwrap();
    let out = t.dir.path().join("template.xlsx");
    t.store.survey_template(None, &out, true).unwrap();
    let r = check_xlsx(&out);
    let names: Vec<&str> = r["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Instructions",
            "Suppliers",
            "Products",
            "Systems",
            "Contracts",
            "Skills",
            "GDPR readiness",
            "Cyber readiness",
            "Data dictionary",
            "Lists"
        ]
    );
    assert_eq!(sheet(&r, "Lists")["state"], "hidden");
    let contracts = sheet(&r, "Contracts");
    assert_eq!(contracts["hidden_columns"], json!(["A"]));
    assert_eq!(contracts["cells"]["B1"]["value"], "Contract title");
    let validations = contracts["validations"].as_array().unwrap();
    let route = validations
        .iter()
        .find(|v| v["range"] == "N2:N2001")
        .expect("a dropdown on 'How it was procured'");
    assert_eq!(route["type"], "list");
    assert!(route["formula"].as_str().unwrap().starts_with("Lists!"));
    assert!(
        validations
            .iter()
            .any(|v| v["range"] == "F2:F2001" && v["type"] == "date")
    );
    // Every enumeration-valued column of every record sheet has a dropdown.
    let q = api::questionnaire();
    for schema in &q.records {
        let Some(ws) = r["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == sheet_title(schema.kind))
        else {
            continue;
        };
        let lists = ws["validations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["type"] == "list")
            .count();
        let choices = schema
            .fields
            .iter()
            .map(|f| match &f.kind {
                api::FieldKind::Choice { .. } | api::FieldKind::Boolean => 1,
                api::FieldKind::Ratings { keys, .. } => keys.len(),
                _ => 0,
            })
            .sum::<usize>();
        assert!(
            lists >= choices,
            "{:?}: {lists} dropdowns for {choices} choice columns",
            schema.kind
        );
    }
    // User text that looks like a formula is written as text.
    let suppliers = sheet(&r, "Suppliers");
    assert_eq!(
        suppliers["cells"]["B2"]["value"],
        "=HYPERLINK(\"http://x\")"
    );
    assert_eq!(suppliers["cells"]["B2"]["type"], "s");
    assert_eq!(suppliers["cells"]["H2"]["value"], "+44 20 7974 4444");
    assert_eq!(suppliers["cells"]["H2"]["type"], "s");
    let dict = sheet(&r, "Data dictionary");
    assert_eq!(dict["cells"]["C1"]["value"], "Field");
}

fn sheet_title(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::System => "Systems",
        RecordKind::Contract => "Contracts",
        RecordKind::Supplier => "Suppliers",
        RecordKind::Product => "Products",
        RecordKind::Skill => "Skills",
        RecordKind::Gdpr => "GDPR readiness",
        RecordKind::Cyber => "Cyber readiness",
    }
}

#[test]
fn a_template_filled_in_by_openpyxl_imports_exactly_what_was_typed() {
    let mut t = TempStore::camden();
    let civica = t
        .store
        .add(
            None,
            RecordKind::Supplier,
            json!({"name": "Civica UK Ltd", "companies_house": "01628868"}),
            &ctx(),
        )
        .unwrap();
    let template = t.dir.path().join("template.xlsx");
    let filled = t.dir.path().join("filled.xlsx");
    t.store.survey_template(None, &template, true).unwrap();
    run_python("fill_template.py", &[&template, &filled]);

    let mut progress = Vec::new();
    let req = default_request(&mut t.store, &filled);
    let plan = t
        .store
        .import_commit(None, &filled, &req, &ctx(), &mut |p| progress.push(p.done))
        .unwrap();
    assert!(plan.errors.is_empty(), "{:#?}", plan.errors);
    assert!(plan.committed);
    assert_eq!(progress.first(), Some(&0));
    assert!(
        progress.len() >= 2 && *progress.last().unwrap() > 0,
        "{progress:?}"
    );

    let suppliers = records(&mut t, RecordKind::Supplier);
    assert_eq!(suppliers.len(), 4, "{suppliers:#?}"); // Civica, Northgate, =Acme, Mobysoft
    let civ = by(&suppliers, "_id", &civica.id.to_string());
    assert_eq!(civ["notes"], "Changed in Excel");
    assert_eq!(civ["companies_house"], "01628868");
    let ng = by(&suppliers, "name", "Northgate Public Services");
    assert_eq!(ng["companies_house"], "00968498");
    assert_eq!(ng["sme"], false);
    assert_eq!(
        ng["aliases"],
        json!(["NEC Software Solutions", "Northgate"])
    );
    let acme = by(&suppliers, "name", "=Acme (not a formula)");
    assert_eq!(acme["no_uk_identifier"], true);

    let products = records(&mut t, RecordKind::Product);
    assert_eq!(products.len(), 1);
    assert_eq!(products[0]["supplier_id"], ng["_id"]);

    let systems = records(&mut t, RecordKind::System);
    assert_eq!(systems.len(), 2);
    let hsg = by(&systems, "name", "Housing Online");
    assert_eq!(hsg["description"], "Tenancies, repairs\nand rent accounts");
    assert_eq!(hsg["product_id"], products[0]["_id"]);
    assert_eq!(hsg["supplier_id"], ng["_id"]);
    assert_eq!(hsg["service_area"], "esd:66");
    assert_eq!(hsg["lgsl_code"], 1234);
    assert_eq!(hsg["category"], "frontline");
    assert_eq!(hsg["hosting"], "saas");
    assert_eq!(hsg["users"], 450);
    assert_eq!(hsg["criticality"], "critical");
    assert_eq!(hsg["support_status"], "supported");
    assert_eq!(hsg["end_of_support"], "2029-03-31");
    assert_eq!(hsg["satisfaction"], "4");
    assert_eq!(hsg["personal_data"], true);
    assert_eq!(hsg["mfa"], "all_users");
    assert_eq!(hsg["gdpr"]["lawful_basis"], "public_task");
    assert_eq!(hsg["caf"], json!({"B2.a": "partially_achieved"}));
    let rent = by(&systems, "name", "Rent Sense");
    assert_eq!(supplier_name(&mut t, &rent["supplier_id"]), "Mobysoft");

    let contracts = records(&mut t, RecordKind::Contract);
    assert_eq!(contracts.len(), 2);
    let c = by(&contracts, "reference", "HSG-2024-01");
    assert_eq!(c["title"], "Housing system support");
    assert_eq!(c["supplier_id"], ng["_id"]);
    let mut want_systems = vec![hsg["_id"].clone(), rent["_id"].clone()];
    want_systems.sort_by_key(|v| v.as_str().unwrap().to_string());
    assert_eq!(c["system_ids"], Value::Array(want_systems));
    assert_eq!(c["start_date"], "2024-04-01");
    assert_eq!(c["end_date"], "2027-03-31");
    assert_eq!(c["latest_end_date"], "2029-03-31");
    assert_eq!(c["notice_period_days"], 180);
    assert_eq!(c["auto_renews"], false);
    assert_eq!(
        c["annual_value"], 12_500_055,
        "£125,000.55 is 12,500,055 pence"
    );
    assert_eq!(c["total_value"], 37_500_165);
    assert_eq!(c["procurement_route"], "g_cloud");
    assert_eq!(c["framework_ref"], "RM1557.14");
    let rolling = by(&contracts, "title", "Rent analytics");
    assert_eq!(rolling["rolling"], true);
    assert_eq!(rolling["end_date"], Value::Null);

    let skills = records(&mut t, RecordKind::Skill);
    assert_eq!(skills.len(), 1);
    assert_eq!(skills[0]["area"], "cyber_security");
    assert_eq!(skills[0]["level"], "practitioner");
    assert_eq!(skills[0]["wants_support"], true);

    let gdpr = records(&mut t, RecordKind::Gdpr);
    assert_eq!(gdpr.len(), 1);
    assert_eq!(gdpr[0]["dpo_appointed"], true);
    assert_eq!(gdpr[0]["ico_registration"], "Z1234567");
    assert_eq!(gdpr[0]["ratings"], json!({"breach_response": "partial"}));
    let cyber = records(&mut t, RecordKind::Cyber);
    assert_eq!(cyber[0]["cyber_essentials"], "ce_plus");
    assert_eq!(cyber[0]["cyber_essentials_expiry"], "2027-01-31");
    assert_eq!(cyber[0]["caf"], json!({"A1.a": "achieved"}));

    // Export the template again, change nothing, import: nothing changes, nothing duplicates.
    let again = t.dir.path().join("again.xlsx");
    t.store.survey_template(None, &again, true).unwrap();
    let req = default_request(&mut t.store, &again);
    let plan = t
        .store
        .import_preview(None, &again, &req, &ctx(), &mut |_| {})
        .unwrap();
    assert_eq!(plan.counts.create, 0, "{:#?}", plan.rows);
    assert_eq!(plan.counts.update, 0, "{:#?}", plan.rows);
    assert_eq!(plan.counts.unchanged, 4 + 1 + 2 + 2 + 1 + 1 + 1);

    // Matching by id only, a one-per-return questionnaire still updates its one record.
    let mut by_id = req.clone();
    by_id.match_key = MatchKey::Id;
    let blank_ids = t.dir.path().join("blank-ids.xlsx");
    let script = format!(
        "import openpyxl\nwb = openpyxl.load_workbook({:?})\nws = wb['GDPR readiness']\n\
         ws['C2'] = None\nwb.save({:?})\n",
        again.display().to_string(),
        blank_ids.display().to_string()
    );
    let out = std::process::Command::new(python())
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    t.store
        .import_commit(None, &blank_ids, &by_id, &ctx(), &mut |_| {})
        .unwrap();
    assert_eq!(records(&mut t, RecordKind::Gdpr).len(), 1);
}

#[test]
fn title_rows_are_skipped_to_find_the_header() {
    let mut t = TempStore::camden();
    let info = t
        .store
        .inspect_spreadsheet(&fixture("title_rows.xlsx"))
        .unwrap();
    assert_eq!(info.sheets[0].header_row, Some(5));
    assert_eq!(info.sheets[0].kind, Some(RecordKind::Contract));
    assert_eq!(info.sheets[0].mapping_source, MappingSource::Suggested);
    let plan = import(&mut t, &fixture("title_rows.xlsx"));
    assert_eq!(plan.counts.create, 4); // two contracts, two suppliers
    let contracts = records(&mut t, RecordKind::Contract);
    let c = by(&contracts, "reference", "CAM-002");
    assert_eq!(c["total_value"], 240_000_050);
    assert_eq!(c["end_date"], "2028-09-30");
}

#[test]
fn merged_cells_give_their_value_to_every_row_they_cover() {
    let mut t = TempStore::camden();
    let info = t
        .store
        .inspect_spreadsheet(&fixture("merged_cells.xlsx"))
        .unwrap();
    assert_eq!(info.sheets[0].header_row, Some(3));
    import(&mut t, &fixture("merged_cells.xlsx"));
    let contracts = records(&mut t, RecordKind::Contract);
    assert_eq!(contracts.len(), 4);
    for reference in ["M-1", "M-2", "M-3"] {
        let c = by(&contracts, "reference", reference);
        assert_eq!(supplier_name(&mut t, &c["supplier_id"]), "Midland HR");
    }
    assert_eq!(records(&mut t, RecordKind::Supplier).len(), 2);
}

#[test]
fn hidden_columns_are_read_like_any_other() {
    let mut t = TempStore::camden();
    let info = t
        .store
        .inspect_spreadsheet(&fixture("hidden_columns.xlsx"))
        .unwrap();
    let fields: Vec<Option<&str>> = info.sheets[0]
        .columns
        .iter()
        .map(|c| c.field.as_deref())
        .collect();
    assert_eq!(
        fields,
        [
            None,
            Some("reference"),
            Some("title"),
            Some("supplier_id"),
            Some("end_date")
        ]
    );
    import(&mut t, &fixture("hidden_columns.xlsx"));
    let contracts = records(&mut t, RecordKind::Contract);
    assert_eq!(by(&contracts, "reference", "H-2")["title"], "Telephony");
}

#[test]
fn a_totals_row_is_skipped_and_says_why() {
    let mut t = TempStore::camden();
    let plan = import(&mut t, &fixture("totals_row.xlsx"));
    let skipped: Vec<_> = plan
        .rows
        .iter()
        .filter(|r| r.action == RowAction::Skip)
        .collect();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].row, 5);
    assert!(skipped[0].reason.as_deref().unwrap().contains("totals row"));
    assert_eq!(records(&mut t, RecordKind::Contract).len(), 2);
}

#[test]
fn a_notes_sheet_is_not_imported() {
    let mut t = TempStore::camden();
    let info = t
        .store
        .inspect_spreadsheet(&fixture("notes_sheet.xlsx"))
        .unwrap();
    let notes = info.sheets.iter().find(|s| s.name == "Notes").unwrap();
    assert_eq!(notes.mapping_source, MappingSource::None);
    let req = api::default_import_request(&info);
    assert_eq!(req.sheets.len(), 1);
    assert_eq!(req.sheets[0].sheet, "Register");
    import(&mut t, &fixture("notes_sheet.xlsx"));
    assert_eq!(records(&mut t, RecordKind::Contract).len(), 1);
}

#[test]
fn money_is_read_in_pounds_and_tbc_is_never_zero() {
    let mut t = TempStore::camden();
    let plan = import(&mut t, &fixture("money_formats.xlsx"));
    let contracts = records(&mut t, RecordKind::Contract);
    let value = |r: &str| by(&contracts, "reference", r)["total_value"].clone();
    assert_eq!(value("V-1"), json!(125_000_000));
    assert_eq!(value("V-2"), json!(120_000_000));
    assert_eq!(value("V-3"), json!(25_000_000));
    assert_eq!(value("V-4"), Value::Null, "TBC is not known, never 0");
    assert_eq!(value("V-5"), json!(9_876_543));
    assert_eq!(value("V-6"), json!(500_000));
    assert_eq!(plan.warnings.len(), 1);
    assert!(plan.warnings[0].message.contains("'TBC' read as not known"));
    assert_eq!(
        plan.warnings[0].location,
        Some(Location::File {
            file: fixture("money_formats.xlsx").display().to_string(),
            sheet: Some("Contracts".into()),
            row: Some(5),
            column: Some("C".into()),
        })
    );
}

#[test]
fn an_unreadable_amount_is_left_blank_at_its_cell_and_the_record_is_to_review() {
    let mut t = TempStore::camden();
    let file = fixture("money_unreadable.xlsx");
    let plan = import(&mut t, &file);
    assert!(plan.can_commit && plan.committed, "{:#?}", plan.errors);
    let w = plan
        .warnings
        .iter()
        .find(|w| w.message.contains("about fifty grand"))
        .expect("a warning names the cell");
    assert!(w.message.contains("left blank"), "{}", w.message);
    assert_eq!(
        w.location,
        Some(Location::File {
            file: file.display().to_string(),
            sheet: Some("Contracts".into()),
            row: Some(3),
            column: Some("C".into()),
        })
    );
    let list = t.store.list(None, RecordKind::Contract, false).unwrap();
    let blanked: Vec<_> = list
        .iter()
        .filter(|r| r.review_state == api::ReviewState::ToReview)
        .collect();
    assert_eq!(
        blanked.len(),
        1,
        "only the row with the blanked cell is to review"
    );
    let data = serde_json::to_value(blanked[0]).unwrap()["data"].clone();
    assert_eq!(data["total_value"], Value::Null, "never a zero");
}

#[test]
fn a_row_with_an_error_stops_the_import_and_changes_nothing() {
    let t = TempStore::camden();
    let path = t.path();
    drop(t.store);
    let before = bytes(&path);
    let mut store = Store::open(&path).unwrap();
    let file = fixture("conflicting_rows.xlsx");
    let req = default_request(&mut store, &file);
    let plan = store
        .import_preview(None, &file, &req, &ctx(), &mut |_| {})
        .unwrap();
    assert!(!plan.can_commit);
    assert!(plan.counts.error >= 1);
    let e = store
        .import_commit(None, &file, &req, &ctx(), &mut |_| {})
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    assert!(
        e.message.starts_with("nothing was imported"),
        "{}",
        e.message
    );
    assert!(matches!(e.issues[0].location, Some(Location::File { .. })));
    drop(store);
    assert_eq!(
        bytes(&path),
        before,
        "a refused import leaves the store unchanged"
    );
}

#[test]
fn dates_in_every_register_format_and_rolling() {
    let mut t = TempStore::camden();
    import(&mut t, &fixture("date_formats.xlsx"));
    let contracts = records(&mut t, RecordKind::Contract);
    for r in ["D-1", "D-2", "D-3", "D-4", "D-5"] {
        let c = by(&contracts, "reference", r);
        assert_eq!(c["start_date"], "2024-04-01", "{r}");
        assert_eq!(c["end_date"], "2027-03-31", "{r}");
    }
    let rolling = by(&contracts, "reference", "D-6");
    assert_eq!(rolling["rolling"], true);
    assert_eq!(rolling["end_date"], Value::Null);
}

#[test]
fn supplier_names_meet_despite_case_spaces_and_lost_zeros() {
    let mut t = TempStore::camden();
    import(&mut t, &fixture("messy_names.xlsx"));
    let suppliers = records(&mut t, RecordKind::Supplier);
    assert_eq!(suppliers.len(), 2, "{suppliers:#?}");
    let civica = by(&suppliers, "companies_house", "01628868");
    let idox = by(&suppliers, "companies_house", "02933191");
    assert_eq!(idox["name"], "IDOX SOFTWARE LTD");
    let contracts = records(&mut t, RecordKind::Contract);
    for r in ["S-1", "S-2", "S-3"] {
        assert_eq!(by(&contracts, "reference", r)["supplier_id"], civica["_id"]);
    }
    assert_eq!(
        by(&contracts, "reference", "S-1")["title"],
        "Revenues and benefits",
        "trailing spaces are trimmed"
    );
}

#[test]
fn duplicate_rows_are_imported_once() {
    let mut t = TempStore::camden();
    let plan = import(&mut t, &fixture("duplicate_rows.xlsx"));
    let dup = plan
        .rows
        .iter()
        .find(|r| r.action == RowAction::Skip)
        .unwrap();
    assert_eq!(dup.row, 3);
    assert!(dup.reason.as_deref().unwrap().contains("row 2"));
    assert_eq!(records(&mut t, RecordKind::Contract).len(), 2);
}

#[test]
fn the_same_reference_twice_with_different_values_is_an_error() {
    let mut t = TempStore::camden();
    let file = fixture("conflicting_rows.xlsx");
    let req = default_request(&mut t.store, &file);
    let plan = t
        .store
        .import_preview(None, &file, &req, &ctx(), &mut |_| {})
        .unwrap();
    assert!(!plan.can_commit);
    assert_eq!(plan.counts.create, 1);
    assert_eq!(plan.counts.error, 1);
    let e = &plan.errors[0];
    assert!(e.message.contains("row 2"), "{}", e.message);
    assert!(e.message.contains("different values"), "{}", e.message);
    assert!(
        matches!(&e.location, Some(Location::File { row: Some(3), .. })),
        "{e:?}"
    );
}

#[test]
fn the_transparency_register_in_xlsx_xls_and_ods_imports_the_same() {
    let mut results = Vec::new();
    for name in [
        "transparency_register.xlsx",
        "transparency_register.xls",
        "transparency_register.ods",
    ] {
        let mut t = TempStore::camden();
        let info = t.store.inspect_spreadsheet(&fixture(name)).unwrap();
        assert_eq!(info.format, name.rsplit('.').next().unwrap());
        let plan = import(&mut t, &fixture(name));
        assert_eq!(plan.counts.create, 10, "{name}: {:#?}", plan.rows);
        assert_eq!(plan.counts.skip, 2, "{name}: totals row and the note");
        let mut contracts: Vec<Value> = records(&mut t, RecordKind::Contract)
            .into_iter()
            .map(|mut c| {
                c["supplier_id"] = json!(supplier_name(&mut t, &c["supplier_id"]));
                c.as_object_mut().unwrap().remove("_id");
                c
            })
            .collect();
        contracts.sort_by_key(|c| c["reference"].as_str().unwrap().to_string());
        let suppliers = records(&mut t, RecordKind::Supplier);
        let nec = by(&suppliers, "name", "NEC SOFTWARE SOLUTIONS UK LIMITED");
        assert_eq!(nec["companies_house"], "00968498");
        let axiell = by(&suppliers, "name", "Axiell Ltd");
        assert_eq!(axiell["sme"], true);
        results.push(contracts);
    }
    let c = &results[0];
    assert_eq!(c.len(), 5);
    assert_eq!(c[0]["total_value"], 215_000_000);
    assert_eq!(c[1]["total_value"], 120_000_000);
    assert_eq!(c[2]["total_value"], Value::Null, "TBC");
    assert_eq!(c[2]["rolling"], true);
    assert_eq!(c[3]["start_date"], "2025-09-15");
    assert_eq!(
        c[4]["start_date"], "2024-10-01",
        "an Excel serial in a date column"
    );
    assert_eq!(results[1], results[0], "xls reads as xlsx");
    assert_eq!(results[2], results[0], "ods reads as xlsx");
}

#[test]
fn an_application_register_becomes_systems() {
    let mut t = TempStore::camden();
    let info = t
        .store
        .inspect_spreadsheet(&fixture("application_register.xlsx"))
        .unwrap();
    assert_eq!(info.sheets[0].kind, Some(RecordKind::System));
    let plan = import(&mut t, &fixture("application_register.xlsx"));
    assert_eq!(plan.warnings.len(), 1, "End of life 'TBC'");
    let systems = records(&mut t, RecordKind::System);
    let mosaic = by(&systems, "name", "Mosaic");
    assert_eq!(mosaic["service_area"], "esd:58");
    assert_eq!(mosaic["hosting"], "supplier_hosted");
    assert_eq!(mosaic["users"], 850);
    assert_eq!(mosaic["criticality"], "critical");
    assert_eq!(mosaic["end_of_support"], "2029-03-31");
    assert_eq!(by(&systems, "name", "Uniform")["criticality"], "medium");
}

#[test]
fn a_second_import_updates_instead_of_duplicating() {
    let mut t = TempStore::camden();
    import(&mut t, &fixture("transparency_register.xlsx"));
    let again = import(&mut t, &fixture("transparency_register.xlsx"));
    assert_eq!(again.counts.create, 0);
    assert_eq!(again.counts.unchanged, 5);
    // A different file naming the same contracts by reference updates them.
    let plan = import(&mut t, &fixture("title_rows.xlsx"));
    assert_eq!(plan.counts.create, 4);
    let c = records(&mut t, RecordKind::Contract);
    assert_eq!(c.len(), 7);
    // Match by name: the same titles with new values update the same records.
    let mut req = default_request(&mut t.store, &fixture("title_rows.xlsx"));
    req.match_key = MatchKey::None;
    let plan = t
        .store
        .import_preview(None, &fixture("title_rows.xlsx"), &req, &ctx(), &mut |_| {})
        .unwrap();
    assert_eq!(
        plan.rows
            .iter()
            .filter(|r| r.kind == RecordKind::Contract && r.action == RowAction::Create)
            .count(),
        2,
        "match key 'none' adds every row"
    );
}

#[test]
fn a_corrected_mapping_is_remembered_for_the_next_file_of_that_shape() {
    let mut t = TempStore::camden();
    let file = fixture("hidden_columns.xlsx");
    let info = t.store.inspect_spreadsheet(&file).unwrap();
    let mut req = api::default_import_request(&info);
    // The user says the cost centre column is the framework reference.
    req.sheets[0].columns[0].field = Some("framework_ref".into());
    t.store
        .import_commit(None, &file, &req, &ctx(), &mut |_| {})
        .unwrap();
    let again = t.store.inspect_spreadsheet(&file).unwrap();
    assert_eq!(again.sheets[0].mapping_source, MappingSource::Remembered);
    assert_eq!(
        again.sheets[0].columns[0].field.as_deref(),
        Some("framework_ref")
    );
    // A store that never saw it still suggests.
    let fresh = api::inspect_spreadsheet(&file).unwrap();
    assert_eq!(fresh.sheets[0].mapping_source, MappingSource::Suggested);
    assert_eq!(fresh.sheets[0].columns[0].field, None);
    let c = records(&mut t, RecordKind::Contract);
    assert_eq!(by(&c, "reference", "H-1")["framework_ref"], "CC1001");
}

#[test]
fn a_mapping_naming_an_unknown_field_or_sheet_is_refused() {
    let mut t = TempStore::camden();
    let file = fixture("title_rows.xlsx");
    let bad_field = ImportRequest {
        sheets: vec![SheetImport {
            sheet: "Contracts".into(),
            kind: RecordKind::Contract,
            header_row: 5,
            layout: SheetLayout::Table,
            columns: vec![ColumnChoice {
                column: "A".into(),
                field: Some("colour".into()),
            }],
        }],
        match_key: MatchKey::Auto,
        ..ImportRequest::default()
    };
    let e = t
        .store
        .import_preview(None, &file, &bad_field, &ctx(), &mut |_| {})
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Usage);
    assert!(
        e.message.contains("'colour' is not a field"),
        "{}",
        e.message
    );
    let mut bad_sheet = bad_field.clone();
    bad_sheet.sheets[0].sheet = "Nope".into();
    let e = t
        .store
        .import_preview(None, &file, &bad_sheet, &ctx(), &mut |_| {})
        .unwrap_err();
    assert!(e.message.contains("no sheet 'Nope'"), "{}", e.message);
    let parsed = api::parse_import_request(&serde_json::to_string(&bad_field).unwrap()).unwrap();
    assert_eq!(parsed, bad_field);
}

/// A minimal xlsx (stored ZIP) whose one sheet has `rows` rows, streamed so it stays small in
/// memory.
fn huge_xlsx(path: &Path, rows: u32) {
    use std::io::Write;
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let files = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Contracts" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    for (name, text) in files {
        z.start_file(name, opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Contract title</t></is></c><c r="B1" t="inlineStr"><is><t>Reference</t></is></c></row>"#).unwrap();
    let mut buf = Vec::with_capacity(1 << 20);
    for r in 2..=rows {
        write!(buf, r#"<row r="{r}"><c r="B{r}"><v>{r}</v></c></row>"#).unwrap();
        if buf.len() > (1 << 20) {
            z.write_all(&buf).unwrap();
            buf.clear();
        }
    }
    buf.extend_from_slice(b"</sheetData></worksheet>");
    z.write_all(&buf).unwrap();
    z.finish().unwrap();
}

/// Rewrites the uncompressed size in every central directory header of a ZIP to `size`.
fn declare_unpacked_size(mut zip: Vec<u8>, size: u32) -> Vec<u8> {
    let mut i = 0;
    while i + 28 <= zip.len() {
        if zip[i..i + 4] == *b"PK\x01\x02" {
            zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
            i += 46;
        } else {
            i += 1;
        }
    }
    zip
}

#[test]
fn bad_files_are_refused_with_a_clear_message_and_the_store_unchanged() {
    let t = TempStore::camden();
    let path = t.path();
    let dir = t.dir;
    drop(t.store);
    let before = bytes(&path);
    let huge = dir.path().join("million.xlsx");
    huge_xlsx(&huge, 1_048_576);
    // A zip bomb: a real register whose ZIP directory declares 200 MiB per part (the zip
    // reader stops each part at its declared size, so a bomb must declare what it unpacks to).
    let bomb = dir.path().join("bomb.xlsx");
    std::fs::write(
        &bomb,
        declare_unpacked_size(bytes(&fixture("transparency_register.xlsx")), 200 << 20),
    )
    .unwrap();
    // Text is read as a CSV register whatever the file is called (tests/it/csv_registers.rs);
    // bytes that are neither a workbook nor text are not a spreadsheet.
    let binary = dir.path().join("program.xlsx");
    std::fs::write(&binary, b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0").unwrap();
    let cases: Vec<(PathBuf, &str)> = vec![
        (binary, "is not a spreadsheet"),
        (fixture("empty.xlsx"), "is empty"),
        (fixture("truncated.xlsx"), "damaged or incomplete"),
        // Found by the fuzzer: calamine panics on it; the importer reports a damaged file.
        (fixture("calamine_panic.xls"), "damaged or incomplete"),
        // Also found by the fuzzer: a 7 KB file whose sector chain loops (calamine would
        // allocate gigabytes following it).
        (fixture("looping_sectors.xls"), "sector chains loop"),
        // And an 8 KB file whose cells span gigabytes of sheet.
        (fixture("huge_sheet_area.xls"), "too big to import"),
        (fixture("password_protected.xlsx"), "password-protected"),
        (huge, "more than 100000 rows"),
        (bomb, "would unpack to 1800 MiB"),
        (dir.path().join("missing.xlsx"), "could not read"),
    ];
    let req = ImportRequest {
        sheets: vec![SheetImport {
            sheet: "Contracts".into(),
            kind: RecordKind::Contract,
            header_row: 1,
            layout: SheetLayout::Table,
            columns: vec![ColumnChoice {
                column: "A".into(),
                field: Some("title".into()),
            }],
        }],
        match_key: MatchKey::Auto,
        ..ImportRequest::default()
    };
    for (file, want) in &cases {
        let mut store = Store::open(&path).unwrap();
        let e = api::inspect_spreadsheet(file).unwrap_err();
        assert!(
            e.message.contains(want),
            "{}: {}",
            file.display(),
            e.message
        );
        assert!(!e.message.contains('\n'));
        let e = store
            .import_commit(None, file, &req, &ctx(), &mut |_| {})
            .unwrap_err();
        assert!(
            e.message.contains(want),
            "{}: {}",
            file.display(),
            e.message
        );
        assert!(matches!(e.location, Some(Location::File { .. })), "{e:?}");
        drop(store);
        assert_eq!(bytes(&path), before, "{}", file.display());
    }
}

#[test]
fn the_error_report_highlights_the_bad_cells_for_openpyxl() {
    let mut t = TempStore::camden();
    let file = fixture("money_unreadable.xlsx");
    let req = default_request(&mut t.store, &file);
    let mut plan = t
        .store
        .import_preview(None, &file, &req, &ctx(), &mut |_| {})
        .unwrap();
    // The unreadable amount is a warning now; an error at a known cell too.
    plan.errors.push(api::Issue {
        message: "Contract title: something is wrong here".into(),
        location: Some(Location::File {
            file: file.display().to_string(),
            sheet: Some("Contracts".into()),
            row: Some(3),
            column: Some("B".into()),
        }),
    });
    let out = t.dir.path().join("errors.xlsx");
    api::write_import_errors(&file, &plan, &out).unwrap();
    let r = check_xlsx(&out);
    let problems = sheet(&r, "Problems");
    assert_eq!(problems["cells"]["A2"]["value"], "Error");
    assert_eq!(problems["cells"]["D2"]["value"], "B");
    assert_eq!(problems["cells"]["C2"]["value"], 3);
    let contracts = sheet(&r, "Contracts");
    assert_eq!(
        contracts["cells"]["B3"]["fill"], "FFFFC7CE",
        "errors are filled red"
    );
    let bad = &contracts["cells"]["C3"];
    assert_eq!(bad["value"], "about fifty grand");
    assert_eq!(bad["fill"], "FFFFEB9C", "warnings amber");
    assert!(
        bad["note"]
            .as_str()
            .unwrap()
            .contains("not an amount of money")
    );
    assert_eq!(contracts["cells"]["A3"]["fill"], Value::Null);
    assert_eq!(contracts["cells"]["A1"]["value"], "Reference");
}

#[test]
fn contracts_link_the_systems_they_name_and_add_those_the_return_lacks() {
    let mut t = TempStore::camden();
    let mosaic = t
        .store
        .add(None, RecordKind::System, json!({"name": "Mosaic"}), &ctx())
        .unwrap();
    let file = t.dir.path().join("linked.xlsx");
    let script = format!(
        "import openpyxl\nwb = openpyxl.Workbook()\nws = wb.active\nws.title = 'Contracts'\n\
         ws.append(['Contract title', 'Systems'])\n\
         ws.append(['Social care support', 'MOSAIC ; Liquidlogic'])\nwb.save({:?})\n",
        file.display().to_string()
    );
    let out = std::process::Command::new(python())
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan = import(&mut t, &file);
    assert_eq!(
        plan.counts.create, 2,
        "the contract and the system it names"
    );
    assert!(plan.warnings.is_empty(), "{:#?}", plan.warnings);
    let added = plan
        .rows
        .iter()
        .find(|r| r.kind == RecordKind::System)
        .unwrap();
    assert_eq!(added.label, "Liquidlogic");
    assert_eq!(added.row, 2);
    assert_eq!(
        added.reason.as_deref(),
        Some("a new system named in column B")
    );
    let contracts = records(&mut t, RecordKind::Contract);
    let mut linked: Vec<&str> = contracts[0]["system_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    linked.sort_unstable();
    let mut want = vec![mosaic.id.to_string(), added.record_id.unwrap().to_string()];
    want.sort_unstable();
    assert_eq!(linked, want);
    // Importing it again adds nothing.
    let again = import(&mut t, &file);
    assert_eq!(again.counts.create, 0, "{:#?}", again.rows);
}

/// An xlsx of contracts (title, reference, supplier) with inline strings, one sheet.
fn contracts_xlsx(path: &Path, rows: &[(String, String, String)]) {
    use std::io::Write;
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default();
    let files = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Contracts" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    for (name, text) in files {
        z.start_file(name, opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    let cell = |r: usize, c: char, t: &str| {
        format!(r#"<c r="{c}{r}" t="inlineStr"><is><t>{t}</t></is></c>"#)
    };
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    let header = [
        ("Contract title", 'A'),
        ("Reference", 'B'),
        ("Supplier", 'C'),
    ];
    xml.push_str(r#"<row r="1">"#);
    for (t, c) in header {
        xml.push_str(&cell(1, c, t));
    }
    xml.push_str("</row>");
    for (i, (title, reference, supplier)) in rows.iter().enumerate() {
        let r = i + 2;
        xml.push_str(&format!(r#"<row r="{r}">"#));
        xml.push_str(&cell(r, 'A', title));
        xml.push_str(&cell(r, 'B', reference));
        xml.push_str(&cell(r, 'C', supplier));
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    z.write_all(xml.as_bytes()).unwrap();
    z.finish().unwrap();
}

#[test]
fn a_long_import_logs_each_record_once_in_row_order_and_undo_steps_back_through_it() {
    // Records are written in batches: more rows than a batch, with new suppliers appearing
    // part-way (a contract's check must see the supplier its row created).
    let rows: Vec<(String, String, String)> = (0..260)
        .map(|i| {
            (
                format!("Contract {i}"),
                format!("C-{i:04}"),
                format!("Supplier {}", i % 17 + i / 100 * 100),
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long.xlsx");
    contracts_xlsx(&file, &rows);
    let mut t = TempStore::camden();
    let req = default_request(&mut t.store, &file);
    let before = bytes(&t.path());
    let preview = t
        .store
        .import_preview(None, &file, &req, &ctx(), &mut |_| {})
        .unwrap();
    assert_eq!(bytes(&t.path()), before, "a dry run writes nothing");
    let plan = t
        .store
        .import_commit(None, &file, &req, &ctx(), &mut |_| {})
        .unwrap();
    let shape = |p: &ImportPlan| -> Vec<_> {
        p.rows
            .iter()
            .map(|r| (r.row, r.kind, r.action, r.label.clone(), r.reason.clone()))
            .collect()
    };
    assert_eq!(
        shape(&plan),
        shape(&preview),
        "the dry run plans what is written"
    );
    assert_eq!(
        plan.counts.create,
        260 + 51,
        "260 contracts and the 51 suppliers they name"
    );
    let created: Vec<_> = plan
        .rows
        .iter()
        .filter(|r| r.action == RowAction::Create)
        .map(|r| r.record_id.unwrap())
        .collect();
    // New records' ids are time-ordered UUIDs (version 7), in the order they were created,
    // so the store's key index is appended to rather than written all over.
    assert!(created.iter().all(|id| id.get_version_num() == 7));
    assert!(
        created.windows(2).all(|w| w[0] < w[1]),
        "ids in creation order"
    );
    let contracts = records(&mut t, RecordKind::Contract);
    assert_eq!(contracts.len(), 260);
    for c in &contracts {
        assert!(supplier_name(&mut t, &c["supplier_id"]).starts_with("Supplier "));
    }
    // One `add` entry per record, oldest first in the plan's order.
    let mut history = t.store.history(None, 10_000).unwrap();
    history.reverse();
    let added: Vec<_> = history
        .iter()
        .filter(|h| h.action == "add")
        .map(|h| h.record_id.unwrap())
        .collect();
    assert_eq!(added, created);
    // Undo steps back through the import one record at a time, newest first.
    for id in created.iter().rev().take(3) {
        let undone = t.store.undo(None, &ctx()).unwrap();
        assert_eq!((undone.undone.as_str(), undone.id), ("add", *id));
    }
    assert_eq!(records(&mut t, RecordKind::Contract).len(), 257);
}
