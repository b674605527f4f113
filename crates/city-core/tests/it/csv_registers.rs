//! CSV and TSV registers through the api: recognised by content (whatever they are called),
//! UTF-8 with or without a byte-order mark and Windows-1252, the delimiter sniffed, quoted
//! fields with line breaks; the same suggested mapping, dry run, commit and xlsx error report as
//! a workbook.

use crate::support::*;
use city_core::api::{self, ImportPlan, Location, RecordKind, RowAction};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A contracts register as a council's finance system exports it: a title row, the header,
/// money with `£` and thousands commas, UK dates, a note with a line break, a supplier whose
/// name holds the delimiter.
const REGISTER: &str = "London Borough of Camden: ICT contracts (published quarterly)\r\n\
\r\n\
Reference,Contract title,Supplier name,Start date,End date,Total contract value,Notes\r\n\
C-001,Revenues and benefits system,\"Civica UK Ltd\",01/04/2024,31/03/2027,\"£1,234,500.00\",\"Renewal under review;\r\nsee cabinet paper\"\r\n\
C-002,Café booking service,\"Smith, Jones & Co\",2025-06-01,31-May-2028,£45k,\r\n\
C-003,Social care case management,Liquidlogic,01/10/2023,30/09/2030,\"£2.4m\",\r\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// `text` in Windows-1252 (every character of the tests' registers has a byte there).
fn windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '£' => 0xA3,
            'é' => 0xE9,
            c if (c as u32) < 0x80 => c as u8,
            c => panic!("{c} is not in the test's Windows-1252 table"),
        })
        .collect()
}

fn import(t: &mut TempStore, file: &Path) -> ImportPlan {
    let info = t.store.inspect_spreadsheet(file).unwrap();
    let req = api::default_import_request(&info);
    t.store
        .import_commit(None, file, &req, &ctx(), &mut |_| {})
        .unwrap()
}

fn contracts(t: &mut TempStore) -> Vec<Value> {
    t.store
        .list(None, RecordKind::Contract, false)
        .unwrap()
        .into_iter()
        .map(|r| serde_json::to_value(&r).unwrap()["data"].clone())
        .collect()
}

fn by<'a>(list: &'a [Value], title: &str) -> &'a Value {
    list.iter()
        .find(|r| r["title"] == title)
        .unwrap_or_else(|| panic!("no contract {title} in {list:#?}"))
}

#[test]
fn a_csv_register_in_each_encoding_and_delimiter_imports_the_same() {
    let semicolons = requote(REGISTER, ';');
    let tabs = requote(REGISTER, '\t');
    let files: Vec<(&str, Vec<u8>, &str)> = vec![
        ("register.csv", REGISTER.as_bytes().to_vec(), "csv"),
        (
            "bom.csv",
            [b"\xEF\xBB\xBF".as_slice(), REGISTER.as_bytes()].concat(),
            "csv",
        ),
        ("excel-1252.csv", windows_1252(REGISTER), "csv"),
        ("semicolons.csv", semicolons.into_bytes(), "csv"),
        ("register.tsv", tabs.as_bytes().to_vec(), "tsv"),
        // Recognised by content: a CSV saved with a spreadsheet's name.
        ("renamed.xlsx", REGISTER.as_bytes().to_vec(), "csv"),
    ];
    for (name, bytes, format) in files {
        let mut t = TempStore::camden();
        let file = write(t.dir.path(), name, &bytes);
        let info = t.store.inspect_spreadsheet(&file).unwrap();
        assert_eq!(info.format, format, "{name}");
        assert_eq!(info.sheets.len(), 1);
        let sheet = &info.sheets[0];
        assert_eq!(sheet.name, name.rsplit_once('.').unwrap().0);
        assert_eq!(sheet.header_row, Some(3), "{name}: below the title");
        assert_eq!(sheet.kind, Some(RecordKind::Contract), "{name}");
        let fields: Vec<Option<&str>> = sheet.columns.iter().map(|c| c.field.as_deref()).collect();
        assert_eq!(
            fields,
            [
                Some("reference"),
                Some("title"),
                Some("supplier_id"),
                Some("start_date"),
                Some("end_date"),
                Some("total_value"),
                Some("notes")
            ],
            "{name}"
        );
        let plan = import(&mut t, &file);
        assert!(plan.committed, "{name}: {:?}", plan.errors);
        assert_eq!(
            plan.counts.create,
            3 + 3,
            "{name}: 3 contracts, 3 suppliers"
        );
        let list = contracts(&mut t);
        let rb = by(&list, "Revenues and benefits system");
        assert_eq!(rb["total_value"], 123_450_000, "{name}");
        assert_eq!(rb["start_date"], "2024-04-01");
        assert_eq!(rb["notes"], "Renewal under review;\nsee cabinet paper");
        let cafe = by(&list, "Café booking service");
        assert_eq!(cafe["total_value"], 4_500_000, "{name}");
        assert_eq!(cafe["end_date"], "2028-05-31");
        assert_eq!(
            by(&list, "Social care case management")["total_value"],
            240_000_000
        );
        let suppliers: Vec<String> = t
            .store
            .list(None, RecordKind::Supplier, false)
            .unwrap()
            .into_iter()
            .map(|r| r.label)
            .collect();
        assert!(
            suppliers.contains(&"Smith, Jones & Co".to_string()),
            "{suppliers:?}"
        );
    }
}

/// The register with its unquoted commas made `delimiter` (quoted fields kept, quotes kept).
fn requote(text: &str, delimiter: char) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                out.push(c);
            }
            ',' if !quoted => out.push(delimiter),
            c => out.push(c),
        }
    }
    out
}

#[test]
fn a_csv_with_a_bad_row_gets_the_xlsx_error_report_at_its_cell() {
    let mut t = TempStore::camden();
    let text = "Contract title,Supplier,Annual value\n\
                Parking permits,Taranto,£12000\n\
                \n\
                Housing repairs,Mears,about fifty grand\n\
                Parking permits,Taranto,£13000\n";
    let file = write(t.dir.path(), "problems.csv", &windows_1252(text));
    let info = t.store.inspect_spreadsheet(&file).unwrap();
    let req = api::default_import_request(&info);
    let plan = t
        .store
        .import_preview(None, &file, &req, &ctx(), &mut |_| {})
        .unwrap();
    assert!(!plan.can_commit);
    let bad = plan
        .rows
        .iter()
        .find(|r| r.action == RowAction::Error)
        .unwrap();
    assert_eq!(bad.row, 5, "the blank line still counts as a row");
    // An optional cell that cannot be read is a warning at its cell.
    let w = plan
        .warnings
        .iter()
        .find(|w| w.message.contains("about fifty grand"))
        .unwrap();
    assert_eq!(
        w.location,
        Some(Location::File {
            file: file.display().to_string(),
            sheet: Some("problems".into()),
            row: Some(4),
            column: Some("C".into()),
        })
    );
    let e = t
        .store
        .import_commit(None, &file, &req, &ctx(), &mut |_| {})
        .unwrap_err();
    assert!(
        e.message.starts_with("nothing was imported"),
        "{}",
        e.message
    );
    let out = t.dir.path().join("problems.xlsx");
    api::write_import_errors(&file, &plan, &out).unwrap();
    let report = run_check_xlsx(&out);
    let sheet = report["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "problems")
        .unwrap();
    let cell = &sheet["cells"]["C4"];
    assert_eq!(cell["value"], "about fifty grand");
    assert_eq!(cell["fill"], "FFFFEB9C", "warnings are filled amber");
    assert_eq!(
        sheet["cells"]["A5"]["fill"], "FFFFC7CE",
        "a row's error marks its first cell red"
    );
    assert_eq!(
        sheet["cells"]["C2"]["value"], "£12000",
        "decoded from Windows-1252"
    );
}

fn run_check_xlsx(path: &Path) -> Value {
    let python = workspace().join(".venv/bin/python");
    assert!(python.exists(), "run cargo xtask setup (the Python venv)");
    let out = std::process::Command::new(python)
        .arg(workspace().join("tests/python/check_xlsx.py"))
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn an_application_register_saved_as_tsv_with_quoted_line_breaks() {
    let mut t = TempStore::camden();
    let text = "System name\tDescription\tNumber of users\n\
                Payroll\t\"Pays staff;\nruns monthly\"\t120\n\
                Mosaic\tAdults' and children's case records\t1,450\n";
    let file = write(t.dir.path(), "applications.txt", text.as_bytes());
    let plan = import(&mut t, &file);
    assert_eq!(plan.counts.create, 2, "{plan:#?}");
    let systems = t.store.list(None, RecordKind::System, false).unwrap();
    let mosaic = systems.iter().find(|s| s.label == "Mosaic").unwrap();
    assert_eq!(serde_json::to_value(mosaic).unwrap()["data"]["users"], 1450);
}

#[test]
fn text_that_is_not_a_register_and_oversized_text_are_refused_clearly() {
    let t = TempStore::camden();
    let words = write(t.dir.path(), "letter.doc", b"Dear colleague\nPlease find\n");
    let e = api::inspect_spreadsheet(&words).unwrap_err();
    assert!(
        e.message
            .contains("is not a spreadsheet (xlsx, xls, ods, csv or tsv)"),
        "{}",
        e.message
    );
    let mut wide = String::new();
    for _ in 0..3 {
        wide.push_str(&vec!["x"; 1001].join(","));
        wide.push('\n');
    }
    let wide = write(t.dir.path(), "wide.csv", wide.as_bytes());
    let e = api::inspect_spreadsheet(&wide).unwrap_err();
    assert!(
        e.message.contains("more than 1000 columns"),
        "{}",
        e.message
    );
    assert!(matches!(
        e.location,
        Some(Location::File { sheet: Some(ref s), .. }) if s == "wide"
    ));
}

#[test]
fn a_file_changed_between_steps_is_read_again() {
    // The steps of an import parse an unchanged file once; a file rewritten in between (even
    // with the same length, within the file system's clock tick) is read afresh.
    let t = TempStore::camden();
    let file = write(
        t.dir.path(),
        "systems.csv",
        b"System name,Users\nAAAA,1\nBBBB,2\n",
    );
    let first = api::inspect_spreadsheet(&file).unwrap();
    assert_eq!(first.sheets[0].columns[0].samples, ["AAAA", "BBBB"]);
    std::fs::write(&file, b"System name,Users\nCCCC,1\nDDDD,2\n").unwrap();
    let second = api::inspect_spreadsheet(&file).unwrap();
    assert_eq!(second.sheets[0].columns[0].samples, ["CCCC", "DDDD"]);
    // The same bytes under another name are another file (a CSV's sheet is named after it).
    let copy = write(
        t.dir.path(),
        "apps.csv",
        b"System name,Users\nCCCC,1\nDDDD,2\n",
    );
    assert_eq!(
        api::inspect_spreadsheet(&copy).unwrap().sheets[0].name,
        "apps"
    );
}
