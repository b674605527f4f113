//! Edits to the records of a return: add, update (JSON merge patch), delete (soft), restore,
//! review and undo. Each is one transaction that also writes the audit log; every rule is
//! checked before anything is written.

use super::{
    Context, Error, ErrorKind, Location, Progress, RecordDto, Store, UndoOutcome, find_return,
    record_dto,
};
use crate::domain::enums::{RecordKind, ReviewState};
use crate::domain::records::{FieldIssue, RecordData};
use crate::store::{
    AuditAction, AuditRow, NewAudit, RecordRow, ReturnRow, Snapshot, StoreError, Tx,
};
use uuid::Uuid;

/// Finds a record of `kind` by full id or unambiguous prefix (at least 4 characters).
pub(super) fn resolve(
    tx: &Tx<'_>,
    ret: &ReturnRow,
    kind: RecordKind,
    id: &str,
) -> Result<RecordRow, Error> {
    let id = id.trim();
    let not_found = || {
        Error::new(
            ErrorKind::NotFound,
            format!(
                "there is no {} with id '{id}' in the {} return",
                kind.id(),
                ret.cycle
            ),
        )
        .at(Location::record(kind, None, Some("id")))
    };
    let found = if let Ok(uuid) = Uuid::parse_str(id) {
        tx.record(ret.id, uuid)?
    } else {
        if id.len() < 4 || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "'{id}' is not a record id (give the id, or at least its first 4 characters)"
                ),
            ));
        }
        let lower = id.to_ascii_lowercase();
        let mut matches: Vec<RecordRow> = tx
            .records(ret.id, Some(kind), true)?
            .into_iter()
            .filter(|r| r.id.to_string().starts_with(&lower))
            .collect();
        if matches.len() > 1 {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "'{id}' matches {} {} records: give more of the id",
                    matches.len(),
                    kind.id()
                ),
            ));
        }
        matches.pop()
    };
    match found {
        Some(r) if r.data.kind() == kind => Ok(r),
        _ => Err(not_found()),
    }
}

/// What checking a record reads from the store: a transaction, or an import's link to one.
pub(super) trait Reads {
    /// A record's kind and whether it is deleted (see [`Tx::record_kind`]).
    #[allow(clippy::type_complexity)]
    fn record_kind(
        &self,
        return_id: Uuid,
        id: Uuid,
    ) -> Result<Option<(Option<RecordKind>, bool)>, StoreError>;
    /// A return's records (see [`Tx::records`]).
    fn records(
        &self,
        return_id: Uuid,
        kind: Option<RecordKind>,
        include_deleted: bool,
    ) -> Result<Vec<RecordRow>, StoreError>;
}

impl Reads for Tx<'_> {
    fn record_kind(
        &self,
        return_id: Uuid,
        id: Uuid,
    ) -> Result<Option<(Option<RecordKind>, bool)>, StoreError> {
        Tx::record_kind(self, return_id, id)
    }

    fn records(
        &self,
        return_id: Uuid,
        kind: Option<RecordKind>,
        include_deleted: bool,
    ) -> Result<Vec<RecordRow>, StoreError> {
        Tx::records(self, return_id, kind, include_deleted)
    }
}

/// Parses, normalises and validates a record, including its links to other records.
pub(super) fn checked(
    tx: &Tx<'_>,
    ret: &ReturnRow,
    kind: RecordKind,
    id: Option<Uuid>,
    fields: serde_json::Value,
) -> Result<RecordData, Error> {
    checked_knowing(tx, ret, kind, id, &fields, &|_| None)
}

/// [`checked`], told the kind of records known to be live in the return (`known`), so that a
/// link to one of them needs no lookup (an import knows every record it has read or written).
pub(super) fn checked_knowing(
    tx: &dyn Reads,
    ret: &ReturnRow,
    kind: RecordKind,
    id: Option<Uuid>,
    fields: &serde_json::Value,
    known: &dyn Fn(Uuid) -> Option<RecordKind>,
) -> Result<RecordData, Error> {
    let mut data =
        RecordData::from_json_ref(kind, fields).map_err(|i| Error::invalid(kind, id, vec![i]))?;
    data.normalise();
    let mut issues = data.validate();
    for (field, target_kind, target) in data.references() {
        if known(target) == Some(target_kind) {
            continue;
        }
        let ok = match tx.record_kind(ret.id, target)? {
            Some((kind, deleted)) => kind == Some(target_kind) && !deleted,
            None => false,
        };
        if !ok {
            issues.push(FieldIssue::new(
                field,
                format!(
                    "there is no {} with id {target} in this return",
                    target_kind.id()
                ),
            ));
        }
    }
    if let RecordData::Skill(s) = &data
        && let Some(area) = s.area
    {
        let clash = tx
            .records(ret.id, Some(RecordKind::Skill), false)?
            .into_iter()
            .any(|r| {
                Some(r.id) != id && matches!(&r.data, RecordData::Skill(o) if o.area == Some(area))
            });
        if clash {
            issues.push(FieldIssue::new(
                "area",
                format!(
                    "'{}' is already rated in this return: change that rating instead",
                    area.label()
                ),
            ));
        }
    }
    if issues.is_empty() {
        Ok(data)
    } else {
        Err(Error::invalid(kind, id, issues))
    }
}

/// RFC 7396 JSON merge patch: objects merge, `null` removes, anything else replaces.
pub(super) fn merge_patch(target: &mut serde_json::Value, patch: serde_json::Value) {
    match patch {
        serde_json::Value::Object(p) => {
            if !target.is_object() {
                *target = serde_json::Value::Object(Default::default());
            }
            if let serde_json::Value::Object(t) = target {
                for (k, v) in p {
                    if v.is_null() {
                        t.remove(&k);
                    } else {
                        merge_patch(t.entry(k).or_insert(serde_json::Value::Null), v);
                    }
                }
            }
        }
        other => *target = other,
    }
}

pub(super) fn audit(
    tx: &Tx<'_>,
    ctx: &Context,
    action: AuditAction,
    row: &RecordRow,
    before: Option<&Snapshot>,
    after: Option<&Snapshot>,
) -> Result<i64, Error> {
    Ok(tx.audit(&NewAudit {
        at: ctx.now,
        actor: &ctx.actor,
        action,
        return_id: Some(row.return_id),
        record_id: Some(row.id),
        kind: Some(row.data.kind()),
        before,
        after,
    })?)
}

fn describe(action: AuditAction) -> &'static str {
    match action {
        AuditAction::Add => "the addition of",
        AuditAction::Update => "the change to",
        AuditAction::Delete => "the deletion of",
        AuditAction::Restore => "the restoring of",
        AuditAction::Review => "the review of",
        _ => "",
    }
}

impl Store {
    /// Adds a record to a return. `fields` is a JSON object of the record's fields.
    pub fn add(
        &mut self,
        cycle: Option<&str>,
        kind: RecordKind,
        fields: serde_json::Value,
        ctx: &Context,
    ) -> Result<RecordDto, Error> {
        self.db.write(|tx| {
            let ret = find_return(tx, cycle)?;
            if kind.is_singleton()
                && let Some(existing) = tx.records(ret.id, Some(kind), false)?.first()
            {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!(
                        "this return already has its {} answers (id {}): update them instead",
                        kind.label(),
                        existing.id
                    ),
                )
                .at(Location::record(kind, Some(existing.id), None)));
            }
            let data = checked(tx, &ret, kind, None, fields)?;
            let row = RecordRow {
                return_id: ret.id,
                id: Uuid::new_v4(),
                data,
                review_state: ReviewState::New,
                created_at: ctx.now,
                updated_at: ctx.now,
                deleted_at: None,
            };
            tx.insert_record(&row)?;
            audit(tx, ctx, AuditAction::Add, &row, None, Some(&row.snapshot()))?;
            Ok(record_dto(&row))
        })
    }

    /// Adds many records of one kind in one transaction: all are added, or none (the first
    /// refused record's error says which one, counting from 1). For scripts and seeding.
    pub fn add_many(
        &mut self,
        cycle: Option<&str>,
        kind: RecordKind,
        records: Vec<serde_json::Value>,
        ctx: &Context,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Vec<RecordDto>, Error> {
        if kind.is_singleton() && records.len() > 1 {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!("a return has at most one set of {} answers", kind.label()),
            ));
        }
        self.db.write(|tx| {
            let ret = find_return(tx, cycle)?;
            if kind.is_singleton() && !tx.records(ret.id, Some(kind), false)?.is_empty() {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!(
                        "this return already has its {} answers: update them instead",
                        kind.label()
                    ),
                ));
            }
            let total = records.len() as u64;
            let stage = format!("Adding {total} {} records", kind.id());
            let mut out = Vec::with_capacity(records.len());
            for (i, fields) in records.into_iter().enumerate() {
                let data = checked(tx, &ret, kind, None, fields).map_err(|mut e| {
                    e.message = format!("record {}: {}", i + 1, e.message);
                    e
                })?;
                let row = RecordRow {
                    return_id: ret.id,
                    id: Uuid::new_v4(),
                    data,
                    review_state: ReviewState::New,
                    created_at: ctx.now,
                    updated_at: ctx.now,
                    deleted_at: None,
                };
                tx.insert_record(&row)?;
                audit(tx, ctx, AuditAction::Add, &row, None, Some(&row.snapshot()))?;
                out.push(record_dto(&row));
                let done = i as u64 + 1;
                if done.is_multiple_of(500) || done == total {
                    progress(&Progress {
                        stage: stage.clone(),
                        done,
                        total,
                    });
                }
            }
            Ok(out)
        })
    }

    /// Adds a copy of a record (its name or title marked "(copy)"), as a new record. The
    /// one-per-return questionnaires cannot be duplicated.
    pub fn duplicate(
        &mut self,
        cycle: Option<&str>,
        kind: RecordKind,
        id: &str,
        ctx: &Context,
    ) -> Result<RecordDto, Error> {
        if kind.is_singleton() {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "a return has one set of {} answers: it cannot be duplicated",
                    kind.label()
                ),
            ));
        }
        let original = self.get(cycle, kind, id)?;
        let mut fields = original.record.to_json();
        if let Some(obj) = fields.as_object_mut() {
            for name in ["name", "title"] {
                if let Some(serde_json::Value::String(s)) = obj.get_mut(name) {
                    *s = format!("{s} (copy)");
                }
            }
            if kind == RecordKind::Skill {
                // One rating per capability area: the copy starts without one.
                obj.remove("area");
            }
        }
        self.add(cycle, kind, fields, ctx)
    }

    /// Changes some fields of a record: `patch` is a JSON merge patch (a field set to `null`
    /// is cleared). A carried-forward or confirmed record becomes *changed*.
    pub fn update(
        &mut self,
        cycle: Option<&str>,
        kind: RecordKind,
        id: &str,
        patch: serde_json::Value,
        ctx: &Context,
    ) -> Result<RecordDto, Error> {
        if !patch.is_object() {
            return Err(Error::invalid(
                kind,
                None,
                vec![FieldIssue::new(
                    "",
                    "the change must be a JSON object of field names and values",
                )],
            ));
        }
        self.db.write(|tx| {
            let ret = find_return(tx, cycle)?;
            let old = resolve(tx, &ret, kind, id)?;
            if old.deleted_at.is_some() {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!(
                        "{} '{}' has been deleted: restore it first",
                        kind.id(),
                        old.data.label()
                    ),
                )
                .at(Location::record(kind, Some(old.id), None)));
            }
            let mut fields = old.data.to_json();
            merge_patch(&mut fields, patch);
            let data = checked(tx, &ret, kind, Some(old.id), fields)?;
            if data == old.data {
                return Ok(record_dto(&old));
            }
            let review_state = match old.review_state {
                ReviewState::ToReview | ReviewState::Confirmed => ReviewState::Changed,
                s => s,
            };
            let new = RecordRow {
                data,
                review_state,
                updated_at: ctx.now,
                ..old.clone()
            };
            tx.update_record(&new)?;
            audit(
                tx,
                ctx,
                AuditAction::Update,
                &new,
                Some(&old.snapshot()),
                Some(&new.snapshot()),
            )?;
            Ok(record_dto(&new))
        })
    }

    /// Deletes a record (softly: it can be restored or the delete undone).
    pub fn delete(
        &mut self,
        cycle: Option<&str>,
        kind: RecordKind,
        id: &str,
        ctx: &Context,
    ) -> Result<RecordDto, Error> {
        self.set_deleted(cycle, kind, id, ctx, true)
    }

    /// Brings back a deleted record.
    pub fn restore(
        &mut self,
        cycle: Option<&str>,
        kind: RecordKind,
        id: &str,
        ctx: &Context,
    ) -> Result<RecordDto, Error> {
        self.set_deleted(cycle, kind, id, ctx, false)
    }

    fn set_deleted(
        &mut self,
        cycle: Option<&str>,
        kind: RecordKind,
        id: &str,
        ctx: &Context,
        delete: bool,
    ) -> Result<RecordDto, Error> {
        self.db.write(|tx| {
            let ret = find_return(tx, cycle)?;
            let old = resolve(tx, &ret, kind, id)?;
            if old.deleted_at.is_some() == delete {
                let state = if delete {
                    "already deleted"
                } else {
                    "not deleted"
                };
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!("{} '{}' is {state}", kind.id(), old.data.label()),
                )
                .at(Location::record(kind, Some(old.id), None)));
            }
            if !delete && kind.is_singleton() && !tx.records(ret.id, Some(kind), false)?.is_empty()
            {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!("this return already has other {} answers", kind.label()),
                ));
            }
            let new = RecordRow {
                deleted_at: delete.then_some(ctx.now),
                updated_at: ctx.now,
                ..old.clone()
            };
            tx.update_record(&new)?;
            let action = if delete {
                AuditAction::Delete
            } else {
                AuditAction::Restore
            };
            audit(
                tx,
                ctx,
                action,
                &new,
                Some(&old.snapshot()),
                Some(&new.snapshot()),
            )?;
            Ok(record_dto(&new))
        })
    }

    /// Sets a record's review state: confirm a carried-forward record in one action, or retire it.
    pub fn set_review(
        &mut self,
        cycle: Option<&str>,
        kind: RecordKind,
        id: &str,
        state: ReviewState,
        ctx: &Context,
    ) -> Result<RecordDto, Error> {
        if state == ReviewState::ToReview {
            return Err(Error::new(
                ErrorKind::Usage,
                "a record cannot be put back to 'to review'",
            ));
        }
        self.db.write(|tx| {
            let ret = find_return(tx, cycle)?;
            let old = resolve(tx, &ret, kind, id)?;
            if old.review_state == state {
                return Ok(record_dto(&old));
            }
            let new = RecordRow {
                review_state: state,
                updated_at: ctx.now,
                ..old.clone()
            };
            tx.update_record(&new)?;
            audit(
                tx,
                ctx,
                AuditAction::Review,
                &new,
                Some(&old.snapshot()),
                Some(&new.snapshot()),
            )?;
            Ok(record_dto(&new))
        })
    }

    /// Undoes the newest record edit of a return that has not been undone yet. Repeated calls
    /// step further back.
    pub fn undo(&mut self, cycle: Option<&str>, ctx: &Context) -> Result<UndoOutcome, Error> {
        self.db.write(|tx| {
            let ret = find_return(tx, cycle)?;
            let entry: AuditRow = tx
                .last_undoable(ret.id)?
                .ok_or_else(|| Error::new(ErrorKind::NotFound, "there is nothing to undo"))?;
            let (Some(record_id), Some(kind)) = (entry.record_id, entry.kind) else {
                return Err(Error::new(
                    ErrorKind::Storage,
                    "the audit log entry to undo names no record",
                ));
            };
            let current = tx.record(ret.id, record_id)?.ok_or_else(|| {
                Error::new(ErrorKind::NotFound, "the record to undo no longer exists")
            })?;
            let restored = match &entry.before {
                None => RecordRow {
                    deleted_at: Some(ctx.now),
                    updated_at: ctx.now,
                    ..current.clone()
                },
                Some(before) => {
                    let data = RecordData::from_json(kind, before.data.clone())
                        .map_err(|i| Error::invalid(kind, Some(record_id), vec![i]))?;
                    let deleted_at = match &before.deleted_at {
                        Some(_) => Some(current.deleted_at.unwrap_or(ctx.now)),
                        None => None,
                    };
                    RecordRow {
                        data,
                        review_state: before.review_state,
                        deleted_at,
                        updated_at: ctx.now,
                        ..current.clone()
                    }
                }
            };
            tx.update_record(&restored)?;
            let seq = audit(
                tx,
                ctx,
                AuditAction::Undo,
                &restored,
                Some(&current.snapshot()),
                Some(&restored.snapshot()),
            )?;
            tx.mark_undone(entry.seq, seq)?;
            let label = restored.data.label();
            Ok(UndoOutcome {
                undone: entry.action.id().to_string(),
                kind,
                id: record_id,
                message: format!("Undid {} {} '{label}'", describe(entry.action), kind.id()),
                label,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::merge_patch;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut t = json!({"a":1,"b":{"c":2,"d":3},"e":[1]});
        merge_patch(&mut t, json!({"a":null,"b":{"c":null,"x":1},"e":[2]}));
        assert_eq!(t, json!({"b":{"d":3,"x":1},"e":[2]}));
    }
}
