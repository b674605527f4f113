//! The corpus of the world's registers (`fixtures/registers/`, made by
//! `tests/python/make_registers.py` with writers that are not ours): for each, what the
//! importer's default path — suggested columns and answers, nothing edited — makes of it: the
//! record type and header row it finds, the columns it maps, the share of rows it imports (at
//! least 97%: only the rows the generator broke on purpose are left out), that every row left
//! out is in the plan's errors at its sheet, row and cell with a reason, and what a partial
//! commit then holds.

use crate::support::*;
use city_core::api::{self, ImportPlan, Location, RecordKind, RowAction, SheetInfo, Store};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn register(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/registers")
        .join(name)
}

/// What the default path made of a register.
struct Outcome {
    sheet: SheetInfo,
    plan: ImportPlan,
    /// Rows of the sheet's own record type: imported (created, updated or unchanged).
    imported: usize,
    /// Rows of the sheet's own record type left out because of their errors.
    left_out: Vec<u32>,
}

impl Outcome {
    fn share(&self) -> f64 {
        self.imported as f64 / (self.imported + self.left_out.len()) as f64
    }

    /// How many records of `kind` the plan creates with each value of `field`.
    fn created(&self, kind: RecordKind, field: &str) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for r in self
            .plan
            .rows
            .iter()
            .filter(|r| r.kind == kind && r.action == RowAction::Create)
        {
            let v = r
                .changes
                .iter()
                .find(|c| c.field == field)
                .and_then(|c| c.after.clone())
                .unwrap_or_default();
            *out.entry(v).or_default() += 1;
        }
        out
    }

    /// Warnings whose message contains `needle`.
    fn warned(&self, needle: &str) -> usize {
        self.plan
            .warnings
            .iter()
            .filter(|w| w.message.contains(needle))
            .count()
    }

    fn field(&self, header: &str) -> Option<&str> {
        self.sheet
            .columns
            .iter()
            .find(|c| c.header == header)
            .unwrap_or_else(|| panic!("no column {header}"))
            .field
            .as_deref()
    }
}

/// Inspects `file` and dry-runs its default import into an empty return.
fn default_path(store: &mut Store, file: &Path) -> Outcome {
    let info = store.inspect_spreadsheet(file).unwrap();
    let req = api::default_import_request(&info);
    assert_eq!(req.sheets.len(), 1, "one sheet is recognised: {info:#?}");
    let sheet = info
        .sheets
        .iter()
        .find(|s| s.name == req.sheets[0].sheet)
        .unwrap()
        .clone();
    let plan = store
        .import_preview(None, file, &req, &ctx(), &mut |_| {})
        .unwrap();
    let kind = sheet.kind.unwrap();
    let own = |a: RowAction| {
        plan.rows
            .iter()
            .filter(move |r| r.kind == kind && r.action == a)
    };
    let imported = own(RowAction::Create).count()
        + own(RowAction::Update).count()
        + own(RowAction::Unchanged).count();
    let left_out: Vec<u32> = own(RowAction::Error).map(|r| r.row).collect();
    // Every row left out is in the errors, at its sheet and row, with a cell and a reason.
    for r in plan.rows.iter().filter(|r| r.action == RowAction::Error) {
        assert!(r.reason.as_deref().is_some_and(|x| !x.is_empty()));
        assert!(!r.issues.is_empty(), "row {} has no issue", r.row);
        for i in &r.issues {
            match &i.location {
                Some(Location::File {
                    sheet: Some(s),
                    row: Some(n),
                    ..
                }) => {
                    assert_eq!(s, &sheet.name);
                    assert!(*n >= 1);
                }
                other => panic!("row {}: issue without a cell: {other:?}", r.row),
            }
        }
        assert!(
            r.issues.iter().any(|i| plan.errors.contains(i)),
            "row {} is not in the plan's errors",
            r.row
        );
        // A cell, unless the problem is the whole row (the same record twice).
        let whole_row = r.reason.as_deref().is_some_and(|x| x.contains("keep one"));
        assert!(
            whole_row
                || r.issues.iter().any(|i| matches!(
                    &i.location,
                    Some(Location::File {
                        column: Some(_),
                        ..
                    })
                )),
            "row {}: {:?}",
            r.row,
            r.issues
        );
    }
    Outcome {
        sheet,
        plan,
        imported,
        left_out,
    }
}

/// The share of rows every register of the corpus imports by the default path, at least.
const FLOOR: f64 = 0.97;

/// The default path for register `name`: `rows` data rows of `kind` under a header at
/// `header_row`, of which exactly the rows `left_out` (the generator's broken ones) are left
/// out; then a partial commit writes the others.
fn check(name: &str, kind: RecordKind, header_row: u32, rows: usize, left_out: &[u32]) -> Outcome {
    let mut t = TempStore::camden();
    let file = register(name);
    let o = default_path(&mut t.store, &file);
    assert_eq!(o.sheet.kind, Some(kind), "{name}");
    assert_eq!(o.sheet.header_row, Some(header_row), "{name}");
    eprintln!(
        "{name}: {} of {} rows imported ({:.1}%); first problems: {:#?}",
        o.imported,
        o.imported + o.left_out.len(),
        100.0 * o.share(),
        o.plan
            .errors
            .iter()
            .take(3)
            .map(|e| &e.message)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        o.imported + o.left_out.len(),
        rows,
        "{name}: every data row is planned"
    );
    assert_eq!(o.left_out, left_out, "{name}: {:#?}", o.plan.errors);
    assert!(o.share() >= FLOOR, "{name}: {:.3}", o.share());
    // The partial commit writes what the dry run said, and nothing of the rows left out.
    let info = t.store.inspect_spreadsheet(&file).unwrap();
    let mut req = api::default_import_request(&info);
    req.partial = true;
    let done = t
        .store
        .import_commit(None, &file, &req, &ctx(), &mut |_| {})
        .unwrap();
    assert!(done.committed, "{name}");
    assert_eq!(done.left_out as usize, left_out.len(), "{name}");
    assert_eq!(
        t.store.list(None, kind, false).unwrap().len(),
        o.imported,
        "{name}: one record per imported row"
    );
    o
}

#[test]
fn transparency_code_contracts_180_openpyxl() {
    let o = check(
        "contracts_180.xlsx",
        RecordKind::Contract,
        5,
        180,
        &[26, 58],
    );
    assert_eq!(o.field("How it was procured"), Some("procurement_route"));
    assert_eq!(
        o.field("Company Registration Number"),
        Some("supplier.companies_house")
    );
    assert_eq!(o.field("Review / Extension Date"), None);
    assert!(o.plan.rows.iter().any(|r| r.action == RowAction::Skip
        && r.reason.as_deref() == Some("a totals row, not a record")));
    // The register's own words for how it procured are answered, none as a wrong option.
    let routes = o.created(RecordKind::Contract, "procurement_route");
    for route in [
        "g_cloud",
        "dos",
        "ccs_framework",
        "other_framework",
        "open_tender",
        "direct_award",
        "below_threshold",
    ] {
        assert!(
            routes.get(route).is_some_and(|n| *n > 0),
            "{route}: {routes:?}"
        );
    }
    assert!(o.warned("read as not known") > 0, "N/A company numbers");
    // A supplier in capitals in some rows keeps its best-cased name.
    let suppliers = o.created(RecordKind::Supplier, "name");
    assert!(
        suppliers
            .keys()
            .all(|n| n != &n.to_uppercase() || n.len() < 6),
        "{suppliers:?}"
    );
}

#[test]
fn transparency_code_contracts_420_libreoffice_xlsx() {
    let o = check(
        "contracts_420.xlsx",
        RecordKind::Contract,
        4,
        420,
        &[19, 87, 298, 376],
    );
    assert_eq!(
        o.field("End Date Including Extensions"),
        Some("latest_end_date")
    );
    assert_eq!(o.field("Estimated Annual Value"), Some("annual_value"));
}

#[test]
fn quarterly_contracts_libreoffice_ods() {
    let o = check(
        "contracts_quarterly.ods",
        RecordKind::Contract,
        3,
        150,
        &[117, 133],
    );
    assert_eq!(o.field("Expiry Date"), Some("end_date"));
}

#[test]
fn contracts_csv_windows_1252() {
    let o = check(
        "contracts_1252.csv",
        RecordKind::Contract,
        2,
        200,
        &[126, 184],
    );
    assert_eq!(o.field("Annual Value"), Some("annual_value"));
    // The error report (an xlsx copy of the CSV) lists the rows left out at their cells.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("problems.xlsx");
    api::write_import_errors(&register("contracts_1252.csv"), &o.plan, &out).unwrap();
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    let run = std::process::Command::new(python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/python/check_xlsx.py"))
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let sheets = report["sheets"].as_array().unwrap();
    let problems = &sheets.iter().find(|s| s["name"] == "Problems").unwrap()["cells"];
    let errors: Vec<(i64, String)> = problems
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, v)| k.starts_with('A') && v["value"] == "Error")
        .map(|(k, _)| {
            let row = &k[1..];
            (
                problems[format!("C{row}")]["value"].as_i64().unwrap(),
                problems[format!("E{row}")]["value"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    let rows: std::collections::BTreeSet<i64> = errors.iter().map(|e| e.0).collect();
    assert_eq!(
        rows.into_iter().collect::<Vec<_>>(),
        [126, 184],
        "{errors:#?}"
    );
    let copy = &sheets
        .iter()
        .find(|s| s["name"] == "contracts_1252")
        .unwrap()["cells"];
    assert_eq!(
        copy["A184"]["fill"], "FFFFC7CE",
        "the repeated reference is filled red"
    );
    assert!(
        copy["A1"]["value"].as_str().unwrap().contains('£'),
        "decoded from Windows-1252"
    );
}

#[test]
fn contracts_csv_semicolons() {
    let o = check(
        "contracts_semicolon.csv",
        RecordKind::Contract,
        1,
        100,
        &[61, 84],
    );
    assert_eq!(o.field("Route to market"), Some("procurement_route"));
}

#[test]
fn application_register_260_openpyxl() {
    let o = check(
        "applications_260.xlsx",
        RecordKind::System,
        4,
        260,
        &[166, 170],
    );
    assert_eq!(o.field("Department"), Some("service_area"));
    assert_eq!(o.field("Criticality (H/M/L)"), Some("criticality"));
    assert_eq!(o.field("Supported?"), Some("support_status"));
    assert_eq!(o.field("Annual Cost"), Some("contract.annual_value"));
    assert_eq!(o.field("Contract End"), Some("contract.end_date"));
    let criticality = o.created(RecordKind::System, "criticality");
    for level in ["high", "medium", "low"] {
        assert!(
            criticality.get(level).is_some_and(|n| *n > 20),
            "{criticality:?}"
        );
    }
    let areas = o.created(RecordKind::System, "service_area");
    assert!(
        areas.get("").copied().unwrap_or(0) < 258 / 5,
        "most council words give a service area: {areas:?}"
    );
    assert!(
        o.warned("'all staff'") > 0,
        "'all staff' is no number of users"
    );
    // Rows with contract columns give their system's contract too.
    let contracts = o.created(RecordKind::Contract, "title").len();
    assert!(contracts > 150, "{contracts} contracts");
}

#[test]
fn application_register_csv_utf8_with_bom() {
    let o = check(
        "applications_bom.csv",
        RecordKind::System,
        1,
        260,
        &[52, 213],
    );
    assert_eq!(o.field("Application"), Some("name"));
}

#[test]
fn application_register_libreoffice_ods() {
    check("applications.ods", RecordKind::System, 3, 150, &[10]);
}

#[test]
fn application_register_libreoffice_xlsx_with_a_hidden_column() {
    check("applications_lo.xlsx", RecordKind::System, 4, 120, &[115]);
}

#[test]
fn software_renewals_xls() {
    let o = check("software_renewals.xls", RecordKind::System, 1, 80, &[]);
    assert_eq!(o.field("Renewal Date"), Some("contract.end_date"));
}

#[test]
fn software_asset_list_tsv() {
    let o = check("asset_list.tsv", RecordKind::System, 1, 120, &[]);
    assert_eq!(o.field("Vendor"), Some("supplier_id"));
}
