//! `city export`: workbook, CSV and OCDS from the real binary, with `--json` outcomes, files a
//! second reader opens, redaction of sensitive answers, and one-line errors for bad requests.

use crate::util::TestDir;
use std::path::{Path, PathBuf};
use std::process::Command;

const VULN: &str = "VULN-PLANT-2719 unpatched VPN";

fn python() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    assert!(
        p.exists(),
        "{} is missing: run cargo xtask setup",
        p.display()
    );
    p
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../tests/python/{name}"))
}

fn filled() -> TestDir {
    let t = TestDir::camden();
    let supplier = t.add("supplier", &["name=Acme Ltd", "companies_house=01234567"]);
    let system = t.add(
        "system",
        &[
            "name=Mosaic",
            &format!("supplier_id={supplier}"),
            "service_area=esd:58",
            &format!("known_vulnerabilities={VULN}"),
            "patched_within_14_days=false",
        ],
    );
    t.add(
        "contract",
        &[
            "title=@Case management",
            &format!("supplier_id={supplier}"),
            &format!("system_ids=[\"{system}\"]"),
            "end_date=2028-03-31",
            "notice_period_days=90",
            "total_value=12500000",
        ],
    );
    t
}

#[test]
fn a_borough_exports_its_workbook_csv_and_ocds() {
    let t = filled();
    let dir = t.dir.path();

    let out = t
        .run(&["export", "workbook", "--out", "report.xlsx", "--json"])
        .json();
    assert_eq!(out["format"], "xlsx");
    assert_eq!(out["profile"], "committee");
    assert_eq!(out["cycle"], "2026-27");
    assert_eq!(out["sheets"][0]["name"], "Summary");
    let report = Command::new(python())
        .arg(script("inspect_xlsx.py"))
        .arg(dir.join("report.xlsx"))
        .arg(VULN)
        .output()
        .unwrap();
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(report["found"], serde_json::json!([]));
    assert!(report["sheet_names"].as_array().unwrap().len() >= 7);

    let out = t
        .run(&[
            "export",
            "csv",
            "--kind",
            "contract",
            "--out",
            "contracts.csv",
            "--json",
        ])
        .json();
    assert_eq!(out["profile"], "open");
    assert_eq!(out["files"][0]["rows"], 1);
    let csv = std::fs::read_to_string(dir.join("contracts.csv")).unwrap();
    assert!(csv.contains("\"'@Case management\""), "{csv}");

    let out = t.run(&["export", "csv", "--out", "all", "--json"]).json();
    assert_eq!(out["files"].as_array().unwrap().len(), 8);
    for f in out["files"].as_array().unwrap() {
        let text = std::fs::read_to_string(dir.join(f["path"].as_str().unwrap())).unwrap();
        assert!(!text.contains("VULN-PLANT"), "{f}");
    }
    assert!(dir.join("all/systems.csv").exists());
    assert!(dir.join("all/readiness.csv").exists());

    let text = t
        .run(&["export", "ocds", "--out", "contracts.json", "--quiet"])
        .ok();
    assert!(text.contains("Exported ocds for cycle 2026-27"), "{text}");
    assert!(text.contains("contracts.json (1 rows)"), "{text}");
    let valid = Command::new(python())
        .arg(script("validate_ocds.py"))
        .arg(dir.join("contracts.json"))
        .output()
        .unwrap();
    assert!(
        valid.status.success(),
        "{}",
        String::from_utf8_lossy(&valid.stdout)
    );
}

#[test]
fn bad_export_requests_fail_with_one_line() {
    let t = filled();
    let e = t
        .run(&[
            "export",
            "workbook",
            "--out",
            "r.xlsx",
            "--profile",
            "secret",
        ])
        .fails(2);
    assert!(e.contains("'secret' is not an export profile"), "{e}");
    let e = t
        .run(&["export", "workbook", "--out", "r.xlsx", "--profile", "full"])
        .fails(2);
    assert!(e.contains("central store"), "{e}");
    let e = t
        .run(&["export", "csv", "--kind", "invoice", "--out", "x.csv"])
        .fails(2);
    assert!(e.contains("'invoice' is not a record type"), "{e}");
    let e = t
        .run(&["--cycle", "2031-32", "export", "ocds", "--out", "x.json"])
        .fails(1);
    assert!(e.contains("2031-32"), "{e}");
    std::fs::create_dir_all(t.dir.path().join("taken.xlsx/inside")).unwrap();
    let e = t
        .run(&["export", "workbook", "--out", "taken.xlsx", "--quiet"])
        .fails(1);
    assert!(
        e.contains("could not write") && e.contains("taken.xlsx"),
        "{e}"
    );
    assert!(!t.dir.path().join("r.xlsx").exists());
    assert!(!t.dir.path().join("x.json").exists());
}
