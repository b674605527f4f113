//! An import request checked against the workbook and turned into how to read each sheet
//! (refusing unknown sheets, columns and fields), and requests and match keys read from text.

use super::{ImportRequest, MatchKey, SheetImport, SheetLayout};
use crate::api::{Error, ErrorKind};
use crate::import::importable;
use crate::import::rows::{Layout, MappedSheet};
use crate::import::workbook::{self, Workbook};
use crate::sheet_layout::{column_index, columns};
use serde_json::Value;

fn usage(m: String) -> Error {
    Error::new(ErrorKind::Usage, m)
}

/// Turns a sheet choice into how to read it, refusing unknown sheets, columns and fields.
pub(super) fn mapped(wb: &Workbook, choice: &SheetImport) -> Result<(usize, MappedSheet), Error> {
    let index = wb
        .sheets
        .iter()
        .position(|s| s.name == choice.sheet)
        .ok_or_else(|| {
            let names: Vec<&str> = wb.sheets.iter().map(|s| s.name.as_str()).collect();
            usage(format!(
                "the workbook has no sheet '{}' (it has: {})",
                choice.sheet,
                names.join(", ")
            ))
        })?;
    if choice.header_row == 0 || choice.header_row > workbook::MAX_ROWS {
        return Err(usage(format!(
            "header row {} is not a row of sheet '{}'",
            choice.header_row, choice.sheet
        )));
    }
    let layout = match choice.layout {
        SheetLayout::Table => table_layout(choice)?,
        SheetLayout::Form => form_layout(choice)?,
    };
    Ok((
        index,
        MappedSheet {
            kind: choice.kind,
            header_row: choice.header_row as usize - 1,
            layout,
        },
    ))
}

/// The mapped columns of a choice: (column index, field) for each column given a field.
fn mapped_columns(choice: &SheetImport) -> impl Iterator<Item = Result<(usize, &str), Error>> {
    choice.columns.iter().filter_map(|c| {
        let field = c.field.as_deref().filter(|f| !f.is_empty())?;
        Some(
            column_index(&c.column)
                .map(|col| (col, field))
                .ok_or_else(|| usage(format!("'{}' is not a column letter", c.column))),
        )
    })
}

/// A table sheet: each mapped column's field, each field once.
fn table_layout(choice: &SheetImport) -> Result<Layout, Error> {
    let mut seen = std::collections::BTreeSet::new();
    let mut table = Vec::new();
    for mapped in mapped_columns(choice) {
        let (col, field) = mapped?;
        let column = importable::find(choice.kind, field).ok_or_else(|| {
            usage(format!(
                "'{field}' is not a field of a {} (see the fields of `import_fields`)",
                choice.kind.id()
            ))
        })?;
        if !seen.insert(field.to_string()) {
            return Err(usage(format!(
                "two columns of sheet '{}' are mapped to '{field}'",
                choice.sheet
            )));
        }
        table.push((col, column));
    }
    if table.is_empty() {
        return Err(usage(format!(
            "no column of sheet '{}' is mapped to a field",
            choice.sheet
        )));
    }
    Ok(Layout::Table(table))
}

/// A question / answer sheet: its key, question and answer columns.
fn form_layout(choice: &SheetImport) -> Result<Layout, Error> {
    let (mut key, mut question, mut answer) = (None, None, None);
    for mapped in mapped_columns(choice) {
        let (col, field) = mapped?;
        match field {
            "key" => key = Some(col),
            "question" => question = Some(col),
            "answer" => answer = Some(col),
            other => {
                return Err(usage(format!(
                    "on a form sheet a column is 'key', 'question' or 'answer', not '{other}'"
                )));
            }
        }
    }
    Ok(Layout::Form {
        key,
        question,
        answer: answer.ok_or_else(|| {
            usage(format!(
                "say which column of sheet '{}' holds the answers",
                choice.sheet
            ))
        })?,
        columns: columns::columns(choice.kind),
    })
}

/// Reads a column → field mapping from JSON (a whole `ImportRequest`, or one sheet's
/// `SheetImport`), for front ends that keep mappings in files.
pub fn parse_import_request(json: &str) -> Result<ImportRequest, Error> {
    let usage = |e: serde_json::Error| {
        Error::new(ErrorKind::Usage, format!("the mapping is not valid: {e}"))
    };
    match serde_json::from_str::<ImportRequest>(json) {
        Ok(r) => Ok(r),
        Err(e) => match serde_json::from_str::<SheetImport>(json) {
            Ok(s) => Ok(ImportRequest {
                sheets: vec![s],
                ..ImportRequest::default()
            }),
            Err(_) => Err(usage(e)),
        },
    }
}

/// Parses a match key (`auto`, `id`, `reference`, `name`, `none`).
pub fn parse_match_key(s: &str) -> Result<MatchKey, Error> {
    serde_json::from_value(Value::String(s.trim().to_ascii_lowercase())).map_err(|_| {
        Error::new(
            ErrorKind::Usage,
            format!("'{s}' is not a match key (use auto, id, reference, name or none)"),
        )
    })
}
