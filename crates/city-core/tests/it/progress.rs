//! Progress between two cycles on the synthetic London data set (`fixtures/london`): the
//! 2027-28 returns carry 2026-27's forward with planted changes and decoys. Every planted change
//! is found and nothing else; Sutton, which sent no return, is missing and never a change; the
//! records, late returns, windows and HHI then and now are those planted; sensitive changes
//! appear only with sensitive detail.

use crate::analysis::london;
use city_core::api::{
    AnalysisFilter, CafOutcome, ChangeKind, IcoCategory, ProgressOptions, ProgressReport,
    ReturnPair, SkillArea, WindowGrouping, WindowOutcome, progress_from_returns,
};
use serde_json::Value;
use std::collections::BTreeSet;

fn planted() -> Value {
    serde_json::from_str(&std::fs::read_to_string(london().join("planted-progress.json")).unwrap())
        .unwrap()
}

pub(crate) fn london_progress(
    options: &ProgressOptions,
    filter: &AnalysisFilter,
) -> ProgressReport {
    progress_from_returns(
        &london().join("returns.json"),
        &london().join("returns-2027-28.json"),
        options,
        filter,
    )
    .unwrap()
}

fn full() -> ProgressOptions {
    ProgressOptions {
        include_sensitive: true,
        ..ProgressOptions::default()
    }
}

/// The planted changes as (organisation, kind, subject).
fn planted_changes() -> BTreeSet<(String, String, String)> {
    planted()["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let subject = if let Some(cat) = c["category"].as_str() {
                IcoCategory::from_id(cat).unwrap().label().to_string()
            } else if let Some(a) = c["area"].as_str() {
                SkillArea::from_id(a).unwrap().label().to_string()
            } else if let Some(o) = c["outcome"].as_str() {
                CafOutcome::from_id(o).unwrap().label().to_string()
            } else {
                c["subject"].as_str().unwrap().to_string()
            };
            (
                c["organisation"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
                subject,
            )
        })
        .collect()
}

fn found(r: &ProgressReport) -> BTreeSet<(String, String, String)> {
    r.changes
        .iter()
        .map(|c| {
            (
                c.organisation.clone(),
                c.kind.id().to_string(),
                c.subject.clone(),
            )
        })
        .collect()
}

#[test]
fn every_planted_change_is_found_and_no_decoy() {
    let r = london_progress(&full(), &AnalysisFilter::default());
    let want = planted_changes();
    let got = found(&r);
    let missed: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "missed {missed:#?}\nfound but not planted (decoys?) {extra:#?}"
    );
    assert_eq!(r.changes.len(), want.len(), "a change listed twice");
}

#[test]
fn sutton_sent_no_return_and_is_missing_never_a_change() {
    let r = london_progress(&full(), &AnalysisFilter::default());
    let p = planted();
    assert_eq!(r.organisations.len(), 33);
    let sutton = r
        .organisations
        .iter()
        .find(|o| o.organisation == "gss:E09000029")
        .unwrap();
    assert_eq!(sutton.returns, ReturnPair::NoReturnNow);
    assert!(sutton.then.is_some() && sutton.now.is_none());
    assert!(
        sutton.records.is_none()
            && sutton.ico.is_none()
            && sutton.cyber_essentials.is_none()
            && sutton.systems.is_none()
            && sutton.contracts.is_none()
            && sutton.skills.is_none(),
        "a missing return was compared: {sutton:?}"
    );
    assert!(!r.changes.iter().any(|c| c.organisation == "gss:E09000029"));
    assert_eq!(r.london.no_return_now, vec!["Sutton".to_string()]);
    assert_eq!(r.london.compared, 32);
    assert_eq!(
        p["no_return_now"][0], "gss:E09000029",
        "the planted file agrees"
    );
    // Its decoy Whitespace contract is not counted as ended either.
    assert_eq!(
        r.london.contracts.ended, 1,
        "only Havering's contract ended: {:?}",
        r.london.contracts
    );
}

#[test]
fn records_late_returns_windows_and_hhi_are_as_planted() {
    let r = london_progress(&ProgressOptions::default(), &AnalysisFilter::default());
    let p = planted();
    for o in r
        .organisations
        .iter()
        .filter(|o| o.returns == ReturnPair::Both)
    {
        let want = &p["records"][&o.organisation];
        let m = o.records.unwrap();
        assert_eq!(
            (m.unchanged, m.changed, m.new, m.retired, m.not_reviewed),
            (
                want["unchanged"].as_u64().unwrap() as usize,
                want["changed"].as_u64().unwrap() as usize,
                want["new"].as_u64().unwrap() as usize,
                want["retired"].as_u64().unwrap() as usize,
                want["not_reviewed"].as_u64().unwrap() as usize,
            ),
            "{}",
            o.name
        );
    }
    let late = |then: bool| -> Vec<String> {
        r.organisations
            .iter()
            .filter(|o| {
                let rec = if then { &o.then } else { &o.now };
                rec.as_ref().and_then(|x| x.on_time) == Some(false)
            })
            .map(|o| o.organisation.clone())
            .collect()
    };
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(late(true), strings(&p["late_then"]));
    assert_eq!(late(false), strings(&p["late_now"]));
    assert_eq!(r.london.late_then + r.london.on_time_then, 33);
    assert_eq!(r.london.late_now + r.london.on_time_now, 32);

    let w = |key: &str| {
        r.windows
            .iter()
            .find(|w| w.grouping == WindowGrouping::Product && w.group_key == key)
            .unwrap_or_else(|| panic!("no window {key}"))
    };
    let acted = w(p["windows"]["acted_on"]["group_key"].as_str().unwrap());
    assert_eq!(acted.outcome, WindowOutcome::ActedOn);
    assert_eq!(
        acted.joined_organisations,
        strings(&p["windows"]["acted_on"]["joined"])
    );
    let open = w(p["windows"]["open"]["group_key"].as_str().unwrap());
    assert_eq!(open.outcome, WindowOutcome::Open);
    assert!(
        r.windows
            .iter()
            .filter(|w| w.outcome == WindowOutcome::ActedOn)
            .all(|w| w.organisations.contains(&"gss:E09000002".to_string())),
        "only the Liquidlogic windows were acted on"
    );

    let close = |a: f64, b: &Value| (a - b.as_f64().unwrap()).abs() < 0.01;
    for (fig, want) in [
        (&r.market.then, &p["concentration"]["then"]),
        (&r.market.now, &p["concentration"]["now"]),
    ] {
        assert_eq!(fig.contracts as u64, want["contracts"].as_u64().unwrap());
        assert_eq!(
            fig.supplier_count as u64,
            want["supplier_count"].as_u64().unwrap()
        );
        assert!(
            close(fig.hhi_contracts, &want["hhi_contracts"]),
            "{fig:?} {want}"
        );
        assert!(close(fig.hhi_value, &want["hhi_value"]), "{fig:?} {want}");
    }
}

#[test]
fn sensitive_changes_and_caf_need_sensitive_detail_and_filters_narrow() {
    let r = london_progress(&ProgressOptions::default(), &AnalysisFilter::default());
    assert!(
        !r.changes.iter().any(|c| matches!(
            c.kind,
            ChangeKind::CafImproved | ChangeKind::CafWorse | ChangeKind::NewlyOutOfSupport
        )),
        "sensitive changes listed without sensitive detail"
    );
    assert!(r.organisations.iter().all(|o| o.caf.is_none()));
    assert_eq!((r.london.caf.improved, r.london.caf.worse), (1, 1));
    let tower = r
        .organisations
        .iter()
        .find(|o| o.organisation == "gss:E09000030")
        .unwrap();
    assert_eq!(
        tower.systems.unwrap().newly_out_of_support,
        1,
        "counts stay"
    );

    let one = london_progress(
        &ProgressOptions::default(),
        &AnalysisFilter {
            organisation: Some("E09000024".into()),
            ..AnalysisFilter::default()
        },
    );
    assert_eq!(one.organisations.len(), 1);
    assert!(
        one.changes
            .iter()
            .all(|c| c.organisation == "gss:E09000024")
    );
    assert_eq!(one.london.systems.products_switched, 1);
}

#[test]
fn cycles_must_be_in_order() {
    let e = progress_from_returns(
        &london().join("returns-2027-28.json"),
        &london().join("returns.json"),
        &ProgressOptions::default(),
        &AnalysisFilter::default(),
    )
    .unwrap_err();
    assert!(
        e.message.contains("2027-28 is not before 2026-27"),
        "{}",
        e.message
    );
}
