//! Products shared across organisations: for each (normalised) product, which organisations use
//! it, for which service areas, with satisfaction, hosting and contract ends side by side.

use super::{AnalysisFilter, Index};
use crate::domain::enums::{Hosting, Satisfaction, ServiceArea};
use crate::domain::records::RecordData;
use crate::domain::values::IsoDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// One organisation's system running the product.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProductUse {
    pub organisation: String,
    pub organisation_name: String,
    pub system_id: Uuid,
    pub system_name: String,
    /// The product as this organisation spelled it.
    pub product_name: String,
    pub service_area: Option<ServiceArea>,
    pub satisfaction: Option<Satisfaction>,
    pub hosting: Option<Hosting>,
    /// End dates of the contracts linked to the system, soonest first.
    pub contract_ends: Vec<IsoDate>,
}

/// A product and everyone who uses it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SharedProduct {
    pub product_key: String,
    pub product_name: String,
    pub supplier_key: Option<String>,
    pub supplier_name: Option<String>,
    pub organisations: Vec<String>,
    pub service_areas: Vec<ServiceArea>,
    /// Mean of the 1–5 ratings given ("don't know" left out).
    pub mean_satisfaction: Option<f64>,
    pub uses: Vec<ProductUse>,
}

/// Options for the shared-products view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct ProductOptions {
    /// Show products used by at least this many organisations (default 2).
    pub min_organisations: usize,
}

impl Default for ProductOptions {
    fn default() -> Self {
        ProductOptions {
            min_organisations: 2,
        }
    }
}

pub(crate) fn satisfaction_score(s: Option<Satisfaction>) -> Option<u32> {
    match s? {
        Satisfaction::VeryDissatisfied => Some(1),
        Satisfaction::Dissatisfied => Some(2),
        Satisfaction::Neutral => Some(3),
        Satisfaction::Satisfied => Some(4),
        Satisfaction::VerySatisfied => Some(5),
        Satisfaction::DontKnow => None,
    }
}

/// Products used by `min_organisations` or more, most organisations first.
pub(crate) fn shared(ix: &Index<'_>, o: &ProductOptions, f: &AnalysisFilter) -> Vec<SharedProduct> {
    // Contract end dates per (org, system).
    let mut ends: BTreeMap<(usize, Uuid), Vec<IsoDate>> = BTreeMap::new();
    for c in ix.contracts() {
        if let Some(e) = c.contract.end_date.or(c.contract.latest_end_date) {
            for s in &c.contract.system_ids {
                ends.entry((c.org, *s)).or_default().push(e);
            }
        }
    }
    let mut uses: BTreeMap<usize, Vec<ProductUse>> = BTreeMap::new();
    for (oi, org) in ix.orgs.iter().enumerate() {
        for (id, r) in &org.records {
            let RecordData::System(s) = r else { continue };
            let Some(p) = ix.product(oi, s.product_id) else {
                continue;
            };
            let mut e = ends.get(&(oi, *id)).cloned().unwrap_or_default();
            e.sort();
            e.dedup();
            let spelled = ix.res.products[p]
                .members
                .iter()
                .find(|m| m.organisation == org.organisation && Some(m.record_id) == s.product_id)
                .map_or_else(|| ix.res.products[p].name.clone(), |m| m.name.clone());
            uses.entry(p).or_default().push(ProductUse {
                organisation: org.organisation.clone(),
                organisation_name: org.name.clone(),
                system_id: *id,
                system_name: s.name.clone(),
                product_name: spelled,
                service_area: s.service_area,
                satisfaction: s.satisfaction,
                hosting: s.hosting,
                contract_ends: e,
            });
        }
    }
    let mut out = Vec::new();
    for (p, us) in uses {
        let e = &ix.res.products[p];
        let orgs: BTreeSet<String> = us.iter().map(|u| u.organisation.clone()).collect();
        if orgs.len() < o.min_organisations.max(1) {
            continue;
        }
        let supplier = e.supplier_key.as_ref().and_then(|k| {
            ix.res
                .suppliers
                .iter()
                .find(|s| &s.key == k)
                .map(|s| s.name.clone())
        });
        let keep = f.product.as_deref().is_none_or(|w| {
            let w = w.to_lowercase();
            e.key.to_lowercase() == w || e.name.to_lowercase().contains(&w)
        }) && f.supplier.as_deref().is_none_or(|w| {
            let w = w.to_lowercase();
            e.supplier_key
                .as_deref()
                .is_some_and(|k| k.to_lowercase() == w)
                || supplier
                    .as_deref()
                    .is_some_and(|n| n.to_lowercase().contains(&w))
        }) && f
            .service_area
            .is_none_or(|a| us.iter().any(|u| u.service_area == Some(a)))
            && (f.organisation.is_none() || orgs.iter().any(|org| f.org_matches(org)))
            && (f.ends_from.is_none() && f.ends_to.is_none()
                || us.iter().flat_map(|u| &u.contract_ends).any(|d| {
                    f.ends_from.is_none_or(|x| *d >= x) && f.ends_to.is_none_or(|x| *d <= x)
                }));
        if !keep {
            continue;
        }
        let scores: Vec<u32> = us
            .iter()
            .filter_map(|u| satisfaction_score(u.satisfaction))
            .collect();
        let areas: BTreeSet<ServiceArea> = us.iter().filter_map(|u| u.service_area).collect();
        out.push(SharedProduct {
            product_key: e.key.clone(),
            product_name: e.name.clone(),
            supplier_key: e.supplier_key.clone(),
            supplier_name: supplier,
            organisations: orgs.into_iter().collect(),
            service_areas: areas.into_iter().collect(),
            mean_satisfaction: (!scores.is_empty()).then(|| {
                (f64::from(scores.iter().sum::<u32>()) / scores.len() as f64 * 100.0).round()
                    / 100.0
            }),
            uses: us,
        });
    }
    out.sort_by(|a, b| {
        b.organisations
            .len()
            .cmp(&a.organisations.len())
            .then(a.product_key.cmp(&b.product_key))
    });
    out
}
