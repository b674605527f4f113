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
                use_latest_end: false,
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
    for f in ["returns.json", "planted.json"] {
        assert!(
            std::fs::read(dir.path().join(f)).unwrap() == std::fs::read(london().join(f)).unwrap(),
            "{f} differs from the committed file: regenerate and commit it"
        );
    }
}
