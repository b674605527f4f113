//! One row, several records, and columns that mean what they say: an application register's
//! row with contract columns gives its system and the system's contract (linked, same
//! supplier, found again on the next import); a contract end or renewal date is never a
//! system's end of support; *Department* suggests the service area; criticality and support
//! columns are mapped; a contract row naming a product links to its systems (or adds one); a
//! supplier written in several casings keeps its best-cased name.

use crate::support::*;
use city_core::api::{self, ImportPlan, RecordKind, RowAction};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn import(t: &mut TempStore, file: &Path) -> ImportPlan {
    let info = t.store.inspect_spreadsheet(file).unwrap();
    let req = api::default_import_request(&info);
    t.store
        .import_commit(None, file, &req, &ctx(), &mut |_| {})
        .unwrap()
}

fn list(t: &mut TempStore, kind: RecordKind) -> Vec<Value> {
    t.store
        .list(None, kind, false)
        .unwrap()
        .into_iter()
        .map(|r| {
            let mut v = serde_json::to_value(&r).unwrap()["data"].clone();
            v["_id"] = json!(r.id.to_string());
            v
        })
        .collect()
}

fn named<'a>(records: &'a [Value], field: &str, value: &str) -> &'a Value {
    records
        .iter()
        .find(|r| r[field] == value)
        .unwrap_or_else(|| panic!("no {field} = {value} in {records:#?}"))
}

const APPLICATIONS: &str = "\
Application,Supplier,Department,Criticality (H/M/L),Supported?,Annual Cost,Contract End,Total Contract Value,End of life\n\
Mosaic,Servelec Group Limited,Health and social care,High,Supported,\"£120,000\",31/03/2027,\"£600,000\",\n\
Payroll,MIDLAND HR,\"Government, citizens and rights\",Critical,Out of support,£45k,30/09/2026,,31/12/2025\n\
Library catalogue,Civica UK Ltd,Leisure and culture,Low,Supported,,,,\n";

#[test]
fn an_application_register_row_gives_its_system_and_its_contract() {
    let mut t = TempStore::camden();
    let file = write(t.dir.path(), "applications.csv", APPLICATIONS);
    let info = t.store.inspect_spreadsheet(&file).unwrap();
    let sheet = &info.sheets[0];
    assert_eq!(sheet.kind, Some(RecordKind::System));
    let fields: Vec<(&str, Option<&str>)> = sheet
        .columns
        .iter()
        .map(|c| (c.header.as_str(), c.field.as_deref()))
        .collect();
    assert_eq!(
        fields,
        [
            ("Application", Some("name")),
            ("Supplier", Some("supplier_id")),
            ("Department", Some("service_area")),
            ("Criticality (H/M/L)", Some("criticality")),
            ("Supported?", Some("support_status")),
            ("Annual Cost", Some("contract.annual_value")),
            ("Contract End", Some("contract.end_date")),
            ("Total Contract Value", Some("contract.total_value")),
            ("End of life", Some("end_of_support")),
        ]
    );
    let plan = import(&mut t, &file);
    assert!(plan.committed, "{:#?}", plan.errors);
    let systems = list(&mut t, RecordKind::System);
    let contracts = list(&mut t, RecordKind::Contract);
    let suppliers = list(&mut t, RecordKind::Supplier);
    assert_eq!(systems.len(), 3);
    assert_eq!(
        contracts.len(),
        2,
        "the library row has no contract columns"
    );
    let mosaic = named(&systems, "name", "Mosaic");
    assert_eq!(mosaic["service_area"], "esd:58");
    assert_eq!(mosaic["criticality"], "high");
    assert_eq!(mosaic["support_status"], "supported");
    assert_eq!(
        mosaic["end_of_support"],
        Value::Null,
        "a contract end is not an end of support"
    );
    let contract = named(&contracts, "title", "Mosaic contract");
    assert_eq!(contract["system_ids"], json!([mosaic["_id"]]));
    assert_eq!(contract["supplier_id"], mosaic["supplier_id"]);
    assert_eq!(contract["end_date"], "2027-03-31");
    assert_eq!(contract["annual_value"], 12_000_000);
    assert_eq!(contract["total_value"], 60_000_000);
    let servelec = named(&suppliers, "name", "Servelec Group Limited");
    assert_eq!(contract["supplier_id"], servelec["_id"]);
    let payroll = named(&systems, "name", "Payroll");
    assert_eq!(payroll["end_of_support"], "2025-12-31");
    let payroll_contract = named(&contracts, "title", "Payroll contract");
    assert_eq!(payroll_contract["end_date"], "2026-09-30");
    assert_eq!(payroll_contract["annual_value"], 4_500_000);
    let row = plan
        .rows
        .iter()
        .find(|r| r.kind == RecordKind::Contract && r.label == "Mosaic contract")
        .unwrap();
    assert_eq!(row.row, 2, "the contract comes from the system's row");
    assert_eq!(
        row.reason.as_deref(),
        Some("the contract of the system on this row (column F, G, H)")
    );

    // Next year's file: the same rows, one contract end moved on. Nothing is added twice.
    let next = APPLICATIONS.replace("31/03/2027", "31/03/2029");
    let file = write(t.dir.path(), "applications-2027.csv", &next);
    let plan = import(&mut t, &file);
    assert_eq!(plan.counts.create, 0, "{:#?}", plan.rows);
    let updated: Vec<(&str, RowAction)> = plan
        .rows
        .iter()
        .filter(|r| r.action == RowAction::Update)
        .map(|r| (r.label.as_str(), r.action))
        .collect();
    assert_eq!(updated, [("Mosaic contract", RowAction::Update)]);
    let contracts = list(&mut t, RecordKind::Contract);
    assert_eq!(contracts.len(), 2);
    assert_eq!(
        named(&contracts, "title", "Mosaic contract")["end_date"],
        "2029-03-31"
    );
}

#[test]
fn renewal_dates_and_contract_ends_are_never_a_systems_end_of_support() {
    // Without header words: dates under a contract-sounding header go to the contract; dates
    // under an unrelated header are left for the user.
    let mut t = TempStore::camden();
    let file = write(
        t.dir.path(),
        "systems.csv",
        "System name,Renewal Date,Licence expires,Go-live\n\
         Northgate,01/04/2027,01/04/2027,01/04/2019\n\
         Uniform,01/05/2026,01/05/2026,01/05/2018\n",
    );
    let info = t.store.inspect_spreadsheet(&file).unwrap();
    let fields: Vec<Option<&str>> = info.sheets[0]
        .columns
        .iter()
        .map(|c| c.field.as_deref())
        .collect();
    assert_eq!(
        fields,
        [Some("name"), Some("contract.end_date"), None, None],
        "{:#?}",
        info.sheets[0].columns
    );
    assert!(!fields.contains(&Some("end_of_support")));
}

#[test]
fn a_contract_row_naming_a_product_links_to_its_systems_or_adds_one() {
    let mut t = TempStore::camden();
    let file = write(
        t.dir.path(),
        "systems.csv",
        "System,Product,Supplier\nAdults case records,Mosaic,Servelec\nChildren's case records,Mosaic,Servelec\n",
    );
    import(&mut t, &file);
    let products = list(&mut t, RecordKind::Product);
    assert_eq!(products.len(), 1, "the product named is added once");
    let file = write(
        t.dir.path(),
        "contracts.csv",
        "Contract title,Product,Supplier\nCase management support,Mosaic,Servelec\nRoad works permits,Street Manager,DfT\n",
    );
    let plan = import(&mut t, &file);
    assert!(plan.warnings.is_empty(), "{:#?}", plan.warnings);
    let systems = list(&mut t, RecordKind::System);
    let contracts = list(&mut t, RecordKind::Contract);
    let case = named(&contracts, "title", "Case management support");
    let mut linked: Vec<&str> = case["system_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    linked.sort_unstable();
    let mut want: Vec<&str> = ["Adults case records", "Children's case records"]
        .iter()
        .map(|n| named(&systems, "name", n)["_id"].as_str().unwrap())
        .collect();
    want.sort_unstable();
    assert_eq!(linked, want);
    // A product no system uses: the product and a system of that name are added and linked.
    let permits = named(&contracts, "title", "Road works permits");
    let street = named(&systems, "name", "Street Manager");
    assert_eq!(permits["system_ids"], json!([street["_id"]]));
    let products = list(&mut t, RecordKind::Product);
    assert_eq!(
        street["product_id"],
        named(&products, "name", "Street Manager")["_id"]
    );
    assert_eq!(street["supplier_id"], permits["supplier_id"]);
}

#[test]
fn a_supplier_in_several_casings_keeps_its_best_cased_name() {
    let mut t = TempStore::camden();
    let file = write(
        t.dir.path(),
        "contracts.csv",
        "Reference,Contract title,Supplier name\n\
         C1,Digital services,AGILISYS LIMITED\n\
         C2,Web hosting,Agilisys Limited\n\
         C3,Telephony,AGILISYS LIMITED\n\
         C4,Print,XEROX UK LTD\n",
    );
    let plan = import(&mut t, &file);
    assert!(plan.committed);
    let suppliers = list(&mut t, RecordKind::Supplier);
    let names: Vec<&str> = suppliers
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"Agilisys Limited"), "{names:?}");
    assert!(
        names.contains(&"XEROX UK LTD"),
        "one spelling only is kept as written: {names:?}"
    );
    let contracts = list(&mut t, RecordKind::Contract);
    let ids: std::collections::BTreeSet<&str> = contracts
        .iter()
        .filter(|c| c["title"] != "Print")
        .map(|c| c["supplier_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 1, "the three rows name one supplier");
}
