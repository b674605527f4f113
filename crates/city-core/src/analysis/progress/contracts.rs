//! Contracts then and now, matched by id: ended (gone, with no new contract for the same system
//! or product), re-procured (gone, and a new contract in the same organisation covers one of its
//! systems or products), extended (its end — or, without one, its latest end — moved later),
//! joined (a new contract whose supplier and start date another organisation's new contract
//! shares: bought together). Last cycle's joint-procurement windows, found by the windows view
//! itself, are then *acted on* when two or more of their organisations re-procured the window's
//! contracts into joined contracts, *missed* when not and the first decision date has passed by
//! the later cycle's reference date, else *open*.

use super::{ChangeKind, ContractMovement, Pair, ProgressChange, WindowOutcome, WindowProgress};
use crate::analysis::decisions::{self, WindowOptions};
use crate::analysis::{ContractFacts, Index};
use crate::domain::records::Contract;
use crate::domain::values::IsoDate;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

fn end(c: &Contract) -> Option<IsoDate> {
    c.end_date.or(c.latest_end_date)
}

/// One organisation's contracts within the filter, by id, with their places in `facts` (its
/// own, as joined).
fn within<'f, 'a, 'b>(
    ix: &Index<'b>,
    p: &Pair<'_>,
    facts: &'f [ContractFacts<'a>],
) -> BTreeMap<Uuid, (usize, &'f ContractFacts<'a>)> {
    facts
        .iter()
        .enumerate()
        .filter(|(_, c)| ix.contract_matches(p.filter, c))
        .map(|(k, c)| (c.id, (k, c)))
        .collect()
}

/// A contract's product entity keys.
fn product_keys<'i>(ix: &'i Index<'_>, c: &ContractFacts<'_>) -> BTreeSet<&'i str> {
    c.products
        .iter()
        .map(|p| ix.res.products[*p].key.as_str())
        .collect()
}

/// No contract (in the `u32` places below).
const NONE: u32 = u32::MAX;

/// The contracts compared organisation by organisation ([`Contracts::org`]), then across
/// London ([`Contracts::finish`]). Contracts are named London-wide by their places in each
/// cycle's [`Index::contracts`] (as `u32`), not by id: the London-wide stages then read small
/// arrays rather than a map of ids per organisation.
#[derive(Default)]
pub(super) struct Contracts {
    rows: Vec<ContractMovement>,
    /// Per contract of the earlier cycle (by place): the place of the new contract that replaced
    /// it, or [`NONE`].
    replaced_by: Vec<u32>,
    /// Per contract of the earlier cycle (by place): its organisation.
    org_then: Vec<u32>,
    /// Per organisation: its new contracts within the filter, by id, with their places in the
    /// later cycle's [`Index::contracts`].
    new: Vec<Vec<(Uuid, usize)>>,
    /// New contracts with a supplier and a start date: (supplier, start, organisation, id,
    /// place).
    dated_new: Vec<(usize, IsoDate, usize, Uuid, usize)>,
}

/// A place (of a contract, organisation or group) as a `u32`: two cycles of a national data set
/// hold far fewer than four billion contracts.
fn place(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(NONE)
}

impl Contracts {
    /// Organisation `i`'s contracts (the next organisation: they are compared in order):
    /// `then` and `now` are its contracts as each cycle's index joins them, `now_at` the place
    /// of the first of `now` in the later cycle's contracts (`then` follows the earlier cycle's
    /// contracts of the organisations before it). Changes pushed to `out`.
    pub(super) fn org(
        &mut self,
        p: &Pair<'_>,
        i: usize,
        then: &[ContractFacts<'_>],
        now: &[ContractFacts<'_>],
        now_at: usize,
        out: &mut Vec<ProgressChange>,
    ) {
        debug_assert_eq!(self.rows.len(), i);
        let then_at = self.replaced_by.len();
        self.replaced_by.resize(then_at + then.len(), NONE);
        self.org_then.resize(then_at + then.len(), place(i));
        let then = within(&p.from, p, then);
        let now_map = within(&p.to, p, now);
        let mut m = ContractMovement::default();
        let new: Vec<(&Uuid, usize, &ContractFacts<'_>)> = now_map
            .iter()
            .filter(|(id, _)| !then.contains_key(id))
            .map(|(id, (k, c))| (id, *k, *c))
            .collect();
        for (id, k, c) in &new {
            if let (Some(s), Some(start)) = (c.supplier, c.contract.start_date) {
                self.dated_new.push((s, start, i, **id, now_at + k));
            }
        }
        for (id, (old, c)) in &then {
            match now_map.get(id) {
                Some((_, b)) => {
                    if let (Some(x), Some(y)) = (end(c.contract), end(b.contract))
                        && y > x
                    {
                        m.extended += 1;
                        out.push(p.change(
                            i,
                            ChangeKind::ContractExtended,
                            &b.contract.title,
                            Some(*id),
                            Some(format!("ends {x}")),
                            Some(format!("ends {y}")),
                        ));
                    }
                }
                None => {
                    let keys = product_keys(&p.from, c);
                    let by = new.iter().find(|(_, _, nc)| {
                        nc.contract
                            .system_ids
                            .iter()
                            .any(|s| c.contract.system_ids.contains(s))
                            || nc
                                .products
                                .iter()
                                .any(|x| keys.contains(p.to.res.products[*x].key.as_str()))
                    });
                    match by {
                        Some((nid, k, nc)) => {
                            m.reprocured += 1;
                            self.replaced_by[then_at + old] = place(now_at + k);
                            out.push(p.change(
                                i,
                                ChangeKind::ContractReprocured,
                                &c.contract.title,
                                Some(**nid),
                                end(c.contract).map(|d| format!("ends {d}")),
                                Some(nc.contract.title.clone()),
                            ));
                        }
                        None => {
                            m.ended += 1;
                            out.push(p.change(
                                i,
                                ChangeKind::ContractEnded,
                                &c.contract.title,
                                Some(*id),
                                end(c.contract).map(|d| format!("ends {d}")),
                                None,
                            ));
                        }
                    }
                }
            }
        }
        // Places in the later cycle's contracts: `now` is a slice of them from `now_at`.
        self.new
            .push(new.iter().map(|(id, k, _)| (**id, now_at + k)).collect());
        self.rows.push(m);
    }

    /// Contracts joined with other organisations' and what became of last cycle's windows,
    /// once every organisation's contracts are compared (`decisions`: each of last cycle's
    /// contracts' [`decisions::decided`], in its index's order); changes pushed to `out`.
    pub(super) fn finish(
        self,
        p: &Pair<'_>,
        windows: &WindowOptions,
        decisions: &[(Option<IsoDate>, Option<IsoDate>)],
        out: &mut Vec<ProgressChange>,
        lap: &mut dyn FnMut(&'static str),
    ) -> (Vec<ContractMovement>, Vec<WindowProgress>) {
        let Contracts {
            mut rows,
            replaced_by,
            org_then,
            new,
            mut dated_new,
        } = self;
        // Which new contracts were bought together: (supplier, start) → contracts. Keyed by the
        // supplier entity's index (one entity per key) and grouped by sorting, not in a map of
        // owned keys: at national size the map's allocations cost more than the rest.
        dated_new.sort_unstable();
        let together = dated_new
            .chunk_by(|a, b| (a.0, a.1) == (b.0, b.1))
            .map(|g| g.iter().map(|x| (x.2, x.4)).collect::<Vec<_>>());
        // Each new contract's join group (only groups spanning two or more organisations), by
        // its place in the later cycle's contracts.
        let facts_now = p.to.contracts();
        let mut joined: Vec<u32> = vec![NONE; facts_now.len()];
        let groups: Vec<Vec<(usize, usize)>> = together
            .filter(|g| g.iter().any(|x| x.0 != g[0].0))
            .collect();
        for (gi, g) in groups.iter().enumerate() {
            for m in g {
                joined[m.1] = place(gi);
            }
        }
        let group_of = |at: usize| joined.get(at).filter(|g| **g != NONE).map(|g| *g as usize);
        for (i, new) in new.iter().enumerate() {
            for (id, at) in new {
                let Some(g) = group_of(*at) else { continue };
                rows[i].joined += 1;
                let others: BTreeSet<&str> = groups[g]
                    .iter()
                    .filter(|x| x.0 != i)
                    .map(|x| p.to.orgs[x.0].name.as_str())
                    .collect();
                out.push(p.change(
                    i,
                    ChangeKind::ContractJoined,
                    &facts_now[*at].contract.title,
                    Some(*id),
                    None,
                    Some(format!(
                        "with {}",
                        others.into_iter().collect::<Vec<_>>().join(", ")
                    )),
                ));
            }
        }
        lap("contracts");
        // Last cycle's windows.
        let mut out_windows = Vec::new();
        let found = decisions::found_windows_decided(&p.from, windows, p.filter, decisions);
        lap("windows found");
        for (i, w) in found.into_iter().enumerate() {
            // The window's contracts as (organisation, place of the contract).
            let members: Vec<(usize, usize)> = w
                .contracts
                .iter()
                .map(|&(fact, _, _)| (org_then[fact] as usize, fact))
                .collect();
            let mut by_group: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
            for (org, fact) in &members {
                if let Some(g) = replaced_by
                    .get(*fact)
                    .filter(|nid| **nid != NONE)
                    .and_then(|nid| group_of(*nid as usize))
                {
                    by_group.entry(g).or_default().insert(*org);
                }
            }
            let acted: BTreeSet<usize> = by_group
                .into_values()
                .filter(|orgs| orgs.len() >= 2)
                .flatten()
                .collect();
            let outcome = if !acted.is_empty() {
                WindowOutcome::ActedOn
            } else if w.first_decision <= p.to_ref {
                WindowOutcome::Missed
            } else {
                WindowOutcome::Open
            };
            let mut counted = BTreeSet::new();
            for (&(_, decision_date, _), (org, _)) in w.contracts.iter().zip(&members) {
                if !counted.insert(*org) {
                    continue;
                }
                if acted.contains(org) {
                    rows[*org].windows_acted_on += 1;
                } else if outcome == WindowOutcome::Missed
                    || (outcome == WindowOutcome::ActedOn && decision_date <= p.to_ref)
                {
                    rows[*org].windows_missed += 1;
                }
            }
            let org = |o: &usize| &p.from.orgs[*o];
            out_windows.push(WindowProgress {
                rank: i + 1,
                grouping: w.grouping,
                group_key: w.key.to_string(),
                group_name: w.name.to_string(),
                organisations: w.orgs.iter().map(|o| org(o).organisation.clone()).collect(),
                organisation_names: w.orgs.iter().map(|o| org(o).name.clone()).collect(),
                first_decision: w.first_decision,
                last_decision: w.last_decision,
                outcome,
                joined_organisations: acted
                    .into_iter()
                    .map(|o| p.to.orgs[o].organisation.clone())
                    .collect(),
            });
        }
        (rows, out_windows)
    }
}
