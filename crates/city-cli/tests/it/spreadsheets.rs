//! `city spreadsheet`: template, inspect and import through the real binary — dry run, the
//! commit, a refused import with its error report, and `city template KIND` left as it was.

use crate::util::*;
use std::path::PathBuf;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/xlsx")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn a_register_is_inspected_dry_run_then_imported() {
    let t = TestDir::camden();
    let file = fixture("transparency_register.xlsx");
    let info = t.run(&["spreadsheet", "inspect", &file, "--json"]).json();
    assert_eq!(info["sheets"][0]["kind"], "contract");
    assert_eq!(info["sheets"][0]["headerRow"], 4);
    let text = t.run(&["spreadsheet", "inspect", &file]).ok();
    assert!(text.contains("Supplier Name"), "{text}");

    let before = snapshot(&t.store());
    let dry = t
        .run(&["spreadsheet", "import", &file, "--dry-run", "--json"])
        .json();
    assert_eq!(dry["counts"]["create"], 10);
    assert_eq!(dry["committed"], false);
    assert_eq!(snapshot(&t.store()), before, "a dry run writes nothing");
    let listed = t.run(&["contract", "list", "--json"]).json();
    assert_eq!(listed.as_array().unwrap().len(), 0);

    let out = t.run(&["spreadsheet", "import", &file, "--quiet"]).ok();
    assert!(out.contains("Imported: 10 to add"), "{out}");
    assert!(out.contains("'TBC' read as not known"), "{out}");
    let listed = t.run(&["contract", "list", "--json"]).json();
    assert_eq!(listed.as_array().unwrap().len(), 5);

    let again = t
        .run(&[
            "spreadsheet",
            "import",
            &file,
            "--json",
            "--match-key",
            "reference",
        ])
        .json();
    assert_eq!(again["counts"]["create"], 0);
    assert_eq!(again["counts"]["unchanged"], 5);
}

#[test]
fn a_bad_cell_refuses_the_import_and_writes_the_error_report() {
    let t = TestDir::camden();
    let before = snapshot(&t.store());
    let report = t.dir.path().join("problems.xlsx");
    let run = t.run(&[
        "spreadsheet",
        "import",
        &fixture("conflicting_rows.xlsx"),
        "--quiet",
        "--errors",
        report.to_str().unwrap(),
    ]);
    let err = run.fails(1);
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(err.contains("the same contract"), "{err}");
    assert!(
        run.stdout().contains("error Contracts!3"),
        "{}",
        run.stdout()
    );
    assert!(report.exists());
    assert_eq!(snapshot(&t.store()), before);

    let err = t
        .run(&["spreadsheet", "import", &fixture("password_protected.xlsx")])
        .fails(1);
    assert!(err.contains("password-protected"), "{err}");
    let err = t
        .run(&[
            "spreadsheet",
            "import",
            &fixture("notes_sheet.xlsx"),
            "--sheet",
            "Notes",
        ])
        .fails(2);
    assert!(err.contains("--kind"), "{err}");
    let err = t
        .run(&[
            "spreadsheet",
            "import",
            &fixture("title_rows.xlsx"),
            "--match-key",
            "colour",
        ])
        .fails(2);
    assert!(err.contains("not a match key"), "{err}");
    assert_eq!(snapshot(&t.store()), before);
}

#[test]
fn the_template_round_trips_and_city_template_still_prints_json() {
    let t = TestDir::camden();
    t.add("supplier", &["name=Civica UK Ltd"]);
    let out = t.dir.path().join("template.xlsx");
    t.run(&[
        "spreadsheet",
        "template",
        "--prefill",
        "--out",
        out.to_str().unwrap(),
    ])
    .ok();
    let plan = t
        .run(&["spreadsheet", "import", out.to_str().unwrap(), "--json"])
        .json();
    assert_eq!(plan["counts"]["unchanged"], 1, "{plan:#}");
    assert_eq!(plan["counts"]["create"], 0);
    // `city template KIND` is the JSON record template, as before.
    let json = t.run(&["template", "contract"]).json();
    assert!(json.get("annual_value").is_some());
    // A sheet can be forced to a kind and header row.
    let forced = t
        .run(&[
            "spreadsheet",
            "import",
            &fixture("title_rows.xlsx"),
            "--kind",
            "contract",
            "--header-row",
            "5",
            "--dry-run",
            "--json",
        ])
        .json();
    // Two contracts and one new supplier: Civica UK Ltd is already in the store.
    assert_eq!(forced["counts"]["create"], 3);
}

#[test]
fn answers_are_shown_by_inspect_taken_from_a_file_and_remembered() {
    let t = TestDir::camden();
    let file = fixture("application_register.xlsx");
    let info = t.run(&["spreadsheet", "inspect", &file, "--json"]).json();
    let answers = &info["sheets"][0]["answers"];
    let area = answers
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "system.service_area")
        .unwrap();
    assert_eq!(area["values"][0]["answer"], "esd:58");
    assert_eq!(area["values"][0]["basis"], "exact");
    let text = t.run(&["spreadsheet", "inspect", &file]).ok();
    assert!(
        text.contains("Answers for column C (system.service_area)"),
        "{text}"
    );

    let answers = t.dir.path().join("answers.json");
    std::fs::write(
        &answers,
        r#"{"system.service_area": {"Health and social care": "esd:42"}}"#,
    )
    .unwrap();
    let plan = t
        .run(&[
            "spreadsheet",
            "import",
            &file,
            "--answers",
            answers.to_str().unwrap(),
            "--json",
        ])
        .json();
    assert_eq!(plan["committed"], true);
    let systems = t.run(&["system", "list", "--json"]).json();
    assert!(
        systems
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["data"]["service_area"] == "esd:42"),
        "{systems:#}"
    );
    // Remembered: inspect now suggests the confirmed answer.
    let info = t.run(&["spreadsheet", "inspect", &file, "--json"]).json();
    let area = info["sheets"][0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "system.service_area")
        .unwrap()
        .clone();
    let v = area["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == "Health and social care")
        .unwrap();
    assert_eq!(v["basis"], "remembered");
    assert_eq!(v["answer"], "esd:42");

    std::fs::write(&answers, r#"{"system.service_area": {"x": "the moon"}}"#).unwrap();
    let err = t
        .run(&[
            "spreadsheet",
            "import",
            &file,
            "--answers",
            answers.to_str().unwrap(),
        ])
        .fails(2);
    assert!(err.contains("the moon"), "{err}");
}

#[test]
fn partial_imports_the_rows_without_errors_and_reports_the_others() {
    let t = TestDir::camden();
    let file = fixture("conflicting_rows.xlsx");
    let report = t.dir.path().join("left-out.xlsx");
    let run = t.run(&[
        "spreadsheet",
        "import",
        &file,
        "--partial",
        "--quiet",
        "--errors",
        report.to_str().unwrap(),
    ]);
    let out = run.ok();
    assert!(out.contains("Imported: 1 to add"), "{out}");
    assert!(
        run.stderr().contains("Left out 1 row with errors"),
        "{}",
        run.stderr()
    );
    assert!(report.exists());
    let listed = t.run(&["contract", "list", "--json"]).json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
}
