//! The names a row gives for other records — its supplier (found by Companies House number or
//! name, else added), the systems and products it links to — resolved to ids in the row's
//! fields; a link that finds nothing is left out with a warning.

use super::file_loc;
use super::plan::{Run, Stop};
use super::{RowAction, RowPlan, links};
use crate::api::{Error, Issue};
use crate::domain::enums::{RecordKind, ReviewState};
use crate::domain::records::{RecordData, normalise_companies_house};
use crate::import::linked::PRODUCT_PATH;
use crate::import::rows::{Lookup, SourceRow};
use crate::sheet_layout::column_letter;
use serde_json::{Map, Value};
use uuid::Uuid;

impl Run<'_> {
    /// Resolves the names a row gives for its supplier, product and systems.
    pub(super) fn resolve(
        &mut self,
        sheet: &str,
        src: &mut SourceRow,
        issues: &mut Vec<Issue>,
    ) -> Result<(), Stop> {
        let mut lookups = std::mem::take(&mut src.lookups);
        // The supplier first (what the row adds gets it), a contract's product last (its
        // systems join those the row names).
        lookups.sort_by_key(|l| match l.kind {
            RecordKind::Supplier => 0,
            _ if l.path == PRODUCT_PATH => 2,
            _ => 1,
        });
        for l in lookups {
            if l.kind == RecordKind::Supplier {
                let name = l.names.first().cloned().unwrap_or_default();
                match self.supplier(sheet, src, &name, l.col)? {
                    Ok(id) => {
                        src.fields
                            .insert(l.path.clone(), Value::String(id.to_string()));
                    }
                    Err(i) => issues.push(i),
                }
                continue;
            }
            let mut ids = Vec::new();
            for name in &l.names {
                match self.named(sheet, src, &l, name)? {
                    Some(id) => ids.push(Value::String(id.to_string())),
                    None => {
                        let w = Issue {
                            message: format!(
                                "there is no {} named '{name}' in this return: the link is left out",
                                l.kind.id()
                            ),
                            location: Some(file_loc(
                                self.file,
                                Some(sheet),
                                Some(l.row),
                                Some(l.col),
                            )),
                        };
                        self.warnings.push(w.clone());
                        issues.push(w);
                    }
                }
            }
            self.set_links(sheet, src, &l, ids)?;
        }
        Ok(())
    }

    /// The record of the lookup's kind a name (or id) means, adding a system or product the
    /// return lacks.
    fn named(
        &mut self,
        sheet: &str,
        src: &SourceRow,
        l: &Lookup,
        name: &str,
    ) -> Result<Option<Uuid>, Stop> {
        if let Ok(id) = Uuid::parse_str(name) {
            self.flush()?;
            return Ok(self.existing(sheet, l.row, l.col, l.kind, id).ok());
        }
        if let Some(id) = self.ix.name(l.kind, name) {
            return Ok(Some(id));
        }
        let supplier = links::row_supplier(src);
        let product = src
            .fields
            .get("product_id")
            .and_then(Value::as_str)
            .and_then(|p| Uuid::parse_str(p).ok());
        self.add_named(sheet, (l.row, l.col), l.kind, name, supplier, product)
    }

    /// Puts the ids found into the row's field (a list, one id, or a contract's product).
    fn set_links(
        &mut self,
        sheet: &str,
        src: &mut SourceRow,
        l: &Lookup,
        mut ids: Vec<Value>,
    ) -> Result<(), Stop> {
        if l.path == PRODUCT_PATH {
            if let (Some(Value::String(p)), Some(name)) = (ids.pop(), l.names.first())
                && let Ok(product) = Uuid::parse_str(&p)
            {
                self.link_product(sheet, src, (l.row, l.col), product, name)?;
            }
        } else if l.path.ends_with("_ids") {
            if !ids.is_empty() {
                src.fields.insert(l.path.clone(), Value::Array(ids));
            }
        } else if let Some(id) = ids.pop() {
            src.fields.insert(l.path.clone(), id);
        }
        Ok(())
    }

    /// Finds the supplier a row names, creating it if the return has none of that name.
    fn supplier(
        &mut self,
        sheet: &str,
        src: &SourceRow,
        name: &str,
        col: usize,
    ) -> Result<Result<Uuid, Issue>, Stop> {
        if let Ok(id) = Uuid::parse_str(name) {
            self.flush()?;
            return Ok(self.existing(sheet, src.row, col, RecordKind::Supplier, id));
        }
        let ch = src
            .supplier
            .get("companies_house")
            .and_then(Value::as_str)
            .map(normalise_companies_house);
        if let Some(id) = ch
            .as_ref()
            .and_then(|c| self.ix.by_companies_house.get(c).copied())
        {
            return Ok(Ok(id));
        }
        if let Some(id) = self.ix.name(RecordKind::Supplier, name) {
            return Ok(Ok(id));
        }
        self.flush_for(RecordKind::Supplier)?;
        match self.new_supplier(sheet, src, name, col) {
            Ok((data, review)) => {
                let id = self.ids.next_id();
                let (id, label, changes) = self.insert(id, data, review)?;
                self.plan.push(RowPlan {
                    sheet: sheet.to_string(),
                    row: src.row as u32 + 1,
                    kind: RecordKind::Supplier,
                    action: RowAction::Create,
                    record_id: Some(id),
                    label,
                    reason: Some(format!(
                        "a new supplier named in column {}",
                        column_letter(col)
                    )),
                    changes,
                    issues: Vec::new(),
                });
                Ok(Ok(id))
            }
            Err(e) => Ok(Err(Issue {
                message: format!("the supplier '{name}' cannot be added: {}", e.message),
                location: Some(file_loc(self.file, Some(sheet), Some(src.row), Some(col))),
            })),
        }
    }

    /// The supplier a row adds, checked, with its review state. A detail of the supplier that
    /// does not pass (a Companies House number of the wrong shape) never stops the row: the
    /// supplier is added without its details, to review.
    fn new_supplier(
        &mut self,
        sheet: &str,
        src: &SourceRow,
        name: &str,
        col: usize,
    ) -> Result<(RecordData, ReviewState), Error> {
        let mut fields = Map::new();
        fields.insert("name".into(), Value::String(self.supplier_spelling(name)));
        let bare = fields.clone();
        for (k, v) in &src.supplier {
            fields.insert(k.clone(), v.clone());
        }
        let e = match self.checked(RecordKind::Supplier, None, &Value::Object(fields)) {
            Err(e) if !src.supplier.is_empty() => e,
            other => return other.map(|data| (data, ReviewState::New)),
        };
        let Ok(data) = self.checked(RecordKind::Supplier, None, &Value::Object(bare)) else {
            return Err(e);
        };
        self.warnings.push(Issue {
            message: format!(
                "the details of supplier '{name}' were left out: {}",
                e.issues
                    .first()
                    .map_or(e.message.as_str(), |i| i.message.as_str())
            ),
            location: Some(file_loc(self.file, Some(sheet), Some(src.row), Some(col))),
        });
        Ok((data, ReviewState::ToReview))
    }

    /// Whether `id` is a live record of `kind` (write what is held back first).
    pub(super) fn existing(
        &self,
        sheet: &str,
        row: usize,
        col: usize,
        kind: RecordKind,
        id: Uuid,
    ) -> Result<Uuid, Issue> {
        let ret = self.ret.id;
        match self.db.call(move |tx| tx.record(ret, id)) {
            Ok(Some(r)) if r.data.kind() == kind && r.deleted_at.is_none() => Ok(id),
            _ => Err(Issue {
                message: format!("there is no {} with id {id} in this return", kind.id()),
                location: Some(file_loc(self.file, Some(sheet), Some(row), Some(col))),
            }),
        }
    }
}
