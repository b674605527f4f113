//! Supplier concentration: each supplier's share of contracts and of annual value, the top-10
//! share and the Herfindahl–Hirschman index (sum of squared percentage shares, 0–10,000), for
//! all contracts and per service area; and the 2019 finding — the more suppliers an
//! organisation has, the lower its satisfaction — as one point per organisation with Pearson's
//! correlation coefficient.

use super::{AnalysisFilter, Index, round2};
use crate::domain::enums::ServiceArea;
use crate::domain::records::RecordData;
use crate::domain::values::Pence;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One supplier's share.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SupplierShare {
    pub supplier_key: String,
    pub supplier_name: String,
    pub contracts: usize,
    /// Percent of contracts with a known supplier.
    pub contract_share_pct: f64,
    pub annual_value: Pence,
    /// Percent of the annual value of contracts with a known supplier.
    pub value_share_pct: f64,
    pub organisations: usize,
}

/// Concentration over a set of contracts.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConcentrationSlice {
    /// `None` for every contract; otherwise one service area.
    pub service_area: Option<ServiceArea>,
    pub label: String,
    pub contracts: usize,
    pub contracts_without_supplier: usize,
    pub annual_value: Pence,
    pub supplier_count: usize,
    /// Largest share of contracts first.
    pub suppliers: Vec<SupplierShare>,
    pub top10_contract_share_pct: f64,
    pub top10_value_share_pct: f64,
    /// 0–10,000 on shares of contracts.
    pub hhi_contracts: f64,
    /// 0–10,000 on shares of annual value.
    pub hhi_value: f64,
    pub hhi_contracts_band: HhiBand,
    pub hhi_value_band: HhiBand,
}

/// From this HHI a market is moderately concentrated (the US merger guidelines' bands, as the
/// 2019 dashboard used them).
pub(crate) const HHI_MODERATE: f64 = 1500.0;
/// From this HHI a market is highly concentrated.
pub(crate) const HHI_HIGH: f64 = 2500.0;

/// How concentrated a market is, by its HHI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum HhiBand {
    NotConcentrated,
    Moderately,
    Highly,
}

impl HhiBand {
    /// The band of an HHI (0–10,000).
    pub fn of(hhi: f64) -> HhiBand {
        if hhi >= HHI_HIGH {
            HhiBand::Highly
        } else if hhi >= HHI_MODERATE {
            HhiBand::Moderately
        } else {
            HhiBand::NotConcentrated
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            HhiBand::NotConcentrated => "not concentrated",
            HhiBand::Moderately => "moderately concentrated",
            HhiBand::Highly => "highly concentrated",
        }
    }
}

/// One organisation in the suppliers-versus-satisfaction view.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SatisfactionPoint {
    pub organisation: String,
    pub organisation_name: String,
    pub distinct_suppliers: usize,
    /// Mean of the 1–5 ratings of its systems ("don't know" left out).
    pub mean_satisfaction: Option<f64>,
    pub rated_systems: usize,
}

/// The concentration view.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConcentrationReport {
    pub overall: ConcentrationSlice,
    pub by_service_area: Vec<ConcentrationSlice>,
    pub satisfaction: Vec<SatisfactionPoint>,
    /// Pearson's r between distinct suppliers and mean satisfaction (3 or more organisations).
    pub satisfaction_correlation: Option<f64>,
}

pub(crate) fn report(ix: &Index<'_>, f: &AnalysisFilter) -> ConcentrationReport {
    let (overall, by_service_area) = slices(ix, f);
    let satisfaction = satisfaction_points(ix, f);
    let pts: Vec<(f64, f64)> = satisfaction
        .iter()
        .filter_map(|p| {
            p.mean_satisfaction
                .map(|m| (p.distinct_suppliers as f64, m))
        })
        .collect();
    ConcentrationReport {
        overall,
        by_service_area,
        satisfaction_correlation: pearson(&pts).map(|r| (r * 1000.0).round() / 1000.0),
        satisfaction,
    }
}

/// The slice of every contract within the filter, and one per service area: the concentration
/// figures without the satisfaction points (what the progress analysis reads).
pub(crate) fn slices(
    ix: &Index<'_>,
    f: &AnalysisFilter,
) -> (ConcentrationSlice, Vec<ConcentrationSlice>) {
    let facts: Vec<&super::ContractFacts<'_>> = ix
        .contracts()
        .iter()
        .filter(|c| ix.contract_matches(f, c))
        .collect();
    let mut tally = Tally {
        per: vec![SupplierTally::default(); ix.res.suppliers.len()],
        touched: Vec::new(),
    };
    let all: Vec<usize> = (0..facts.len()).collect();
    let overall = slice(ix, &facts, &all, None, &mut tally);
    let mut by_area: BTreeMap<ServiceArea, Vec<usize>> = BTreeMap::new();
    for (i, c) in facts.iter().enumerate() {
        for a in &c.service_areas {
            by_area.entry(*a).or_default().push(i);
        }
    }
    let by_service_area = by_area
        .into_iter()
        .map(|(a, idx)| slice(ix, &facts, &idx, Some(a), &mut tally))
        .collect();
    (overall, by_service_area)
}

/// One supplier's contracts, value and organisations within a slice.
#[derive(Debug, Clone, Copy, Default)]
struct SupplierTally {
    contracts: usize,
    value: i64,
    orgs: usize,
    /// The last organisation counted, plus one (0: none yet).
    last_org: usize,
}

/// Per supplier entity (by its place), reused by every slice: the suppliers a slice touched
/// are listed and set back to zero after it, so no slice pays for every supplier.
struct Tally {
    per: Vec<SupplierTally>,
    touched: Vec<usize>,
}

fn slice(
    ix: &Index<'_>,
    facts: &[&super::ContractFacts<'_>],
    idx: &[usize],
    area: Option<ServiceArea>,
    tally: &mut Tally,
) -> ConcentrationSlice {
    let mut without = 0;
    let mut total_value = 0i64;
    // Contracts come organisation by organisation (`Index::contracts` is in organisation
    // order and `idx` ascending), so a supplier's organisations are counted by noting when
    // the organisation changes.
    for &i in idx {
        let c = &facts[i];
        let v = c.value;
        total_value += v;
        match c.supplier {
            Some(s) => {
                let e = &mut tally.per[s];
                if e.contracts == 0 {
                    tally.touched.push(s);
                }
                e.contracts += 1;
                e.value += v;
                if e.last_org != c.org + 1 {
                    e.orgs += 1;
                    e.last_org = c.org + 1;
                }
            }
            None => without += 1,
        }
    }
    let per: Vec<(usize, SupplierTally)> = tally
        .touched
        .drain(..)
        .map(|s| (s, std::mem::take(&mut tally.per[s])))
        .collect();
    let known: usize = per.iter().map(|e| e.1.contracts).sum();
    let known_value: i64 = per.iter().map(|e| e.1.value).sum();
    let pct = |x: f64, total: f64| if total > 0.0 { 100.0 * x / total } else { 0.0 };
    // The order is made total below (by contracts, value, then the distinct key).
    let mut suppliers: Vec<(SupplierShare, f64, f64)> = per
        .iter()
        .map(|&(s, t)| {
            let (n, v) = (&t.contracts, &t.value);
            let e = &ix.res.suppliers[s];
            let cs = pct(*n as f64, known as f64);
            let vs = pct(*v as f64, known_value as f64);
            (
                SupplierShare {
                    supplier_key: e.key.clone(),
                    supplier_name: e.name.clone(),
                    contracts: *n,
                    contract_share_pct: round2(cs),
                    annual_value: Pence(*v),
                    value_share_pct: round2(vs),
                    organisations: t.orgs,
                },
                cs,
                vs,
            )
        })
        .collect();
    suppliers.sort_by(|a, b| {
        b.0.contracts
            .cmp(&a.0.contracts)
            .then(b.0.annual_value.cmp(&a.0.annual_value))
            .then(a.0.supplier_key.cmp(&b.0.supplier_key))
    });
    let hhi_c: f64 = suppliers.iter().map(|s| s.1 * s.1).sum();
    let hhi_v: f64 = suppliers.iter().map(|s| s.2 * s.2).sum();
    let top10_c: f64 = suppliers.iter().take(10).map(|s| s.1).sum();
    let mut by_value: Vec<f64> = suppliers.iter().map(|s| s.2).collect();
    by_value.sort_by(|a, b| b.total_cmp(a));
    let top10_v: f64 = by_value.iter().take(10).sum();
    ConcentrationSlice {
        service_area: area,
        label: area.map_or_else(|| "All contracts".to_string(), |a| a.label().to_string()),
        contracts: idx.len(),
        contracts_without_supplier: without,
        annual_value: Pence(total_value),
        supplier_count: suppliers.len(),
        suppliers: suppliers.into_iter().map(|s| s.0).collect(),
        top10_contract_share_pct: round2(top10_c),
        top10_value_share_pct: round2(top10_v),
        hhi_contracts: round2(hhi_c),
        hhi_value: round2(hhi_v),
        hhi_contracts_band: HhiBand::of(hhi_c),
        hhi_value_band: HhiBand::of(hhi_v),
    }
}

fn satisfaction_points(ix: &Index<'_>, f: &AnalysisFilter) -> Vec<SatisfactionPoint> {
    let mut out = Vec::new();
    for (oi, o) in ix.orgs.iter().enumerate() {
        if !f.org_matches(&o.organisation) {
            continue;
        }
        let mut suppliers = BTreeSet::new();
        let (mut sum, mut n) = (0u32, 0usize);
        for (id, r) in &o.records {
            match r {
                RecordData::Supplier(_) => {
                    if let Some(e) = ix.supplier(oi, Some(*id)) {
                        suppliers.insert(e);
                    }
                }
                RecordData::System(s) => {
                    if let Some(score) = super::products::satisfaction_score(s.satisfaction) {
                        sum += score;
                        n += 1;
                    }
                }
                _ => {}
            }
        }
        out.push(SatisfactionPoint {
            organisation: o.organisation.clone(),
            organisation_name: o.name.clone(),
            distinct_suppliers: suppliers.len(),
            mean_satisfaction: (n > 0).then(|| (f64::from(sum) / n as f64 * 100.0).round() / 100.0),
            rated_systems: n,
        });
    }
    out
}

/// Pearson's correlation coefficient; `None` with fewer than 3 points or no spread.
pub(crate) fn pearson(pts: &[(f64, f64)]) -> Option<f64> {
    if pts.len() < 3 {
        return None;
    }
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pts {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    Some(sxy / (sxx * syy).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pearson_of_a_line_is_one_and_of_too_few_points_none() {
        let r = pearson(&[(1.0, 2.0), (2.0, 4.0), (3.0, 6.0)]).unwrap_or(0.0);
        assert!((r - 1.0).abs() < 1e-12);
        let r = pearson(&[(1.0, 6.0), (2.0, 4.0), (3.0, 2.0)]).unwrap_or(0.0);
        assert!((r + 1.0).abs() < 1e-12);
        assert_eq!(pearson(&[(1.0, 1.0), (2.0, 2.0)]), None);
        assert_eq!(pearson(&[(1.0, 1.0), (1.0, 2.0), (1.0, 3.0)]), None);
    }
}
