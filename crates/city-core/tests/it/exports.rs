//! Exports: the committee workbook, CSV and OCDS from borough and central stores, checked by
//! second readers (openpyxl for xlsx, jsonschema for OCDS, the csv crate for CSV); redaction
//! profiles proved by planting distinctive sensitive strings and finding none in open output.

use crate::bundles;
use crate::support::ctx;
use city_core::api::{self, ErrorKind, ExportProfile, RecordKind, Store};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Distinctive sensitive answers that must never reach an open export.
const VULN: &str = "VULN-PLANT-8842 Log4Shell on the gateway";
const NOTE: &str = "NOTE-PLANT-5531 call the DPO";
/// Sensitive dates, as they would be written in CSV or JSON.
const ITHC: &str = "2024-01-13";
const RESTORE: &str = "2023-02-17";
/// A user's text that a spreadsheet would run as a formula.
const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"Acme\")";

fn python() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    assert!(
        p.exists(),
        "{} is missing: run cargo xtask setup (it creates the Python venv with openpyxl and jsonschema)",
        p.display()
    );
    p
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../tests/python/{name}"))
}

/// openpyxl's view of a workbook, and which `needles` occur anywhere in its parts.
fn inspect(xlsx: &Path, needles: &[&str]) -> Value {
    let out = Command::new(python())
        .arg(script("inspect_xlsx.py"))
        .arg(xlsx)
        .args(needles)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openpyxl could not read {}: {}",
        xlsx.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Fills a borough store with suppliers, products, systems, contracts and readiness answers,
/// planting sensitive strings and formula-like text.
fn fill(s: &mut Store, tag: &str) {
    let add = |s: &mut Store, kind: RecordKind, v: Value| s.add(None, kind, v, &ctx()).unwrap().id;
    let acme = add(
        s,
        RecordKind::Supplier,
        json!({"name": FORMULA, "companies_house": "1234567", "ppon": "PMZV-7732-XXTT",
               "notes": NOTE}),
    );
    let civica = add(
        s,
        RecordKind::Supplier,
        json!({"name": format!("Civica {tag}")}),
    );
    let product = add(
        s,
        RecordKind::Product,
        json!({"name": "Mosaic", "supplier_id": acme}),
    );
    let sys = add(
        s,
        RecordKind::System,
        json!({
            "name": format!("Social care {tag}"), "product_id": product, "supplier_id": acme,
            "service_area": "esd:58", "criticality": "critical",
            "support_status": "out_of_support", "end_of_support": "2025-03-31",
            "internet_facing": true, "mfa": "none", "patched_within_14_days": false,
            "backups": "online_only", "last_restore_test": RESTORE,
            "known_vulnerabilities": VULN, "caf": {"B4.d": "not_achieved", "B2.a": "achieved"},
            "notes": NOTE,
        }),
    );
    add(
        s,
        RecordKind::System,
        json!({"name": "-1+2 payroll", "service_area": "esd:42", "mfa": "all_users",
               "patched_within_14_days": true}),
    );
    add(
        s,
        RecordKind::Contract,
        json!({
            "title": format!("Case management {tag}"), "reference": "@REF-1",
            "supplier_id": acme, "system_ids": [sys],
            "start_date": "2022-04-01", "end_date": "2027-03-31",
            "latest_end_date": "2029-03-31", "notice_period_days": 90,
            "annual_value": 12_500_000, "total_value": 62_500_005,
            "procurement_route": "g_cloud", "notes": NOTE,
        }),
    );
    add(
        s,
        RecordKind::Contract,
        json!({"title": "Payroll", "supplier_id": civica, "rolling": true}),
    );
    add(
        s,
        RecordKind::Skill,
        json!({"area": "cyber_security", "level": "working", "can_offer_support": true}),
    );
    add(
        s,
        RecordKind::Cyber,
        json!({"cyber_essentials": "ce_plus", "cyber_essentials_expiry": "2027-01-31",
               "psn": "valid", "last_it_health_check": ITHC,
               "caf": {"A1.a": "partially_achieved", "D1.a": "not_achieved"}, "notes": NOTE}),
    );
    add(
        s,
        RecordKind::Gdpr,
        json!({"dpo_appointed": true,
               "ratings": {"leadership_oversight": "implemented", "breach_response": "partial",
                           "training_awareness": "not_implemented"}}),
    );
}

fn camden(dir: &Path) -> Store {
    let mut s = bundles::borough(dir, "E09000007", "camden");
    fill(&mut s, "CAMDEN");
    s
}

/// LOTI's central store holding Camden's and Barnet's returns.
pub(crate) fn central(dir: &Path) -> PathBuf {
    let mut c = bundles::borough(dir, "E09000007", "camden");
    fill(&mut c, "CAMDEN");
    let mut b = bundles::borough(dir, "E09000003", "barnet");
    fill(&mut b, "BARNET");
    let files = vec![
        bundles::export(&mut c, dir, "camden"),
        bundles::export(&mut b, dir, "barnet"),
    ];
    let path = bundles::central(dir, &[("camden", "E09000007"), ("barnet", "E09000003")]);
    bundles::import(&path, &files);
    path
}

fn sensitive_labels() -> Vec<String> {
    api::questionnaire()
        .records
        .into_iter()
        .flat_map(|r| r.fields)
        .filter(|f| f.sensitive)
        .map(|f| f.label)
        .collect()
}

fn sheet<'a>(report: &'a Value, name: &str) -> &'a Value {
    &report["sheets"][name]
}

fn headers(sheet: &Value) -> Vec<String> {
    sheet["cells"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["v"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn column(sheet: &Value, header: &str) -> Vec<Value> {
    let i = headers(sheet)
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header}"));
    sheet["cells"].as_array().unwrap()[1..]
        .iter()
        .map(|r| r[i].clone())
        .collect()
}

#[test]
fn open_exports_hold_no_sensitive_field_or_value() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = camden(dir.path());
    let xlsx = dir.path().join("open.xlsx");
    let csv_dir = dir.path().join("csv");
    let ocds = dir.path().join("contracts.json");
    s.export_workbook(None, ExportProfile::Open, &xlsx, &ctx(), &mut |_| {})
        .unwrap();
    let csv = s
        .export_csv(
            None,
            None,
            ExportProfile::Open,
            &csv_dir,
            &ctx(),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(csv.files.len(), RecordKind::ALL.len() + 1);
    s.export_ocds(None, &ocds, &ctx(), &mut |_| {}).unwrap();

    let planted = [VULN, NOTE, ITHC, RESTORE, "VULN-PLANT", "NOTE-PLANT"];
    let mut texts = vec![std::fs::read_to_string(&ocds).unwrap()];
    for f in &csv.files {
        texts.push(std::fs::read_to_string(&f.path).unwrap());
    }
    for text in &texts {
        for p in planted {
            assert!(!text.contains(p), "open export contains {p}");
        }
        for label in sensitive_labels() {
            assert!(
                !text.contains(&format!("\"{label}\"")),
                "open CSV has a {label} column"
            );
        }
    }
    // A positive control: the same files do carry the ordinary answers.
    assert!(texts.iter().any(|t| t.contains("Social care CAMDEN")));
    assert!(texts[0].contains("Case management CAMDEN"));

    let report = inspect(&xlsx, &planted);
    assert_eq!(report["found"], json!([]), "open workbook leaks");
    let systems = sheet(&report, "Systems");
    for label in sensitive_labels() {
        assert!(!headers(systems).contains(&label), "{label}");
    }
    assert!(!headers(systems).iter().any(|h| h.starts_with("CAF ")));
    let readiness = sheet(&report, "Readiness");
    assert!(!headers(readiness).contains(&"Systems not patched within 14 days".to_string()));
    assert!(!headers(readiness).iter().any(|h| h.starts_with("CAF ")));
    // ICO ratings are not sensitive: their heatmap is there in every profile.
    assert!(headers(readiness).contains(&"ICO: Leadership and oversight".to_string()));
}

#[test]
fn committee_sees_sensitive_answers_only_as_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = camden(dir.path());
    let xlsx = dir.path().join("committee.xlsx");
    s.export_workbook(None, ExportProfile::Committee, &xlsx, &ctx(), &mut |_| {})
        .unwrap();
    let report = inspect(&xlsx, &[VULN, "VULN-PLANT", NOTE]);
    // Notes are not sensitive and committee keeps them; the vulnerability text never appears.
    assert_eq!(report["found"], json!([NOTE]));
    let systems = sheet(&report, "Systems");
    for label in sensitive_labels() {
        assert!(!headers(systems).contains(&label), "{label}");
    }
    let readiness = sheet(&report, "Readiness");
    let count = |h: &str| column(readiness, h)[0]["v"].as_str().unwrap().to_string();
    assert_eq!(count("Systems with known vulnerabilities"), "1");
    assert_eq!(count("Systems not patched within 14 days"), "1");
    assert_eq!(count("Systems without MFA for all users"), "1");
    assert_eq!(count("Internet-facing systems"), "1");
    assert_eq!(count("CAF outcomes not achieved"), "2");
    assert_eq!(count("CAF outcomes achieved"), "1");
    assert_eq!(count("CAF outcomes partially achieved"), "1");
    assert_eq!(count("IT health check in the last 12 months"), "No");
    assert_eq!(count("Systems out of support"), "1");
    assert!(!headers(readiness).iter().any(|h| h.starts_with("CAF A")));
}

#[test]
fn the_full_profile_is_for_the_central_store_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = camden(dir.path());
    let out = dir.path().join("full.xlsx");
    let e = s
        .export_workbook(None, ExportProfile::Full, &out, &ctx(), &mut |_| {})
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Usage);
    assert!(e.message.contains("central store"), "{}", e.message);
    assert!(!out.exists());
    assert_eq!(
        api::parse_export_profile("secret").unwrap_err().kind,
        ErrorKind::Usage
    );
}

#[test]
fn the_central_workbook_covers_every_organisation_with_tables_formats_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    let path = central(dir.path());
    let mut c = Store::open(&path).unwrap();
    let xlsx = dir.path().join("london.xlsx");
    let mut stages = Vec::new();
    let outcome = c
        .export_workbook(
            Some("2026-27"),
            ExportProfile::Full,
            &xlsx,
            &ctx(),
            &mut |p| stages.push(p.clone()),
        )
        .unwrap();
    assert_eq!(outcome.organisations, 2);
    assert!(stages.len() >= 8, "{stages:?}");
    assert!(stages.iter().all(|p| p.done <= p.total));
    let names: Vec<&str> = outcome.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Summary",
            "Returns status",
            "Systems",
            "Contracts",
            "Suppliers",
            "Products",
            "Readiness",
            "Skills",
            "Joint procurement windows",
            "Decision dates",
            "Supplier concentration",
            "Supplier shares",
            "CAF heatmap",
            "ICO heatmap",
            "Certificates",
            "Systems out of support",
            "Skills pairs",
            "Data dictionary"
        ]
    );

    let report = inspect(&xlsx, &[VULN]);
    // Full keeps the sensitive answers.
    assert_eq!(report["found"], json!([VULN]));
    assert_eq!(report["sheet_names"], json!(names));
    let parts: Vec<&str> = report["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(
        parts
            .iter()
            .filter(|p| p.starts_with("xl/charts/chart"))
            .count(),
        2,
        "{parts:?}"
    );

    // Returns status: the tracker's 33 London rows, two received.
    let status = sheet(&report, "Returns status");
    assert_eq!(status["max_row"], 34);
    let received = column(status, "Received");
    assert_eq!(received.iter().filter(|c| c["v"] == "Yes").count(), 2);

    for name in &names[1..] {
        let s = sheet(&report, name);
        assert_eq!(s["freeze"], "A2", "{name}");
        assert_eq!(s["tables"].as_array().unwrap().len(), 1, "{name}");
        assert!(s["widths"].as_object().unwrap().len() >= 2, "{name}");
    }
    let systems = sheet(&report, "Systems");
    let orgs = column(systems, "Organisation");
    assert_eq!(orgs.len(), 6);
    assert!(orgs.iter().any(|o| o["v"] == "Barnet"));
    assert!(orgs.iter().any(|o| o["v"] == "Camden"));
    assert!(headers(systems).contains(&"Known unfixed vulnerabilities".to_string()));
    let eos = column(systems, "End of support");
    let dated = eos.iter().find(|c| c["v"].is_string()).unwrap();
    assert_eq!(dated["t"], "d");
    assert!(dated["date"].as_bool().unwrap());
    assert_eq!(dated["fmt"], "d mmm yyyy");

    let contracts = sheet(&report, "Contracts");
    let value = column(contracts, "Total value (£)");
    let v = value.iter().find(|c| c["v"].is_string()).unwrap();
    assert_eq!(v["v"], "625000.05");
    assert_eq!(v["t"], "n");
    assert!(v["fmt"].as_str().unwrap().contains("£"), "{v}");
    // Decision date: 2027-03-31 − 90 days − 9 months.
    let decisions = column(contracts, "Decision date");
    assert!(decisions.iter().any(|c| c["v"] == "2026-03-31 00:00:00"));
    let dictionary = sheet(&report, "Data dictionary");
    let meaning = column(dictionary, "What it means");
    let cols = column(dictionary, "Column");
    let i = cols.iter().position(|c| c["v"] == "Decision date").unwrap();
    assert!(meaning[i]["v"].as_str().unwrap().contains("notice period"));
    let urgency: Vec<&Value> = contracts["conditional_formats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "expression")
        .collect();
    assert!(urgency.len() >= 4, "{urgency:?}");
    assert!(
        urgency
            .iter()
            .all(|r| r["formula"][0].as_str().unwrap().contains("TODAY()"))
    );

    // Readiness: a RAG heatmap for CAF (full only) and ICO ratings.
    let readiness = sheet(&report, "Readiness");
    assert!(headers(readiness).contains(&"CAF A1.a Board direction".to_string()));
    let rules = readiness["conditional_formats"].as_array().unwrap();
    let texts: Vec<&str> = rules
        .iter()
        .filter(|r| r["type"] == "beginsWith")
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    for t in [
        "Achieved",
        "Partially",
        "Not achieved",
        "Successfully",
        "Not yet",
    ] {
        assert!(texts.contains(&t), "no heatmap rule for {t}: {texts:?}");
    }
    let board = column(readiness, "CAF A1.a Board direction");
    assert!(board.iter().any(|c| c["v"] == "Partially achieved"));
}

#[test]
fn user_text_that_looks_like_a_formula_stays_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = camden(dir.path());
    let xlsx = dir.path().join("committee.xlsx");
    s.export_workbook(None, ExportProfile::Committee, &xlsx, &ctx(), &mut |_| {})
        .unwrap();
    let report = inspect(&xlsx, &[]);
    let mut seen = 0;
    for (name, sheet) in report["sheets"].as_object().unwrap() {
        for row in sheet["cells"].as_array().unwrap() {
            for c in row.as_array().unwrap() {
                assert_ne!(c["t"], "f", "{name} has a formula cell: {c}");
                let v = c["v"].as_str().unwrap_or_default();
                if v == FORMULA || v == "-1+2 payroll" || v == "@REF-1" {
                    assert_eq!(c["t"], "s", "{name}: {c}");
                    seen += 1;
                }
            }
        }
    }
    assert!(seen >= 4, "found {seen} formula-like texts");

    let out = dir.path().join("suppliers.csv");
    s.export_csv(
        None,
        Some(RecordKind::Supplier),
        ExportProfile::Open,
        &out,
        &ctx(),
        &mut |_| {},
    )
    .unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[3].to_string())
        .collect();
    assert!(names.contains(&format!("'{FORMULA}")), "{names:?}");
}

#[test]
fn csv_is_rfc_4180_with_a_bom_and_crlf() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = camden(dir.path());
    let out = dir.path().join("contracts.csv");
    let outcome = s
        .export_csv(
            None,
            Some(RecordKind::Contract),
            ExportProfile::Committee,
            &out,
            &ctx(),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(outcome.files[0].rows, 2);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.ends_with("\r\n"));
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    let col = |h: &str| headers.iter().position(|x| x == h).unwrap();
    let case = rows
        .iter()
        .find(|r| r[col("Reference")] == *"'@REF-1")
        .unwrap();
    assert_eq!(&case[col("Total value (£)")], "625000.05");
    assert_eq!(&case[col("End date")], "2027-03-31");
    assert_eq!(&case[col("Decision date")], "2026-03-31");
    assert_eq!(&case[col("How it was procured")], "G-Cloud call-off");
    assert_eq!(&case[col("Notes")], NOTE);

    // Retired records are no longer in use: they are left out.
    let old = s
        .add(
            None,
            RecordKind::Contract,
            json!({"title": "Old telephony"}),
            &ctx(),
        )
        .unwrap();
    s.set_review(
        None,
        RecordKind::Contract,
        &old.id.to_string(),
        api::ReviewState::Retired,
        &ctx(),
    )
    .unwrap();
    let outcome = s
        .export_csv(
            None,
            Some(RecordKind::Contract),
            ExportProfile::Open,
            &out,
            &ctx(),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(outcome.files[0].rows, 2);
    assert!(
        !std::fs::read_to_string(&out)
            .unwrap()
            .contains("Old telephony")
    );
}

#[test]
fn ocds_release_package_validates_and_links_awards_to_contracts() {
    let dir = tempfile::tempdir().unwrap();
    let path = central(dir.path());
    let mut c = Store::open(&path).unwrap();
    let out = dir.path().join("contracts.json");
    let outcome = c.export_ocds(None, &out, &ctx(), &mut |_| {}).unwrap();
    assert_eq!(outcome.files[0].rows, 4);
    assert_eq!(outcome.profile, ExportProfile::Open);
    let run = Command::new(python())
        .arg(script("validate_ocds.py"))
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "OCDS validation failed:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(
        said.contains("open-contracting.org/schema/1__1__"),
        "validated against the official OCDS 1.1 schema: {said}"
    );
    let pkg: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(pkg["version"], "1.1");
    // The validator can fail: a release without its ocid is refused by the official schema.
    let mut broken = pkg.clone();
    broken["releases"][0]
        .as_object_mut()
        .unwrap()
        .remove("ocid");
    let bad = dir.path().join("broken.json");
    std::fs::write(&bad, serde_json::to_vec(&broken).unwrap()).unwrap();
    let run = Command::new(python())
        .arg(script("validate_ocds.py"))
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!run.status.success());
    assert!(
        String::from_utf8_lossy(&run.stdout)
            .contains("official release 0: : 'ocid' is a required property"),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
    let releases = pkg["releases"].as_array().unwrap();
    let case = releases
        .iter()
        .find(|r| r["contracts"][0]["title"] == "Case management BARNET")
        .unwrap();
    assert!(
        case["ocid"]
            .as_str()
            .unwrap()
            .starts_with("ocds-citytools-")
    );
    assert_eq!(case["buyer"]["name"], "Barnet");
    assert_eq!(case["awards"][0]["id"], case["contracts"][0]["awardID"]);
    let contract = &case["contracts"][0];
    assert_eq!(
        contract["value"],
        json!({"amount": 625000.05, "currency": "GBP"})
    );
    assert_eq!(contract["period"]["endDate"], "2027-03-31T00:00:00Z");
    assert_eq!(contract["period"]["maxExtentDate"], "2029-03-31T00:00:00Z");
    assert_eq!(contract["status"], "active");
    let supplier_id = &case["awards"][0]["suppliers"][0]["id"];
    assert_eq!(supplier_id, "GB-COH-01234567");
    let supplier = case["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == *supplier_id)
        .unwrap();
    assert_eq!(supplier["roles"], json!(["supplier"]));
    assert_eq!(supplier["additionalIdentifiers"][0]["scheme"], "GB-PPON");
    let buyer = case["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["roles"] == json!(["buyer"]))
        .unwrap();
    assert_eq!(buyer["additionalIdentifiers"][0]["id"], "E09000003");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains("NOTE-PLANT") && !text.contains("VULN-PLANT"));
}

#[test]
fn a_failed_export_leaves_no_partial_file_and_an_old_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = camden(dir.path());
    let out_dir = dir.path().join("exports");
    std::fs::create_dir(&out_dir).unwrap();
    // The target is a folder with a file in it: the final rename fails.
    let blocked = out_dir.join("report.xlsx");
    std::fs::create_dir(&blocked).unwrap();
    std::fs::write(blocked.join("keep.txt"), b"keep").unwrap();
    let e = s
        .export_workbook(
            None,
            ExportProfile::Committee,
            &blocked,
            &ctx(),
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Io);
    assert!(e.message.contains("report.xlsx"), "{}", e.message);
    let left: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["report.xlsx"], "a temporary file was left behind");
    assert_eq!(std::fs::read(blocked.join("keep.txt")).unwrap(), b"keep");

    // An export refused before writing leaves an earlier file as it was.
    let old = out_dir.join("old.csv");
    std::fs::write(&old, b"old").unwrap();
    let e = s
        .export_csv(
            Some("2030-31"),
            Some(RecordKind::System),
            ExportProfile::Open,
            &old,
            &ctx(),
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert_eq!(std::fs::read(&old).unwrap(), b"old");

    // And a good export replaces it whole.
    s.export_csv(
        None,
        Some(RecordKind::System),
        ExportProfile::Open,
        &old,
        &ctx(),
        &mut |_| {},
    )
    .unwrap();
    assert!(
        std::fs::read_to_string(&old)
            .unwrap()
            .contains("Social care CAMDEN")
    );
}

/// The analysis sheets of the central workbook for `profile`, read back by openpyxl.
fn analysis_workbook(profile: ExportProfile) -> (Vec<String>, Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = central(dir.path());
    let mut c = Store::open(&path).unwrap();
    let xlsx = dir.path().join("london.xlsx");
    let outcome = c
        .export_workbook(Some("2026-27"), profile, &xlsx, &ctx(), &mut |_| {})
        .unwrap();
    let names: Vec<String> = outcome.sheets.iter().map(|s| s.name.clone()).collect();
    for n in &names {
        assert!(n.chars().count() <= 31, "{n}");
    }
    (names, inspect(&xlsx, &["Social care CAMDEN"]))
}

#[test]
fn the_central_workbook_has_analysis_sheets_redacted_by_profile() {
    let (names, full) = analysis_workbook(ExportProfile::Full);
    // Camden and Barnet both hold a Mosaic contract ending 2027-03-31: one joint window.
    let windows = sheet(&full, "Joint procurement windows");
    let shared = column(windows, "Shared");
    assert!(!shared.is_empty(), "no window");
    let orgs = column(windows, "Organisation names");
    assert!(
        orgs.iter()
            .any(|o| o["v"].as_str().unwrap_or_default().contains("Barnet")
                && o["v"].as_str().unwrap_or_default().contains("Camden")),
        "{orgs:?}"
    );
    let first = column(windows, "First decision");
    assert_eq!(first[0]["t"], "d", "{first:?}");
    assert!(column(windows, "Why")[0]["v"].as_str().unwrap().len() > 20);
    assert!(windows["conditional_formats"].as_array().unwrap().len() >= 2);
    let decisions = sheet(&full, "Decision dates");
    assert_eq!(column(decisions, "Contract").len(), 4);
    assert!(
        column(decisions, "Decision date")
            .iter()
            .any(|c| c["v"] == "2026-03-31 00:00:00")
    );
    // Concentration: two suppliers per organisation, shares and HHI as numbers.
    let summary = sheet(&full, "Supplier concentration");
    let hhi = column(summary, "HHI (contracts)");
    assert_eq!(hhi[0]["t"], "n");
    assert!(hhi[0]["v"].as_str().unwrap().parse::<f64>().unwrap() > 0.0);
    let shares = sheet(&full, "Supplier shares");
    assert!(column(shares, "Share of contracts (%)").len() >= 3);
    // Full: the CAF heatmap per organisation and the systems out of support by name.
    let caf = sheet(&full, "CAF heatmap");
    let caf_orgs = column(caf, "Organisation");
    assert!(caf_orgs.iter().any(|o| o["v"] == "Camden"), "{caf_orgs:?}");
    assert!(caf_orgs.iter().any(|o| o["v"] == "All organisations"));
    let support = sheet(&full, "Systems out of support");
    assert!(headers(support).contains(&"Systems out of support".to_string()));
    assert_eq!(full["found"], json!(["Social care CAMDEN"]));
    let ico = sheet(&full, "ICO heatmap");
    assert!(
        ico["conditional_formats"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["text"] == "Successfully")
    );
    let pairs = sheet(&full, "Skills pairs");
    assert!(headers(pairs).contains(&"Can help".to_string()));
    assert!(names.contains(&"Certificates".to_string()));

    // Committee: the CAF heatmap only for all organisations together; no system named.
    let (names, committee) = analysis_workbook(ExportProfile::Committee);
    assert!(names.contains(&"CAF heatmap".to_string()));
    let caf_orgs = column(sheet(&committee, "CAF heatmap"), "Organisation");
    assert!(caf_orgs.iter().all(|o| o["v"] == "All organisations"));
    assert!(!caf_orgs.is_empty());
    let support = sheet(&committee, "Systems out of support");
    assert!(!headers(support).contains(&"Systems out of support".to_string()));
    let out_of_support = column(support, "Out of support");
    assert!(
        out_of_support.iter().all(|c| c["v"] == "1"),
        "{out_of_support:?}"
    );

    // Open: no CAF heatmap at all, and no sensitive answer anywhere.
    let (names, open) = analysis_workbook(ExportProfile::Open);
    assert!(!names.contains(&"CAF heatmap".to_string()), "{names:?}");
    assert!(names.contains(&"Joint procurement windows".to_string()));
    for label in sensitive_labels() {
        for n in &names {
            assert!(
                !headers(sheet(&open, n)).contains(&label),
                "open sheet {n} has the sensitive column {label}"
            );
        }
    }
}
