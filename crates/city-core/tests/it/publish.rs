//! The published site: made from the synthetic London data set (with sensitive answers planted
//! in it) and from a central store; every file of the open and committee sites searched for
//! the sensitive values the full data holds and for systems named as out of support; the
//! pipeline's OCDS planning releases validated against the official OCDS 1.1 schema; the
//! folder replaced only when a new site is complete.

use crate::support::ctx;
use city_core::api::{self, ErrorKind, ExportProfile, Store};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Distinctive sensitive answers planted in the London returns.
pub(crate) const VULN: &str = "VULN-PLANT-7310 unpatched VPN appliance";
const RESTORE: &str = "2019-07-13";
const ITHC: &str = "2018-03-09";
pub(crate) const NOTE: &str = "NOTE-PLANT-2294 ring the CISO";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn python() -> PathBuf {
    workspace().join(".venv/bin/python")
}

/// The London returns with sensitive answers (and notes) planted in a few organisations'
/// systems and cyber answers, written to `dir`.
pub(crate) fn planted_returns(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(workspace().join("fixtures/london/returns.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    for (i, org) in v["organisations"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        if i % 5 != 0 {
            continue;
        }
        for r in org["records"].as_array_mut().unwrap() {
            let kind = r["kind"].as_str().unwrap().to_string();
            let data = r["data"].as_object_mut().unwrap();
            match kind.as_str() {
                "system" => {
                    data.insert("known_vulnerabilities".into(), json!(VULN));
                    data.insert("last_restore_test".into(), json!(RESTORE));
                    data.insert("internet_facing".into(), json!(true));
                    data.insert("mfa".into(), json!("none"));
                    data.insert("notes".into(), json!(NOTE));
                }
                "cyber" => {
                    data.insert("last_it_health_check".into(), json!(ITHC));
                    data.insert("notes".into(), json!(NOTE));
                }
                _ => {}
            }
        }
    }
    let path = dir.join("returns.json");
    std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
    path
}

/// The values of every sensitive field in a returns file, and the names of the systems out of
/// support.
pub(crate) fn full_values(returns: &Path) -> (Vec<String>, Vec<String>) {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(returns).unwrap()).unwrap();
    // Option ids ("none", "all_users") are words any page may hold: an option-valued sensitive
    // answer is looked for by its column instead (see `sensitive_labels`).
    let option_ids: Vec<String> = api::enumerations()
        .into_iter()
        .flat_map(|e| e.options.into_iter().map(|o| o.id))
        .collect();
    let mut sensitive = Vec::new();
    let mut out_of_support = Vec::new();
    for org in v["organisations"].as_array().unwrap() {
        for r in org["records"].as_array().unwrap() {
            let kind = api::parse_kind(r["kind"].as_str().unwrap()).unwrap();
            for (field, value) in r["data"].as_object().unwrap() {
                if field == "support_status" && value == "out_of_support" {
                    out_of_support.push(r["data"]["name"].as_str().unwrap().to_string());
                }
                if !api::is_sensitive(kind, field) {
                    continue;
                }
                match value {
                    Value::String(s) if !option_ids.contains(s) => sensitive.push(s.clone()),
                    // CAF ratings: the outcome ids ("A1.a") are what a full export's columns
                    // are named by; the site never names them.
                    Value::Object(m) => sensitive.extend(m.keys().cloned()),
                    _ => {}
                }
            }
        }
    }
    sensitive.sort();
    sensitive.dedup();
    out_of_support.sort();
    out_of_support.dedup();
    (sensitive, out_of_support)
}

/// The labels of the questionnaire's sensitive fields, as a full export names its columns.
fn sensitive_labels() -> Vec<String> {
    api::questionnaire()
        .records
        .into_iter()
        .flat_map(|r| r.fields)
        .filter(|f| f.sensitive)
        .map(|f| f.label)
        .collect()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn publish(returns: &Path, profile: ExportProfile, out: &Path) -> api::PublishOutcome {
    api::publish_site_from_returns(returns, None, profile, out, &ctx(), &mut |_| {}).unwrap()
}

#[test]
fn the_open_site_of_london_holds_no_sensitive_value_and_names_no_system_out_of_support() {
    let dir = tempfile::tempdir().unwrap();
    let returns = planted_returns(dir.path());
    let (sensitive, out_of_support) = full_values(&returns);
    // The full data does hold them: the search below can fail.
    for p in [VULN, RESTORE, ITHC, "A1.a"] {
        assert!(sensitive.iter().any(|s| s == p), "{p} not planted");
    }
    assert!(out_of_support.len() >= 5, "{out_of_support:?}");

    for profile in [ExportProfile::Open, ExportProfile::Committee] {
        let out = dir.path().join(profile.id());
        let o = publish(&returns, profile, &out);
        assert_eq!(o.organisations, 33);
        assert_eq!(o.marking, "OFFICIAL");
        let all = files(&out);
        assert!(all.len() >= 20, "{all:?}");
        let mut seen_systems = false;
        for f in &all {
            let text = std::fs::read_to_string(f).unwrap();
            for s in &sensitive {
                assert!(
                    !text.contains(s.as_str()),
                    "{} of the {} site holds the sensitive value {s}",
                    f.display(),
                    profile.id()
                );
            }
            for label in sensitive_labels() {
                assert!(
                    !text.contains(&format!(">{label}<"))
                        && !text.contains(&format!("\"{label}\"")),
                    "{} has a {label} column",
                    f.display()
                );
            }
            // The dates as the pages write dates.
            for d in ["13 Jul 2019", "9 Mar 2018"] {
                assert!(!text.contains(d), "{} holds {d}", f.display());
            }
            if profile == ExportProfile::Open {
                assert!(!text.contains(NOTE), "{} holds a note", f.display());
            }
            if profile == ExportProfile::Open {
                for line in text.lines() {
                    for name in &out_of_support {
                        if line.contains(name.as_str()) {
                            seen_systems = true;
                            assert!(
                                !line.contains("Out of support") && !line.contains("2024-06-30"),
                                "{} names {name} as out of support: {line}",
                                f.display()
                            );
                        }
                    }
                }
                assert!(
                    !text.contains("Out of support") && !text.contains("out_of_support"),
                    "{} shows a support status",
                    f.display()
                );
            }
        }
        if profile == ExportProfile::Open {
            // A positive control: the systems are listed (in the systems CSV), just not their
            // support status.
            assert!(seen_systems);
        }
        // Every page carries the protective marking and the profile.
        for page in &o.pages {
            let html = std::fs::read_to_string(out.join(page)).unwrap();
            assert!(html.contains("<p class=\"marking\" data-marking>OFFICIAL</p>"));
            assert!(html.contains(&format!("Profile: <strong>{}</strong>", profile.id())));
            assert!(html.contains("default-src 'none'"));
        }
    }
}

#[test]
fn the_site_has_every_page_and_the_pipeline_of_the_next_36_months() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let o = publish(
        &workspace().join("fixtures/london/returns.json"),
        ExportProfile::Open,
        &out,
    );
    assert_eq!(
        o.pages,
        [
            "index.html",
            "pipeline.html",
            "systems.html",
            "products.html",
            "suppliers.html",
            "skills.html",
            "readiness.html",
            "downloads.html"
        ]
    );
    let names: Vec<String> = o
        .downloads
        .iter()
        .map(|f| {
            Path::new(&f.path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for want in [
        "systems.csv",
        "contracts.csv",
        "readiness.csv",
        "contracts-ocds.json",
        "pipeline-ocds.json",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
    }
    assert!(o.pipeline_contracts > 0 && o.pipeline_windows > 0);
    let pipeline = std::fs::read_to_string(out.join("pipeline.html")).unwrap();
    // Each pipeline contract is a row of the pipeline table's data, every one within 36
    // months; the table lists the first 100.
    let data = pipeline
        .split("<script type=\"application/json\" id=\"pipeline-rows\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    // The data block: columns of indices into the table's texts (`s`).
    let data: Value = serde_json::from_str(data).unwrap();
    let n = data["n"].as_u64().unwrap() as usize;
    assert_eq!(n as u64, o.pipeline_contracts);
    let text = |i: &Value| {
        data["s"][i.as_u64().unwrap() as usize]
            .as_str()
            .unwrap()
            .to_string()
    };
    for r in 0..n {
        // Cells 1 and 2: decide by, contract ends (their sort keys are ISO dates).
        let dates: Vec<String> = [1, 2]
            .iter()
            .map(|c| &data["c"][*c]["k"][r])
            .filter(|k| k.as_i64().is_some_and(|k| k >= 0))
            .map(text)
            .collect();
        assert!(
            dates
                .iter()
                .any(|d| d.as_str() >= "2026-11-23" && d.as_str() <= "2029-11-23"),
            "row {r}: {dates:?}"
        );
    }
    // The organisation filter's value is the Organisation cell on every row (its index, once).
    assert_eq!(data["f"]["org"], 3, "{}", data["f"]);
    // The organisations' select (London's 33) is filled by the script from the data's list.
    assert!(pipeline.contains(
        "<select class=\"select select-long\" id=\"pipeline-org\" data-filter=\"org\" data-match=\"equals\" data-lazy><option value=\"\">All</option></select>"
    ));
    let orgs: Vec<String> = data["o"]["org"]
        .as_array()
        .unwrap()
        .iter()
        .map(text)
        .collect();
    assert_eq!(orgs.len(), 33, "{orgs:?}");
    assert!(orgs.windows(2).all(|w| w[0] < w[1]), "{orgs:?}");
    let body = pipeline
        .split("<table class=\"data\" id=\"pipeline\">")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    let listed = body.lines().filter(|l| l.starts_with("<tr>")).count();
    assert_eq!(listed, n.min(100));
    assert_eq!(pipeline.contains("(the first 100 listed)"), n > 100);
    // Filters, a chart with a table beside it, the marking.
    for id in [
        "pipeline-org",
        "pipeline-supplier",
        "pipeline-area",
        "pipeline-system",
    ] {
        assert!(pipeline.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(pipeline.contains("<svg class=\"bars\" role=\"img\""));
    assert!(pipeline.contains("chart-table"));
    // Nothing refers outside the folder.
    for f in files(&out) {
        if f.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&f).unwrap();
            for bad in ["http://", "https://", "//"] {
                for attr in ["src=\"", "href=\""] {
                    assert!(
                        !html.contains(&format!("{attr}{bad}")),
                        "{} links outside: {attr}{bad}",
                        f.display()
                    );
                }
            }
        }
    }
}

#[test]
fn the_pipeline_ocds_validates_and_links_each_plan_to_its_current_contract() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let o = publish(
        &workspace().join("fixtures/london/returns.json"),
        ExportProfile::Open,
        &out,
    );
    for file in ["pipeline-ocds.json", "contracts-ocds.json"] {
        let path = out.join("data").join(file);
        let run = Command::new(python())
            .arg(workspace().join("tests/python/validate_ocds.py"))
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{file} does not validate:\n{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(
            String::from_utf8_lossy(&run.stdout).contains("open-contracting.org/schema/1__1__")
        );
    }
    let read = |f: &str| -> Value {
        serde_json::from_slice(&std::fs::read(out.join("data").join(f)).unwrap()).unwrap()
    };
    let plans = read("pipeline-ocds.json");
    let contracts = read("contracts-ocds.json");
    let ocids: Vec<&str> = contracts["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ocid"].as_str().unwrap())
        .collect();
    let releases = plans["releases"].as_array().unwrap();
    assert_eq!(releases.len() as u64, o.pipeline_contracts);
    for r in releases {
        assert_eq!(r["tag"], json!(["planning"]));
        assert_eq!(r["tender"]["status"], "planned");
        let rel = &r["relatedProcesses"][0];
        assert_eq!(rel["scheme"], "ocid");
        assert_eq!(rel["relationship"], json!(["prior"]));
        let current = rel["identifier"].as_str().unwrap();
        assert!(
            ocids.contains(&current),
            "{current} has no contract release"
        );
        assert_eq!(r["ocid"].as_str().unwrap(), format!("{current}-next"));
        assert!(r["buyer"]["name"].is_string());
    }
    // The validator can fail: a planning release without its tender id is refused.
    let mut broken = plans.clone();
    broken["releases"][0]["tender"]
        .as_object_mut()
        .unwrap()
        .remove("id");
    let bad = dir.path().join("broken.json");
    std::fs::write(&bad, serde_json::to_vec(&broken).unwrap()).unwrap();
    let run = Command::new(python())
        .arg(workspace().join("tests/python/validate_ocds.py"))
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!run.status.success());
}

#[test]
fn user_text_is_escaped_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(workspace().join("fixtures/london/returns.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    let evil = "<img src=x onerror=alert(1)>\"'&";
    for r in v["organisations"][0]["records"].as_array_mut().unwrap() {
        match r["kind"].as_str().unwrap() {
            "supplier" => r["data"]["name"] = json!(format!("Acme {evil}")),
            "contract" => r["data"]["title"] = json!(format!("Case {evil}")),
            _ => {}
        }
    }
    let returns = dir.path().join("returns.json");
    std::fs::write(&returns, serde_json::to_vec(&v).unwrap()).unwrap();
    let out = dir.path().join("site");
    let o = publish(&returns, ExportProfile::Open, &out);
    let mut escaped = 0;
    for page in &o.pages {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(!html.contains("<img"), "{page} holds markup from user text");
        escaped += html.matches("&lt;img src=x onerror=alert(1)&gt;").count();
    }
    assert!(escaped > 0);
}

#[test]
fn a_failed_publish_leaves_the_old_site_and_full_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("index.html"), "the old site").unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{not json").unwrap();
    let e =
        api::publish_site_from_returns(&bad, None, ExportProfile::Open, &out, &ctx(), &mut |_| {})
            .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    let e = api::publish_site_from_returns(
        &workspace().join("fixtures/london/returns.json"),
        None,
        ExportProfile::Full,
        &out,
        &ctx(),
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Usage);
    assert_eq!(
        api::parse_site_profile("full").unwrap_err().kind,
        ErrorKind::Usage
    );
    // A file where the folder should be is refused, untouched.
    let file = dir.path().join("a-file");
    std::fs::write(&file, "mine").unwrap();
    let e = api::publish_site_from_returns(
        &workspace().join("fixtures/london/returns.json"),
        None,
        ExportProfile::Open,
        &file,
        &ctx(),
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Io);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    assert_eq!(
        std::fs::read_to_string(out.join("index.html")).unwrap(),
        "the old site"
    );
    // Only the site, the bad file and the file: no temporary folder left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
}

#[test]
fn the_central_store_publishes_its_cycle_and_a_borough_store_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::exports::central(dir.path());
    let mut c = Store::open(&path).unwrap();
    let out = dir.path().join("site");
    let mut stages = Vec::new();
    let o = c
        .publish_site(
            Some("2026-27"),
            ExportProfile::Committee,
            &out,
            &ctx(),
            &mut |p| stages.push(p.clone()),
        )
        .unwrap();
    assert_eq!(o.organisations, 2);
    assert!(stages.iter().all(|p| p.done <= p.total) && stages.len() > 5);
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("Camden") && index.contains("Barnet"));
    for f in files(&out) {
        let text = std::fs::read_to_string(&f).unwrap();
        // Committee keeps notes but no sensitive answer.
        assert!(!text.contains("VULN-PLANT"), "{}", f.display());
    }
    let mut borough = crate::bundles::borough(dir.path(), "E09000001", "city");
    let e = borough
        .publish_site(
            None,
            ExportProfile::Open,
            &dir.path().join("b"),
            &ctx(),
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Usage);
}
