//! Contract decision dates, one row per contract, and joint-procurement windows: groups of
//! contracts for the same product, supplier or service area, in two or more organisations,
//! whose decision dates fall within a chosen number of months of each other. Windows are the
//! longest such runs (none is a part of another), ranked by annual value at stake, then by
//! number of organisations, and each explains itself.

use super::dates::{self, DecisionFlag, DecisionOptions};
use super::{AnalysisFilter, ContractFacts, Index};
use crate::domain::enums::ServiceArea;
use crate::domain::values::{IsoDate, Pence};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
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
    /// The end date counted from (end, or latest end if asked for and given).
    pub end_used: Option<IsoDate>,
    pub notice_period_days: Option<u32>,
    /// The last day to give notice.
    pub notice_by: Option<IsoDate>,
    /// The last day to act: notice date − lead time. `None` when unknown (see `flags`).
    pub decision_date: Option<IsoDate>,
    pub flags: Vec<DecisionFlag>,
    /// The flags in plain English.
    pub notes: Vec<String>,
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
        notes: d.flags.iter().map(|f| f.explain().to_string()).collect(),
        flags: d.flags,
    }
}

/// Joint-procurement windows, ranked. Windows with at least one contract passing the filter
/// are kept (the other contracts in them are still shown).
pub(crate) fn windows(ix: &Index<'_>, o: &WindowOptions, f: &AnalysisFilter) -> Vec<JointWindow> {
    let facts = ix.contracts();
    let rows: Vec<ContractDecision> = facts.iter().map(|c| row(ix, c, &o.decision)).collect();
    let wanted: Vec<bool> = facts.iter().map(|c| ix.contract_matches(f, c)).collect();
    let mut out = Vec::new();
    let mut groupings = o.group_by.clone();
    groupings.sort();
    groupings.dedup();
    for g in groupings {
        // Group key → (name, contract indexes).
        let mut groups: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
        for (i, c) in facts.iter().enumerate() {
            if rows[i].decision_date.is_none() {
                continue;
            }
            let keys: Vec<(String, String)> = match g {
                WindowGrouping::Product => c
                    .products
                    .iter()
                    .map(|p| {
                        (
                            ix.res.products[*p].key.clone(),
                            ix.res.products[*p].name.clone(),
                        )
                    })
                    .collect(),
                WindowGrouping::Supplier => c
                    .supplier
                    .map(|s| {
                        (
                            ix.res.suppliers[s].key.clone(),
                            ix.res.suppliers[s].name.clone(),
                        )
                    })
                    .into_iter()
                    .collect(),
                WindowGrouping::ServiceArea => c
                    .service_areas
                    .iter()
                    .map(|a| (a.id().to_string(), a.label().to_string()))
                    .collect(),
            };
            for (k, n) in keys {
                groups.entry(k).or_insert_with(|| (n, Vec::new())).1.push(i);
            }
        }
        for (key, (name, mut members)) in groups {
            members.sort_by_key(|&i| (rows[i].decision_date, rows[i].organisation.clone()));
            let date = |i: usize| {
                rows[i]
                    .decision_date
                    .unwrap_or(IsoDate(chrono::NaiveDate::MIN))
            };
            let mut last_end = None;
            let mut j = 0;
            for s in 0..members.len() {
                let Some(limit) = dates::plus_months(date(members[s]), o.window_months) else {
                    continue;
                };
                if j < s {
                    j = s;
                }
                while j + 1 < members.len() && date(members[j + 1]) <= limit {
                    j += 1;
                }
                if last_end.is_some_and(|e| e >= j) {
                    continue;
                }
                last_end = Some(j);
                let run = &members[s..=j];
                let orgs: BTreeSet<&str> =
                    run.iter().map(|&i| rows[i].organisation.as_str()).collect();
                if orgs.len() < o.min_organisations.max(2) || !run.iter().any(|&i| wanted[i]) {
                    continue;
                }
                out.push(window(g, &key, &name, run, &rows));
            }
        }
    }
    out.sort_by(|a, b| {
        b.annual_value
            .cmp(&a.annual_value)
            .then(b.organisations.len().cmp(&a.organisations.len()))
            .then(a.first_decision.cmp(&b.first_decision))
            .then(a.grouping.cmp(&b.grouping))
            .then(a.group_key.cmp(&b.group_key))
    });
    for (i, w) in out.iter_mut().enumerate() {
        w.rank = i + 1;
    }
    out
}

fn window(
    g: WindowGrouping,
    key: &str,
    name: &str,
    run: &[usize],
    rows: &[ContractDecision],
) -> JointWindow {
    let contracts: Vec<WindowContract> = run
        .iter()
        .map(|&i| {
            let r = &rows[i];
            WindowContract {
                organisation: r.organisation.clone(),
                organisation_name: r.organisation_name.clone(),
                contract_id: r.contract_id,
                title: r.title.clone(),
                supplier_name: r.supplier_name.clone(),
                end_used: r.end_used,
                decision_date: r.decision_date.unwrap_or(IsoDate(chrono::NaiveDate::MIN)),
                annual_value: r.annual_value,
            }
        })
        .collect();
    let first = contracts
        .first()
        .map(|c| c.decision_date)
        .unwrap_or(IsoDate(chrono::NaiveDate::MIN));
    let last = contracts.last().map(|c| c.decision_date).unwrap_or(first);
    let value = Pence(
        contracts
            .iter()
            .filter_map(|c| c.annual_value)
            .map(|p| p.0)
            .sum(),
    );
    let without = contracts
        .iter()
        .filter(|c| c.annual_value.is_none())
        .count();
    let mut orgs: Vec<(String, String)> = contracts
        .iter()
        .map(|c| (c.organisation.clone(), c.organisation_name.clone()))
        .collect();
    orgs.sort();
    orgs.dedup();
    let what = match g {
        WindowGrouping::Product => format!("product {name}"),
        WindowGrouping::Supplier => format!("supplier {name}"),
        WindowGrouping::ServiceArea => format!("service area {name}"),
    };
    let names: Vec<&str> = orgs.iter().map(|(_, n)| n.as_str()).collect();
    let explanation = format!(
        "{} contracts for {what} in {} organisations ({}) reach their decision dates between {first} and {last} ({} days): {value} a year at stake{}.",
        contracts.len(),
        orgs.len(),
        names.join(", "),
        (last.0 - first.0).num_days(),
        if without > 0 {
            format!(" ({without} contract(s) without an annual value)")
        } else {
            String::new()
        }
    );
    JointWindow {
        rank: 0,
        grouping: g,
        group_key: key.to_string(),
        group_name: name.to_string(),
        organisations: orgs.iter().map(|(o, _)| o.clone()).collect(),
        organisation_names: orgs.iter().map(|(_, n)| n.clone()).collect(),
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
                use_latest_end: false,
            },
            window_months: months,
            group_by: vec![WindowGrouping::Product],
            min_organisations: 2,
        }
    }

    #[test]
    fn windows_are_maximal_runs_within_the_width_across_organisations() {
        let orgs = vec![
            borough("E09000001", 10, "2028-01-31", 100),
            borough("E09000002", 20, "2028-11-30", 200),
            borough("E09000003", 30, "2029-09-30", 400),
        ];
        let ix = Index::build(&orgs, &[]);
        let w = windows(&ix, &opts(12), &AnalysisFilter::default());
        // Jan 2028 + 12 months reaches Nov 2028 but not Sep 2029: two overlapping windows.
        assert_eq!(w.len(), 2, "{w:#?}");
        assert_eq!(
            w[0].annual_value,
            Pence(600),
            "the richer window ranks first"
        );
        assert_eq!(w[0].organisations, ["gss:E09000002", "gss:E09000003"]);
        assert_eq!(w[1].organisations, ["gss:E09000001", "gss:E09000002"]);
        assert_eq!(w[1].span_days, 304);
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
    fn a_window_ends_exactly_at_the_width_clamped_to_month_end() {
        // 31 Jan + 1 month = 29 Feb 2028 (leap year): 29 Feb is in, 1 Mar is out.
        let orgs = vec![
            borough("E09000001", 10, "2028-01-31", 1),
            borough("E09000002", 20, "2028-02-29", 1),
            borough("E09000003", 30, "2028-03-01", 1),
        ];
        let ix = Index::build(&orgs, &[]);
        let w = windows(&ix, &opts(1), &AnalysisFilter::default());
        assert_eq!(w.len(), 2, "{w:#?}");
        assert!(
            w.iter()
                .any(|x| x.organisations == ["gss:E09000001", "gss:E09000002"])
        );
    }
}
