//! `city publish site` end to end: the London data set's site from a returns file (pages,
//! downloads, pipeline, marking, `--json`), the folder replaced whole, and refused input with
//! one-line errors and an earlier site left as it was.

use crate::util::TestDir;
use std::path::{Path, PathBuf};

fn returns() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/london/returns.json")
        .display()
        .to_string()
}

fn site(t: &TestDir) -> PathBuf {
    t.dir.path().join("site")
}

#[test]
fn publish_site_writes_every_page_and_download_for_the_cycle() {
    let t = TestDir::new();
    let r = returns();
    let run = t.run(&[
        "publish",
        "site",
        "--cycle",
        "2026-27",
        "--returns",
        &r,
        "--out",
        "site",
        "--as-of",
        "2026-11-23",
    ]);
    let text = run.ok();
    assert!(
        text.contains(
            "Published the site for cycle 2026-27 (33 organisations, open profile, marked OFFICIAL)"
        ),
        "{text}"
    );
    assert!(
        text.contains("pipeline.html") && text.contains("pipeline-ocds.json"),
        "{text}"
    );
    // Progress goes to stderr, the result to stdout.
    assert!(run.stderr().contains("Writing pipeline.html"));
    for page in [
        "index.html",
        "pipeline.html",
        "systems.html",
        "products.html",
        "suppliers.html",
        "skills.html",
        "readiness.html",
        "downloads.html",
        "assets/site.css",
        "assets/site.js",
        "data/systems.csv",
        "data/contracts-ocds.json",
        "data/pipeline-ocds.json",
    ] {
        assert!(site(&t).join(page).is_file(), "{page} missing");
    }
    let index = std::fs::read_to_string(site(&t).join("index.html")).unwrap();
    assert!(index.contains("33 of 33 organisations"), "{index}");
    assert!(index.contains("23 November 2026"));

    // --json, the committee profile, and the earlier site replaced whole.
    std::fs::write(site(&t).join("stale.html"), "old").unwrap();
    let j = t
        .run(&[
            "publish",
            "site",
            "--returns",
            &r,
            "--out",
            "site",
            "--profile",
            "committee",
            "--json",
            "--as-of",
            "2026-11-23",
        ])
        .json();
    assert_eq!(j["profile"], "committee");
    assert_eq!(j["marking"], "OFFICIAL");
    assert_eq!(j["organisations"], 33);
    assert_eq!(j["pages"].as_array().unwrap().len(), 8);
    assert!(j["pipelineContracts"].as_u64().unwrap() > 0);
    assert!(!site(&t).join("stale.html").exists());
    let footer = std::fs::read_to_string(site(&t).join("skills.html")).unwrap();
    assert!(footer.contains("Profile: <strong>committee</strong>"));
}

#[test]
fn bad_input_is_refused_in_one_line_and_leaves_the_earlier_site() {
    let t = TestDir::new();
    let r = returns();
    std::fs::create_dir(site(&t)).unwrap();
    std::fs::write(site(&t).join("index.html"), "earlier site").unwrap();
    let line = t
        .run(&[
            "publish",
            "site",
            "--returns",
            &r,
            "--out",
            "site",
            "--profile",
            "full",
        ])
        .fails(2);
    assert!(line.contains("not a site profile"), "{line}");
    let line = t
        .run(&[
            "publish",
            "site",
            "--returns",
            &r,
            "--out",
            "site",
            "--as-of",
            "soon",
        ])
        .fails(2);
    assert!(line.contains("--as-of"), "{line}");
    let line = t
        .run(&[
            "publish",
            "site",
            "--returns",
            &r,
            "--out",
            "site",
            "--cycle",
            "2025-26",
        ])
        .fails(2);
    assert!(line.contains("2026-27"), "{line}");
    let line = t.run(&["publish", "site", "--out", "site"]).fails(1);
    assert!(!line.is_empty());
    // A borough store is not LOTI's central store.
    t.run(&["create", "--org", "E09000007", "--cycle", "2026-27"])
        .ok();
    let line = t.run(&["publish", "site", "--out", "site"]).fails(2);
    assert!(line.contains("central store"), "{line}");
    assert_eq!(
        std::fs::read_to_string(site(&t).join("index.html")).unwrap(),
        "earlier site"
    );
}

/// `publish postgres` refuses what it cannot use before anything is written: a bad profile, a
/// TLS mode it cannot give, an unreachable server (named, without its password) and a
/// borough store. Publishing itself is tested against a real PostgreSQL in the core's tests.
#[test]
fn publish_postgres_refuses_bad_input_and_names_an_unreachable_server() {
    let t = TestDir::new();
    let r = returns();
    let pg = |extra: &[&str]| {
        let mut args = vec!["publish", "postgres", "--returns", r.as_str(), "--quiet"];
        args.extend_from_slice(extra);
        t.run(&args)
    };
    let line = pg(&["--profile", "secret", "--url", "postgres://a@127.0.0.1:1/x"]).fails(2);
    assert!(line.contains("not an export profile"), "{line}");
    let line = pg(&["--url", "postgres://a@127.0.0.1:1/x?sslmode=require"]).fails(2);
    assert!(line.contains("without TLS"), "{line}");
    let line = pg(&["--url", "postgres://loti:hunter2@127.0.0.1:1/landscape"]).fails(1);
    assert!(
        line.contains("could not connect") && line.contains("loti@127.0.0.1:1/landscape"),
        "{line}"
    );
    assert!(!line.contains("hunter2"), "{line}");
    t.run(&["create", "--org", "E09000007", "--cycle", "2026-27"])
        .ok();
    let line = t
        .run(&["publish", "postgres", "--url", "postgres://a@127.0.0.1:1/x"])
        .fails(2);
    assert!(line.contains("central store"), "{line}");
}
