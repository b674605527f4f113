//! Collaboration analysis: the synthetic London data set (`fixtures/london`) through the API —
//! the planted windows, concentration, alias groups, suggestion, skills pair and certificate
//! expiries are found, and the decoys are not; refused options; regenerating the data set gives
//! identical files.

use city_core::api::{
    Analysis, AnalysisFilter, DecisionOptions, ErrorKind, IsoDate, ProductOptions,
    ReadinessOptions, SkillOptions, WindowGrouping, WindowOptions,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub(crate) fn london() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/london")
}

pub(crate) fn planted() -> Value {
    serde_json::from_str(&std::fs::read_to_string(london().join("planted.json")).unwrap()).unwrap()
}

fn data() -> Analysis {
    Analysis::from_returns_file(&london().join("returns.json")).unwrap()
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn date(s: &str) -> IsoDate {
    IsoDate::parse(s).unwrap()
}

#[test]
fn the_planted_windows_are_found_and_the_decoy_is_not() {
    let p = planted();
    let a = data();
    assert_eq!(a.organisations(), 33);
    let opts = WindowOptions {
        group_by: vec![WindowGrouping::Product],
        ..WindowOptions::default()
    };
    assert_eq!(
        opts.window_months,
        p["window_months"].as_u64().unwrap() as u32
    );
    let windows = a.windows(&opts, &AnalysisFilter::default()).unwrap();
    for w in p["windows"].as_array().unwrap() {
        let key = w["group_key"].as_str().unwrap();
        let found: Vec<_> = windows.iter().filter(|x| x.group_key == key).collect();
        assert_eq!(found.len(), 1, "{key}: {found:#?}");
        let ids: BTreeSet<String> = found[0]
            .contracts
            .iter()
            .map(|c| c.contract_id.to_string())
            .collect();
        assert_eq!(ids, strings(&w["contract_ids"]), "{key}");
        assert_eq!(
            found[0]
                .organisations
                .iter()
                .cloned()
                .collect::<BTreeSet<_>>(),
            strings(&w["organisations"])
        );
        assert!(
            found[0].explanation.contains("organisations"),
            "{}",
            found[0].explanation
        );
    }
    // The planted Liquidlogic window has the most money at stake of all product windows.
    assert_eq!(windows[0].group_key, "product:liquidlogic lcs");
    assert_eq!(windows[0].rank, 1);
    assert_eq!(windows[0].annual_value.0, 485_000_000);
    // The decoy: same product, decisions 14 months apart — no window with a 12-month width...
    for d in p["decoy_windows"].as_array().unwrap() {
        let key = d["group_key"].as_str().unwrap();
        assert!(
            windows.iter().all(|w| w.group_key != key),
            "decoy {key} found"
        );
        // ...but a 15-month window finds it (so the test above could fail).
        let wide = WindowOptions {
            window_months: 15,
            ..opts.clone()
        };
        let w = a.windows(&wide, &AnalysisFilter::default()).unwrap();
        assert!(w.iter().any(|w| w.group_key == key));
    }
    // Supplier grouping finds the same Liquidlogic contracts.
    let by_supplier = a
        .windows(
            &WindowOptions {
                group_by: vec![WindowGrouping::Supplier],
                ..WindowOptions::default()
            },
            &AnalysisFilter::default(),
        )
        .unwrap();
    let ll: Vec<_> = by_supplier
        .iter()
        .filter(|w| w.group_key == "ch:05291424")
        .collect();
    assert_eq!(ll.len(), 1);
    assert_eq!(ll[0].contracts.len(), 5);
}

#[test]
fn concentration_matches_the_planted_shares_and_hhi() {
    let p = &planted()["concentration"];
    let c = data().concentration(&AnalysisFilter::default()).unwrap();
    let o = &c.overall;
    assert_eq!(o.contracts, p["contracts"].as_u64().unwrap() as usize);
    assert_eq!(
        o.supplier_count,
        p["supplier_count"].as_u64().unwrap() as usize
    );
    let top = &o.suppliers[0];
    assert_eq!(
        top.supplier_key,
        format!("ch:{}", p["top_supplier_companies_house"].as_str().unwrap())
    );
    let close = |a: f64, b: &Value| (a - b.as_f64().unwrap()).abs() < 0.006;
    assert!(
        close(top.contract_share_pct, &p["top_contract_share_pct"]),
        "{top:?}"
    );
    assert!(
        close(top.value_share_pct, &p["top_value_share_pct"]),
        "{top:?}"
    );
    assert!(close(
        o.top10_contract_share_pct,
        &p["top10_contract_share_pct"]
    ));
    assert!(
        close(o.hhi_contracts, &p["hhi_contracts"]),
        "{}",
        o.hhi_contracts
    );
    assert!(close(o.hhi_value, &p["hhi_value"]), "{}", o.hhi_value);
    assert!(!c.by_service_area.is_empty());
    // The 2019 finding: more suppliers, lower satisfaction.
    let r = c.satisfaction_correlation.unwrap();
    assert!(
        r < planted()["satisfaction"]["correlation_below"]
            .as_f64()
            .unwrap(),
        "r = {r}"
    );
    for pt in &c.satisfaction {
        let want = &planted()["satisfaction"]["distinct_suppliers"][&pt.organisation];
        assert_eq!(
            pt.distinct_suppliers as u64,
            want.as_u64().unwrap(),
            "{}",
            pt.organisation
        );
    }
}

#[test]
fn spelling_variants_meet_and_different_companies_do_not() {
    let p = planted();
    let n = data().normalisation();
    assert_eq!(
        n.suppliers.len(),
        p["supplier_entities"].as_u64().unwrap() as usize
    );
    for g in p["alias_groups"].as_array().unwrap() {
        let ids = strings(&g["record_ids"]);
        let holders: Vec<_> = n
            .suppliers
            .iter()
            .filter(|e| {
                e.members
                    .iter()
                    .any(|m| ids.contains(&m.record_id.to_string()))
            })
            .collect();
        assert_eq!(holders.len(), 1, "{} split: {holders:#?}", g["supplier"]);
        let members: BTreeSet<String> = holders[0]
            .members
            .iter()
            .map(|m| m.record_id.to_string())
            .collect();
        assert_eq!(members, ids, "{}", g["supplier"]);
        if let Some(ch) = g["companies_house"].as_str() {
            assert_eq!(holders[0].key, format!("ch:{ch}"));
        }
    }
    let civica = n.suppliers.iter().find(|e| e.key == "ch:01628868").unwrap();
    assert!(civica.spellings.len() >= 3, "{:?}", civica.spellings);
    // Capita and Capital Software stay apart and are not even suggested.
    let capital = n
        .suppliers
        .iter()
        .find(|e| e.name == "Capital Software Ltd")
        .unwrap();
    assert_eq!(capital.key, "name:capital software");
    let pair = |s: &city_core::api::AliasSuggestion| {
        BTreeSet::from([s.a_normalised.clone(), s.b_normalised.clone()])
    };
    let got: BTreeSet<BTreeSet<String>> = n.suggestions.iter().map(pair).collect();
    let want: BTreeSet<BTreeSet<String>> = p["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            BTreeSet::from([
                s["a"].as_str().unwrap().into(),
                s["b"].as_str().unwrap().into(),
            ])
        })
        .collect();
    assert_eq!(got, want, "suggestions: {:#?}", n.suggestions);
}

#[test]
fn shared_products_show_each_organisations_use_side_by_side() {
    let a = data();
    let products = a
        .shared_products(&ProductOptions::default(), &AnalysisFilter::default())
        .unwrap();
    let ll = products
        .iter()
        .find(|p| p.product_key == "product:liquidlogic lcs")
        .unwrap();
    assert_eq!(ll.organisations.len(), 5);
    assert_eq!(ll.supplier_key.as_deref(), Some("ch:05291424"));
    assert!(
        ll.uses
            .iter()
            .all(|u| u.contract_ends.len() == 1 && u.satisfaction.is_some())
    );
    let spellings: BTreeSet<_> = ll.uses.iter().map(|u| u.product_name.as_str()).collect();
    assert!(spellings.len() >= 3, "{spellings:?}");
    // Filters: by service area, by organisation.
    let f = AnalysisFilter {
        organisation: Some("E09000014".into()),
        ..AnalysisFilter::default()
    };
    let only = a.shared_products(&ProductOptions::default(), &f).unwrap();
    assert!(
        only.iter()
            .all(|p| p.organisations.contains(&"gss:E09000014".to_string()))
    );
    assert!(only.len() < products.len());
}

#[test]
fn decision_dates_flag_rolling_and_missing_notice() {
    let a = data();
    let rows = a
        .decisions(&DecisionOptions::default(), &AnalysisFilter::default())
        .unwrap();
    assert_eq!(
        rows.len(),
        planted()["concentration"]["contracts"].as_u64().unwrap() as usize
    );
    assert!(
        rows.iter()
            .any(|r| r.decision_date.is_none() && r.notes.iter().any(|n| n.contains("rolling")))
    );
    assert!(
        rows.iter()
            .any(|r| r.notes.iter().any(|n| n.contains("counted as 0")))
    );
    // Soonest first, unknown last.
    let known: Vec<_> = rows.iter().filter_map(|r| r.decision_date).collect();
    assert!(known.windows(2).all(|w| w[0] <= w[1]));
    assert!(rows.last().unwrap().decision_date.is_none());
    // Filtered by supplier name and contract end.
    let f = AnalysisFilter {
        supplier: Some("liquidlogic".into()),
        ends_to: Some(date("2028-12-31")),
        ..AnalysisFilter::default()
    };
    let ll = a.decisions(&DecisionOptions::default(), &f).unwrap();
    assert!(!ll.is_empty() && ll.len() <= 5);
    assert!(
        ll.iter()
            .all(|r| r.supplier_key.as_deref() == Some("ch:05291424"))
    );
}

#[test]
fn readiness_finds_the_planted_expiries_and_keeps_caf_detail_back() {
    let p = &planted();
    let a = data();
    let opts = ReadinessOptions::as_of(date(p["as_of"].as_str().unwrap()));
    let r = a.readiness(&opts).unwrap();
    let with = |f: &dyn Fn(&city_core::api::CertificateRow) -> bool| -> BTreeSet<String> {
        r.certificates
            .iter()
            .filter(|c| f(c))
            .map(|c| c.organisation.clone())
            .collect()
    };
    use city_core::api::CertificateState as S;
    assert_eq!(
        with(&|c| c.ce_state == S::Expired),
        strings(&p["certificates"]["ce_expired"])
    );
    assert_eq!(
        with(&|c| c.ce_state == S::ExpiringSoon),
        strings(&p["certificates"]["ce_expiring_soon"])
    );
    assert_eq!(
        with(&|c| c.psn_state == S::Expired),
        strings(&p["certificates"]["psn_expired"])
    );
    // Without the sensitive profile: one CAF row for everyone, counts but no system names.
    assert_eq!(r.caf.len(), 1);
    assert_eq!(r.caf[0].organisation, None);
    assert_eq!(r.caf_principles.len(), 14);
    assert!(
        r.caf[0]
            .cells
            .iter()
            .any(|c| c.principle == "A1" && c.achieved > 0)
    );
    let unsupported: usize = r.support.iter().map(|s| s.out_of_support).sum();
    assert_eq!(
        unsupported,
        p["unsupported_systems"].as_object().unwrap().len()
    );
    assert!(r.support.iter().all(|s| s.details.is_empty()));
    assert_eq!(r.ico.len(), 33);
    assert!(
        r.ico
            .iter()
            .all(|row| row.ratings.len() == 10 && row.ratings.iter().all(Option::is_some))
    );
    // With it: a row per organisation and the systems named.
    let full = a
        .readiness(&ReadinessOptions {
            include_sensitive: true,
            ..opts
        })
        .unwrap();
    assert_eq!(full.caf.len(), 34);
    assert!(
        full.support
            .iter()
            .any(|s| s.details.iter().any(|d| d.name.contains("legacy")))
    );
}

#[test]
fn the_planted_skills_pair_ranks_first() {
    let p = &planted()["skills"];
    let pairs = data().skills(&SkillOptions::default()).unwrap();
    let top = &pairs[0];
    assert_eq!(top.area.id(), p["area"].as_str().unwrap());
    assert_eq!(top.provider, p["provider"].as_str().unwrap());
    assert_eq!(top.seeker, p["seeker"].as_str().unwrap());
    assert_eq!(u64::from(top.score), p["score"].as_u64().unwrap());
    assert!(pairs[1].score < top.score);
}

#[test]
fn refused_options_are_validation_errors_naming_the_option() {
    let a = data();
    let e = a
        .windows(
            &WindowOptions {
                window_months: 0,
                ..WindowOptions::default()
            },
            &AnalysisFilter::default(),
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    assert!(e.message.contains("window"), "{}", e.message);
    let e = a
        .decisions(
            &DecisionOptions {
                lead_months: 500,
                ..DecisionOptions::default()
            },
            &AnalysisFilter::default(),
        )
        .unwrap_err();
    assert!(e.message.contains("lead time"), "{}", e.message);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"cycle":"2026-27","organisations":[{"organisation":"gss:E09000007","records":[{"id":"6c1f3b0e-9a7b-4f59-a2d1-0d4c0b8f1a11","kind":"contract","data":{"title":"T","end_date":"2027-02-30"}}]}]}"#,
    )
    .unwrap();
    let e = Analysis::from_returns_file(&bad).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    assert!(
        e.message.contains("end_date") && e.message.contains("gss:E09000007"),
        "{}",
        e.message
    );
}

#[test]
fn regenerating_the_london_data_set_gives_identical_files() {
    let py = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    assert!(
        py.exists(),
        "{} is missing: run cargo xtask setup",
        py.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(&py)
        .arg(london().join("generate.py"))
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "returns.json",
        "planted.json",
        "returns-2027-28.json",
        "planted-progress.json",
    ] {
        assert!(
            std::fs::read(dir.path().join(f)).unwrap() == std::fs::read(london().join(f)).unwrap(),
            "{f} differs from the committed file: regenerate and commit it"
        );
    }
}

// ---- Through LOTI's central store: bundles from three boroughs, imported, then analysed.

use crate::bundles::{PASS, central, import, key, recipient};
use crate::support::{bytes, ctx};
use city_core::api::{AliasKind, CyclePackInput, ImportOutcomeKind, Store};
use std::collections::HashMap;

/// The synthetic records of `code`, with their kind and data.
fn records_of(code: &str) -> Vec<(String, String, Value)> {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(london().join("returns.json")).unwrap())
            .unwrap();
    let org = v["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["organisation"] == format!("gss:{code}"))
        .unwrap();
    org["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["kind"].as_str().unwrap().to_string(),
                r["data"].clone(),
            )
        })
        .collect()
}

/// Replaces the synthetic ids a record points at with the ids the borough store gave.
fn remap(data: &mut Value, ids: &HashMap<String, String>) {
    for f in ["supplier_id", "product_id"] {
        if let Some(old) = data[f].as_str().map(str::to_string) {
            data[f] = Value::String(ids[&old].clone());
        }
    }
    if let Some(list) = data.get_mut("system_ids").and_then(Value::as_array_mut) {
        for v in list {
            *v = Value::String(ids[v.as_str().unwrap()].clone());
        }
    }
}

/// A borough store holding `code`'s synthetic return, exported as a bundle signed by `signer`.
fn bundle_for(dir: &Path, code: &str, signer: &str) -> PathBuf {
    let pack = dir.join("2026-27.ctcycle");
    if !pack.exists() {
        let input = CyclePackInput {
            cycle: "2026-27".into(),
            opens: "2026-04-01".into(),
            closes: "2026-07-31".into(),
            recipients: vec![recipient("loti"), recipient("backup")],
        };
        city_core::api::create_cycle_pack(&pack, &input, &key("root.key"), PASS).unwrap();
    }
    let mut s = Store::create(
        &dir.join(format!("{code}.ctstore")),
        code,
        "2026-27",
        &ctx(),
    )
    .unwrap();
    let mut ids = HashMap::new();
    let records = records_of(code);
    for kind in [
        "supplier", "product", "system", "contract", "skill", "gdpr", "cyber",
    ] {
        for (id, k, data) in records.iter().filter(|r| r.1 == kind) {
            let mut data = data.clone();
            remap(&mut data, &ids);
            let added = s
                .add(None, city_core::api::parse_kind(k).unwrap(), data, &ctx())
                .unwrap();
            ids.insert(id.clone(), added.id.to_string());
        }
    }
    s.import_cycle_pack(&pack, Some(&key("root.pub")), &ctx())
        .unwrap();
    let out = dir.join(format!("out-{code}"));
    std::fs::create_dir_all(&out).unwrap();
    PathBuf::from(
        s.export_bundle(None, &out, &key(&format!("{signer}.key")), PASS, &ctx())
            .unwrap()
            .file,
    )
}

#[test]
fn the_central_store_analyses_imported_returns_and_keeps_alias_decisions() {
    let dir = tempfile::tempdir().unwrap();
    // Three boroughs of the planted Liquidlogic window, one test key each.
    let orgs = [
        ("E09000002", "camden"),
        ("E09000008", "barnet"),
        ("E09000014", "stranger"),
    ];
    let files: Vec<PathBuf> = orgs
        .iter()
        .map(|(code, signer)| bundle_for(dir.path(), code, signer))
        .collect();
    let trusted: Vec<(&str, &str)> = orgs.iter().map(|(c, s)| (*s, *c)).collect();
    let path = central(dir.path(), &trusted);
    let out = import(&path, &files);
    assert!(
        out.iter().all(|o| o.outcome == ImportOutcomeKind::Accepted),
        "{out:#?}"
    );

    let mut c = Store::open(&path).unwrap();
    let a = c.analysis("2026-27").unwrap();
    assert_eq!(a.organisations(), 3);
    let windows = a
        .windows(
            &WindowOptions {
                group_by: vec![WindowGrouping::Product],
                ..WindowOptions::default()
            },
            &AnalysisFilter::default(),
        )
        .unwrap();
    let ll = windows
        .iter()
        .find(|w| w.group_key == "product:liquidlogic lcs")
        .unwrap();
    assert_eq!(
        ll.organisations,
        ["gss:E09000002", "gss:E09000008", "gss:E09000014"]
    );
    assert_eq!(ll.contracts.len(), 3);
    let n = a.normalisation();
    let civica = n.suppliers.iter().find(|e| e.key == "ch:01628868").unwrap();
    assert_eq!(civica.organisations.len(), 3, "{civica:#?}");

    // Refused: an unknown suggestion id, a zero window — the store is left byte for byte.
    drop(c);
    let before = bytes(&path);
    let mut c = Store::open(&path).unwrap();
    let e = c
        .decide_alias("2026-27", "0123456789ab", true, "", &ctx())
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert!(e.message.contains("0123456789ab"), "{}", e.message);
    let e = c
        .decide_alias_names(
            "2026-27",
            AliasKind::Supplier,
            "Civica Ltd",
            "CIVICA",
            true,
            "",
            &ctx(),
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    assert!(
        c.analysis("2026-27")
            .unwrap()
            .windows(
                &WindowOptions {
                    window_months: 0,
                    ..WindowOptions::default()
                },
                &AnalysisFilter::default()
            )
            .is_err()
    );
    drop(c);
    assert_eq!(bytes(&path), before, "a refused decision changed the store");

    // An analyst confirms that two suppliers are one (decided in a later cycle: decisions are
    // about names, so they apply to every cycle), then changes their mind.
    let mut c = Store::open(&path).unwrap();
    let before_count = c
        .analysis("2026-27")
        .unwrap()
        .normalisation()
        .suppliers
        .len();
    let d = c
        .decide_alias_names(
            "2027-28",
            AliasKind::Supplier,
            "Granicus",
            "Jadu Ltd",
            true,
            "test: pretend they merged",
            &ctx(),
        )
        .unwrap();
    assert!(d.confirmed && d.current);
    assert_eq!((d.name_a.as_str(), d.name_b.as_str()), ("granicus", "jadu"));
    let n = c.analysis("2026-27").unwrap().normalisation();
    let merged = n
        .suppliers
        .iter()
        .find(|e| e.spellings.iter().any(|s| s.starts_with("Granicus")))
        .unwrap();
    assert!(
        merged.spellings.iter().any(|s| s.starts_with("Jadu")),
        "{merged:#?}"
    );
    assert!(merged.matched_by.contains(&"confirmed alias".to_string()));
    assert_eq!(n.suppliers.len(), before_count - 1);
    // Deciding the same again is a conflict; rejecting replaces the confirmation.
    let e = c
        .decide_alias_names(
            "2027-28",
            AliasKind::Supplier,
            "Jadu",
            "Granicus Inc",
            true,
            "",
            &ctx(),
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict);
    c.decide_alias_names(
        "2027-28",
        AliasKind::Supplier,
        "Jadu",
        "Granicus",
        false,
        "no",
        &ctx(),
    )
    .unwrap();
    let list = c.alias_decisions().unwrap();
    assert_eq!(list.len(), 2);
    assert!(!list[0].current && list[1].current && !list[1].confirmed);
    assert_eq!(list[0].decided_by, "tester");
    assert_eq!(
        c.analysis("2026-27")
            .unwrap()
            .normalisation()
            .suppliers
            .len(),
        before_count
    );
    // A borough store cannot be analysed.
    let mut b = Store::open(&dir.path().join("E09000002.ctstore")).unwrap();
    assert_eq!(b.analysis("2026-27").unwrap_err().kind, ErrorKind::Usage);
}
