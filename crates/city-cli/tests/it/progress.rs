//! `city analysis progress` end to end: the London data set's two cycles from returns files
//! (text and `--json`, the missing return missing), refused requests, and a central store with
//! two cycles of real bundles — Camden returning both years, Barnet only the first — whose
//! committee workbook's *Progress since last year* sheet shows the same figures as the JSON.

use crate::util::TestDir;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn london(file: &str) -> String {
    fixtures().join("london").join(file).display().to_string()
}

fn k(name: &str) -> String {
    fixtures().join("keys").join(name).display().to_string()
}

#[test]
fn progress_over_two_returns_files() {
    let t = TestDir::new();
    let (a, b) = (london("returns.json"), london("returns-2027-28.json"));
    let args = |more: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = ["analysis", "--returns", &a, "--returns", &b, "progress"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        v.extend(more.iter().map(|s| s.to_string()));
        v
    };
    let run = |more: &[&str]| {
        let v = args(more);
        let refs: Vec<&str> = v.iter().map(|s| s.as_str()).collect();
        t.run(&refs)
    };
    let text = run(&["--changes"]).ok();
    assert!(
        text.contains("Progress from 2026-27 to 2027-28: 32 organisations compared"),
        "{text}"
    );
    assert!(text.contains("No return this cycle: Sutton"), "{text}");
    assert!(
        text.contains("Contracts: 1 ended, 7 re-procured, 1 extended, 4 joined"),
        "{text}"
    );
    assert!(
        text.contains("Liquidlogic LCS") && text.contains("4 of 5 organisations together"),
        "{text}"
    );
    assert!(
        !text.contains("Newly out of support "),
        "a sensitive change listed without --full:\n{text}"
    );
    let sutton = text.lines().find(|l| l.starts_with("E09000029")).unwrap();
    assert!(sutton.contains("no return"), "{sutton}");

    let j = run(&["--json", "--full"]).json();
    assert_eq!(j["fromCycle"], "2026-27");
    assert_eq!(j["london"]["compared"], 32);
    assert_eq!(j["london"]["noReturnNow"][0], "Sutton");
    assert!(
        j["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "newly_out_of_support")
    );
    let camden = run(&["--json", "--org", "E09000007"]).json();
    assert_eq!(camden["organisations"].as_array().unwrap().len(), 1);
    assert_eq!(camden["organisations"][0]["ico"]["worse"], 1);

    let e = run(&["--from", "2025-26"]).fails(2);
    assert!(
        e.contains("--from 2025-26") && e.contains("2026-27 and 2027-28"),
        "{e}"
    );
    let e = t
        .run(&["analysis", "--returns", &b, "--returns", &a, "progress"])
        .fails(1);
    assert!(e.contains("2027-28 is not before 2026-27"), "{e}");
    let e = t
        .run(&[
            "analysis",
            "--returns",
            &a,
            "--returns",
            &b,
            "concentration",
        ])
        .fails(2);
    assert!(e.contains("one returns file"), "{e}");
}

/// Runs `city` with the fixture passphrase.
fn city(t: &TestDir, store: &Path, args: &[&str]) -> crate::util::Run {
    let mut all = vec!["--store", store.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = t
        .command(&all)
        .env("CITY_PASSPHRASE", "fixture passphrase")
        .output()
        .unwrap();
    crate::util::Run {
        out,
        args: all.iter().map(|s| s.to_string()).collect(),
    }
}

/// A cycle pack for `cycle`, imported into `store`.
fn pack(t: &TestDir, store: &Path, cycle: &str) {
    let file = t.dir.path().join(format!("{cycle}.ctcycle"));
    if !file.exists() {
        let recipient = std::fs::read_to_string(fixtures().join("keys/loti.recipient")).unwrap();
        let year: u32 = cycle[..4].parse().unwrap();
        city(
            t,
            store,
            &[
                "cycle-pack",
                "create",
                "--out",
                file.to_str().unwrap(),
                "--for-cycle",
                cycle,
                "--opens",
                &format!("{year}-04-01"),
                "--closes",
                &format!("{year}-07-31"),
                "--recipient",
                recipient.trim(),
                "--root-secret",
                &k("root.key"),
            ],
        )
        .ok();
    }
    city(
        t,
        store,
        &[
            "cycle-pack",
            "import",
            file.to_str().unwrap(),
            "--root-key",
            &k("root.pub"),
        ],
    )
    .ok();
}

/// Exports `store`'s newest return as a bundle and returns the file.
fn send(t: &TestDir, store: &Path, key: &str) -> String {
    let dir = t.dir.path().to_str().unwrap().to_string();
    let out = city(
        t,
        store,
        &[
            "bundle",
            "export",
            "--json",
            "--dir",
            &dir,
            "--key",
            &k(key),
        ],
    )
    .json();
    out["file"].as_str().unwrap().to_string()
}

fn add(t: &TestDir, store: &Path, kind: &str, sets: &[&str]) -> String {
    let mut args = vec![kind, "add", "--json"];
    for s in sets {
        args.extend(["--set", s]);
    }
    city(t, store, &args).json()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Rows of a workbook sheet as JSON, read by openpyxl.
fn sheet(xlsx: &Path, name: &str) -> Vec<Vec<Value>> {
    let py = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    let code = format!(
        "import json, sys, openpyxl, datetime\n\
         wb = openpyxl.load_workbook(sys.argv[1], read_only=True)\n\
         ws = wb[{name:?}]\n\
         rows = [[c.isoformat()[:10] if isinstance(c, datetime.datetime) else c for c in r] for r in ws.iter_rows(values_only=True)]\n\
         print(json.dumps(rows))\n"
    );
    let out = Command::new(py)
        .arg("-c")
        .arg(code)
        .arg(xlsx)
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
fn the_workbook_sheet_shows_the_same_figures_as_the_json() {
    let t = TestDir::new();
    let dir = t.dir.path();
    let camden = dir.join("camden.ctstore");
    let barnet = dir.join("barnet.ctstore");
    let central = dir.join("central.ctstore");
    city(
        &t,
        &camden,
        &["create", "--org", "E09000007", "--cycle", "2026-27"],
    )
    .ok();
    city(
        &t,
        &barnet,
        &["create", "--org", "E09000003", "--cycle", "2026-27"],
    )
    .ok();
    let sup = add(
        &t,
        &camden,
        "supplier",
        &["name=Acme Ltd", "companies_house=01234567"],
    );
    let sys = add(
        &t,
        &camden,
        "system",
        &[
            "name=Mosaic",
            "service_area=esd:58",
            "hosting=on_premises",
            &format!("supplier_id={sup}"),
        ],
    );
    add(
        &t,
        &camden,
        "contract",
        &[
            "title=Mosaic support",
            &format!("supplier_id={sup}"),
            &format!("system_ids=[\"{sys}\"]"),
            "end_date=2027-03-31",
        ],
    );
    add(
        &t,
        &barnet,
        "system",
        &["name=Uniform", "service_area=esd:99"],
    );
    pack(&t, &camden, "2026-27");
    pack(&t, &barnet, "2026-27");
    let c1 = send(&t, &camden, "camden.key");
    let b1 = send(&t, &barnet, "barnet.key");
    city(&t, &central, &["create-central"]).ok();
    for (file, org, key) in [
        (&c1, "E09000007", "camden.pub"),
        (&b1, "E09000003", "barnet.pub"),
    ] {
        city(
            &t,
            &central,
            &["bundle", "import", file, "--identity", &k("loti.age")],
        )
        .ok();
        let fp = t.run(&["key", "fingerprint", &k(key), "--json"]).json();
        city(
            &t,
            &central,
            &[
                "keyring",
                "confirm",
                fp["keyId"].as_str().unwrap(),
                "--org",
                org,
                "--fingerprint",
                fp["fingerprint"].as_str().unwrap(),
                "--note",
                "phoned",
                "--identity",
                &k("loti.age"),
            ],
        )
        .ok();
    }
    // The next year: Camden moves Mosaic to the cloud and adds a system; Barnet sends nothing.
    city(
        &t,
        &camden,
        &["carry-forward", "--to", "2027-28", "--quiet"],
    )
    .ok();
    city(
        &t,
        &camden,
        &["system", "update", &sys, "--set", "hosting=saas"],
    )
    .ok();
    add(
        &t,
        &camden,
        "system",
        &["name=Bookings", "service_area=esd:72"],
    );
    pack(&t, &camden, "2027-28");
    let c2 = send(&t, &camden, "camden.key");
    city(
        &t,
        &central,
        &["bundle", "import", &c2, "--identity", &k("loti.age")],
    )
    .ok();

    let j = city(
        &t,
        &central,
        &[
            "analysis", "progress", "--from", "2026-27", "--to", "2027-28", "--json",
        ],
    )
    .json();
    let xlsx = dir.join("committee.xlsx");
    city(
        &t,
        &central,
        &[
            "export",
            "workbook",
            "--cycle",
            "2027-28",
            "--profile",
            "committee",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    )
    .ok();
    let rows = sheet(&xlsx, "Progress since last year");
    let header: Vec<String> = rows[0]
        .iter()
        .map(|h| h.as_str().unwrap_or("").to_string())
        .collect();
    let cell = |row: &Vec<Value>, h: &str| -> Value {
        let i = header
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("no column {h}: {header:?}"));
        row[i].clone()
    };
    assert_eq!(rows[1][0], "London");
    assert_eq!(
        cell(&rows[1], "Moved to cloud"),
        j["london"]["systems"]["movedToCloud"]
    );
    assert_eq!(
        cell(&rows[1], "Systems added"),
        j["london"]["systems"]["added"]
    );
    assert_eq!(
        cell(&rows[1], "CAF outcomes improved"),
        j["london"]["caf"]["improved"]
    );
    let orgs = j["organisations"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        orgs.len() + 2,
        "a header, London, then each organisation"
    );
    for (row, o) in rows[2..].iter().zip(orgs) {
        assert_eq!(cell(row, "Organisation"), o["name"]);
        match o["returns"].as_str().unwrap() {
            "both" => {
                for (h, path) in [
                    ("Records unchanged", ["records", "unchanged"]),
                    ("Records changed", ["records", "changed"]),
                    ("Records new", ["records", "new"]),
                    ("Records retired", ["records", "retired"]),
                    ("Still to review", ["records", "notReviewed"]),
                    ("Systems added", ["systems", "added"]),
                    ("Moved to cloud", ["systems", "movedToCloud"]),
                    ("Contracts ended", ["contracts", "ended"]),
                    ("ICO categories improved", ["ico", "improved"]),
                ] {
                    assert_eq!(cell(row, h), o[path[0]][path[1]], "{h} of {}", o["name"]);
                }
                assert_eq!(cell(row, "Received this year"), o["now"]["receivedOn"]);
                assert_eq!(cell(row, "Suppliers last year"), o["suppliersThen"]);
            }
            _ => {
                assert_eq!(cell(row, "Returns"), "no return this year");
                assert_eq!(
                    cell(row, "Records unchanged"),
                    Value::Null,
                    "a missing return compared"
                );
                assert_eq!(cell(row, "Received last year"), o["then"]["receivedOn"]);
            }
        }
    }
    let camden_row = rows.iter().find(|r| r[0] == "Camden").unwrap();
    assert_eq!(cell(camden_row, "Moved to cloud"), 1);
    assert_eq!(cell(camden_row, "Systems added"), 1);
    assert!(
        !header.iter().any(|h| h == "CAF outcomes improved")
            || camden_row[header
                .iter()
                .position(|h| h == "CAF outcomes improved")
                .unwrap()]
            .is_null(),
        "per-organisation CAF in the committee profile"
    );
    let changes = sheet(&xlsx, "Changes since last year");
    assert_eq!(changes.len() - 1, j["changes"].as_array().unwrap().len());
}
