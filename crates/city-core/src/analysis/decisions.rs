//! Contract decision dates, one row per contract, and joint-procurement windows: groups of
//! contracts for the same product, supplier or service area, in two or more organisations,
//! whose decision dates fall within a chosen number of months of each other, ranked by annual
//! value at stake, then by number of organisations, and each explained.
//!
//! How windows are chosen, per grouping (product, supplier, service area) and per group: the
//! group's contracts with a decision date are sorted by it. A candidate window is a *run*: a
//! first contract and every later one whose decision date is at most N months after it
//! (first date + N months, clamped to the month's end). Among the runs with at least the
//! minimum number of organisations (2 by default), the one with the most annual value at stake
//! is taken (ties: more organisations, then the earlier first date); its contracts are removed
//! and the rest are searched again, until no run spans enough organisations. So each contract
//! is listed in at most one window per grouping and the output is at most linear in the number
//! of contracts (it was quadratic when every contract started its own overlapping window).
//!
//! Cost: a run reaches as far as the width allows, so no later window can straddle the gap a
//! taken run leaves (a contract after the gap is more than N months after any before it); the
//! contracts before and after the gap are searched separately, each by one two-pointer sweep.
//! Each window removes at least two contracts, so the work is O(n log n) when windows split
//! groups evenly and O(n²) at worst (about n²/4 steps, when every window holds just two
//! contracts and always falls at one end) — a few million steps for a group of thousands of
//! contracts, with output that stays linear.

use super::dates::{self, DecisionFlag, DecisionOptions, Urgency};
use super::{AnalysisFilter, ContractFacts, Index};
use crate::domain::enums::ServiceArea;
use crate::domain::records::Contract;
use crate::domain::values::{IsoDate, Pence};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Default width of a joint-procurement window.
pub(crate) const DEFAULT_WINDOW_MONTHS: u32 = 12;

/// One contract's decision date and how it was worked out.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ContractDecision {
    pub organisation: String,
    pub organisation_name: String,
    pub contract_id: Uuid,
    pub title: String,
    pub reference: Option<String>,
    pub supplier_key: Option<String>,
    pub supplier_name: Option<String>,
    pub product_keys: Vec<String>,
    pub product_names: Vec<String>,
    pub service_areas: Vec<ServiceArea>,
    pub annual_value: Option<Pence>,
    pub end_date: Option<IsoDate>,
    pub latest_end_date: Option<IsoDate>,
    /// The end date counted from (end, or latest end if asked for and given, or without an
    /// end date).
    pub end_used: Option<IsoDate>,
    pub notice_period_days: Option<u32>,
    /// The last day to give notice.
    pub notice_by: Option<IsoDate>,
    /// The last day to act: notice date − lead time. `None` when unknown (see `flags`).
    pub decision_date: Option<IsoDate>,
    pub flags: Vec<DecisionFlag>,
    /// The flags in plain English.
    pub notes: Vec<String>,
    /// How soon the decision is due, seen from the options' `as_of` (none without it).
    pub urgency: Option<Urgency>,
}

/// How contracts are grouped into windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WindowGrouping {
    Product,
    Supplier,
    ServiceArea,
}

impl WindowGrouping {
    pub(crate) const ALL: [WindowGrouping; 3] = [
        WindowGrouping::Product,
        WindowGrouping::Supplier,
        WindowGrouping::ServiceArea,
    ];
    /// The stable id (`product`, `supplier`, `service_area`).
    pub fn id(self) -> &'static str {
        match self {
            WindowGrouping::Product => "product",
            WindowGrouping::Supplier => "supplier",
            WindowGrouping::ServiceArea => "service_area",
        }
    }
}

/// What to look for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct WindowOptions {
    pub decision: DecisionOptions,
    /// Decision dates within this many months of the first one (default 12; at least 1).
    pub window_months: u32,
    /// Which groupings to search (default: product, supplier and service area).
    pub group_by: Vec<WindowGrouping>,
    /// Organisations a window must span (default 2; at least 2).
    pub min_organisations: usize,
}

impl Default for WindowOptions {
    fn default() -> Self {
        WindowOptions {
            decision: DecisionOptions::default(),
            window_months: DEFAULT_WINDOW_MONTHS,
            group_by: WindowGrouping::ALL.to_vec(),
            min_organisations: 2,
        }
    }
}

/// A contract inside a window.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WindowContract {
    pub organisation: String,
    pub organisation_name: String,
    pub contract_id: Uuid,
    pub title: String,
    pub supplier_name: Option<String>,
    pub end_used: Option<IsoDate>,
    pub decision_date: IsoDate,
    pub annual_value: Option<Pence>,
}

/// A chance to buy together.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JointWindow {
    /// 1 = the most money at stake.
    pub rank: usize,
    pub grouping: WindowGrouping,
    /// The product or supplier entity key, or the service area id.
    pub group_key: String,
    pub group_name: String,
    pub organisations: Vec<String>,
    pub organisation_names: Vec<String>,
    pub contracts: Vec<WindowContract>,
    pub first_decision: IsoDate,
    pub last_decision: IsoDate,
    #[ts(type = "number")]
    pub span_days: i64,
    /// The sum of the contracts' annual values (contracts without one count as 0).
    pub annual_value: Pence,
    pub contracts_without_value: usize,
    /// One paragraph for people.
    pub explanation: String,
}

/// Every contract's decision date, soonest first (unknown dates last).
pub(crate) fn decision_rows(
    ix: &Index<'_>,
    o: &DecisionOptions,
    f: &AnalysisFilter,
) -> Vec<ContractDecision> {
    let mut rows: Vec<ContractDecision> = ix
        .contracts()
        .iter()
        .filter(|c| ix.contract_matches(f, c))
        .map(|c| row(ix, c, o))
        .collect();
    rows.sort_by(|a, b| {
        (
            a.decision_date.is_none(),
            a.decision_date,
            &a.organisation,
            &a.title,
        )
            .cmp(&(
                b.decision_date.is_none(),
                b.decision_date,
                &b.organisation,
                &b.title,
            ))
    });
    rows
}

fn row(ix: &Index<'_>, c: &ContractFacts<'_>, o: &DecisionOptions) -> ContractDecision {
    let d = dates::decide(c.contract, o);
    let org = &ix.orgs[c.org];
    let (supplier_key, supplier_name) = ix.supplier_name(c.supplier);
    ContractDecision {
        organisation: org.organisation.clone(),
        organisation_name: org.name.clone(),
        contract_id: c.id,
        title: c.contract.title.clone(),
        reference: c.contract.reference.clone(),
        supplier_key,
        supplier_name,
        product_keys: c
            .products
            .iter()
            .map(|p| ix.res.products[*p].key.clone())
            .collect(),
        product_names: c
            .products
            .iter()
            .map(|p| ix.res.products[*p].name.clone())
            .collect(),
        service_areas: c.service_areas.clone(),
        annual_value: c.contract.annual_value,
        end_date: c.contract.end_date,
        latest_end_date: c.contract.latest_end_date,
        end_used: d.end_used,
        notice_period_days: c.contract.notice_period_days,
        notice_by: d.notice_by,
        decision_date: d.decision,
        urgency: o.as_of.map(|t| Urgency::of(d.decision, t)),
        notes: d.flags.iter().map(|f| f.explain().to_string()).collect(),
        flags: d.flags,
    }
}

/// What the window search reads of one contract, without the decision row's strings: at
/// national size building a full [`ContractDecision`] per contract (and comparing through them)
/// cost more than the search.
#[derive(Clone, Copy)]
struct Dated {
    /// The contract's position in [`Index::contracts`].
    fact: usize,
    /// The organisation's place in organisation-id order (the same id, the same place): the
    /// organisation as the search counts it.
    org_rank: usize,
    /// The contract's id (the last of the search's sort keys).
    id: Uuid,
    decision: IsoDate,
    end_used: Option<IsoDate>,
    value: i64,
}

/// Joint-procurement windows, ranked. Windows with at least one contract passing the filter
/// are kept (the other contracts in them are still shown).
pub(crate) fn windows(ix: &Index<'_>, o: &WindowOptions, f: &AnalysisFilter) -> Vec<JointWindow> {
    found_windows(ix, o, f)
        .into_iter()
        .enumerate()
        .map(|(i, w)| window(ix, w, i + 1))
        .collect()
}

/// A window as the search finds it, before its rows and explanation are written: what ranks
/// it, and its contracts as positions in [`Index::contracts`]. The progress analysis reads
/// these and never builds the rows (at national size their text, copied from contracts spread
/// over the whole data set, cost more than the search).
pub(crate) struct FoundWindow<'i> {
    pub(crate) grouping: WindowGrouping,
    pub(crate) key: &'i str,
    pub(crate) name: &'i str,
    /// Each contract's position in [`Index::contracts`], decision date and end used, by
    /// decision date.
    pub(crate) contracts: Vec<(usize, IsoDate, Option<IsoDate>)>,
    /// One organisation (its place in `Index::orgs`) per distinct id and name, by id then
    /// name.
    pub(crate) orgs: Vec<usize>,
    pub(crate) annual_value: Pence,
    pub(crate) first_decision: IsoDate,
    pub(crate) last_decision: IsoDate,
}

/// A contract's decision date and the end it was worked out from, as the window search reads
/// them ([`dates::decide`] with the windows' options).
pub(crate) fn decided(c: &Contract, o: &WindowOptions) -> (Option<IsoDate>, Option<IsoDate>) {
    let d = dates::decide(c, &o.decision);
    (d.decision, d.end_used)
}

/// [`windows`] as found, ranked (the first is rank 1), without their rows.
pub(crate) fn found_windows<'i>(
    ix: &'i Index<'_>,
    o: &WindowOptions,
    f: &AnalysisFilter,
) -> Vec<FoundWindow<'i>> {
    let decisions: Vec<_> = ix
        .contracts()
        .iter()
        .map(|c| decided(c.contract, o))
        .collect();
    found_windows_decided(ix, o, f, &decisions)
}

/// [`found_windows`] with each contract's [`decided`] given, in [`Index::contracts`] order (by
/// a caller that worked them out while the contracts were in the caches).
pub(crate) fn found_windows_decided<'i>(
    ix: &'i Index<'_>,
    o: &WindowOptions,
    f: &AnalysisFilter,
    decisions: &[(Option<IsoDate>, Option<IsoDate>)],
) -> Vec<FoundWindow<'i>> {
    let facts = ix.contracts();
    // Organisations in id order, equal ids sharing a place (the order the rows sort by).
    let mut by_id: Vec<usize> = (0..ix.orgs.len()).collect();
    by_id.sort_by(|a, b| ix.orgs[*a].organisation.cmp(&ix.orgs[*b].organisation));
    let mut org_rank = vec![0usize; ix.orgs.len()];
    for w in by_id.windows(2) {
        let same = ix.orgs[w[0]].organisation == ix.orgs[w[1]].organisation;
        org_rank[w[1]] = org_rank[w[0]] + usize::from(!same);
    }
    // Contracts with a decision date, read once, in the order every group's members are
    // searched in: by decision date, organisation, id. Groups are filled in this order, so no
    // group is sorted on its own (at national size those sorts, reading each contract's fields
    // wherever they lay, grew faster than the contracts).
    let mut dated: Vec<Dated> = facts
        .iter()
        .enumerate()
        .zip(decisions)
        .filter_map(|((i, c), &(decision, end_used))| {
            decision.map(|decision| Dated {
                fact: i,
                org_rank: org_rank[c.org],
                id: c.id,
                decision,
                end_used,
                value: c.value,
            })
        })
        .collect();
    sort_by_day(&mut dated);
    // Whether each contract passes the filter, judged in the contracts' own order (reading
    // them one after another, not all over the data set in date order).
    let passes: Vec<bool> = facts.iter().map(|c| ix.contract_matches(f, c)).collect();
    let wanted: Vec<bool> = dated.iter().map(|d| passes[d.fact]).collect();
    // Per organisation: contracts in the run being swept (reused by every group, emptied after
    // each segment, so no group pays for the number of organisations).
    let mut counts = vec![0usize; ix.orgs.len()];
    let mut out = Vec::new();
    let mut groupings = o.group_by.clone();
    groupings.sort();
    groupings.dedup();
    for g in groupings {
        // Each group's members (indexes into `dated`), the group found by the entity's place
        // (or the service area), not by its key's text: entity keys are distinct, and the
        // windows are ranked below by what they hold, so the order groups are searched in does
        // not change the result.
        let mut groups: Vec<(&str, &str, Vec<usize>)> = Vec::new();
        match g {
            WindowGrouping::ServiceArea => {
                let areas_of = Flat::new(facts, |c| &c.service_areas);
                let mut areas: BTreeMap<ServiceArea, Vec<usize>> = BTreeMap::new();
                for (i, d) in dated.iter().enumerate() {
                    for a in areas_of.of(d.fact) {
                        areas.entry(*a).or_default().push(i);
                    }
                }
                groups.extend(areas.into_iter().map(|(a, m)| (a.id(), a.label(), m)));
            }
            WindowGrouping::Product | WindowGrouping::Supplier => {
                let entities = if g == WindowGrouping::Product {
                    &ix.res.products
                } else {
                    &ix.res.suppliers
                };
                let of = if g == WindowGrouping::Product {
                    Flat::new(facts, |c| &c.products)
                } else {
                    Flat::new(facts, |c| c.supplier.as_slice())
                };
                let mut members: Vec<Vec<usize>> = vec![Vec::new(); entities.len()];
                for (i, d) in dated.iter().enumerate() {
                    for e in of.of(d.fact) {
                        members[*e].push(i);
                    }
                }
                groups.extend(
                    members
                        .into_iter()
                        .zip(entities)
                        .filter(|(m, _)| !m.is_empty())
                        .map(|(m, e)| (e.key.as_str(), e.name.as_str(), m)),
                );
            }
        }
        for (key, name, members) in groups {
            for run in select_windows(&members, &dated, o, &mut counts) {
                if run.iter().any(|&i| wanted[i]) {
                    out.push(found(ix, g, key, name, run, &dated));
                }
            }
        }
    }
    out.sort_by(|a, b| {
        b.annual_value
            .cmp(&a.annual_value)
            .then(b.orgs.len().cmp(&a.orgs.len()))
            .then(a.first_decision.cmp(&b.first_decision))
            .then(a.grouping.cmp(&b.grouping))
            .then(a.key.cmp(b.key))
    });
    out
}

/// One grouping's values of every contract (its products, its supplier or its service areas),
/// copied once in the contracts' order into one flat list: the groups are filled in date order,
/// and reading them here rather than from each contract, spread over the data set, keeps those
/// reads within a small list.
struct Flat<T> {
    /// Where each contract's values begin in `items` (and, last, their end).
    at: Vec<usize>,
    items: Vec<T>,
}

impl<T: Copy> Flat<T> {
    fn new<'c>(
        facts: &'c [ContractFacts<'_>],
        values: impl Fn(&'c ContractFacts<'_>) -> &'c [T],
    ) -> Flat<T>
    where
        T: 'c,
    {
        let mut at = Vec::with_capacity(facts.len() + 1);
        let mut items = Vec::with_capacity(facts.len());
        for c in facts {
            at.push(items.len());
            items.extend_from_slice(values(c));
        }
        at.push(items.len());
        Flat { at, items }
    }
    /// The values of contract `i` (its place in the contracts).
    fn of(&self, i: usize) -> &[T] {
        &self.items[self.at[i]..self.at[i + 1]]
    }
}

/// Sorts by decision date, organisation, id (and position, so the order is total): counted
/// into one bucket per day first when the dates span few days for the number of contracts
/// (they do: decision dates fall within a few years), so the sort grows linearly with the
/// contracts; each day's few contracts are then sorted by the rest.
fn sort_by_day(dated: &mut Vec<Dated>) {
    let key = |d: &Dated| (d.org_rank, d.id, d.fact);
    let day = |d: &Dated| i64::from(d.decision.0.num_days_from_ce());
    let (Some(lo), Some(hi)) = (dated.iter().map(day).min(), dated.iter().map(day).max()) else {
        return;
    };
    let span = usize::try_from(hi - lo + 1).unwrap_or(usize::MAX);
    if span > dated.len().saturating_mul(4).saturating_add(4096) {
        dated.sort_unstable_by_key(|d| (d.decision, key(d)));
        return;
    }
    let slot = |d: &Dated| usize::try_from(day(d) - lo).unwrap_or(0);
    let mut start = vec![0usize; span + 1];
    for d in dated.iter() {
        start[slot(d) + 1] += 1;
    }
    for i in 0..span {
        start[i + 1] += start[i];
    }
    let mut next = start.clone();
    let mut order = vec![0usize; dated.len()];
    for (i, d) in dated.iter().enumerate() {
        let s = slot(d);
        order[next[s]] = i;
        next[s] += 1;
    }
    *dated = order.into_iter().map(|i| dated[i]).collect();
    for w in start.windows(2) {
        if w[1] - w[0] > 1 {
            dated[w[0]..w[1]].sort_unstable_by_key(key);
        }
    }
}

/// The windows of one group, whose `members` are sorted by decision date: each contract is in
/// at most one of them (see the module doc for the rule). Returns slices of `members`.
/// `counts` has a zero per organisation and is left so.
fn select_windows<'m>(
    members: &'m [usize],
    dated: &[Dated],
    o: &WindowOptions,
    counts: &mut [usize],
) -> Vec<&'m [usize]> {
    let min_orgs = o.min_organisations.max(2);
    // Each member's decision date and how far a run starting there reaches, read once: every
    // segment's sweep below reads them again.
    let day: Vec<IsoDate> = members.iter().map(|&i| dated[i].decision).collect();
    let reach: Vec<IsoDate> = day
        .iter()
        .map(|&d| dates::plus_months(d, o.window_months).unwrap_or(IsoDate(chrono::NaiveDate::MAX)))
        .collect();
    let org: Vec<usize> = members.iter().map(|&i| dated[i].org_rank).collect();
    let value: Vec<i64> = members.iter().map(|&i| dated[i].value).collect();
    let mut out = Vec::new();
    // Segments of `members` still to search: a chosen run is the whole run from its first
    // contract, so no later window can reach across the gap it leaves (see the module doc).
    let mut todo = vec![(0usize, members.len())];
    while let Some((lo, hi)) = todo.pop() {
        if hi - lo < 2 {
            continue;
        }
        // Two-pointer sweep: for each start s, the run s..=j reaches as far as the width allows.
        // Best = (value, organisations, earliest start).
        let mut best: Option<(i64, usize, usize, usize)> = None;
        let (mut j, mut sum, mut distinct) = (lo, 0i64, 0usize);
        for s in lo..hi {
            if s > lo {
                // Drop the previous start.
                sum -= value[s - 1];
                counts[org[s - 1]] -= 1;
                if counts[org[s - 1]] == 0 {
                    distinct -= 1;
                }
            }
            while j < hi && day[j] <= reach[s] {
                sum += value[j];
                if counts[org[j]] == 0 {
                    distinct += 1;
                }
                counts[org[j]] += 1;
                j += 1;
            }
            // The run is s..j (j exclusive); it always holds s itself.
            if distinct >= min_orgs && best.is_none_or(|(v, n, _, _)| (sum, distinct) > (v, n)) {
                best = Some((sum, distinct, s, j));
            }
        }
        // Empty the counts for the next segment.
        for &x in &org[lo..hi] {
            counts[x] = 0;
        }
        if let Some((_, _, s, e)) = best {
            out.push(&members[s..e]);
            todo.push((lo, s));
            todo.push((e, hi));
        }
    }
    out
}

/// One run of a group as a [`FoundWindow`].
fn found<'i>(
    ix: &'i Index<'_>,
    g: WindowGrouping,
    key: &'i str,
    name: &'i str,
    run: &[usize],
    dated: &[Dated],
) -> FoundWindow<'i> {
    let facts = ix.contracts();
    let contracts: Vec<(usize, IsoDate, Option<IsoDate>)> = run
        .iter()
        .map(|&i| (dated[i].fact, dated[i].decision, dated[i].end_used))
        .collect();
    let first = contracts
        .first()
        .map(|c| c.1)
        .unwrap_or(IsoDate(chrono::NaiveDate::MIN));
    let last = contracts.last().map(|c| c.1).unwrap_or(first);
    let value = Pence(run.iter().map(|&i| dated[i].value).sum());
    // The window's organisations, by id then name: each one's place found without comparing
    // text, then only the few distinct ones sorted as text.
    let mut places: Vec<(usize, usize)> = run
        .iter()
        .map(|&i| (dated[i].org_rank, facts[dated[i].fact].org))
        .collect();
    places.sort_unstable();
    places.dedup();
    let text = |o: usize| (&ix.orgs[o].organisation, &ix.orgs[o].name);
    let mut orgs: Vec<usize> = places.into_iter().map(|(_, o)| o).collect();
    orgs.sort_by(|a, b| text(*a).cmp(&text(*b)));
    orgs.dedup_by(|a, b| text(*a) == text(*b));
    FoundWindow {
        grouping: g,
        key,
        name,
        contracts,
        orgs,
        annual_value: value,
        first_decision: first,
        last_decision: last,
    }
}

/// A found window's rows and explanation.
fn window(ix: &Index<'_>, w: FoundWindow<'_>, rank: usize) -> JointWindow {
    let facts = ix.contracts();
    let contracts: Vec<WindowContract> = w
        .contracts
        .iter()
        .map(|&(fact, decision_date, end_used)| {
            let c = &facts[fact];
            let org = &ix.orgs[c.org];
            WindowContract {
                organisation: org.organisation.clone(),
                organisation_name: org.name.clone(),
                contract_id: c.id,
                title: c.contract.title.clone(),
                supplier_name: c.supplier.map(|s| ix.res.suppliers[s].name.clone()),
                end_used,
                decision_date,
                annual_value: c.contract.annual_value,
            }
        })
        .collect();
    let (first, last, value, name) = (w.first_decision, w.last_decision, w.annual_value, w.name);
    let without = contracts
        .iter()
        .filter(|c| c.annual_value.is_none())
        .count();
    let what = match w.grouping {
        WindowGrouping::Product => format!("product {name}"),
        WindowGrouping::Supplier => format!("supplier {name}"),
        WindowGrouping::ServiceArea => format!("service area {name}"),
    };
    let names: Vec<&str> = w.orgs.iter().map(|&o| ix.orgs[o].name.as_str()).collect();
    let explanation = format!(
        "{} contracts for {what} in {} organisations ({}) reach their decision dates between {first} and {last} ({} days): {value} a year at stake{}.",
        contracts.len(),
        w.orgs.len(),
        names.join(", "),
        (last.0 - first.0).num_days(),
        if without > 0 {
            format!(" ({without} contract(s) without an annual value)")
        } else {
            String::new()
        }
    );
    JointWindow {
        rank,
        grouping: w.grouping,
        group_key: w.key.to_string(),
        group_name: name.to_string(),
        organisations: w
            .orgs
            .iter()
            .map(|&o| ix.orgs[o].organisation.clone())
            .collect(),
        organisation_names: names.iter().map(|n| (*n).to_string()).collect(),
        contracts,
        first_decision: first,
        last_decision: last,
        span_days: (last.0 - first.0).num_days(),
        annual_value: value,
        contracts_without_value: without,
        explanation,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{id, org, rec};
    use super::*;
    use crate::domain::enums::RecordKind as K;
    use serde_json::json;

    /// One borough with a product, its system and a contract with this decision date (lead 0,
    /// notice 0, so decision = end).
    fn borough(code: &str, n: u128, end: &str, value: i64) -> crate::analysis::OrgReturn {
        org(
            code,
            vec![
                (id(n), rec(K::Supplier, json!({"name": "Acme"}))),
                (
                    id(n + 1),
                    rec(K::Product, json!({"name": "Widget", "supplier_id": id(n)})),
                ),
                (
                    id(n + 2),
                    rec(
                        K::System,
                        json!({"name": "W", "product_id": id(n + 1), "service_area": "esd:66"}),
                    ),
                ),
                (
                    id(n + 3),
                    rec(
                        K::Contract,
                        json!({"title": "W", "supplier_id": id(n), "system_ids": [id(n + 2)],
                "end_date": end, "notice_period_days": 0, "annual_value": value}),
                    ),
                ),
            ],
        )
    }

    fn opts(months: u32) -> WindowOptions {
        WindowOptions {
            decision: DecisionOptions {
                lead_months: 0,
                ..DecisionOptions::default()
            },
            window_months: months,
            group_by: vec![WindowGrouping::Product],
            min_organisations: 2,
        }
    }

    #[test]
    fn the_richest_run_is_taken_and_its_contracts_are_not_listed_again() {
        let orgs = vec![
            borough("E09000001", 10, "2028-01-31", 100),
            borough("E09000002", 20, "2028-11-30", 200),
            borough("E09000003", 30, "2029-09-30", 400),
        ];
        let ix = Index::build(&orgs, &[]);
        let w = windows(&ix, &opts(12), &AnalysisFilter::default());
        // Jan 2028 + 12 months reaches Nov 2028 but not Sep 2029. The two runs (Jan–Nov 2028,
        // £3; Nov 2028–Sep 2029, £6) share the Nov contract: the richer one is taken, and Jan
        // 2028 is left alone, so it is no window.
        assert_eq!(w.len(), 1, "{w:#?}");
        assert_eq!(w[0].annual_value, Pence(600));
        assert_eq!(w[0].organisations, ["gss:E09000002", "gss:E09000003"]);
        assert_eq!(w[0].span_days, 304);
        // If Jan 2028 held more money, its run would be taken instead.
        let richer = vec![
            borough("E09000001", 10, "2028-01-31", 500),
            borough("E09000002", 20, "2028-11-30", 200),
            borough("E09000003", 30, "2029-09-30", 400),
        ];
        let ix2 = Index::build(&richer, &[]);
        let w = windows(&ix2, &opts(12), &AnalysisFilter::default());
        assert_eq!(w.len(), 1, "{w:#?}");
        assert_eq!(w[0].organisations, ["gss:E09000001", "gss:E09000002"]);
        // 21 months holds all three in one window; 9 months holds none.
        assert_eq!(windows(&ix, &opts(21), &AnalysisFilter::default()).len(), 1);
        assert!(windows(&ix, &opts(9), &AnalysisFilter::default()).is_empty());
        // The same organisation twice is not a joint window.
        let one = vec![
            borough("E09000001", 10, "2028-01-31", 1),
            borough("E09000001", 20, "2028-02-28", 1),
        ];
        let ix = Index::build(&one, &[]);
        assert!(windows(&ix, &opts(12), &AnalysisFilter::default()).is_empty());
    }

    #[test]
    fn after_a_window_is_taken_the_rest_can_form_more_windows() {
        // Two clusters two years apart: each is its own window, both found.
        let orgs = vec![
            borough("E09000001", 10, "2028-01-31", 1),
            borough("E09000002", 20, "2028-03-31", 1),
            borough("E09000003", 30, "2030-01-31", 5),
            borough("E09000004", 40, "2030-02-28", 5),
            borough("E09000005", 50, "2030-04-30", 5),
        ];
        let ix = Index::build(&orgs, &[]);
        let w = windows(&ix, &opts(12), &AnalysisFilter::default());
        assert_eq!(w.len(), 2, "{w:#?}");
        assert_eq!(w[0].contracts.len(), 3);
        assert_eq!(w[0].rank, 1);
        assert_eq!(w[1].organisations, ["gss:E09000001", "gss:E09000002"]);
    }

    #[test]
    fn output_is_linear_each_contract_in_at_most_one_window_per_grouping() {
        // 2,000 contracts of one supplier and product in one service area, across 40
        // organisations, decision dates spread evenly over five years.
        let start = chrono::NaiveDate::from_ymd_opt(2028, 1, 1).unwrap();
        let n_orgs = 40u128;
        let per_org = 50u128;
        let orgs: Vec<crate::analysis::OrgReturn> = (0..n_orgs)
            .map(|o| {
                let base = (o + 1) * 100_000;
                let mut records = vec![
                    (id(base), rec(K::Supplier, json!({"name": "Acme"}))),
                    (
                        id(base + 1),
                        rec(K::Product, json!({"name": "Widget", "supplier_id": id(base)})),
                    ),
                    (
                        id(base + 2),
                        rec(
                            K::System,
                            json!({"name": "W", "product_id": id(base + 1), "service_area": "esd:66"}),
                        ),
                    ),
                ];
                for c in 0..per_org {
                    let k = c * n_orgs + o; // 0..2000, interleaving organisations
                    let day = (k * 1826 / 2000) as u64;
                    let end = (start + chrono::Days::new(day)).format("%Y-%m-%d").to_string();
                    records.push((
                        id(base + 10 + c),
                        rec(
                            K::Contract,
                            json!({"title": format!("W{k}"), "supplier_id": id(base),
                                "system_ids": [id(base + 2)], "end_date": end,
                                "notice_period_days": 0, "annual_value": (k * 7919 % 1000 + 1) as i64}),
                        ),
                    ));
                }
                org(&format!("E{:08}", 9_000_001 + o), records)
            })
            .collect();
        let ix = Index::build(&orgs, &[]);
        let o = WindowOptions {
            group_by: WindowGrouping::ALL.to_vec(),
            ..opts(12)
        };
        let w = windows(&ix, &o, &AnalysisFilter::default());
        for g in WindowGrouping::ALL {
            let mine: Vec<&JointWindow> = w.iter().filter(|x| x.grouping == g).collect();
            let listed: usize = mine.iter().map(|x| x.contracts.len()).sum();
            let ids: std::collections::BTreeSet<Uuid> = mine
                .iter()
                .flat_map(|x| x.contracts.iter().map(|c| c.contract_id))
                .collect();
            assert!(listed <= 2_000, "{g:?}: {listed} contracts listed");
            assert_eq!(ids.len(), listed, "{g:?}: a contract is listed twice");
            // Nearly every contract is in some window (the sweep does not lose them).
            assert!(listed >= 1_900, "{g:?}: only {listed} contracts listed");
            for x in &mine {
                let limit = dates::plus_months(x.first_decision, 12).unwrap();
                assert!(x.last_decision <= limit, "{x:#?}");
                assert!(x.organisations.len() >= 2);
            }
        }
        // Ranked by value at stake.
        assert!(w.windows(2).all(|p| p[0].annual_value >= p[1].annual_value));
    }

    /// Counting by day gives the order the plain sort gives, when the dates span few days
    /// and when they span too many (the plain sort then).
    #[test]
    fn sorting_by_day_gives_the_plain_sort_order() {
        let base = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        for spread in [40u64, 1_000_000] {
            let dated: Vec<Dated> = (0..3_000u64)
                .map(|i| {
                    let k = i * 7919 % 3_001;
                    Dated {
                        fact: i as usize,
                        org_rank: (k % 13) as usize,
                        id: id(u128::from(k % 17)),
                        decision: IsoDate(base + chrono::Days::new(k * 31 % spread)),
                        end_used: None,
                        value: 0,
                    }
                })
                .collect();
            let mut plain = dated.clone();
            plain.sort_unstable_by_key(|d| (d.decision, d.org_rank, d.id, d.fact));
            let mut counted = dated;
            sort_by_day(&mut counted);
            let key = |v: &[Dated]| v.iter().map(|d| d.fact).collect::<Vec<_>>();
            assert_eq!(key(&counted), key(&plain), "spread {spread}");
        }
        let mut empty = Vec::new();
        sort_by_day(&mut empty);
        assert!(empty.is_empty());
    }

    #[test]
    fn a_window_ends_exactly_at_the_width_clamped_to_month_end() {
        // 31 Jan + 1 month = 29 Feb 2028 (leap year): 29 Feb is in, 1 Mar is out.
        let orgs = vec![
            borough("E09000001", 10, "2028-01-31", 1),
            borough("E09000002", 20, "2028-02-29", 1),
            borough("E09000003", 30, "2028-03-01", 1),
        ];
        let ix = Index::build(&orgs, &[]);
        let w = windows(&ix, &opts(1), &AnalysisFilter::default());
        // Runs Jan 31–Feb 29 and Feb 29–Mar 1 tie on value and organisations: the earlier is
        // taken, and Mar 1 is left alone. Had Mar 1 been inside the width, the run from Jan 31
        // would hold all three contracts.
        assert_eq!(w.len(), 1, "{w:#?}");
        assert_eq!(w[0].organisations, ["gss:E09000001", "gss:E09000002"]);
        assert_eq!(w[0].contracts.len(), 2);
    }
}
