//! Readiness across organisations: a CAF heatmap (organisation × principle A1…D2, each cell
//! aggregating its contributing outcomes from the organisation's own A/D answers and its
//! critical systems' B/C answers), an ICO accountability heatmap (organisation × category),
//! Cyber Essentials and PSN certificates expired or expiring within N days of a date, and
//! systems out of support or past their end-of-support date.
//!
//! CAF ratings and which systems are unsupported are sensitive: unless the caller sets
//! `include_sensitive` (the `full` profile), the CAF heatmap is one row for all organisations
//! together and the unsupported systems are counts only, never names.

use super::Index;
use crate::domain::caf::CafOutcome;
use crate::domain::enums::{CafRating, CeStatus, IcoCategory, IcoRating, PsnStatus, SupportStatus};
use crate::domain::records::{CyberReadiness, RecordData, System};
use crate::domain::values::IsoDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Default: certificates expiring within this many days are flagged.
pub(crate) const DEFAULT_WITHIN_DAYS: u32 = 90;

/// What the readiness view covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReadinessOptions {
    /// The date expiry is measured from (e.g. today).
    pub as_of: IsoDate,
    /// Flag certificates expiring within this many days (default 90).
    pub within_days: u32,
    /// Per-organisation CAF rows and names of unsupported systems (the `full` profile).
    pub include_sensitive: bool,
}

impl ReadinessOptions {
    /// Options as of a date, flagging what expires within 90 days, without sensitive detail.
    pub fn as_of(date: IsoDate) -> ReadinessOptions {
        ReadinessOptions {
            as_of: date,
            within_days: DEFAULT_WITHIN_DAYS,
            include_sensitive: false,
        }
    }
}

/// One heatmap cell: how many contributing outcomes are rated what.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CafCell {
    /// `A1` … `D2`.
    pub principle: String,
    pub achieved: u32,
    pub partial: u32,
    pub not_achieved: u32,
    /// Achieved = 100, partially = 50, not = 0, averaged; `None` when nothing was rated.
    pub score_pct: Option<f64>,
}

/// One row of the CAF heatmap.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CafRow {
    /// `None` for the row of all organisations together.
    pub organisation: Option<String>,
    pub name: String,
    pub cells: Vec<CafCell>,
}

/// One row of the ICO heatmap.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IcoRow {
    pub organisation: String,
    pub name: String,
    /// In the order of `ReadinessReport::ico_categories`; `None` when not answered.
    pub ratings: Vec<Option<IcoRating>>,
}

/// Where a certificate stands on the given date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CertificateState {
    Valid,
    ExpiringSoon,
    Expired,
    /// Held, but no expiry date given.
    NoExpiryDate,
    /// Not held, or not answered.
    NotHeld,
}

/// An organisation's Cyber Essentials and PSN certificates.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CertificateRow {
    pub organisation: String,
    pub name: String,
    pub cyber_essentials: Option<CeStatus>,
    pub ce_expiry: Option<IsoDate>,
    pub ce_state: CertificateState,
    /// Days from `as_of` to expiry (negative once expired).
    #[ts(type = "number | null")]
    pub ce_days_left: Option<i64>,
    pub psn: Option<PsnStatus>,
    pub psn_expiry: Option<IsoDate>,
    pub psn_state: CertificateState,
    #[ts(type = "number | null")]
    pub psn_days_left: Option<i64>,
}

/// A system out of support (only with `include_sensitive`).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnsupportedSystem {
    pub system_id: Uuid,
    pub name: String,
    pub support_status: Option<SupportStatus>,
    pub end_of_support: Option<IsoDate>,
}

/// An organisation's systems by support.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SupportRow {
    pub organisation: String,
    pub name: String,
    pub systems: usize,
    /// Marked out of support.
    pub out_of_support: usize,
    /// Not marked out of support, but the end-of-support date has passed.
    pub past_end_of_support: usize,
    /// End of support within the chosen number of days.
    pub ending_soon: usize,
    /// Empty unless `include_sensitive`.
    pub details: Vec<UnsupportedSystem>,
}

/// The readiness view.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReadinessReport {
    pub as_of: IsoDate,
    pub within_days: u32,
    pub include_sensitive: bool,
    /// `A1` … `D2`, the heatmap's columns.
    pub caf_principles: Vec<String>,
    pub caf: Vec<CafRow>,
    pub ico_categories: Vec<IcoCategory>,
    pub ico: Vec<IcoRow>,
    pub certificates: Vec<CertificateRow>,
    pub support: Vec<SupportRow>,
    pub ce_expired: usize,
    pub ce_expiring_soon: usize,
    pub psn_expired: usize,
    pub psn_expiring_soon: usize,
}

/// `A1.a` → `A1`.
fn principle(o: CafOutcome) -> &'static str {
    o.id().split('.').next().unwrap_or_default()
}

fn principles() -> Vec<String> {
    let mut p: Vec<String> = CafOutcome::ALL
        .iter()
        .map(|o| principle(*o).to_string())
        .collect();
    p.dedup();
    p
}

type Tally = BTreeMap<String, (u32, u32, u32)>;

fn cells(t: &Tally, cols: &[String]) -> Vec<CafCell> {
    cols.iter()
        .map(|p| {
            let (a, pa, n) = t.get(p).copied().unwrap_or_default();
            let total = a + pa + n;
            CafCell {
                principle: p.clone(),
                achieved: a,
                partial: pa,
                not_achieved: n,
                score_pct: (total > 0).then(|| {
                    super::round2((f64::from(a) * 100.0 + f64::from(pa) * 50.0) / f64::from(total))
                }),
            }
        })
        .collect()
}

fn tally<'a>(t: &mut Tally, ratings: impl Iterator<Item = (&'a CafOutcome, &'a CafRating)>) {
    for (o, r) in ratings {
        let e = t.entry(principle(*o).to_string()).or_default();
        match r {
            CafRating::Achieved => e.0 += 1,
            CafRating::Partial => e.1 += 1,
            CafRating::NotAchieved => e.2 += 1,
        }
    }
}

fn cert_state(
    held: bool,
    expiry: Option<IsoDate>,
    o: &ReadinessOptions,
) -> (CertificateState, Option<i64>) {
    if !held {
        return (CertificateState::NotHeld, None);
    }
    let Some(e) = expiry else {
        return (CertificateState::NoExpiryDate, None);
    };
    let days = (e.0 - o.as_of.0).num_days();
    let state = if days < 0 {
        CertificateState::Expired
    } else if days <= i64::from(o.within_days) {
        CertificateState::ExpiringSoon
    } else {
        CertificateState::Valid
    };
    (state, Some(days))
}

/// Whether a system is out of support on a date: marked so, or its end of support has passed.
pub(crate) fn unsupported_on(s: &System, date: IsoDate) -> bool {
    s.support_status == Some(SupportStatus::OutOfSupport)
        || s.end_of_support.is_some_and(|e| e.0 < date.0)
}

/// Where an organisation's Cyber Essentials and PSN certificates stand on `o.as_of`, with the
/// days left on each.
pub(crate) fn certificate_states(
    cyber: Option<&CyberReadiness>,
    o: &ReadinessOptions,
) -> (
    (CertificateState, Option<i64>),
    (CertificateState, Option<i64>),
) {
    let ce = cyber.and_then(|c| c.cyber_essentials);
    let ce_state = cert_state(
        matches!(
            ce,
            Some(CeStatus::CyberEssentials | CeStatus::CyberEssentialsPlus)
        ),
        cyber.and_then(|c| c.cyber_essentials_expiry),
        o,
    );
    let psn = cyber.and_then(|c| c.psn);
    let (mut psn_state, psn_days) = cert_state(
        matches!(psn, Some(PsnStatus::Valid | PsnStatus::Expired)),
        cyber.and_then(|c| c.psn_expiry),
        o,
    );
    if psn == Some(PsnStatus::Expired) && psn_state != CertificateState::Expired {
        psn_state = CertificateState::Expired;
    }
    (ce_state, (psn_state, psn_days))
}

impl CertificateState {
    /// Held and in date (or with no expiry given).
    pub(crate) fn held(self) -> bool {
        matches!(
            self,
            CertificateState::Valid
                | CertificateState::ExpiringSoon
                | CertificateState::NoExpiryDate
        )
    }
}

pub(crate) fn report(ix: &Index<'_>, o: &ReadinessOptions) -> ReadinessReport {
    let cols = principles();
    let mut all = Tally::new();
    let mut caf_rows = Vec::new();
    let mut ico = Vec::new();
    let mut certificates = Vec::new();
    let mut support = Vec::new();
    for org in ix.orgs {
        let mut t = Tally::new();
        let mut gdpr = None;
        let mut cyber = None;
        let mut row = SupportRow {
            organisation: org.organisation.clone(),
            name: org.name.clone(),
            systems: 0,
            out_of_support: 0,
            past_end_of_support: 0,
            ending_soon: 0,
            details: Vec::new(),
        };
        for (id, r) in &org.records {
            match r {
                RecordData::Cyber(c) => {
                    tally(&mut t, c.caf.iter());
                    cyber = Some(c);
                }
                RecordData::Gdpr(g) => gdpr = Some(g),
                RecordData::System(s) => {
                    tally(&mut t, s.caf.iter());
                    row.systems += 1;
                    let out = s.support_status == Some(SupportStatus::OutOfSupport);
                    let days = s.end_of_support.map(|e| (e.0 - o.as_of.0).num_days());
                    let past = !out && unsupported_on(s, o.as_of);
                    let soon =
                        !out && days.is_some_and(|d| d >= 0 && d <= i64::from(o.within_days));
                    row.out_of_support += usize::from(out);
                    row.past_end_of_support += usize::from(past);
                    row.ending_soon += usize::from(soon);
                    if o.include_sensitive && (out || past || soon) {
                        row.details.push(UnsupportedSystem {
                            system_id: *id,
                            name: s.name.clone(),
                            support_status: s.support_status,
                            end_of_support: s.end_of_support,
                        });
                    }
                }
                _ => {}
            }
        }
        for (k, v) in &t {
            let e = all.entry(k.clone()).or_default();
            e.0 += v.0;
            e.1 += v.1;
            e.2 += v.2;
        }
        if o.include_sensitive {
            caf_rows.push(CafRow {
                organisation: Some(org.organisation.clone()),
                name: org.name.clone(),
                cells: cells(&t, &cols),
            });
        }
        ico.push(IcoRow {
            organisation: org.organisation.clone(),
            name: org.name.clone(),
            ratings: IcoCategory::ALL
                .iter()
                .map(|c| gdpr.and_then(|g| g.ratings.get(c).copied()))
                .collect(),
        });
        let ce = cyber.and_then(|c| c.cyber_essentials);
        let psn = cyber.and_then(|c| c.psn);
        let ((ce_state, ce_days), (psn_state, psn_days)) = certificate_states(cyber, o);
        certificates.push(CertificateRow {
            organisation: org.organisation.clone(),
            name: org.name.clone(),
            cyber_essentials: ce,
            ce_expiry: cyber.and_then(|c| c.cyber_essentials_expiry),
            ce_state,
            ce_days_left: ce_days,
            psn,
            psn_expiry: cyber.and_then(|c| c.psn_expiry),
            psn_state,
            psn_days_left: psn_days,
        });
        support.push(row);
    }
    caf_rows.insert(
        0,
        CafRow {
            organisation: None,
            name: "All organisations".into(),
            cells: cells(&all, &cols),
        },
    );
    let count = |f: &dyn Fn(&CertificateRow) -> bool| certificates.iter().filter(|c| f(c)).count();
    ReadinessReport {
        as_of: o.as_of,
        within_days: o.within_days,
        include_sensitive: o.include_sensitive,
        caf_principles: cols,
        caf: caf_rows,
        ico_categories: IcoCategory::ALL.to_vec(),
        ico,
        ce_expired: count(&|c| c.ce_state == CertificateState::Expired),
        ce_expiring_soon: count(&|c| c.ce_state == CertificateState::ExpiringSoon),
        psn_expired: count(&|c| c.psn_state == CertificateState::Expired),
        psn_expiring_soon: count(&|c| c.psn_state == CertificateState::ExpiringSoon),
        certificates,
        support,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{id, org, rec};
    use super::*;
    use crate::domain::enums::RecordKind as K;
    use serde_json::json;

    fn d(s: &str) -> IsoDate {
        IsoDate::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn expiry_boundaries_and_sensitive_detail() {
        let o = ReadinessOptions::as_of(d("2026-12-01"));
        assert_eq!(
            cert_state(true, Some(d("2026-11-30")), &o),
            (CertificateState::Expired, Some(-1))
        );
        assert_eq!(
            cert_state(true, Some(d("2026-12-01")), &o).0,
            CertificateState::ExpiringSoon
        );
        assert_eq!(
            cert_state(true, Some(d("2027-03-01")), &o),
            (CertificateState::ExpiringSoon, Some(90))
        );
        assert_eq!(
            cert_state(true, Some(d("2027-03-02")), &o).0,
            CertificateState::Valid
        );
        assert_eq!(cert_state(true, None, &o).0, CertificateState::NoExpiryDate);
        assert_eq!(
            cert_state(false, Some(d("2020-01-01")), &o).0,
            CertificateState::NotHeld
        );

        let orgs = vec![org(
            "E09000001",
            vec![
                (
                    id(1),
                    rec(
                        K::Cyber,
                        json!({"caf": {"A1.a": "achieved", "A1.b": "partially_achieved", "A1.c": "not_achieved", "D2.a": "achieved"}}),
                    ),
                ),
                (
                    id(2),
                    rec(
                        K::System,
                        json!({"name": "Old", "support_status": "out_of_support", "caf": {"B2.a": "not_achieved"}}),
                    ),
                ),
                (
                    id(3),
                    rec(
                        K::System,
                        json!({"name": "Ageing", "support_status": "supported", "end_of_support": "2026-06-30"}),
                    ),
                ),
            ],
        )];
        let ix = super::super::Index::build(&orgs, &[]);
        let r = report(&ix, &o);
        assert_eq!(
            r.caf.len(),
            1,
            "no per-organisation CAF row without the full profile"
        );
        let a1 = &r.caf[0].cells[0];
        assert_eq!(
            (
                a1.principle.as_str(),
                a1.achieved,
                a1.partial,
                a1.not_achieved
            ),
            ("A1", 1, 1, 1)
        );
        assert_eq!(a1.score_pct, Some(50.0));
        let b2 = r.caf[0]
            .cells
            .iter()
            .find(|c| c.principle == "B2")
            .map(|c| c.not_achieved);
        assert_eq!(b2, Some(1), "system B/C outcomes count too");
        assert_eq!(
            (
                r.support[0].out_of_support,
                r.support[0].past_end_of_support
            ),
            (1, 1)
        );
        assert!(r.support[0].details.is_empty());
        let full = report(
            &ix,
            &ReadinessOptions {
                include_sensitive: true,
                ..o
            },
        );
        assert_eq!(full.caf.len(), 2);
        assert_eq!(full.support[0].details.len(), 2);
    }
}
