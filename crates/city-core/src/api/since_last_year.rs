//! What changed in a return since the organisation's return of the year before, record by
//! record, for *Check your answers*: each live record new, changed (with the top-level fields
//! whose answers differ) or unchanged, and last year's records retired or gone. Records are
//! matched by id, which a record keeps when its return is carried forward. Read-only.

use super::{Error, Store, find_return};
use crate::domain::enums::{RecordKind, ReviewState};
use crate::domain::records::RecordData;
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// How one record stands against last year's return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SinceLastYear {
    New,
    Changed,
    Unchanged,
    /// In last year's return, retired or gone from this one.
    Retired,
}

/// One record against last year's.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordSinceLastYear {
    pub id: Uuid,
    pub kind: RecordKind,
    pub label: String,
    pub change: SinceLastYear,
    /// Top-level fields whose answers differ (`gdpr`, `caf`, `end_date`, …); empty unless changed.
    pub changed_fields: Vec<String>,
}

/// A return against the organisation's return of the year before.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChangesSinceLastYear {
    pub cycle: String,
    /// The earlier return's cycle; `None` when the store has none (then `records` is empty).
    pub previous_cycle: Option<String>,
    /// This return's live records, then last year's retired ones.
    pub records: Vec<RecordSinceLastYear>,
}

fn changed_fields(a: &RecordData, b: &RecordData) -> Vec<String> {
    let (a, b) = (a.to_json(), b.to_json());
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return Vec::new();
    };
    let mut out: Vec<String> = b
        .iter()
        .filter(|(k, v)| a.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(a.keys().filter(|k| !b.contains_key(*k)).cloned());
    out.sort();
    out.dedup();
    out
}

impl Store {
    /// The return for `cycle` (the newest when `None`) against the store's return of the
    /// cycle it was carried forward from, else the newest earlier one.
    pub fn changes_since_last_year(
        &mut self,
        cycle: Option<&str>,
    ) -> Result<ChangesSinceLastYear, Error> {
        self.db.read(|tx| {
            let now = find_return(tx, cycle)?;
            let all = tx.returns()?;
            let before = now
                .carried_from
                .and_then(|id| all.iter().find(|r| r.id == id))
                .or_else(|| {
                    all.iter()
                        .filter(|r| r.cycle < now.cycle)
                        .max_by(|a, b| a.cycle.cmp(&b.cycle))
                });
            let mut out = ChangesSinceLastYear {
                cycle: now.cycle.to_string(),
                previous_cycle: before.map(|b| b.cycle.to_string()),
                records: Vec::new(),
            };
            let Some(before) = before else {
                return Ok(out);
            };
            let live = |id| -> Result<Vec<_>, Error> {
                Ok(tx
                    .records(id, None, false)?
                    .into_iter()
                    .filter(|r| r.review_state != ReviewState::Retired)
                    .collect())
            };
            let old: HashMap<Uuid, RecordData> = live(before.id)?
                .into_iter()
                .map(|r| (r.id, r.data))
                .collect();
            let current = live(now.id)?;
            let mut seen = std::collections::HashSet::new();
            for r in &current {
                seen.insert(r.id);
                let (change, fields) = match old.get(&r.id) {
                    None => (SinceLastYear::New, Vec::new()),
                    Some(o) if *o == r.data => (SinceLastYear::Unchanged, Vec::new()),
                    Some(o) => (SinceLastYear::Changed, changed_fields(o, &r.data)),
                };
                out.records.push(RecordSinceLastYear {
                    id: r.id,
                    kind: r.data.kind(),
                    label: r.data.label(),
                    change,
                    changed_fields: fields,
                });
            }
            let mut gone: Vec<(&Uuid, &RecordData)> =
                old.iter().filter(|(id, _)| !seen.contains(*id)).collect();
            gone.sort_by_key(|(id, d)| (d.kind(), d.label(), **id));
            for (id, d) in gone {
                out.records.push(RecordSinceLastYear {
                    id: *id,
                    kind: d.kind(),
                    label: d.label(),
                    change: SinceLastYear::Retired,
                    changed_fields: Vec::new(),
                });
            }
            Ok(out)
        })
    }
}
