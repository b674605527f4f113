//! `city analysis …` end to end: the synthetic London data set's planted facts in every table
//! and in `--json`, refused options with one-line errors, and alias decisions on a copy of the
//! frozen central store (an unknown id leaves it byte for byte).

use crate::util::{TestDir, snapshot};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn returns() -> String {
    fixtures().join("london/returns.json").display().to_string()
}

fn run(t: &TestDir, args: &[&str]) -> crate::util::Run {
    let r = returns();
    let mut all = vec!["analysis", "--returns", r.as_str()];
    all.extend_from_slice(args);
    t.run(&all)
}

#[test]
fn windows_decisions_and_products_show_the_planted_liquidlogic_window() {
    let t = TestDir::new();
    let text = run(&t, &["windows", "--group-by", "product", "--detail"]).ok();
    let first = text.lines().nth(1).unwrap();
    assert!(
        first.contains("Liquidlogic LCS") && first.contains("£4,850,000.00"),
        "{text}"
    );
    assert!(text.contains("Barking and Dagenham, Croydon, Haringey, Lambeth, Waltham Forest"));
    assert!(
        !text.contains("Whitespace Waste"),
        "the decoy was found:\n{text}"
    );
    let wide = run(
        &t,
        &["windows", "--group-by", "product", "--window-months", "15"],
    )
    .ok();
    assert!(wide.contains("Whitespace Waste"));

    let w = run(&t, &["windows", "--group-by", "supplier,product", "--json"]).json();
    let find = |key: &str| {
        w.as_array()
            .unwrap()
            .iter()
            .find(|x| x["groupKey"] == key)
            .unwrap_or_else(|| panic!("no window for {key}"))
            .clone()
    };
    assert_eq!(find("product:liquidlogic lcs")["annualValue"], 485_000_000);
    assert_eq!(
        find("ch:05291424")["contracts"].as_array().unwrap().len(),
        5
    );
    assert_eq!(w[0]["rank"], 1);

    let d = run(&t, &["decisions", "--supplier", "liquidlogic"]).ok();
    assert_eq!(d.lines().count(), 6, "{d}");
    assert!(d.lines().nth(1).unwrap().starts_with("2027-09-01"), "{d}");
    let all = run(
        &t,
        &[
            "decisions",
            "--json",
            "--use-latest-end",
            "--lead-months",
            "6",
        ],
    )
    .json();
    assert_eq!(all.as_array().unwrap().len(), 361);

    let p = run(&t, &["products", "--product", "liquidlogic", "--json"]).json();
    assert_eq!(p.as_array().unwrap().len(), 1);
    assert_eq!(p[0]["uses"].as_array().unwrap().len(), 5);
}

#[test]
fn concentration_suppliers_readiness_and_skills_tables() {
    let t = TestDir::new();
    let c = run(&t, &["concentration"]).ok();
    assert!(c.contains("HHI 1160 (contracts)"), "{c}");
    assert!(c.contains("Civica UK Ltd") && c.contains("27.42%"), "{c}");
    assert!(c.contains("r = -0."), "{c}");
    let j = run(&t, &["concentration", "--json"]).json();
    assert_eq!(j["overall"]["suppliers"][0]["supplierKey"], "ch:01628868");

    let s = run(&t, &["suppliers"]).ok();
    let civica = s.lines().find(|l| l.starts_with("ch:01628868")).unwrap();
    assert!(
        civica.contains("CIVICA UK LIMITED") && civica.contains("Civica |"),
        "{civica}"
    );
    assert!(s.lines().any(|l| l.starts_with("name:capital software")));
    let sug = run(&t, &["aliases", "suggest"]).ok();
    assert_eq!(sug.lines().count(), 2, "{sug}");
    assert!(sug.contains("Northgate Public Services") && sug.contains("Northgate Pubic Services"));

    let r = run(&t, &["readiness", "--as-of", "2026-12-01"]).ok();
    assert!(
        r.contains("Cyber Essentials expired 2, expiring within 90 days 3; PSN expired 1"),
        "{r}"
    );
    assert!(
        !r.contains("legacy document store"),
        "sensitive names shown:\n{r}"
    );
    let full = run(
        &t,
        &["readiness", "--as-of", "2026-12-01", "--full", "--json"],
    )
    .json();
    assert_eq!(full["caf"].as_array().unwrap().len(), 34);

    let k = run(&t, &["skills", "--area", "data_analytics", "--json"]).json();
    assert_eq!(k[0]["provider"], "gss:E09000012");
    assert_eq!(k[0]["seeker"], "gss:E09000004");

    let rep = run(&t, &["report", "--as-of", "2026-12-01", "--json"]).json();
    for key in [
        "sharedProducts",
        "decisions",
        "windows",
        "concentration",
        "readiness",
        "skills",
    ] {
        assert!(rep.get(key).is_some(), "report lacks {key}");
    }
}

#[test]
fn bad_options_are_refused_with_one_line() {
    let t = TestDir::new();
    let e = run(&t, &["windows", "--window-months", "0"]).fails(1);
    assert!(e.contains("window") && e.contains("1 and 120"), "{e}");
    let e = run(&t, &["windows", "--group-by", "colour"]).fails(2);
    assert!(e.contains("colour"), "{e}");
    let e = run(&t, &["readiness", "--as-of", "2026-02-30"]).fails(2);
    assert!(e.contains("not a real date"), "{e}");
    let e = run(&t, &["products", "--service-area", "esd:999"]).fails(2);
    assert!(e.contains("esd:999"), "{e}");
    let e = t
        .run(&["analysis", "--returns", "nope.json", "suppliers"])
        .fails(1);
    assert!(e.contains("nope.json"), "{e}");
}

#[test]
fn alias_decisions_are_kept_in_the_central_store() {
    let t = TestDir::new();
    let store = t.dir.path().join("central.ctstore");
    std::fs::copy(fixtures().join("db/v3-central.ctstore"), &store).unwrap();
    let s = store.display().to_string();
    // Open once so the copy is migrated (nothing to do for schema 3) and settled.
    let list = t
        .run(&["--store", &s, "analysis", "aliases", "list", "--json"])
        .json();
    assert_eq!(list.as_array().unwrap().len(), 2);

    let before = snapshot(&store);
    let e = t
        .run(&[
            "--store",
            &s,
            "analysis",
            "aliases",
            "confirm",
            "ffffffffffff",
        ])
        .fails(1);
    assert!(e.contains("ffffffffffff") && e.contains("suggest"), "{e}");
    let e = t
        .run(&[
            "--store",
            &s,
            "analysis",
            "aliases",
            "reject",
            "--names",
            "Civica",
            "CAPITA PLC",
        ])
        .fails(1);
    assert!(e.contains("already rejected"), "{e}");
    assert_eq!(
        snapshot(&store),
        before,
        "a refused decision changed the store"
    );

    let out = t
        .run(&[
            "--store",
            &s,
            "analysis",
            "aliases",
            "confirm",
            "--kind",
            "product",
            "--names",
            "Civica Cx Housing",
            "Civica Housing",
            "--note",
            "same product",
        ])
        .ok();
    assert!(out.starts_with("Confirmed: product"), "{out}");
    let text = t.run(&["--store", &s, "analysis", "aliases", "list"]).ok();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(
        text.contains("by tester") && text.contains(": same product"),
        "{text}"
    );
    let sup = t
        .run(&["--store", &s, "--cycle", "2026-27", "analysis", "suppliers"])
        .ok();
    assert!(sup.contains("confirmed alias"), "{sup}");

    // A borough store is not analysed.
    let b = TestDir::camden();
    let e = b.run(&["analysis", "decisions"]).fails(2);
    assert!(e.contains("central store"), "{e}");
}
