//! Checking a row's record as `add` and `update` do (`edit::checked`), knowing the records the
//! import holds; an optional field that fails is left blank with a warning at its cell and the
//! record marked to review, rather than stopping the row; and a failed check's problems placed
//! at the cells they came from.

use super::file_loc;
use super::plan::{Ready, Run};
use crate::api::edit::{checked_knowing, merge_patch};
use crate::api::{Error, Issue, Location};
use crate::domain::enums::RecordKind;
use crate::domain::records::RecordData;
use crate::import::importable;
use serde_json::Value;
use std::borrow::Cow;
use uuid::Uuid;

impl Run<'_> {
    /// `checked`, knowing the records the index holds (every live record of the return: the
    /// import deletes none).
    pub(super) fn checked(
        &self,
        kind: RecordKind,
        id: Option<Uuid>,
        fields: &Value,
    ) -> Result<RecordData, Error> {
        let kinds = &self.ix.kinds;
        checked_knowing(self.db, self.ret, kind, id, fields, &|t| {
            kinds.get(&t).copied()
        })
    }

    /// `checked` of a row's fields (over the matched record's, if any). When every problem is
    /// an optional field the row filled, those fields are left out (each with a warning at
    /// its cell, and the record to review) and the record is checked once more.
    pub(super) fn checked_lenient(
        &mut self,
        r: &mut Ready<'_>,
        target: Option<(Uuid, &Value)>,
        mut patch: Value,
    ) -> Result<RecordData, Error> {
        let id = target.map(|t| t.0);
        let e = match self.checked(r.kind, id, &merged(target, &patch)) {
            Ok(data) => return Ok(data),
            Err(e) => e,
        };
        let mut dropped = Vec::new();
        let mut left_blank = Vec::new();
        for i in &e.issues {
            let field = match &i.location {
                Some(Location::Record { field: Some(f), .. }) => f.clone(),
                _ => return Err(e),
            };
            let optional = importable::find(r.kind, &field).is_some_and(|c| !c.required());
            if !optional || !remove_path(&mut patch, &field) && !dropped.contains(&field) {
                return Err(e);
            }
            let (row, c) = r
                .src
                .origin_of(&field)
                .map_or((r.src.row, None), |(row, c)| (row, Some(c)));
            let label = importable::find(r.kind, &field).map_or(field.clone(), |c| c.label);
            left_blank.push(Issue {
                message: format!("{label}: {}: left blank", i.message),
                location: Some(file_loc(self.file, Some(r.sheet), Some(row), c)),
            });
            dropped.push(field);
        }
        if dropped.is_empty() {
            return Err(e);
        }
        let data = self.checked(r.kind, id, &merged(target, &patch))?;
        r.review = true;
        self.warnings.extend(left_blank.iter().cloned());
        r.warnings.extend(left_blank);
        Ok(data)
    }

    /// A failed check's problems, each at the cell its field came from (else at the row).
    pub(super) fn located(&self, r: &Ready<'_>, e: Error) -> Vec<Issue> {
        let mut out: Vec<Issue> = e
            .issues
            .iter()
            .map(|i| {
                let field = match &i.location {
                    Some(Location::Record { field: Some(f), .. }) => f.as_str(),
                    _ => "",
                };
                let (row, c) = r
                    .src
                    .origin_of(field)
                    .map_or((r.src.row, None), |(row, c)| (row, Some(c)));
                Issue {
                    message: i.message.clone(),
                    location: Some(file_loc(self.file, Some(r.sheet), Some(row), c)),
                }
            })
            .collect();
        if out.is_empty() {
            out.push(Issue {
                message: e.message,
                location: Some(file_loc(self.file, Some(r.sheet), Some(r.src.row), None)),
            });
        }
        out
    }
}

/// The record a patch gives: over the matched record's fields, or (a new record) the patch
/// itself, not copied.
fn merged<'p>(target: Option<(Uuid, &Value)>, patch: &'p Value) -> Cow<'p, Value> {
    match target {
        Some((_, base)) => {
            let mut merged = base.clone();
            merge_patch(&mut merged, patch.clone());
            Cow::Owned(merged)
        }
        None => Cow::Borrowed(patch),
    }
}

/// Removes a field (`name` or `outer.inner`) from a patch; whether it was there.
fn remove_path(patch: &mut Value, path: &str) -> bool {
    let Some(map) = patch.as_object_mut() else {
        return false;
    };
    match path.split_once('.') {
        Some((outer, inner)) => map
            .get_mut(outer)
            .and_then(Value::as_object_mut)
            .is_some_and(|m| m.remove(inner).is_some()),
        None => map.remove(path).is_some(),
    }
}
