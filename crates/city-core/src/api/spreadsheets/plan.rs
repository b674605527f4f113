//! One row's plan inside the import's transaction: which record the row means (its id
//! column, else its natural key), a second row for the same record, the names it gives
//! resolved, then the record checked and created or updated — each with its plan line, and
//! the record written (new ones held back and written [`PENDING_MAX`] at a time).

use super::changes::JsonText;
use super::ids::IdGen;
use super::index::{Index, find_by_key, natural_key};
use super::links;
use super::writer::Link;
use super::{Changes, MatchKey, RowAction, RowPlan, file_loc};
use crate::api::{Context, Error, ErrorKind, Issue};
use crate::domain::enums::{RecordKind, ReviewState};
use crate::domain::records::RecordData;
use crate::import::rows::{CellNote, SourceRow};
use crate::store::{AuditAction, NewAudit, RecordRow, ReturnRow, StoreError, Tx};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use uuid::Uuid;

pub(super) use super::commit::Stop;

/// A row already handled in an import: its sheet, row (from 1) and the fingerprint of its
/// fields ([`Fingerprints`]).
type SeenRow = (Rc<str>, u32, u64);

/// What a row handled in an import is found again by: the record it wrote, or its natural
/// key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum SeenKey {
    Id(Uuid),
    Natural(String),
}

/// A row's fields stand for themselves by a fingerprint of their JSON text: a map keeps its
/// keys in order (serde_json's `Map` is a `BTreeMap`), so two rows have the same text exactly
/// when they have the same fields. The text is written into one buffer used again for every
/// row and hashed with SipHash-1-3 under a random key of the import's own, so two different
/// rows with the same key share a fingerprint with odds of about 2^-64 — where keeping the
/// text cost a string of every row's fields (~17 MB for a 50,000-row register).
pub(super) struct Fingerprints {
    key: std::hash::RandomState,
    text: Vec<u8>,
}

impl Fingerprints {
    pub(super) fn new() -> Fingerprints {
        Fingerprints {
            key: std::hash::RandomState::new(),
            text: Vec::new(),
        }
    }

    /// The fingerprint of a row's fields.
    pub(super) fn of(&mut self, fields: &serde_json::Map<String, Value>) -> u64 {
        use std::hash::BuildHasher;
        self.text.clear();
        // Writing a map of JSON values into memory cannot fail.
        let _ = serde_json::to_writer(&mut self.text, fields);
        self.key.hash_one(self.text.as_slice())
    }
}

/// A row as read, with what can be worked out from it alone (on the thread reading the
/// rows, ahead of the planning): its plan label, natural key and fingerprint.
pub(super) struct ReadRow {
    src: SourceRow,
    label: String,
    natural: Option<String>,
    fingerprint: u64,
}

impl ReadRow {
    pub(super) fn new(
        src: SourceRow,
        kind: RecordKind,
        key: MatchKey,
        prints: &mut Fingerprints,
    ) -> ReadRow {
        ReadRow {
            label: row_label(kind, &src),
            natural: natural_key(kind, &src.fields, key),
            fingerprint: prints.of(&src.fields),
            src,
        }
    }
}

/// Everything one import run needs while it walks the rows.
pub(super) struct Run<'a> {
    /// The import's transaction, on the writer's thread.
    pub(super) db: &'a Link,
    pub(super) ret: &'a ReturnRow,
    pub(super) ctx: &'a Context,
    pub(super) file: &'a Path,
    pub(super) ix: Index,
    pub(super) plan: Vec<RowPlan>,
    pub(super) warnings: Vec<Issue>,
    pub(super) errors: Vec<Issue>,
    /// Record id or natural key → (sheet, row, fields) of rows already handled in this
    /// import.
    pub(super) seen: HashMap<(RecordKind, SeenKey), SeenRow>,
    /// New records (with their data as JSON text) not yet written: they go in [`PENDING_MAX`]
    /// at a time, and before anything reads what they would change.
    pub(super) pending: Vec<(RecordRow, JsonText)>,
    /// The best-cased spelling of suppliers named in several casings (`links`).
    pub(super) spellings: HashMap<String, String>,
    /// The ids of the records the import creates.
    pub(super) ids: IdGen,
    /// The names of the sheets read so far, shared by the rows in `seen`.
    pub(super) sheet_names: Vec<Rc<str>>,
}

/// New records held before they are written together.
pub(super) const PENDING_MAX: usize = 100;

/// A row ready to be checked: its source, what it matched, and what was found so far.
pub(super) struct Ready<'s> {
    pub(super) sheet: &'s str,
    pub(super) kind: RecordKind,
    pub(super) src: SourceRow,
    label: String,
    /// The natural key the row was matched by, if any.
    natural: Option<String>,
    /// The fingerprint of the row's fields (for spotting the same row twice).
    fingerprint: u64,
    pub(super) warnings: Vec<Issue>,
    /// A field was left blank: the record is to review.
    pub(super) review: bool,
}

impl Run<'_> {
    pub(super) fn issue(&self, sheet: &str, note: &CellNote) -> Issue {
        Issue {
            message: note.message.clone(),
            location: Some(file_loc(self.file, Some(sheet), Some(note.row), note.col)),
        }
    }

    pub(super) fn push_error(
        &mut self,
        sheet: &str,
        kind: RecordKind,
        row: usize,
        label: String,
        issues: Vec<Issue>,
    ) {
        self.errors.extend(issues.iter().cloned());
        self.plan.push(RowPlan {
            sheet: sheet.to_string(),
            row: row as u32 + 1,
            kind,
            action: RowAction::Error,
            record_id: None,
            label,
            reason: issues.first().map(|i| i.message.clone()),
            changes: Changes::default(),
            issues,
        });
    }

    /// A sheet's name, shared by every row of it that is kept in `seen`.
    fn sheet_name(&mut self, sheet: &str) -> Rc<str> {
        if let Some(name) = self.sheet_names.iter().find(|n| &***n == sheet) {
            return name.clone();
        }
        let name: Rc<str> = Rc::from(sheet);
        self.sheet_names.push(name.clone());
        name
    }

    /// A row left out of a ready row, with every problem and then its warnings.
    fn push_ready_error(&mut self, r: Ready<'_>, mut issues: Vec<Issue>) {
        issues.extend(r.warnings);
        self.push_error(r.sheet, r.kind, r.src.row, r.label, issues);
    }

    /// Writes the new records held back, with their audit entries.
    pub(super) fn flush(&mut self) -> Result<(), StoreError> {
        if !self.pending.is_empty() {
            let rows = std::mem::replace(&mut self.pending, Vec::with_capacity(PENDING_MAX));
            let (now, actor) = (self.ctx.now, self.ctx.actor.clone());
            self.db.send(move |tx| {
                // The records' JSON texts are made here, on the writer's thread.
                let rows: Vec<(RecordRow, Arc<str>)> = rows
                    .into_iter()
                    .map(|(row, text)| {
                        let text = text.get_or_init(|| row.data.to_json_text().into()).clone();
                        (row, text)
                    })
                    .collect();
                tx.insert_records_added(&rows, now, &actor)
            })?;
        }
        Ok(())
    }

    /// Before checking a record of `kind`: writes the held records it could see. A record
    /// links only to records of other kinds, and only a skill's check reads records of its own
    /// kind.
    pub(super) fn flush_for(&mut self, kind: RecordKind) -> Result<(), StoreError> {
        if kind == RecordKind::Skill || self.pending.iter().any(|p| p.0.data.kind() != kind) {
            self.flush()?;
        }
        Ok(())
    }

    /// Adds a new record (with `id` if the sheet gave one) and logs it; the writing may be
    /// held back (see `pending`). Returns its id, label and fields as plan changes.
    pub(super) fn insert(
        &mut self,
        id: Uuid,
        data: RecordData,
        review_state: ReviewState,
    ) -> Result<(Uuid, String, Changes), StoreError> {
        let row = RecordRow {
            return_id: self.ret.id,
            id,
            data,
            review_state,
            created_at: self.ctx.now,
            updated_at: self.ctx.now,
            deleted_at: None,
        };
        // The data's JSON text is made once, as the writer writes it, and shared with the
        // plan's changes; its `add` entry needs no copy of it.
        let text = JsonText::default();
        self.ix.add(row.id, &row.data);
        let made = (row.id, row.data.label(), Changes::created_as(text.clone()));
        self.pending.push((row, text));
        if self.pending.len() >= PENDING_MAX {
            self.flush()?;
        }
        Ok(made)
    }

    /// Plans one row of a sheet of `kind`, writing what it creates or changes.
    pub(super) fn row(
        &mut self,
        sheet: &str,
        kind: RecordKind,
        read: ReadRow,
        key: MatchKey,
    ) -> Result<(), Stop> {
        let ReadRow {
            mut src,
            label,
            natural,
            fingerprint,
        } = read;
        let row1 = src.row as u32 + 1;
        if let Some(why) = src.skip.take() {
            self.push_skip(sheet, kind, row1, why);
            return Ok(());
        }
        if src.fields.is_empty()
            && src.lookups.is_empty()
            && src.id.is_none()
            && src.errors.is_empty()
            && src.warnings.is_empty()
        {
            self.push_skip(sheet, kind, row1, "nothing is filled in".into());
            return Ok(());
        }
        let warnings: Vec<Issue> = src.warnings.iter().map(|n| self.issue(sheet, n)).collect();
        self.warnings.extend(warnings.iter().cloned());
        let issues: Vec<Issue> = src.errors.iter().map(|n| self.issue(sheet, n)).collect();
        let r = Ready {
            sheet,
            kind,
            label,
            natural,
            fingerprint,
            review: src.review,
            src,
            warnings,
        };
        if !issues.is_empty() {
            self.push_ready_error(r, issues);
            return Ok(());
        }
        // Which record does the row mean?
        let (mut target, keep_id) = match self.id_target(&r, key)? {
            Ok(found) => found,
            Err(issue) => {
                self.push_ready_error(r, vec![issue]);
                return Ok(());
            }
        };
        // One-per-return answers always update the return's one record, whatever the key.
        if target.is_none()
            && (kind.is_singleton() || !matches!(key, MatchKey::Id | MatchKey::None))
        {
            target = find_by_key(&self.ix, kind, &r.src.fields, key);
        }
        match self.duplicate(r, target) {
            Some(r) => self.write_row(r, target, keep_id),
            None => Ok(()),
        }
    }

    /// A row that changes nothing, and why.
    fn push_skip(&mut self, sheet: &str, kind: RecordKind, row1: u32, why: String) {
        self.plan.push(RowPlan {
            sheet: sheet.to_string(),
            row: row1,
            kind,
            action: RowAction::Skip,
            record_id: None,
            label: String::new(),
            reason: Some(why),
            changes: Changes::default(),
            issues: Vec::new(),
        });
    }

    /// The record a row's id column names: `(target, keep_id)` — an existing record of the
    /// row's kind to update, or an id the return does not hold, kept for the new record.
    #[allow(clippy::type_complexity)]
    fn id_target(
        &mut self,
        r: &Ready<'_>,
        key: MatchKey,
    ) -> Result<Result<(Option<Uuid>, Option<Uuid>), Issue>, Stop> {
        let Some((text, col)) = r.src.id.as_ref().filter(|_| key != MatchKey::None) else {
            return Ok(Ok((None, None)));
        };
        let at = Some(file_loc(
            self.file,
            Some(r.sheet),
            Some(r.src.row),
            Some(*col),
        ));
        let Ok(id) = Uuid::parse_str(text.trim()) else {
            return Ok(Err(Issue {
                message: format!(
                    "'{text}' is not a City Tools id: leave the id column as it was, or empty for a new record"
                ),
                location: at,
            }));
        };
        self.flush()?;
        let ret = self.ret.id;
        Ok(match self.db.call(move |tx| tx.record(ret, id))? {
            Some(found) if found.data.kind() != r.kind => Err(Issue {
                message: format!(
                    "the id {id} belongs to a {}, not a {}",
                    found.data.kind().id(),
                    r.kind.id()
                ),
                location: at,
            }),
            Some(found) if found.deleted_at.is_some() => Err(Issue {
                message: format!(
                    "{} '{}' has been deleted: restore it first",
                    r.kind.id(),
                    found.data.label()
                ),
                location: at,
            }),
            Some(_) => Ok((Some(id), None)),
            None => Ok((None, Some(id))),
        })
    }

    /// The same record twice in one file: the same values are skipped, different values are
    /// an error (one-per-return answers go on to update their record). `None` when the row is
    /// done with.
    fn duplicate<'s>(&mut self, r: Ready<'s>, target: Option<Uuid>) -> Option<Ready<'s>> {
        let dup_key = target
            .map(SeenKey::Id)
            .or_else(|| r.natural.clone().map(SeenKey::Natural));
        let Some((s, row, fields)) = dup_key.and_then(|k| self.seen.get(&(r.kind, k))) else {
            return Some(r);
        };
        if *fields == r.fingerprint {
            let reason = format!("the same as row {row} of sheet '{s}'");
            self.plan.push(RowPlan {
                sheet: r.sheet.to_string(),
                row: r.src.row as u32 + 1,
                kind: r.kind,
                action: RowAction::Skip,
                record_id: target,
                label: r.label,
                reason: Some(reason),
                changes: Changes::default(),
                issues: r.warnings,
            });
            return None;
        }
        if r.kind.is_singleton() {
            return Some(r);
        }
        let issue = Issue {
            message: format!(
                "this row and row {row} of sheet '{s}' are the same {} with different values: keep one",
                r.kind.id()
            ),
            location: Some(file_loc(self.file, Some(r.sheet), Some(r.src.row), None)),
        };
        self.push_ready_error(r, vec![issue]);
        None
    }

    /// Resolves the names the row gives, checks its record and creates or updates it.
    fn write_row(
        &mut self,
        mut r: Ready<'_>,
        target: Option<Uuid>,
        keep_id: Option<Uuid>,
    ) -> Result<(), Stop> {
        let mut issues = Vec::new();
        self.resolve(r.sheet, &mut r.src, &mut issues)?;
        // Links left out are warnings (already in the plan's list); anything else stops the row.
        let (links, errors): (Vec<Issue>, Vec<Issue>) =
            issues.into_iter().partition(|i| self.warnings.contains(i));
        r.warnings.extend(links);
        if !errors.is_empty() {
            self.push_ready_error(r, errors);
            return Ok(());
        }
        let row_supplier = links::row_supplier(&r.src);
        let fields = Value::Object(std::mem::take(&mut r.src.fields));
        // What the check and the update read must be written first.
        let outcome = match target {
            Some(id) => {
                self.flush()?;
                self.update(&mut r, id, fields)?.map(|()| id)
            }
            None => {
                self.flush_for(r.kind)?;
                self.create(&mut r, keep_id, fields)?
            }
        };
        match outcome {
            Ok(id) => {
                let sheet_name = self.sheet_name(r.sheet);
                let row1 = r.src.row as u32 + 1;
                for k in [
                    Some(SeenKey::Id(id)),
                    r.natural.take().map(SeenKey::Natural),
                ]
                .into_iter()
                .flatten()
                {
                    let seen = (sheet_name.clone(), row1, r.fingerprint);
                    self.seen.insert((r.kind, k), seen);
                }
                if r.kind == RecordKind::System {
                    self.system_contract(r.sheet, &r.src, id, &r.label, row_supplier)?;
                }
            }
            Err(e) => {
                let all = self.located(&r, e);
                self.push_error(r.sheet, r.kind, r.src.row, r.label, all);
            }
        }
        Ok(())
    }

    /// Updates the record a row matched, or finds it already holds the row's values.
    fn update(
        &mut self,
        r: &mut Ready<'_>,
        id: Uuid,
        fields: Value,
    ) -> Result<Result<(), Error>, Stop> {
        let ret = self.ret.id;
        let old = self
            .db
            .call(move |tx| tx.record(ret, id))?
            .ok_or_else(|| Error::new(ErrorKind::NotFound, "a matched record vanished"))?;
        let base = old.data.to_json();
        let data = match self.checked_lenient(r, Some((id, &base)), fields) {
            Ok(data) => data,
            Err(e) => return Ok(Err(e)),
        };
        if data == old.data {
            self.plan.push(RowPlan {
                sheet: r.sheet.to_string(),
                row: r.src.row as u32 + 1,
                kind: r.kind,
                action: RowAction::Unchanged,
                record_id: Some(id),
                label: data.label(),
                reason: Some("already holds these values".into()),
                changes: Changes::default(),
                issues: std::mem::take(&mut r.warnings),
            });
            return Ok(Ok(()));
        }
        let (label, changes) = self.update_record(&old, data, r.review)?;
        let how = match (&r.src.id, r.natural.as_deref()) {
            (Some(_), _) => "matched by id".to_string(),
            (None, Some(k)) => format!("matched by {}", k.split(':').next().unwrap_or("name")),
            _ => "matched".into(),
        };
        self.plan.push(RowPlan {
            sheet: r.sheet.to_string(),
            row: r.src.row as u32 + 1,
            kind: r.kind,
            action: RowAction::Update,
            record_id: Some(id),
            label,
            reason: Some(if r.review {
                format!("{how}; answers left blank: to review")
            } else {
                how
            }),
            changes: changes.into(),
            issues: std::mem::take(&mut r.warnings),
        });
        Ok(Ok(()))
    }

    /// Creates the record a row describes (with the id its id column gave, if any).
    fn create(
        &mut self,
        r: &mut Ready<'_>,
        keep_id: Option<Uuid>,
        fields: Value,
    ) -> Result<Result<Uuid, Error>, Stop> {
        let data = match self.checked_lenient(r, None, fields) {
            Ok(data) => data,
            Err(e) => return Ok(Err(e)),
        };
        let state = if r.review {
            ReviewState::ToReview
        } else {
            ReviewState::New
        };
        let id = keep_id.unwrap_or_else(|| self.ids.next_id());
        let (id, label, changes) = self.insert(id, data, state)?;
        self.plan.push(RowPlan {
            sheet: r.sheet.to_string(),
            row: r.src.row as u32 + 1,
            kind: r.kind,
            action: RowAction::Create,
            record_id: Some(id),
            label,
            reason: r
                .review
                .then(|| "answers left blank: to review".to_string()),
            changes,
            issues: std::mem::take(&mut r.warnings),
        });
        Ok(Ok(id))
    }
}

/// What a row's plan line calls it: its name or title, a skill's area, else its kind.
fn row_label(kind: RecordKind, src: &SourceRow) -> String {
    ["name", "title", "area"]
        .iter()
        .find_map(|f| src.fields.get(*f).and_then(Value::as_str))
        .map_or_else(|| kind.label().to_string(), str::to_string)
}

/// Logs one record the import wrote, with its snapshots already written as JSON text.
pub(super) fn audit_store(
    tx: &Tx<'_>,
    ctx: &Context,
    action: AuditAction,
    row: &RecordRow,
    before: Option<&str>,
    after: &str,
) -> Result<i64, StoreError> {
    tx.audit_json(
        &NewAudit {
            at: ctx.now,
            actor: &ctx.actor,
            action,
            return_id: Some(row.return_id),
            record_id: Some(row.id),
            kind: Some(row.data.kind()),
            before: None,
            after: None,
        },
        before,
        Some(after),
    )
}
