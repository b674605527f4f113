//! The supplier market and skills, then and now, over the organisations that returned both
//! times: concentration by the concentration view itself (shares of contracts and of annual
//! value, top-10 share, HHI and its band, overall and per service area), each supplier's share
//! then and now, each organisation's distinct suppliers; and how many organisations rate each
//! skill area at each level, with each organisation's areas risen, the same or fallen.

use super::{ChangeKind, Movement, Pair, ProgressChange, Scope};
use crate::analysis::concentration::{self, ConcentrationSlice, HhiBand};
use crate::analysis::skills::rank;
use crate::domain::enums::{ServiceArea, SkillArea, SkillLevel};
use crate::domain::records::RecordData;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Concentration figures of one cycle.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConcentrationFigures {
    pub contracts: usize,
    pub supplier_count: usize,
    pub top10_contract_share_pct: f64,
    pub top10_value_share_pct: f64,
    pub hhi_contracts: f64,
    pub hhi_value: f64,
    pub hhi_contracts_band: HhiBand,
    pub hhi_value_band: HhiBand,
}

impl From<&ConcentrationSlice> for ConcentrationFigures {
    fn from(s: &ConcentrationSlice) -> Self {
        ConcentrationFigures {
            contracts: s.contracts,
            supplier_count: s.supplier_count,
            top10_contract_share_pct: s.top10_contract_share_pct,
            top10_value_share_pct: s.top10_value_share_pct,
            hhi_contracts: s.hhi_contracts,
            hhi_value: s.hhi_value,
            hhi_contracts_band: s.hhi_contracts_band,
            hhi_value_band: s.hhi_value_band,
        }
    }
}

/// A service area's concentration then and now.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AreaConcentration {
    pub service_area: ServiceArea,
    pub label: String,
    pub then: Option<ConcentrationFigures>,
    pub now: Option<ConcentrationFigures>,
}

/// One supplier's share then and now (0 where it had no contracts).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ShareChange {
    pub supplier_key: String,
    pub supplier_name: String,
    pub contracts_then: usize,
    pub contracts_now: usize,
    pub contract_share_then_pct: f64,
    pub contract_share_now_pct: f64,
    pub value_share_then_pct: f64,
    pub value_share_now_pct: f64,
}

/// How many organisations rate a skill area at a level, then and now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SkillLevelCount {
    pub area: SkillArea,
    pub level: SkillLevel,
    pub then: usize,
    pub now: usize,
}

/// The market and skills, then and now.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MarketProgress {
    pub then: ConcentrationFigures,
    pub now: ConcentrationFigures,
    /// The ten largest suppliers of either cycle, largest now first.
    pub suppliers: Vec<ShareChange>,
    pub by_service_area: Vec<AreaConcentration>,
    /// Every area and level rated in either cycle.
    pub skills: Vec<SkillLevelCount>,
}

pub(super) struct Market {
    pub(super) report: MarketProgress,
}

fn skills(o: &super::OrgReturn) -> BTreeMap<SkillArea, Option<SkillLevel>> {
    o.records
        .iter()
        .filter_map(|(_, r)| match r {
            RecordData::Skill(s) => s.area.map(|a| (a, s.level)),
            _ => None,
        })
        .collect()
}

/// Distinct suppliers of one organisation's contracts within the filter (`facts`: its own, as
/// `ix` joins them).
pub(super) fn distinct_suppliers(
    ix: &crate::analysis::Index<'_>,
    p: &Pair<'_>,
    facts: &[crate::analysis::ContractFacts<'_>],
) -> usize {
    let mut seen: Vec<usize> = facts
        .iter()
        .filter(|c| c.supplier.is_some() && ix.contract_matches(p.filter, c))
        .filter_map(|c| c.supplier)
        .collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

/// One cycle's concentration slices.
struct Slices {
    overall: ConcentrationSlice,
    by_service_area: Vec<ConcentrationSlice>,
}

/// Skills levels counted over the organisations compared, organisation by organisation.
#[derive(Default)]
pub(super) struct Skills {
    levels: BTreeMap<(SkillArea, SkillLevel), (usize, usize)>,
}

impl Skills {
    /// Organisation `i`'s skill levels counted, and its areas' movement; changes pushed to
    /// `out`.
    pub(super) fn org(
        &mut self,
        p: &Scope<'_>,
        i: usize,
        out: &mut Vec<ProgressChange>,
    ) -> Movement {
        let (now, then) = (&p.to[i], &p.from[i]);
        let (x, y) = (skills(then), skills(now));
        let wanted = p.filter.org_matches(&now.organisation);
        for (map, first) in [(&x, true), (&y, false)] {
            for (area, l) in map {
                if let (true, Some(l)) = (wanted, l) {
                    let e = self.levels.entry((*area, *l)).or_default();
                    if first {
                        e.0 += 1;
                    } else {
                        e.1 += 1;
                    }
                }
            }
        }
        let mut m = Movement::default();
        for area in x.keys().chain(y.keys()).collect::<BTreeSet<_>>() {
            match (
                x.get(area).copied().flatten(),
                y.get(area).copied().flatten(),
            ) {
                (Some(a), Some(b)) => {
                    let kind = match rank(Some(b)).cmp(&rank(Some(a))) {
                        Ordering::Greater => {
                            m.improved += 1;
                            ChangeKind::SkillImproved
                        }
                        Ordering::Equal => {
                            m.same += 1;
                            continue;
                        }
                        Ordering::Less => {
                            m.worse += 1;
                            ChangeKind::SkillWorse
                        }
                    };
                    out.push(p.change(
                        i,
                        kind,
                        area.label(),
                        None,
                        Some(a.label().into()),
                        Some(b.label().into()),
                    ));
                }
                _ => m.not_compared += 1,
            }
        }
        m
    }
}

/// The market then and now, with the skills levels [`Skills::org`] counted.
pub(super) fn compare(p: &Pair<'_>, skills: Skills) -> Market {
    let (a_overall, a_areas) = concentration::slices(&p.from, p.filter);
    let (b_overall, b_areas) = concentration::slices(&p.to, p.filter);
    let a = Slices {
        overall: a_overall,
        by_service_area: a_areas,
    };
    let b = Slices {
        overall: b_overall,
        by_service_area: b_areas,
    };
    let mut suppliers: BTreeMap<String, ShareChange> = BTreeMap::new();
    let top = |s: &ConcentrationSlice| -> Vec<String> {
        s.suppliers
            .iter()
            .take(10)
            .map(|x| x.supplier_key.clone())
            .collect()
    };
    let keep: BTreeSet<String> = top(&a.overall).into_iter().chain(top(&b.overall)).collect();
    for (slice, then) in [(&a.overall, true), (&b.overall, false)] {
        for s in slice
            .suppliers
            .iter()
            .filter(|s| keep.contains(&s.supplier_key))
        {
            let e = suppliers
                .entry(s.supplier_key.clone())
                .or_insert_with(|| ShareChange {
                    supplier_key: s.supplier_key.clone(),
                    supplier_name: s.supplier_name.clone(),
                    contracts_then: 0,
                    contracts_now: 0,
                    contract_share_then_pct: 0.0,
                    contract_share_now_pct: 0.0,
                    value_share_then_pct: 0.0,
                    value_share_now_pct: 0.0,
                });
            if then {
                e.contracts_then = s.contracts;
                e.contract_share_then_pct = s.contract_share_pct;
                e.value_share_then_pct = s.value_share_pct;
            } else {
                e.supplier_name = s.supplier_name.clone();
                e.contracts_now = s.contracts;
                e.contract_share_now_pct = s.contract_share_pct;
                e.value_share_now_pct = s.value_share_pct;
            }
        }
    }
    let mut suppliers: Vec<ShareChange> = suppliers.into_values().collect();
    suppliers.sort_by(|x, y| {
        y.contracts_now
            .cmp(&x.contracts_now)
            .then(y.contracts_then.cmp(&x.contracts_then))
            .then(x.supplier_key.cmp(&y.supplier_key))
    });
    let mut areas: BTreeMap<ServiceArea, AreaConcentration> = BTreeMap::new();
    for (slices, then) in [(&a.by_service_area, true), (&b.by_service_area, false)] {
        for s in slices {
            let Some(area) = s.service_area else { continue };
            let e = areas.entry(area).or_insert_with(|| AreaConcentration {
                service_area: area,
                label: area.label().to_string(),
                then: None,
                now: None,
            });
            if then {
                e.then = Some(s.into());
            } else {
                e.now = Some(s.into());
            }
        }
    }
    let skills = skills
        .levels
        .into_iter()
        .map(|((area, level), (then, now))| SkillLevelCount {
            area,
            level,
            then,
            now,
        })
        .collect();
    Market {
        report: MarketProgress {
            then: (&a.overall).into(),
            now: (&b.overall).into(),
            suppliers,
            by_service_area: areas.into_values().collect(),
            skills,
        },
    }
}
