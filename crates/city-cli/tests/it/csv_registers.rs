//! `city spreadsheet inspect / import` on CSV registers through the real binary: a Windows-1252
//! CSV with a title row is recognised, dry-run and imported; a CSV with a row in error is refused
//! with the xlsx error report.

use crate::util::*;

const REGISTER: &[u8] = b"ICT contracts register\r\n\
\r\n\
Reference;Contract title;Supplier name;End date;Annual value\r\n\
C-1;Revenues and benefits;Civica UK Ltd;31/03/2027;\xA312,500.00\r\n\
C-2;Parking permits;\"Taranto; Systems\";30/06/2026;\xA34k\r\n";

#[test]
fn a_windows_1252_csv_is_inspected_dry_run_and_imported() {
    let t = TestDir::camden();
    let file = t.dir.path().join("contracts.csv");
    std::fs::write(&file, REGISTER).unwrap();
    let file = file.to_str().unwrap();
    let info = t.run(&["spreadsheet", "inspect", file, "--json"]).json();
    assert_eq!(info["format"], "csv");
    assert_eq!(info["sheets"][0]["name"], "contracts");
    assert_eq!(info["sheets"][0]["kind"], "contract");
    assert_eq!(info["sheets"][0]["headerRow"], 3);
    let before = snapshot(&t.store());
    let dry = t
        .run(&["spreadsheet", "import", file, "--dry-run", "--json"])
        .json();
    assert_eq!(dry["counts"]["create"], 4, "2 contracts and 2 suppliers");
    assert_eq!(snapshot(&t.store()), before, "a dry run writes nothing");
    let out = t.run(&["spreadsheet", "import", file, "--quiet"]).ok();
    assert!(out.contains("Imported: 4 to add"), "{out}");
    let listed = t.run(&["contract", "list", "--json"]).json();
    let values: Vec<i64> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["data"]["annual_value"].as_i64().unwrap())
        .collect();
    assert_eq!(values.len(), 2);
    assert!(
        values.contains(&1_250_000) && values.contains(&400_000),
        "{values:?}"
    );
    let suppliers = t.run(&["supplier", "list", "--json"]).json().to_string();
    assert!(suppliers.contains("Taranto; Systems"), "{suppliers}");
}

#[test]
fn a_csv_with_a_bad_cell_is_refused_with_its_error_report() {
    let t = TestDir::camden();
    let file = t.dir.path().join("contracts.csv");
    std::fs::write(
        &file,
        "Contract title,Annual value\nParking,£4k\nParking,£5k\nHousing,about fifty grand\n",
    )
    .unwrap();
    let report = t.dir.path().join("problems.xlsx");
    let before = snapshot(&t.store());
    let run = t.run(&[
        "spreadsheet",
        "import",
        file.to_str().unwrap(),
        "--quiet",
        "--errors",
        report.to_str().unwrap(),
    ]);
    let err = run.fails(1);
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(
        run.stdout().contains("error contracts!3"),
        "{}",
        run.stdout()
    );
    // An optional cell that cannot be read is a warning: the row would still import.
    assert!(
        run.stdout().contains("warning contracts!B4"),
        "{}",
        run.stdout()
    );
    assert!(report.exists());
    assert_eq!(snapshot(&t.store()), before);
}
