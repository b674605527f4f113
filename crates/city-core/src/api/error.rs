//! Errors as data: `{kind, message, location, issues}`, where location is a table / record /
//! field or a file / sheet / row / column, so a front end can point at the exact place.

use crate::domain::enums::RecordKind;
use crate::domain::records::FieldIssue;
use crate::store::StoreError;
use serde::Serialize;

/// What sort of failure it was; front ends branch on this, never on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorKind {
    /// The input breaks a rule of the questionnaire; `issues` lists every problem.
    Validation,
    /// The store, return or record does not exist.
    NotFound,
    /// The change clashes with what is stored (duplicate, already exists, busy).
    Conflict,
    /// The file is not a City Tools store.
    NotAStore,
    /// The store was written by a newer version of the app.
    IncompatibleStore,
    /// Reading or writing a file failed (including a full disk).
    Io,
    /// The store could not be read or written.
    Storage,
    /// The request itself is malformed (bad id, unknown kind).
    Usage,
}

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum Location {
    /// A field of a stored record (`table` is the record kind).
    Record {
        table: String,
        record: Option<String>,
        field: Option<String>,
    },
    /// A place in a file.
    File {
        file: String,
        sheet: Option<String>,
        row: Option<u32>,
        column: Option<String>,
    },
}

impl Location {
    pub(crate) fn record(
        kind: RecordKind,
        record: Option<uuid::Uuid>,
        field: Option<&str>,
    ) -> Location {
        Location::Record {
            table: kind.id().to_string(),
            record: record.map(|u| u.to_string()),
            field: field.filter(|f| !f.is_empty()).map(str::to_string),
        }
    }
}

/// A finer reason for an error, where a front end may act on it (most errors have none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Cause {
    /// The field at the error's location takes text and was given another type of value (a
    /// number, say): the same value given as text would be read.
    ExpectedText,
}

/// One problem among several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Issue {
    pub message: String,
    pub location: Option<Location>,
}

/// A failure of an API call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct Error {
    pub kind: ErrorKind,
    /// One line of plain English, naming the field where there is one.
    pub message: String,
    pub location: Option<Location>,
    pub issues: Vec<Issue>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
}

impl Error {
    /// An error of `kind` with a one-line message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            location: None,
            issues: Vec::new(),
            cause: None,
        }
    }

    /// The same error, pointing at `location`.
    pub fn at(mut self, location: Location) -> Error {
        self.location = Some(location);
        self
    }

    /// A validation failure listing every field issue of one record.
    pub(crate) fn invalid(
        kind: RecordKind,
        record: Option<uuid::Uuid>,
        issues: Vec<FieldIssue>,
    ) -> Error {
        let describe = |i: &FieldIssue| {
            if i.field.is_empty() {
                format!("{}: {}", kind.id(), i.message)
            } else {
                format!("{} field '{}': {}", kind.id(), i.field, i.message)
            }
        };
        let first = issues
            .first()
            .map(describe)
            .unwrap_or_else(|| "invalid record".into());
        let message = match issues.len() {
            0 | 1 => first,
            n => format!(
                "{first} (and {} more problem{})",
                n - 1,
                if n == 2 { "" } else { "s" }
            ),
        };
        let location = issues
            .first()
            .map(|i| Location::record(kind, record, Some(&i.field)));
        Error {
            kind: ErrorKind::Validation,
            message,
            cause: issues
                .first()
                .filter(|i| i.expected_text)
                .map(|_| Cause::ExpectedText),
            location,
            issues: issues
                .iter()
                // The location names the field, so the message is the plain sentence a form
                // shows next to it.
                .map(|i| Issue {
                    message: i.message.clone(),
                    location: Some(Location::record(kind, record, Some(&i.field))),
                })
                .collect(),
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        let kind = match &e {
            StoreError::Missing(_) => ErrorKind::NotFound,
            StoreError::Exists(_) | StoreError::Busy => ErrorKind::Conflict,
            StoreError::NotAStore(_) => ErrorKind::NotAStore,
            StoreError::TooNew { .. } => ErrorKind::IncompatibleStore,
            StoreError::DiskFull | StoreError::Io(_) => ErrorKind::Io,
            StoreError::Corrupt { .. } | StoreError::Migration(_) | StoreError::Sqlite { .. } => {
                ErrorKind::Storage
            }
        };
        let location = match &e {
            StoreError::Missing(p)
            | StoreError::Exists(p)
            | StoreError::NotAStore(p)
            | StoreError::TooNew { path: p, .. } => Some(Location::File {
                file: p.display().to_string(),
                sheet: None,
                row: None,
                column: None,
            }),
            StoreError::Corrupt { table, record, .. } => Some(Location::Record {
                table: table.clone(),
                record: Some(record.clone()),
                field: None,
            }),
            _ => None,
        };
        Error {
            kind,
            message: e.to_string(),
            location,
            issues: Vec::new(),
            cause: None,
        }
    }
}
