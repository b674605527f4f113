//! Row-level reads and writes inside one transaction: organisations, returns, records and the
//! audit log. Converts between SQLite rows and domain values; decides nothing.

use super::error::{SqlContext, StoreError};
use crate::domain::cycle::CycleId;
use crate::domain::enums::{RecordKind, ReviewState};
use crate::domain::organisation::Organisation;
use crate::domain::records::RecordData;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use uuid::Uuid;

/// Formats a timestamp the way the store keeps it (RFC 3339, UTC, milliseconds).
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(super) fn parse_ts(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Sqlite {
            context: "reading a timestamp".into(),
            message: format!("'{s}': {e}"),
        })
}

pub(super) fn parse_uuid(s: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(s).map_err(|e| StoreError::Sqlite {
        context: "reading an id".into(),
        message: format!("'{s}': {e}"),
    })
}

/// A return: one organisation's answers for one cycle.
#[derive(Debug, Clone)]
pub(crate) struct ReturnRow {
    pub(crate) id: Uuid,
    pub(crate) organisation: Organisation,
    pub(crate) cycle: CycleId,
    pub(crate) questionnaire_version: String,
    pub(crate) carried_from: Option<Uuid>,
    pub(crate) created_at: DateTime<Utc>,
}

/// A record of a return.
#[derive(Debug, Clone)]
pub(crate) struct RecordRow {
    pub(crate) return_id: Uuid,
    pub(crate) id: Uuid,
    pub(crate) data: RecordData,
    pub(crate) review_state: ReviewState,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
    pub(crate) deleted_at: Option<DateTime<Utc>>,
}

/// The part of a record an edit can change; the audit log keeps it before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub(crate) data: serde_json::Value,
    pub(crate) review_state: ReviewState,
    pub(crate) deleted_at: Option<String>,
}

impl RecordRow {
    pub(crate) fn snapshot(&self) -> Snapshot {
        Snapshot {
            data: self.data.to_json(),
            review_state: self.review_state,
            deleted_at: self.deleted_at.map(ts),
        }
    }

    /// The record's [`Snapshot`] as the audit log keeps it, written around `data_json` (the
    /// record's [`RecordData::to_json_text`]) without building a `serde_json::Value`: it reads
    /// back as the same snapshot (the data's keys in questionnaire order, not sorted).
    pub(crate) fn snapshot_json(&self, data_json: &str) -> String {
        let text = |v: Result<String, serde_json::Error>| v.unwrap_or_else(|_| "null".into());
        format!(
            "{{\"data\":{data_json},\"review_state\":{},\"deleted_at\":{}}}",
            text(serde_json::to_string(&self.review_state)),
            text(serde_json::to_string(&self.deleted_at.map(ts))),
        )
    }
}

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuditAction {
    CreateStore,
    Add,
    Update,
    Delete,
    Restore,
    Review,
    CarryForward,
    Undo,
}

impl AuditAction {
    pub(crate) fn id(self) -> &'static str {
        match self {
            AuditAction::CreateStore => "create_store",
            AuditAction::Add => "add",
            AuditAction::Update => "update",
            AuditAction::Delete => "delete",
            AuditAction::Restore => "restore",
            AuditAction::Review => "review",
            AuditAction::CarryForward => "carry_forward",
            AuditAction::Undo => "undo",
        }
    }
    fn from_id(s: &str) -> Option<AuditAction> {
        [
            AuditAction::CreateStore,
            AuditAction::Add,
            AuditAction::Update,
            AuditAction::Delete,
            AuditAction::Restore,
            AuditAction::Review,
            AuditAction::CarryForward,
            AuditAction::Undo,
        ]
        .into_iter()
        .find(|a| a.id() == s)
    }
}

/// An audit entry to write.
pub(crate) struct NewAudit<'a> {
    pub(crate) at: DateTime<Utc>,
    pub(crate) actor: &'a str,
    pub(crate) action: AuditAction,
    pub(crate) return_id: Option<Uuid>,
    pub(crate) record_id: Option<Uuid>,
    pub(crate) kind: Option<RecordKind>,
    pub(crate) before: Option<&'a Snapshot>,
    pub(crate) after: Option<&'a Snapshot>,
}

/// An audit entry as read back.
#[derive(Debug, Clone)]
pub(crate) struct AuditRow {
    pub(crate) seq: i64,
    pub(crate) at: DateTime<Utc>,
    pub(crate) actor: String,
    pub(crate) action: AuditAction,
    pub(crate) record_id: Option<Uuid>,
    pub(crate) kind: Option<RecordKind>,
    pub(crate) before: Option<Snapshot>,
    pub(crate) undone_by: Option<i64>,
}

/// A record's columns as SQL values, in `RECORD_COLUMNS` order without the data.
type RowValues = (
    std::rc::Rc<str>,
    String,
    &'static str,
    &'static str,
    std::rc::Rc<str>,
    std::rc::Rc<str>,
    Option<String>,
);

/// The text of values many rows share (a return's id, an import's one timestamp), made once:
/// `ts` formats through chrono, about as much work per row as binding the row.
#[derive(Default)]
struct SharedTexts {
    return_id: Option<(Uuid, std::rc::Rc<str>)>,
    times: Vec<(DateTime<Utc>, std::rc::Rc<str>)>,
}

impl SharedTexts {
    fn return_id(&mut self, id: Uuid) -> std::rc::Rc<str> {
        match &self.return_id {
            Some((i, t)) if *i == id => t.clone(),
            _ => {
                let t: std::rc::Rc<str> = id.to_string().into();
                self.return_id = Some((id, t.clone()));
                t
            }
        }
    }

    fn ts(&mut self, at: DateTime<Utc>) -> std::rc::Rc<str> {
        if let Some((_, t)) = self.times.iter().find(|(a, _)| *a == at) {
            return t.clone();
        }
        let t: std::rc::Rc<str> = ts(at).into();
        // A handful at most (created and updated of one import); keep the last few.
        if self.times.len() >= 4 {
            self.times.remove(0);
        }
        self.times.push((at, t.clone()));
        t
    }
}

/// One open transaction on the store.
pub(crate) struct Tx<'c> {
    pub(super) tx: Transaction<'c>,
}

const RECORD_COLUMNS: &str =
    "return_id, id, kind, data, review_state, created_at, updated_at, deleted_at";
const RETURN_QUERY: &str = "SELECT r.id, o.scheme, o.code, o.name, r.cycle_id, c.questionnaire_version, r.carried_from, r.created_at
     FROM survey_return r JOIN organisation o ON o.id = r.organisation_id JOIN cycle c ON c.id = r.cycle_id";
const AUDIT_COLUMNS: &str = "seq, at, actor, action, record_id, kind, before, undone_by";

impl<'c> Tx<'c> {
    pub(super) fn new(tx: Transaction<'c>) -> Self {
        Tx { tx }
    }

    pub(super) fn finish(self) -> Result<(), StoreError> {
        self.tx.commit().ctx("saving the change")
    }

    pub(crate) fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.tx
            .execute(
                "INSERT INTO store_meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .ctx("writing store metadata")?;
        Ok(())
    }

    pub(crate) fn insert_organisation(&self, org: &Organisation) -> Result<(), StoreError> {
        self.tx
            .execute(
                "INSERT INTO organisation (id, scheme, code, name) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO NOTHING",
                params![org.id(), org.scheme, org.code, org.name],
            )
            .ctx("saving the organisation")?;
        Ok(())
    }

    pub(crate) fn insert_return(&self, r: &ReturnRow) -> Result<(), StoreError> {
        self.tx
            .execute(
                "INSERT INTO cycle (id, questionnaire_version) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING",
                params![r.cycle.as_str(), r.questionnaire_version],
            )
            .ctx("saving the cycle")?;
        self.tx
            .execute(
                "INSERT INTO survey_return (id, organisation_id, cycle_id, carried_from, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    r.id.to_string(),
                    r.organisation.id(),
                    r.cycle.as_str(),
                    r.carried_from.map(|u| u.to_string()),
                    ts(r.created_at)
                ],
            )
            .ctx("saving the return")?;
        Ok(())
    }

    fn return_from_row(
        row: &Row<'_>,
    ) -> rusqlite::Result<(String, Organisation, String, String, Option<String>, String)> {
        Ok((
            row.get(0)?,
            Organisation {
                scheme: row.get(1)?,
                code: row.get(2)?,
                name: row.get(3)?,
            },
            row.get(4)?,
            row.get(5)?,
            row.get(6)?,
            row.get(7)?,
        ))
    }

    /// Every return in the store, oldest cycle first.
    pub(crate) fn returns(&self) -> Result<Vec<ReturnRow>, StoreError> {
        let mut stmt = self
            .tx
            .prepare(&format!("{RETURN_QUERY} ORDER BY r.cycle_id, o.id"))
            .ctx("listing returns")?;
        let raw = stmt
            .query_map([], Self::return_from_row)
            .ctx("listing returns")?
            .collect::<Result<Vec<_>, _>>()
            .ctx("listing returns")?;
        raw.into_iter()
            .map(|(id, organisation, cycle, qv, carried, created)| {
                Ok(ReturnRow {
                    id: parse_uuid(&id)?,
                    organisation,
                    cycle: CycleId::parse(&cycle).map_err(|e| StoreError::Sqlite {
                        context: "reading a cycle".into(),
                        message: e.to_string(),
                    })?,
                    questionnaire_version: qv,
                    carried_from: carried.as_deref().map(parse_uuid).transpose()?,
                    created_at: parse_ts(&created)?,
                })
            })
            .collect()
    }

    pub(crate) fn records(
        &self,
        return_id: Uuid,
        kind: Option<RecordKind>,
        include_deleted: bool,
    ) -> Result<Vec<RecordRow>, StoreError> {
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM record WHERE return_id = ?1
               AND (?2 IS NULL OR kind = ?2) AND (?3 OR deleted_at IS NULL)
             ORDER BY created_at, id"
        );
        let mut stmt = self.tx.prepare_cached(&sql).ctx("listing records")?;
        let raw = stmt
            .query_map(
                params![return_id.to_string(), kind.map(|k| k.id()), include_deleted],
                raw_record,
            )
            .ctx("listing records")?
            .collect::<Result<Vec<_>, _>>()
            .ctx("listing records")?;
        raw.into_iter().map(RawRecord::into_row).collect()
    }

    pub(crate) fn record(
        &self,
        return_id: Uuid,
        id: Uuid,
    ) -> Result<Option<RecordRow>, StoreError> {
        let sql = format!("SELECT {RECORD_COLUMNS} FROM record WHERE return_id = ?1 AND id = ?2");
        let raw = self
            .tx
            .query_row(
                &sql,
                params![return_id.to_string(), id.to_string()],
                raw_record,
            )
            .optional()
            .ctx("reading a record")?;
        raw.map(RawRecord::into_row).transpose()
    }

    /// A record's kind and whether it is deleted, without reading its fields (for checking
    /// links between records).
    pub(crate) fn record_kind(
        &self,
        return_id: Uuid,
        id: Uuid,
    ) -> Result<Option<(Option<RecordKind>, bool)>, StoreError> {
        self.tx
            .prepare_cached(
                "SELECT kind, deleted_at IS NOT NULL FROM record WHERE return_id = ?1 AND id = ?2",
            )
            .ctx("reading a record")?
            .query_row(params![return_id.to_string(), id.to_string()], |r| {
                Ok((
                    RecordKind::from_id(&r.get::<_, String>(0)?),
                    r.get::<_, bool>(1)?,
                ))
            })
            .optional()
            .ctx("reading a record")
    }

    pub(crate) fn insert_record(&self, r: &RecordRow) -> Result<(), StoreError> {
        self.insert_record_json(r, &r.data.to_json_text())
    }

    /// [`Tx::insert_record`] with the record's data already written as JSON text
    /// ([`RecordData::to_json_text`]), so that its audit entry can use the same text.
    pub(crate) fn insert_record_json(
        &self,
        r: &RecordRow,
        data_json: &str,
    ) -> Result<(), StoreError> {
        // Cached: a merge inserts thousands of records per transaction, and preparing the
        // statement each time cost as much as the insert itself.
        self.tx
            .prepare_cached(&format!(
                "INSERT INTO record ({RECORD_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            ))
            .ctx("saving a record")?
            .execute(params![
                r.return_id.to_string(),
                r.id.to_string(),
                r.data.kind().id(),
                data_json,
                r.review_state.id(),
                ts(r.created_at),
                ts(r.updated_at),
                r.deleted_at.map(ts),
            ])
            .ctx("saving a record")?;
        Ok(())
    }

    /// Inserts new records (each with its data's JSON text), each with a compact `add` audit
    /// entry by `actor` at `at`: no snapshot after, for the record's row as written is that
    /// snapshot (nothing reads an `add` entry's `after`: undoing it deletes the record, and the
    /// next edit's entry keeps the record as it was before). Several rows per statement (under
    /// schema 3 the CHECKs' `IN (…)` lists built a temporary table per statement run; schema 4
    /// writes them as comparisons, and fewer statement runs still save work). Records first,
    /// then their audit entries in order.
    pub(crate) fn insert_records_added(
        &self,
        rows: &[(RecordRow, std::sync::Arc<str>)],
        at: DateTime<Utc>,
        actor: &str,
    ) -> Result<(), StoreError> {
        /// Rows per statement.
        const BATCH: usize = 100;
        // `?` takes the number after the highest so far, so `?1` and `?2` can be shared.
        let values = |rows: usize, row: &str| vec![row; rows].join(", ");
        let at = ts(at);
        let mut shared = SharedTexts::default();
        for chunk in rows.chunks(BATCH) {
            // What an import writes: one return, created and updated at one time, nothing
            // deleted. Those values are bound once per statement, four per row.
            let first = &chunk[0].0;
            let uniform = chunk.iter().all(|(r, _)| {
                r.return_id == first.return_id
                    && r.created_at == first.created_at
                    && r.updated_at == first.created_at
                    && r.deleted_at.is_none()
            });
            let return_id = shared.return_id(first.return_id);
            let ids: Vec<String> = chunk.iter().map(|(r, _)| r.id.to_string()).collect();
            let kinds: Vec<&'static str> = chunk.iter().map(|(r, _)| r.data.kind().id()).collect();
            if uniform {
                let time = shared.ts(first.created_at);
                let mut params: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(2 + 4 * chunk.len());
                params.push(&return_id);
                params.push(&time);
                let states: Vec<&'static str> =
                    chunk.iter().map(|(r, _)| r.review_state.id()).collect();
                for (((_, data_json), id), (kind, state)) in
                    chunk.iter().zip(&ids).zip(kinds.iter().zip(&states))
                {
                    params.extend([id as &dyn rusqlite::ToSql, kind, data_json, state]);
                }
                self.tx
                    .prepare_cached(&shared_values_sql(chunk.len()))
                    .ctx("saving a record")?
                    .execute(params.as_slice())
                    .ctx("saving a record")?;
            } else {
                // Each row's columns as SQL values, owned here and bound by reference.
                let owned: Vec<RowValues> = chunk
                    .iter()
                    .zip(&ids)
                    .map(|((r, ..), id)| {
                        (
                            shared.return_id(r.return_id),
                            id.clone(),
                            r.data.kind().id(),
                            r.review_state.id(),
                            shared.ts(r.created_at),
                            shared.ts(r.updated_at),
                            r.deleted_at.map(ts),
                        )
                    })
                    .collect();
                let mut params: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(8 * chunk.len());
                for (
                    (_, data_json),
                    (return_id, id, kind, review_state, created, updated, deleted),
                ) in chunk.iter().zip(&owned)
                {
                    params.extend([
                        return_id as &dyn rusqlite::ToSql,
                        id,
                        kind,
                        data_json,
                        review_state,
                        created,
                        updated,
                        deleted,
                    ]);
                }
                self.tx
                    .prepare_cached(&format!(
                        "INSERT INTO record ({RECORD_COLUMNS}) VALUES {}",
                        values(chunk.len(), "(?, ?, ?, ?, ?, ?, ?, ?)")
                    ))
                    .ctx("saving a record")?
                    .execute(params.as_slice())
                    .ctx("saving a record")?;
            }
            let mut params: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(3 + 3 * chunk.len());
            params.push(&at);
            params.push(&actor);
            let return_ids: Vec<std::rc::Rc<str>> = chunk
                .iter()
                .map(|(r, _)| shared.return_id(r.return_id))
                .collect();
            for ((return_id, id), kind) in return_ids.iter().zip(&ids).zip(&kinds) {
                params.extend([return_id as &dyn rusqlite::ToSql, id, kind]);
            }
            self.tx
                .prepare_cached(&format!(
                    "INSERT INTO audit (at, actor, action, return_id, record_id, kind) VALUES {}",
                    values(chunk.len(), "(?1, ?2, 'add', ?, ?, ?)")
                ))
                .ctx("writing the audit log")?
                .execute(params.as_slice())
                .ctx("writing the audit log")?;
        }
        Ok(())
    }
}

/// `INSERT INTO record` of `rows` rows sharing their return (`?1`) and times (`?2`, created
/// and updated), none deleted; each row's id, kind, data and review state follow in order.
fn shared_values_sql(rows: usize) -> String {
    let mut sql = format!("INSERT INTO record ({RECORD_COLUMNS}) VALUES ");
    for i in 0..rows {
        let p = 3 + 4 * i;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "(?1, ?{p}, ?{}, ?{}, ?{}, ?2, ?2, NULL)",
            p + 1,
            p + 2,
            p + 3
        ));
    }
    sql
}

impl Tx<'_> {
    /// Inserts new records of one return, all created (and updated) at `at`, none deleted: what
    /// merging a bundle writes. Several rows go in per statement: the `record` table's CHECKs
    /// `kind IN (…)` and `review_state IN (…)` make SQLite build two temporary lookup tables
    /// each time a statement runs, which cost more than the insert itself when it ran once
    /// per row.
    /// `texts[i]` is `records[i]`'s JSON as [`RecordData::to_json_text`] writes it (made
    /// ahead, off the writing thread).
    pub(crate) fn insert_new_records(
        &self,
        return_id: Uuid,
        at: DateTime<Utc>,
        records: &[(Uuid, ReviewState, RecordData)],
        texts: &[String],
    ) -> Result<(), StoreError> {
        /// Rows per statement (4 parameters each, plus 2 shared).
        const BATCH: usize = 100;
        let return_id = return_id.to_string();
        let at = ts(at);
        for (c, chunk) in records.chunks(BATCH).enumerate() {
            let owned: Vec<(String, &str, Cow<'_, str>, &str)> = chunk
                .iter()
                .enumerate()
                .map(|(i, (id, review_state, data))| {
                    // A missing text (never, as callers build both together) is made here.
                    let text = texts.get(c * BATCH + i).map_or_else(
                        || Cow::Owned(data.to_json_text()),
                        |t| Cow::Borrowed(t.as_str()),
                    );
                    (id.to_string(), data.kind().id(), text, review_state.id())
                })
                .collect();
            let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(2 + 4 * chunk.len());
            values.push(&return_id);
            values.push(&at);
            for (id, kind, text, review_state) in &owned {
                values.extend([id as &dyn rusqlite::ToSql, kind, text, review_state]);
            }
            self.tx
                .prepare_cached(&shared_values_sql(chunk.len()))
                .ctx("saving a record")?
                .execute(values.as_slice())
                .ctx("saving a record")?;
        }
        Ok(())
    }

    pub(crate) fn update_record(&self, r: &RecordRow) -> Result<(), StoreError> {
        self.update_record_json(r, &r.data.to_json_text())
    }

    /// [`Tx::update_record`] with the record's data already written as JSON text.
    pub(crate) fn update_record_json(
        &self,
        r: &RecordRow,
        data_json: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE record SET data = ?3, review_state = ?4, updated_at = ?5, deleted_at = ?6
                 WHERE return_id = ?1 AND id = ?2",
            )
            .ctx("saving a record")?
            .execute(params![
                r.return_id.to_string(),
                r.id.to_string(),
                data_json,
                r.review_state.id(),
                ts(r.updated_at),
                r.deleted_at.map(ts),
            ])
            .ctx("saving a record")?;
        Ok(())
    }

    pub(crate) fn audit(&self, a: &NewAudit<'_>) -> Result<i64, StoreError> {
        let snap = |s: Option<&Snapshot>| s.map(|s| serde_json::to_string(s).unwrap_or_default());
        self.audit_json(a, snap(a.before).as_deref(), snap(a.after).as_deref())
    }

    /// Writes an audit entry whose snapshots are already JSON text
    /// ([`RecordRow::snapshot_json`]); `a.before` and `a.after` are not used.
    pub(crate) fn audit_json(
        &self,
        a: &NewAudit<'_>,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<i64, StoreError> {
        // Cached: an import writes an audit entry per record in one transaction.
        self.tx
            .prepare_cached(
                "INSERT INTO audit (at, actor, action, return_id, record_id, kind, before, after)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .ctx("writing the audit log")?
            .execute(params![
                ts(a.at),
                a.actor,
                a.action.id(),
                a.return_id.map(|u| u.to_string()),
                a.record_id.map(|u| u.to_string()),
                a.kind.map(|k| k.id()),
                before,
                after,
            ])
            .ctx("writing the audit log")?;
        Ok(self.tx.last_insert_rowid())
    }

    pub(crate) fn mark_undone(&self, seq: i64, by: i64) -> Result<(), StoreError> {
        self.tx
            .execute(
                "UPDATE audit SET undone_by = ?2 WHERE seq = ?1",
                params![seq, by],
            )
            .ctx("writing the audit log")?;
        Ok(())
    }

    /// The newest audit entries of a return, newest first.
    pub(crate) fn history(&self, return_id: Uuid, limit: u32) -> Result<Vec<AuditRow>, StoreError> {
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit WHERE return_id = ?1 ORDER BY seq DESC LIMIT ?2"
        );
        self.audit_query(&sql, params![return_id.to_string(), limit])
    }

    /// The newest record edit of a return that has not been undone.
    pub(crate) fn last_undoable(&self, return_id: Uuid) -> Result<Option<AuditRow>, StoreError> {
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit WHERE return_id = ?1 AND undone_by IS NULL
               AND action IN ('add','update','delete','restore','review')
             ORDER BY seq DESC LIMIT 1"
        );
        Ok(self
            .audit_query(&sql, params![return_id.to_string()])?
            .into_iter()
            .next())
    }

    fn audit_query(
        &self,
        sql: &str,
        p: impl rusqlite::Params,
    ) -> Result<Vec<AuditRow>, StoreError> {
        let mut stmt = self.tx.prepare_cached(sql).ctx("reading the audit log")?;
        type Raw = (
            i64,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<i64>,
        );
        let raw: Vec<Raw> = stmt
            .query_map(p, |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            })
            .ctx("reading the audit log")?
            .collect::<Result<Vec<_>, _>>()
            .ctx("reading the audit log")?;
        let corrupt = |seq: i64, m: String| StoreError::Corrupt {
            table: "audit".into(),
            record: seq.to_string(),
            message: m,
        };
        raw.into_iter()
            .map(
                |(seq, at, actor, action, record, kind, before, undone_by)| {
                    let snap = |s: Option<String>| -> Result<Option<Snapshot>, StoreError> {
                        s.map(|s| serde_json::from_str(&s).map_err(|e| corrupt(seq, e.to_string())))
                            .transpose()
                    };
                    Ok(AuditRow {
                        seq,
                        at: parse_ts(&at)?,
                        actor,
                        action: AuditAction::from_id(&action)
                            .ok_or_else(|| corrupt(seq, format!("unknown action '{action}'")))?,
                        record_id: record.as_deref().map(parse_uuid).transpose()?,
                        kind: kind.as_deref().and_then(RecordKind::from_id),
                        before: snap(before)?,
                        undone_by,
                    })
                },
            )
            .collect()
    }
}

struct RawRecord {
    return_id: String,
    id: String,
    kind: String,
    data: String,
    review_state: String,
    created_at: String,
    updated_at: String,
    deleted_at: Option<String>,
}

fn raw_record(r: &Row<'_>) -> rusqlite::Result<RawRecord> {
    Ok(RawRecord {
        return_id: r.get(0)?,
        id: r.get(1)?,
        kind: r.get(2)?,
        data: r.get(3)?,
        review_state: r.get(4)?,
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
        deleted_at: r.get(7)?,
    })
}

impl RawRecord {
    fn into_row(self) -> Result<RecordRow, StoreError> {
        let corrupt = |m: String| StoreError::Corrupt {
            table: self.kind.clone(),
            record: self.id.clone(),
            message: m,
        };
        let kind = RecordKind::from_id(&self.kind).ok_or_else(|| corrupt("unknown kind".into()))?;
        let data = match RecordData::from_json_text(kind, &self.data) {
            Some(d) => d,
            None => {
                let value: serde_json::Value =
                    serde_json::from_str(&self.data).map_err(|e| corrupt(e.to_string()))?;
                RecordData::from_json(kind, value)
                    .map_err(|e| corrupt(format!("{}: {}", e.field, e.message)))?
            }
        };
        Ok(RecordRow {
            return_id: parse_uuid(&self.return_id)?,
            id: parse_uuid(&self.id)?,
            data,
            review_state: ReviewState::from_id(&self.review_state)
                .ok_or_else(|| corrupt("unknown review state".into()))?,
            created_at: parse_ts(&self.created_at)?,
            updated_at: parse_ts(&self.updated_at)?,
            deleted_at: self.deleted_at.as_deref().map(parse_ts).transpose()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::Supplier;

    /// Records added together read back as written, each with its `add` entry in order: rows
    /// of one return and one time (the values they share bound once per statement), and rows
    /// that differ (each bound on its own), across several statements.
    #[test]
    fn records_added_together_read_back_with_their_audit_entries() {
        use crate::domain::cycle::CycleId;
        use crate::domain::organisation::Organisation;
        use crate::store::Db;
        let dir = tempfile::tempdir().unwrap();
        let org = Organisation::london().next().unwrap();
        let cycle = CycleId::parse("2026-27").unwrap();
        let ret = Uuid::new_v4();
        let t0 = parse_ts("2026-11-23T09:00:00.000Z").unwrap();
        let t1 = parse_ts("2026-11-24T10:30:00.000Z").unwrap();
        let mut db =
            Db::create(&dir.path().join("s.ctstore"), &org, &cycle, ret, "me", t0).unwrap();
        let row = |i: usize, created_at, updated_at| RecordRow {
            return_id: ret,
            id: Uuid::from_u128(i as u128 + 1),
            data: RecordData::Supplier(Supplier {
                name: format!("Supplier {i}"),
                ..Default::default()
            }),
            review_state: if i.is_multiple_of(3) {
                ReviewState::ToReview
            } else {
                ReviewState::New
            },
            created_at,
            updated_at,
            deleted_at: None,
        };
        // 150 uniform rows (two statements), then 50 with their own times.
        let rows: Vec<(RecordRow, std::sync::Arc<str>)> = (0..200)
            .map(|i| {
                let r = if i < 150 {
                    row(i, t0, t0)
                } else {
                    row(i, t0, t1)
                };
                let text = r.data.to_json_text().into();
                (r, text)
            })
            .collect();
        db.write(|tx| tx.insert_records_added(&rows, t1, "importer"))
            .unwrap();
        let (read, log) = db
            .read(|tx| Ok::<_, StoreError>((tx.records(ret, None, false)?, tx.history(ret, 1000)?)))
            .unwrap();
        assert_eq!(read.len(), 200);
        for (r, _) in &rows {
            let got = read.iter().find(|g| g.id == r.id).expect("written");
            assert_eq!(got.data, r.data);
            assert_eq!(
                (
                    got.return_id,
                    got.review_state,
                    got.created_at,
                    got.updated_at,
                    got.deleted_at
                ),
                (
                    r.return_id,
                    r.review_state,
                    r.created_at,
                    r.updated_at,
                    r.deleted_at
                )
            );
        }
        // Newest first: the rows' entries in the order the rows were given, then the store's.
        let adds: Vec<_> = log
            .iter()
            .filter(|a| a.action == AuditAction::Add)
            .collect();
        assert_eq!(adds.len(), 200);
        assert!(adds.iter().all(|a| a.actor == "importer" && a.at == t1));
        let ids: Vec<Uuid> = adds.iter().rev().filter_map(|a| a.record_id).collect();
        let given: Vec<Uuid> = rows.iter().map(|(r, _)| r.id).collect();
        assert_eq!(ids, given);
        assert!(adds.iter().all(|a| a.kind == Some(RecordKind::Supplier)));
    }

    #[test]
    fn the_written_snapshot_reads_back_as_the_built_one() {
        let at = parse_ts("2026-11-23T09:00:00.000Z").unwrap();
        for (review_state, deleted_at) in
            [(ReviewState::New, None), (ReviewState::Changed, Some(at))]
        {
            let row = RecordRow {
                return_id: Uuid::nil(),
                id: Uuid::nil(),
                data: RecordData::Supplier(Supplier {
                    name: "Civica \"UK\" Ltd".into(),
                    companies_house: Some("01628868".into()),
                    sme: Some(false),
                    aliases: vec!["CIVICA".into()],
                    ..Default::default()
                }),
                review_state,
                created_at: at,
                updated_at: at,
                deleted_at,
            };
            let text = row.snapshot_json(&row.data.to_json_text());
            let read: Snapshot = serde_json::from_str(&text).unwrap();
            // The data is written without its empty fields, and reads back as the same record.
            let built = row.snapshot();
            assert_eq!(
                RecordData::from_json(RecordKind::Supplier, read.data.clone()).unwrap(),
                row.data
            );
            assert!(read.data.get("ppon").is_none() && built.data["ppon"].is_null());
            assert_eq!(read.data["sme"], false);
            assert_eq!(
                (read.review_state, &read.deleted_at),
                (built.review_state, &built.deleted_at)
            );
        }
    }
}
