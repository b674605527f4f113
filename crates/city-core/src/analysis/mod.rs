//! Collaboration analysis for LOTI, as pure functions: no I/O, no store. The input is each
//! organisation's current records for a cycle (plus the alias decisions analysts made and
//! options); the output is plain data that front ends show as tables, charts and workbook
//! sheets. The output types derive `Serialize` + `ts_rs::TS` and are the API's DTOs.
//!
//! - `names`: normalising names and identifiers, similarity scores.
//! - `entities`: which suppliers and products across organisations are the same.
//! - `dates`: the last date to act on a contract (end − notice − lead time).
//! - `decisions`: per-contract decision dates and joint-procurement windows.
//! - `products`: products shared across organisations.
//! - `concentration`: supplier shares, top-10 share, HHI; suppliers vs satisfaction.
//! - `readiness`: CAF and ICO heatmaps, certificate expiry, unsupported systems.
//! - `skills`: peer-support pairs.
//! - `progress`: what changed between two cycles, per organisation and for London.

pub(crate) mod concentration;
pub(crate) mod dates;
pub(crate) mod decisions;
pub(crate) mod entities;
pub(crate) mod names;
pub(crate) mod products;
pub(crate) mod progress;
pub(crate) mod readiness;
pub(crate) mod skills;

use crate::domain::enums::{ServiceArea, string_enum};
use crate::domain::records::{Contract, RecordData, System};
use crate::domain::values::IsoDate;
use serde::{Deserialize, Serialize};
use std::cell::OnceCell;
use std::collections::HashMap;
use uuid::Uuid;

/// Every view at once: the committee workbook's analysis sheets, the site, `city analysis
/// report`.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AnalysisReport {
    pub cycle: String,
    pub organisations: usize,
    pub window_options: decisions::WindowOptions,
    pub shared_products: Vec<products::SharedProduct>,
    pub decisions: Vec<decisions::ContractDecision>,
    pub windows: Vec<decisions::JointWindow>,
    pub concentration: concentration::ConcentrationReport,
    pub readiness: readiness::ReadinessReport,
    pub skills: Vec<skills::SkillPair>,
    pub suggestions: Vec<entities::AliasSuggestion>,
}

string_enum! {
    /// What an alias decision joins: two suppliers or two products.
    AliasKind {
        Supplier = "supplier": "Supplier",
        Product = "product": "Product",
    }
}

/// One organisation's current records for a cycle: the analysis input.
#[derive(Debug, Clone)]
pub(crate) struct OrgReturn {
    /// `gss:E09000007`.
    pub(crate) organisation: String,
    pub(crate) name: String,
    pub(crate) records: Vec<(Uuid, RecordData)>,
}

/// An analyst's decision about two normalised names.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AliasRule {
    pub(crate) kind: AliasKind,
    pub(crate) a: String,
    pub(crate) b: String,
    pub(crate) confirmed: bool,
}

/// Narrows tables to what a view asks for. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct AnalysisFilter {
    /// `gss:E09000007` or `E09000007`.
    pub organisation: Option<String>,
    /// A supplier entity key (`ch:01628868`) or part of its name (any case).
    pub supplier: Option<String>,
    /// A product entity key (`product:civica app`) or part of its name (any case).
    pub product: Option<String>,
    pub service_area: Option<ServiceArea>,
    /// Contracts ending on or after this date.
    pub ends_from: Option<IsoDate>,
    /// Contracts ending on or before this date.
    pub ends_to: Option<IsoDate>,
}

impl AnalysisFilter {
    pub(crate) fn org_matches(&self, org: &str) -> bool {
        self.organisation
            .as_deref()
            .is_none_or(|want| org == want || org.strip_prefix("gss:") == Some(want))
    }
}

pub(crate) fn entity_matches(want: Option<&str>, key: Option<&str>, name: Option<&str>) -> bool {
    let Some(w) = want else { return true };
    let w = w.trim().to_lowercase();
    key.is_some_and(|k| k.to_lowercase() == w)
        || name.is_some_and(|n| n.to_lowercase().contains(&w))
}

/// What the analysis knows about one contract, joined across records.
#[derive(Debug, Clone)]
pub(crate) struct ContractFacts<'a> {
    pub(crate) org: usize,
    pub(crate) id: Uuid,
    pub(crate) contract: &'a Contract,
    pub(crate) supplier: Option<usize>,
    pub(crate) products: Vec<usize>,
    pub(crate) service_areas: Vec<ServiceArea>,
    /// The contract's annual value in pence (0 when not given), copied here so that London-wide
    /// sums need not read the contract itself again.
    pub(crate) value: i64,
}

/// The input with suppliers and products resolved, ready for every analysis.
pub(crate) struct Index<'a> {
    pub(crate) orgs: &'a [OrgReturn],
    pub(crate) res: entities::Resolution,
    /// Per organisation (its place in `orgs`): its systems by id. One small map each, so a
    /// lookup stays within the organisation's own records however many there are.
    pub(crate) systems: Vec<HashMap<Uuid, &'a System>>,
    /// [`Index::contracts`], joined on first use and kept: every view reads it, some twice.
    contracts: OnceCell<Vec<ContractFacts<'a>>>,
}

impl<'a> Index<'a> {
    pub(crate) fn build(orgs: &'a [OrgReturn], rules: &[AliasRule]) -> Index<'a> {
        Index::build_with(orgs, rules, entities::Detail::Full)
    }

    /// [`Index::build`], its entities kept with `detail`.
    pub(crate) fn build_with(
        orgs: &'a [OrgReturn],
        rules: &[AliasRule],
        detail: entities::Detail,
    ) -> Index<'a> {
        // Each organisation's systems gathered on the resolution's walk through the records.
        let mut systems: Vec<HashMap<Uuid, &'a System>> = vec![HashMap::new(); orgs.len()];
        let res = entities::resolve_with(orgs, rules, detail, |oi, id, r| {
            if let RecordData::System(s) = r {
                systems[oi].insert(id, s);
            }
        });
        Index::from_parts(orgs, res, systems)
    }

    /// One organisation's records walked for an index made organisation by organisation: its
    /// suppliers and products added to `nodes` (`oi`: its place in the input), its systems
    /// by id returned. [`entities::Nodes::resolve`] then [`Index::from_parts`] make the index.
    pub(crate) fn gather_org(
        oi: usize,
        o: &'a OrgReturn,
        nodes: &mut entities::Nodes<'a>,
    ) -> HashMap<Uuid, &'a System> {
        let mut systems = HashMap::new();
        for (id, r) in &o.records {
            if let RecordData::System(s) = r {
                systems.insert(*id, s);
            }
            nodes.add(oi, *id, r);
        }
        systems
    }

    /// An index of `orgs` from their resolution and each one's systems by id.
    pub(crate) fn from_parts(
        orgs: &'a [OrgReturn],
        res: entities::Resolution,
        systems: Vec<HashMap<Uuid, &'a System>>,
    ) -> Index<'a> {
        Index {
            orgs,
            res,
            systems,
            contracts: OnceCell::new(),
        }
    }

    pub(crate) fn supplier(&self, org: usize, id: Option<Uuid>) -> Option<usize> {
        id.and_then(|id| self.res.supplier_of.get(org)?.get(&id).copied())
    }

    pub(crate) fn product(&self, org: usize, id: Option<Uuid>) -> Option<usize> {
        id.and_then(|id| self.res.product_of.get(org)?.get(&id).copied())
    }

    /// Every contract with its supplier, products and service areas (through its systems),
    /// joined once per index.
    pub(crate) fn contracts(&self) -> &[ContractFacts<'a>] {
        self.contracts.get_or_init(|| self.join_contracts())
    }

    fn join_contracts(&self) -> Vec<ContractFacts<'a>> {
        let mut out = Vec::new();
        for oi in 0..self.orgs.len() {
            self.join_org_contracts(oi, &mut out);
        }
        out
    }

    /// Organisation `oi`'s contracts joined, appended to `out` (for a caller that goes through
    /// the organisations one by one and hands the whole list to [`Index::set_contracts`]).
    pub(crate) fn join_org_contracts(&self, oi: usize, out: &mut Vec<ContractFacts<'a>>) {
        let mine = &self.systems[oi];
        let mut systems: Vec<&System> = Vec::new();
        for (id, r) in &self.orgs[oi].records {
            let RecordData::Contract(c) = r else { continue };
            systems.clear();
            systems.extend(c.system_ids.iter().filter_map(|s| mine.get(s).copied()));
            let supplier = self.supplier(oi, c.supplier_id).or_else(|| {
                systems
                    .iter()
                    .find_map(|s| self.supplier(oi, s.supplier_id))
            });
            // Sorted and distinct, as sets would give them, without a set's allocations.
            let mut products: Vec<usize> = systems
                .iter()
                .filter_map(|s| self.product(oi, s.product_id))
                .collect();
            products.sort_unstable();
            products.dedup();
            let mut areas: Vec<ServiceArea> =
                systems.iter().filter_map(|s| s.service_area).collect();
            areas.sort_unstable();
            areas.dedup();
            out.push(ContractFacts {
                org: oi,
                id: *id,
                contract: c,
                supplier,
                products,
                service_areas: areas,
                value: c.annual_value.map_or(0, |p| p.0),
            });
        }
    }

    /// Sets [`Index::contracts`] to `facts`: every organisation's, in organisation order, as
    /// [`Index::join_org_contracts`] made them. Ignored when they are already joined.
    pub(crate) fn set_contracts(&self, facts: Vec<ContractFacts<'a>>) {
        let _ = self.contracts.set(facts);
    }

    /// Whether a contract passes the filter (contract end = its end, or latest end).
    pub(crate) fn contract_matches(&self, f: &AnalysisFilter, c: &ContractFacts<'_>) -> bool {
        let org = &self.orgs[c.org].organisation;
        let sup = c.supplier.map(|s| &self.res.suppliers[s]);
        // The contract's own fields are read only when the filter asks about them.
        let end = || c.contract.end_date.or(c.contract.latest_end_date);
        f.org_matches(org)
            && entity_matches(
                f.supplier.as_deref(),
                sup.map(|s| s.key.as_str()),
                sup.map(|s| s.name.as_str()),
            )
            && (f.product.is_none()
                || c.products.iter().any(|p| {
                    let e = &self.res.products[*p];
                    entity_matches(f.product.as_deref(), Some(&e.key), Some(&e.name))
                }))
            && f.service_area.is_none_or(|a| c.service_areas.contains(&a))
            && f.ends_from.is_none_or(|d| end().is_some_and(|e| e >= d))
            && f.ends_to.is_none_or(|d| end().is_some_and(|e| e <= d))
    }

    pub(crate) fn supplier_name(&self, s: Option<usize>) -> (Option<String>, Option<String>) {
        match s {
            Some(i) => (
                Some(self.res.suppliers[i].key.clone()),
                Some(self.res.suppliers[i].name.clone()),
            ),
            None => (None, None),
        }
    }
}

/// A rounded percentage (two decimals) for tables.
pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Small hand-built inputs for the analysis modules' unit tests.
#[cfg(test)]
pub(crate) mod testdata {
    use super::OrgReturn;
    use crate::domain::enums::RecordKind;
    use crate::domain::records::RecordData;
    use uuid::Uuid;

    /// A deterministic id: `n` in the last digits.
    pub(crate) fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    /// A record of `kind` from JSON (panics on a typo in the test).
    pub(crate) fn rec(kind: RecordKind, v: serde_json::Value) -> RecordData {
        match RecordData::from_json(kind, v) {
            Ok(mut r) => {
                r.normalise();
                r
            }
            Err(e) => panic!("{}: {}", e.field, e.message),
        }
    }

    pub(crate) fn org(code: &str, records: Vec<(Uuid, RecordData)>) -> OrgReturn {
        OrgReturn {
            organisation: format!("gss:{code}"),
            name: code.to_string(),
            records,
        }
    }
}
