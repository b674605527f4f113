//! The corpus of the world's registers (`fixtures/registers/`, made by
//! `tests/python/make_registers.py` with writers that are not ours): for each, what the
//! importer's default path — suggested columns and answers, nothing edited — makes of it: the
//! record type and header row it finds, the columns it maps, the share of rows it imports, and
//! that every row it leaves out is in the plan's errors at its sheet, row and cell with a reason.

use crate::support::*;
use city_core::api::{self, ImportPlan, Location, RecordKind, RowAction, SheetInfo, Store};
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
    }
    Outcome {
        sheet,
        plan,
        imported,
        left_out,
    }
}

/// The share of rows every register of the corpus imports by the default path, at least.
const FLOOR: f64 = 0.0;

fn check(name: &str, kind: RecordKind, header_row: u32, rows: usize, left_out: usize) -> Outcome {
    let mut t = TempStore::camden();
    let o = default_path(&mut t.store, &register(name));
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
    assert!(o.left_out.len() <= left_out, "{name}: {:?}", o.left_out);
    assert!(o.share() >= FLOOR, "{name}: {:.3}", o.share());
    o
}

#[test]
fn transparency_code_contracts_180_openpyxl() {
    let o = check("contracts_180.xlsx", RecordKind::Contract, 5, 180, 180);
    assert_eq!(o.field("How it was procured"), Some("procurement_route"));
    assert_eq!(
        o.field("Company Registration Number"),
        Some("supplier.companies_house")
    );
    assert_eq!(o.field("Review / Extension Date"), None);
    assert!(o.plan.rows.iter().any(|r| r.action == RowAction::Skip
        && r.reason.as_deref() == Some("a totals row, not a record")));
}

#[test]
fn transparency_code_contracts_420_libreoffice_xlsx() {
    let o = check("contracts_420.xlsx", RecordKind::Contract, 4, 420, 420);
    assert_eq!(
        o.field("End Date Including Extensions"),
        Some("latest_end_date")
    );
    assert_eq!(o.field("Estimated Annual Value"), Some("annual_value"));
}

#[test]
fn quarterly_contracts_libreoffice_ods() {
    let o = check("contracts_quarterly.ods", RecordKind::Contract, 3, 150, 150);
    assert_eq!(o.field("Expiry Date"), Some("end_date"));
}

#[test]
fn contracts_csv_windows_1252() {
    let o = check("contracts_1252.csv", RecordKind::Contract, 2, 200, 200);
    assert_eq!(o.field("Annual Value"), Some("annual_value"));
}

#[test]
fn contracts_csv_semicolons() {
    let o = check("contracts_semicolon.csv", RecordKind::Contract, 1, 100, 100);
    assert_eq!(o.field("Route to market"), Some("procurement_route"));
}

#[test]
fn application_register_260_openpyxl() {
    let o = check("applications_260.xlsx", RecordKind::System, 4, 260, 260);
    assert_eq!(o.field("Department"), Some("service_area"));
    assert_eq!(o.field("Criticality (H/M/L)"), Some("criticality"));
    assert_eq!(o.field("Supported?"), Some("support_status"));
    assert_eq!(o.field("Annual Cost"), Some("contract.annual_value"));
    assert_eq!(o.field("Contract End"), Some("contract.end_date"));
}

#[test]
fn application_register_csv_utf8_with_bom() {
    let o = check("applications_bom.csv", RecordKind::System, 1, 260, 260);
    assert_eq!(o.field("Application"), Some("name"));
}

#[test]
fn application_register_libreoffice_ods() {
    check("applications.ods", RecordKind::System, 3, 150, 150);
}

#[test]
fn application_register_libreoffice_xlsx_with_a_hidden_column() {
    check("applications_lo.xlsx", RecordKind::System, 4, 120, 120);
}

#[test]
fn software_renewals_xls() {
    let o = check("software_renewals.xls", RecordKind::System, 1, 80, 80);
    assert_eq!(o.field("Renewal Date"), Some("contract.end_date"));
}

#[test]
fn software_asset_list_tsv() {
    let o = check("asset_list.tsv", RecordKind::System, 1, 120, 120);
    assert_eq!(o.field("Vendor"), Some("supplier_id"));
}
