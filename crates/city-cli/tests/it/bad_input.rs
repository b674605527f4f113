//! Bad input to any command: a one-line error naming the field, and the store byte-for-byte
//! unchanged.

use crate::util::*;

#[test]
fn bad_input_names_the_field_and_leaves_the_store_unchanged() {
    let t = TestDir::camden();
    let sys = t.add("system", &["name=Mosaic"]);
    let store = t.store();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "contract",
                "add",
                "--set",
                "title=T",
                "--set",
                "end_date=2027-02-30",
            ],
            "'end_date': '2027-02-30' is not a real date",
        ),
        (
            vec![
                "contract",
                "add",
                "--set",
                "title=T",
                "--set",
                "annual_value=-5",
            ],
            "'annual_value'",
        ),
        (
            vec![
                "contract",
                "add",
                "--set",
                "title=T",
                "--set",
                "start_date=2027-04-01",
                "--set",
                "end_date=2027-03-31",
            ],
            "'end_date': the end date 2027-03-31 is before the start date 2027-04-01",
        ),
        (
            vec!["contract", "add", "--set", "reference=C-9"],
            "'title': enter the title",
        ),
        (
            vec!["system", "add", "--set", "name="],
            "'name': enter the name",
        ),
        (
            vec!["system", "add", "--data", "{\"name\": \"x\",}"],
            "--data is not valid JSON",
        ),
        (
            vec!["system", "add", "--data", "[1,2]"],
            "must be a JSON object",
        ),
        (
            vec![
                "system",
                "add",
                "--set",
                "name=X",
                "--set",
                "criticality=extreme",
            ],
            "'criticality': 'extreme' is not one of the options",
        ),
        (
            vec!["system", "update", &sys, "--set", "users=-3"],
            "'users'",
        ),
        (
            vec![
                "system",
                "update",
                &sys,
                "--set",
                "end_of_support=31/03/2027",
            ],
            "'end_of_support'",
        ),
        (
            vec![
                "contract",
                "add",
                "--set",
                "title=T",
                "--set",
                "supplier_id=4a4f2b38-9d0e-4a8a-8f3e-1c1d2e3f4a5b",
            ],
            "'supplier_id': there is no supplier",
        ),
        (
            vec!["carry-forward", "--to", "2027-29"],
            "cycle '2027-29' is not valid",
        ),
        (
            vec!["status", "--cycle", "2030-31"],
            "no return for cycle 2030-31",
        ),
    ];
    for (args, expected) in cases {
        let before = snapshot(&store);
        let line = t.run(&args).fails(1);
        assert!(line.starts_with("error: "), "{args:?}: {line}");
        assert!(line.contains(expected), "{args:?}: {line}");
        assert_eq!(snapshot(&store), before, "{args:?} changed the store");
    }
}

#[test]
fn create_refuses_unknown_organisations_and_existing_files() {
    let t = TestDir::new();
    let line = t
        .run(&["create", "--org", "E09000099", "--cycle", "2026-27"])
        .fails(1);
    assert!(
        line.contains("unknown organisation code 'gss:E09000099'"),
        "{line}"
    );
    assert!(!t.store().exists());
    let line = t
        .run(&["create", "--org", "E09000007", "--cycle", "2026/27"])
        .fails(1);
    assert!(line.contains("cycle '2026/27' is not valid"), "{line}");
    t.run(&["create", "--org", "E09000007", "--cycle", "2026-27"])
        .ok();
    let before = snapshot(&t.store());
    let line = t
        .run(&["create", "--org", "E09000007", "--cycle", "2026-27"])
        .fails(1);
    assert!(line.contains("already exists"), "{line}");
    assert_eq!(snapshot(&t.store()), before);
}

#[test]
fn a_store_from_a_newer_version_is_refused_untouched() {
    let t = TestDir::camden();
    let mut raw = std::fs::read(t.store()).unwrap();
    raw[60..64].copy_from_slice(&99u32.to_be_bytes());
    std::fs::write(t.store(), &raw).unwrap();
    for args in [vec!["status"], vec!["system", "add", "--set", "name=X"]] {
        let line = t.run(&args).fails(1);
        assert!(line.contains("newer version of City Tools"), "{line}");
        assert_eq!(std::fs::read(t.store()).unwrap(), raw);
    }
}
