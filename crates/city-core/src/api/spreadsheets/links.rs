//! One row, several records: what an import adds or links beyond the row's own record. An
//! application register's row with contract columns gives its system *and* the system's
//! contract (covering the system, with the same supplier; found again by that link on the next
//! import, so nothing is added twice); a row that names a system or product the return does not
//! have adds it (with the row's supplier) instead of leaving the link out; a contract row that
//! names its product links to the systems using it (adding one if none does); and a supplier
//! written in several casings is added with its best-cased name (`Agilisys Limited`, not
//! `AGILISYS LIMITED`).

use super::changes::changes;
use super::index::name_key;
use super::plan::{Run, Stop, audit_store};
use super::{Changes, FieldChange, RowAction, RowPlan, file_loc};
use crate::api::edit::merge_patch;
use crate::api::{Error, Issue, Location};
use crate::domain::enums::{RecordKind, ReviewState};
use crate::domain::records::RecordData;
use crate::import::linked;
use crate::import::rows::SourceRow;
use crate::sheet_layout::column_letter;
use crate::store::{AuditAction, RecordRow, StoreError};
use serde_json::{Map, Value};
use std::collections::HashMap;
use uuid::Uuid;

/// Links between the return's records the import needs to find again, kept current as it
/// writes (`Index::add` feeds it every record).
#[derive(Debug, Default)]
pub(super) struct Linked {
    /// A system → the contract covering it (the first seen).
    contract_of_system: HashMap<Uuid, Uuid>,
    product_of_system: HashMap<Uuid, Uuid>,
    systems_of_product: HashMap<Uuid, Vec<Uuid>>,
}

impl Linked {
    pub(super) fn add(&mut self, id: Uuid, data: &RecordData) {
        match data {
            RecordData::System(s) => {
                let old = match s.product_id {
                    Some(p) => self.product_of_system.insert(id, p),
                    None => self.product_of_system.remove(&id),
                };
                if old != s.product_id {
                    if let Some(o) = old
                        && let Some(list) = self.systems_of_product.get_mut(&o)
                    {
                        list.retain(|x| *x != id);
                    }
                    if let Some(p) = s.product_id {
                        self.systems_of_product.entry(p).or_default().push(id);
                    }
                }
            }
            RecordData::Contract(c) => {
                for s in &c.system_ids {
                    self.contract_of_system.entry(*s).or_insert(id);
                }
            }
            _ => {}
        }
    }
}

/// The best-cased spelling of each supplier named (each supplier lookup's first name, as
/// `rows::table_outline` gives them), by name key.
pub(super) fn supplier_spellings<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> HashMap<String, String> {
    // Each name's key is worked out once: a register names a few suppliers in many rows.
    let mut key_of: HashMap<&str, String> = HashMap::new();
    let mut all: HashMap<String, Vec<&str>> = HashMap::new();
    for n in names {
        let key = key_of.entry(n).or_insert_with(|| name_key(n));
        match all.get_mut(key.as_str()) {
            Some(names) => names.push(n),
            None => {
                all.insert(key.clone(), vec![n]);
            }
        }
    }
    all.into_iter()
        .filter(|(_, names)| names.iter().any(|n| *n != names[0]))
        .filter_map(|(k, names)| linked::best_cased(names).map(|b| (k, b)))
        .collect()
}

/// The columns (letters) a row's linked fields came from, for the plan's reason.
fn linked_columns(src: &SourceRow, prefix: &str) -> String {
    let mut cols: Vec<usize> = src
        .origin
        .iter()
        .filter(|(p, ..)| p.starts_with(prefix))
        .map(|(_, _, c)| *c)
        .collect();
    cols.sort_unstable();
    cols.dedup();
    cols.into_iter()
        .map(column_letter)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Run<'_> {
    /// The name to give a supplier the import adds: its best-cased spelling in the file.
    pub(super) fn supplier_spelling(&self, name: &str) -> String {
        self.spellings
            .get(&name_key(name))
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }

    /// Adds a system or product a row names that the return does not have, with the row's
    /// supplier (and, for a system, its product); the plan says so. `None` for other kinds, or
    /// if it cannot be added (the link is then left out with a warning, as before).
    pub(super) fn add_named(
        &mut self,
        sheet: &str,
        (row, col): (usize, usize),
        kind: RecordKind,
        name: &str,
        supplier: Option<Uuid>,
        product: Option<Uuid>,
    ) -> Result<Option<Uuid>, Stop> {
        if !matches!(kind, RecordKind::System | RecordKind::Product) || name.trim().is_empty() {
            return Ok(None);
        }
        let mut fields = Map::new();
        fields.insert("name".into(), Value::String(name.to_string()));
        if let Some(s) = supplier {
            fields.insert("supplier_id".into(), Value::String(s.to_string()));
        }
        if let (RecordKind::System, Some(p)) = (kind, product) {
            fields.insert("product_id".into(), Value::String(p.to_string()));
        }
        self.flush_for(kind)?;
        let Ok(data) = self.checked(kind, None, &Value::Object(fields)) else {
            return Ok(None);
        };
        let id = self.ids.next_id();
        let (id, label, changes) = self.insert(id, data, ReviewState::New)?;
        self.plan.push(RowPlan {
            sheet: sheet.to_string(),
            row: row as u32 + 1,
            kind,
            action: RowAction::Create,
            record_id: Some(id),
            label,
            reason: Some(format!(
                "a new {} named in column {}",
                kind.label().to_lowercase(),
                column_letter(col)
            )),
            changes,
            issues: Vec::new(),
        });
        Ok(Some(id))
    }

    /// A contract row's product: the systems using it join the contract's systems; if none
    /// does, a system named after the product is added.
    pub(super) fn link_product(
        &mut self,
        sheet: &str,
        src: &mut SourceRow,
        (row, col): (usize, usize),
        product: Uuid,
        name: &str,
    ) -> Result<(), Stop> {
        let mut systems = self
            .ix
            .linked
            .systems_of_product
            .get(&product)
            .cloned()
            .unwrap_or_default();
        if systems.is_empty() {
            let supplier = row_supplier(src);
            let added = match self.ix.name(RecordKind::System, name) {
                Some(id) => Some(id),
                None => self.add_named(
                    sheet,
                    (row, col),
                    RecordKind::System,
                    name,
                    supplier,
                    Some(product),
                )?,
            };
            systems.extend(added);
        }
        let list = src
            .fields
            .entry("system_ids")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(ids) = list {
            for s in systems {
                let v = Value::String(s.to_string());
                if !ids.contains(&v) {
                    ids.push(v);
                }
            }
        }
        Ok(())
    }

    /// After a system row is written: the contract its contract columns describe, covering the
    /// system with the row's supplier — added, or updated if the system already has one.
    pub(super) fn system_contract(
        &mut self,
        sheet: &str,
        src: &SourceRow,
        system: Uuid,
        system_name: &str,
        supplier: Option<Uuid>,
    ) -> Result<(), Stop> {
        if src.contract.is_empty() {
            return Ok(());
        }
        let reason = format!(
            "the contract of the system on this row (column {})",
            linked_columns(src, "contract.")
        );
        let existing = self.ix.linked.contract_of_system.get(&system).copied();
        let old = match existing {
            Some(id) => {
                self.flush()?;
                let ret = self.ret.id;
                self.db
                    .call(move |tx| tx.record(ret, id))?
                    .filter(|r| r.deleted_at.is_none())
            }
            None => None,
        };
        match old {
            None => self.add_system_contract(sheet, src, (system, system_name), supplier, reason),
            Some(old) => self.update_system_contract(sheet, src, &old, supplier, reason),
        }
    }

    /// Adds a system's contract, covering the system.
    fn add_system_contract(
        &mut self,
        sheet: &str,
        src: &SourceRow,
        (system, system_name): (Uuid, &str),
        supplier: Option<Uuid>,
        reason: String,
    ) -> Result<(), Stop> {
        let new = Value::Object(new_contract(src, system, system_name, supplier));
        self.flush_for(RecordKind::Contract)?;
        match self.checked(RecordKind::Contract, None, &new) {
            Ok(data) => {
                let id = self.ids.next_id();
                let (id, label, changes) = self.insert(id, data, ReviewState::New)?;
                self.plan.push(RowPlan {
                    changes,
                    ..contract_line(sheet, src, reason, RowAction::Create, id, label)
                });
            }
            Err(e) => {
                let issues = self.contract_issues(sheet, src, e);
                let label = format!("{system_name} contract");
                self.push_error(sheet, RecordKind::Contract, src.row, label, issues);
            }
        }
        Ok(())
    }

    /// Updates the contract covering a system with the row's contract columns (and the row's
    /// supplier, if the contract has none).
    fn update_system_contract(
        &mut self,
        sheet: &str,
        src: &SourceRow,
        old: &RecordRow,
        supplier: Option<Uuid>,
        reason: String,
    ) -> Result<(), Stop> {
        let mut fields = src.contract.clone();
        if let (Some(s), RecordData::Contract(c)) = (supplier, &old.data)
            && c.supplier_id.is_none()
        {
            fields.insert("supplier_id".into(), Value::String(s.to_string()));
        }
        let mut merged = old.data.to_json();
        merge_patch(&mut merged, Value::Object(fields));
        match self.checked(RecordKind::Contract, Some(old.id), &merged) {
            Ok(data) if data == old.data => {
                let label = data.label();
                let line = contract_line(sheet, src, reason, RowAction::Unchanged, old.id, label);
                self.plan.push(line);
            }
            Ok(data) => {
                let (label, changes) = self.update_record(old, data, false)?;
                self.plan.push(RowPlan {
                    changes: changes.into(),
                    ..contract_line(sheet, src, reason, RowAction::Update, old.id, label)
                });
            }
            Err(e) => {
                let issues = self.contract_issues(sheet, src, e);
                let label = old.data.label();
                self.push_error(sheet, RecordKind::Contract, src.row, label, issues);
            }
        }
        Ok(())
    }

    /// A system's contract's problems, each at the contract column it came from.
    fn contract_issues(&self, sheet: &str, src: &SourceRow, e: Error) -> Vec<Issue> {
        let mut out: Vec<Issue> = e
            .issues
            .iter()
            .map(|i| {
                let field = match &i.location {
                    Some(Location::Record { field: Some(f), .. }) => f.as_str(),
                    _ => "",
                };
                let col = src.origin_of(&format!("contract.{field}")).map(|x| x.1);
                Issue {
                    message: format!("the system's contract: {}", i.message),
                    location: Some(file_loc(self.file, Some(sheet), Some(src.row), col)),
                }
            })
            .collect();
        if out.is_empty() {
            out.push(Issue {
                message: format!("the system's contract: {}", e.message),
                location: Some(file_loc(self.file, Some(sheet), Some(src.row), None)),
            });
        }
        out
    }

    /// Writes new data over a stored record, with its audit entry (the record to review if
    /// `review`, else changed if it had been reviewed); returns its label and what changed.
    pub(super) fn update_record(
        &mut self,
        old: &RecordRow,
        data: RecordData,
        review: bool,
    ) -> Result<(String, Vec<FieldChange>), StoreError> {
        let review_state = match old.review_state {
            _ if review => ReviewState::ToReview,
            ReviewState::ToReview | ReviewState::Confirmed => ReviewState::Changed,
            s => s,
        };
        let new = RecordRow {
            data,
            review_state,
            updated_at: self.ctx.now,
            ..old.clone()
        };
        let new_json = new.data.to_json_text();
        let before = old.snapshot_json(&old.data.to_json_text());
        let after = new.snapshot_json(&new_json);
        self.ix.add(new.id, &new.data);
        let made = (
            new.data.label(),
            changes(&old.data.to_json(), &new.data.to_json()),
        );
        let ctx = self.ctx.clone();
        self.db.send(move |tx| {
            tx.update_record_json(&new, &new_json)?;
            audit_store(tx, &ctx, AuditAction::Update, &new, Some(&before), &after)?;
            Ok(())
        })?;
        Ok(made)
    }
}

/// The plan line of a system's contract.
fn contract_line(
    sheet: &str,
    src: &SourceRow,
    reason: String,
    action: RowAction,
    id: Uuid,
    label: String,
) -> RowPlan {
    RowPlan {
        sheet: sheet.to_string(),
        row: src.row as u32 + 1,
        kind: RecordKind::Contract,
        action,
        record_id: Some(id),
        label,
        reason: Some(reason),
        changes: Changes::default(),
        issues: Vec::new(),
    }
}

/// The fields of a system's new contract: the row's contract columns, titled after the
/// system, with the row's supplier, covering the system.
fn new_contract(
    src: &SourceRow,
    system: Uuid,
    system_name: &str,
    supplier: Option<Uuid>,
) -> Map<String, Value> {
    let mut fields = src.contract.clone();
    fields.insert(
        "title".into(),
        Value::String(format!("{system_name} contract")),
    );
    if let Some(s) = supplier {
        fields.insert("supplier_id".into(), Value::String(s.to_string()));
    }
    fields.insert(
        "system_ids".into(),
        Value::Array(vec![Value::String(system.to_string())]),
    );
    fields
}

/// The supplier a row's supplier column resolved to, if it has one.
pub(super) fn row_supplier(src: &SourceRow) -> Option<Uuid> {
    src.fields
        .get("supplier_id")
        .and_then(Value::as_str)
        .and_then(|s| Uuid::parse_str(s).ok())
}
