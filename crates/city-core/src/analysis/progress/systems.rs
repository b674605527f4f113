//! Systems then and now, matched by id: added, retired, newly out of support (marked so, or
//! past its end of support, on the later cycle's reference date and not on the earlier one's),
//! moved to cloud hosting (SaaS, PaaS or IaaS, from another answer), and products switched: a
//! system in the same service area now on another product — the same system's answer changed,
//! or a system retired and another added in its place (a retired system is first paired with an
//! added one of the same product and area, which is a re-implementation, not a switch).
//! Products are compared by their entity key, so a new spelling of the same product is no
//! switch.

use super::{ChangeKind, Pair, ProgressChange, SystemMovement};
use crate::analysis::readiness::unsupported_on;
use crate::analysis::{AnalysisFilter, Index, entity_matches};
use crate::domain::enums::Hosting;
use crate::domain::records::System;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

fn cloud(h: Hosting) -> bool {
    matches!(h, Hosting::Saas | Hosting::Paas | Hosting::Iaas)
}

/// A system's product entity key and name (borrowed: copied only into a change listed).
fn product<'i>(ix: &'i Index<'_>, org: usize, s: &System) -> Option<(&'i str, &'i str)> {
    ix.product(org, s.product_id).map(|e| {
        let e = &ix.res.products[e];
        (e.key.as_str(), e.name.as_str())
    })
}

/// Whether a system passes the filter; its supplier and product are looked up only when the
/// filter names one.
fn matches(f: &AnalysisFilter, ix: &Index<'_>, org: usize, s: &System) -> bool {
    f.service_area.is_none_or(|a| s.service_area == Some(a))
        && (f.supplier.is_none() || {
            let sup = ix
                .supplier(org, s.supplier_id)
                .map(|e| &ix.res.suppliers[e]);
            entity_matches(
                f.supplier.as_deref(),
                sup.map(|e| e.key.as_str()),
                sup.map(|e| e.name.as_str()),
            )
        })
        && (f.product.is_none() || {
            let prod = ix.product(org, s.product_id).map(|e| &ix.res.products[e]);
            entity_matches(
                f.product.as_deref(),
                prod.map(|e| e.key.as_str()),
                prod.map(|e| e.name.as_str()),
            )
        })
}

/// The organisation's systems within the filter, by id (from the index's own map of them, not
/// by walking every record again).
fn systems<'a>(ix: &Index<'a>, org: usize, f: &AnalysisFilter) -> BTreeMap<Uuid, &'a System> {
    ix.systems[org]
        .iter()
        .filter(|(_, s)| matches(f, ix, org, s))
        .map(|(id, s)| (*id, *s))
        .collect()
}

/// System movement of organisation `i` (in both cycles); changes pushed to `out`.
pub(super) fn compare(p: &Pair<'_>, i: usize, out: &mut Vec<ProgressChange>) -> SystemMovement {
    let then = systems(&p.from, i, p.filter);
    let now = systems(&p.to, i, p.filter);
    let mut m = SystemMovement::default();
    let added: Vec<Uuid> = now
        .keys()
        .filter(|k| !then.contains_key(k))
        .copied()
        .collect();
    let retired: Vec<Uuid> = then
        .keys()
        .filter(|k| !now.contains_key(k))
        .copied()
        .collect();
    m.added = added.len();
    m.retired = retired.len();
    for id in &added {
        out.push(p.change(
            i,
            ChangeKind::SystemAdded,
            &now[id].name,
            Some(*id),
            None,
            None,
        ));
    }
    for id in &retired {
        out.push(p.change(
            i,
            ChangeKind::SystemRetired,
            &then[id].name,
            Some(*id),
            None,
            None,
        ));
    }
    for (id, b) in &now {
        let Some(a) = then.get(id) else { continue };
        if !unsupported_on(a, p.from_ref) && unsupported_on(b, p.to_ref) {
            m.newly_out_of_support += 1;
            if p.include_sensitive {
                let support = |s: &System| {
                    s.support_status
                        .map_or_else(|| "not known".into(), |x| x.label().to_string())
                        + &s.end_of_support
                            .map_or_else(String::new, |d| format!(", end of support {d}"))
                };
                out.push(p.change(
                    i,
                    ChangeKind::NewlyOutOfSupport,
                    &b.name,
                    Some(*id),
                    Some(support(a)),
                    Some(support(b)),
                ));
            }
        }
        if let (Some(x), Some(y)) = (a.hosting, b.hosting)
            && !cloud(x)
            && cloud(y)
        {
            m.moved_to_cloud += 1;
            out.push(p.change(
                i,
                ChangeKind::MovedToCloud,
                &b.name,
                Some(*id),
                Some(x.label().into()),
                Some(y.label().into()),
            ));
        }
        if a.service_area.is_some()
            && a.service_area == b.service_area
            && let (Some(x), Some(y)) = (product(&p.from, i, a), product(&p.to, i, b))
            && x.0 != y.0
        {
            m.products_switched += 1;
            out.push(p.change(
                i,
                ChangeKind::ProductSwitched,
                &b.name,
                Some(*id),
                Some(x.1.to_string()),
                Some(y.1.to_string()),
            ));
        }
    }
    // A retired system replaced by an added one in the same service area.
    let mut used = BTreeSet::new();
    let mut pending = Vec::new();
    for id in &retired {
        let a = then[id];
        let (Some(area), Some(pa)) = (a.service_area, product(&p.from, i, a)) else {
            continue;
        };
        let same = added.iter().find(|n| {
            !used.contains(*n)
                && now[*n].service_area == Some(area)
                && product(&p.to, i, now[*n]).is_some_and(|pb| pb.0 == pa.0)
        });
        match same {
            Some(n) => {
                used.insert(*n);
            }
            None => pending.push((*id, area, pa)),
        }
    }
    for (_, area, pa) in pending {
        let other = added.iter().find_map(|n| {
            let pb = product(&p.to, i, now[n])?;
            (!used.contains(n) && now[n].service_area == Some(area) && pb.0 != pa.0)
                .then_some((*n, pb))
        });
        if let Some((n, pb)) = other {
            used.insert(n);
            m.products_switched += 1;
            out.push(p.change(
                i,
                ChangeKind::ProductSwitched,
                &now[&n].name,
                Some(n),
                Some(pa.1.to_string()),
                Some(pb.1.to_string()),
            ));
        }
    }
    m
}
