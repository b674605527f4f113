//! Inspecting a workbook: its sheets, header rows and record types, each column's suggested
//! field (or the mapping remembered from an earlier file with the same headers), sample
//! values, and the answers step's values for the columns with options; the starting request
//! the wizard lets the user correct.

use super::answers::{self, Answers};
use super::{
    ColumnChoice, ColumnInfo, ImportField, ImportRequest, MappingSource, MatchKey, SheetImport,
    SheetInfo, SheetLayout, SpreadsheetInfo, file_error, read_file,
};
use crate::api::{Error, ErrorKind, Store};
use crate::domain::enums::RecordKind;
use crate::import::importable;
use crate::import::mapping::{self, Suggestion};
use crate::import::values::fold;
use crate::import::workbook::{self, Workbook};
use crate::sheet_layout::{column_index, column_letter, columns};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The fields a column of a sheet of `kind` can be mapped to.
pub fn import_fields(kind: RecordKind) -> Vec<ImportField> {
    columns::columns(kind)
        .into_iter()
        .chain(importable::extra_columns(kind))
        .map(|c| ImportField {
            required: c.required(),
            path: c.path,
            label: c.label,
        })
        .collect()
}

/// Looks at a workbook without a store: its sheets, header rows and suggested mappings.
pub fn inspect_spreadsheet(path: &Path) -> Result<SpreadsheetInfo, Error> {
    let wb = read_file(path)?;
    Ok(describe(
        path,
        &wb,
        suggestions(&wb),
        &HashMap::new(),
        &HashMap::new(),
    ))
}

/// The same from bytes in memory (the fuzz target and tests use it).
pub fn inspect_spreadsheet_bytes(name: &str, bytes: &[u8]) -> Result<SpreadsheetInfo, Error> {
    let path = Path::new(name);
    let wb = workbook::read(bytes, name).map_err(|e| file_error(path, e))?;
    Ok(describe(
        path,
        &wb,
        suggestions(&wb),
        &HashMap::new(),
        &HashMap::new(),
    ))
}

/// The import of every sheet `inspect_spreadsheet` recognised, with its suggested or
/// remembered mapping: the starting point the wizard lets the user correct.
pub fn default_import_request(info: &SpreadsheetInfo) -> ImportRequest {
    ImportRequest {
        sheets: info
            .sheets
            .iter()
            .filter(|s| !s.hidden && s.mapping_source != MappingSource::None)
            .filter_map(|s| {
                Some(SheetImport {
                    sheet: s.name.clone(),
                    kind: s.kind?,
                    header_row: s.header_row?,
                    layout: s.layout,
                    columns: s
                        .columns
                        .iter()
                        .map(|c| ColumnChoice {
                            column: c.column.clone(),
                            field: c.field.clone(),
                        })
                        .collect(),
                })
            })
            .collect(),
        match_key: MatchKey::Auto,
        answers: Answers::new(),
        partial: false,
    }
}

/// A mapping remembered for a header signature.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Remembered {
    pub(super) kind: RecordKind,
    pub(super) layout: SheetLayout,
    pub(super) columns: Vec<ColumnChoice>,
}

pub(super) const MAPPING_KEY: &str = "import.mapping.";

/// The texts a sheet's shape is recognised by: its headers, and for a question / answer sheet
/// its questions too (every such sheet has the same headers).
pub(super) fn header_texts(sheet: &workbook::Sheet, header_row: usize) -> Vec<String> {
    let mut out: Vec<String> = (0..sheet.width())
        .map(|c| sheet.cell(header_row, c).display())
        .collect();
    let is_form = out
        .iter()
        .any(|h| fold(h) == fold(crate::sheet_layout::FORM_QUESTION_HEADER))
        && out
            .iter()
            .any(|h| fold(h) == fold(crate::sheet_layout::FORM_ANSWER_HEADER));
    if is_form {
        for r in header_row + 1..sheet.rows.len() {
            for c in 0..sheet.width().min(2) {
                out.push(sheet.cell(r, c).display());
            }
        }
    }
    out
}

/// The suggested shape and mapping of each sheet of a workbook.
fn suggestions(wb: &Workbook) -> Vec<Suggestion> {
    wb.sheets
        .iter()
        .map(|sheet| mapping::suggest(sheet, None, None))
        .collect()
}

fn describe(
    path: &Path,
    wb: &Workbook,
    suggested: Vec<Suggestion>,
    remembered: &HashMap<String, Remembered>,
    answers: &answers::Remembered,
) -> SpreadsheetInfo {
    let sheets = wb
        .sheets
        .iter()
        .zip(suggested)
        .map(|(sheet, mut s)| {
            if crate::export::template::OWN_SHEETS.contains(&sheet.name.as_str()) {
                // The template's instructions, dictionary and lists are not records.
                s.kind = None;
                s.columns.iter_mut().for_each(|c| c.2 = None);
            }
            let signature = s
                .header_row
                .map(|r| mapping::signature(&header_texts(sheet, r)))
                .unwrap_or_default();
            sheet_info(sheet, s, remembered.get(&signature), answers)
        })
        .collect();
    SpreadsheetInfo {
        file: path.display().to_string(),
        format: wb.format.to_string(),
        sheets,
    }
}

fn sheet_info(
    sheet: &workbook::Sheet,
    s: Suggestion,
    remembered: Option<&Remembered>,
    remembered_answers: &answers::Remembered,
) -> SheetInfo {
    let rows = sheet
        .rows
        .iter()
        .filter(|r| r.iter().any(|c| !c.is_blank()))
        .count() as u32;
    let signature = s
        .header_row
        .map(|r| mapping::signature(&header_texts(sheet, r)))
        .unwrap_or_default();
    let mut columns = column_infos(sheet, &s);
    let mut kind = s.kind;
    let mut layout = if s.form {
        SheetLayout::Form
    } else {
        SheetLayout::Table
    };
    let recognised = s.kind.is_some() && s.columns.iter().any(|c| c.2.is_some());
    let mut source = if s.from_template {
        MappingSource::Template
    } else if recognised {
        MappingSource::Suggested
    } else {
        MappingSource::None
    };
    if let Some(m) = remembered.filter(|_| source != MappingSource::Template) {
        kind = Some(m.kind);
        layout = m.layout;
        source = MappingSource::Remembered;
        for col in &mut columns {
            col.field = m
                .columns
                .iter()
                .find(|x| x.column == col.column)
                .and_then(|x| x.field.clone());
        }
    }
    let answers = match (kind, s.header_row, layout, source) {
        (_, _, _, MappingSource::None) => Vec::new(),
        (Some(kind), Some(header_row), SheetLayout::Table, _) => {
            column_answers(sheet, kind, header_row, &columns, remembered_answers)
        }
        _ => Vec::new(),
    };
    SheetInfo {
        name: sheet.name.clone(),
        hidden: sheet.hidden,
        rows,
        header_row: s.header_row.map(|r| r as u32 + 1),
        layout,
        kind,
        columns,
        mapping_source: source,
        signature,
        answers,
    }
}

/// Each column of a suggestion, with up to three values from the rows under the header.
fn column_infos(sheet: &workbook::Sheet, s: &Suggestion) -> Vec<ColumnInfo> {
    let start = s.header_row.map_or(0, |r| r + 1);
    let samples = |c: usize| -> Vec<String> {
        (start..sheet.rows.len())
            .map(|r| sheet.cell(r, c))
            .filter(|v| !v.is_blank())
            .take(3)
            .map(workbook::Cell::display)
            .collect()
    };
    s.columns
        .iter()
        .map(|(c, h, p)| ColumnInfo {
            column: column_letter(*c),
            header: h.clone(),
            field: p.clone(),
            samples: samples(*c),
        })
        .collect()
}

/// The answers step's values for the mapped columns of a table sheet.
fn column_answers(
    sheet: &workbook::Sheet,
    kind: RecordKind,
    header_row: usize,
    columns: &[ColumnInfo],
    remembered_answers: &answers::Remembered,
) -> Vec<answers::FieldAnswers> {
    let table: Vec<(usize, columns::Column)> = columns
        .iter()
        .filter_map(|c| {
            let col = column_index(&c.column)?;
            let column = importable::find(kind, c.field.as_deref()?)?;
            Some((col, column))
        })
        .collect();
    answers::sheet_answers(
        sheet,
        kind,
        header_row,
        &table,
        &Answers::new(),
        remembered_answers,
    )
}

/// Suggests again for one sheet when the user says what it holds or where its header is.
pub fn inspect_sheet(
    path: &Path,
    sheet: &str,
    kind: Option<RecordKind>,
    header_row: Option<u32>,
) -> Result<SheetInfo, Error> {
    let wb = read_file(path)?;
    let found = wb.sheets.iter().find(|s| s.name == sheet).ok_or_else(|| {
        let names: Vec<&str> = wb.sheets.iter().map(|s| s.name.as_str()).collect();
        Error::new(
            ErrorKind::Usage,
            format!(
                "the workbook has no sheet '{sheet}' (it has: {})",
                names.join(", ")
            ),
        )
    })?;
    let row = match header_row {
        Some(0) => {
            return Err(Error::new(ErrorKind::Usage, "rows are counted from 1"));
        }
        Some(r) => Some(r as usize - 1),
        None => None,
    };
    Ok(sheet_info(
        found,
        mapping::suggest(found, kind, row),
        None,
        &HashMap::new(),
    ))
}

impl Store {
    /// `inspect_spreadsheet`, using the mappings this store remembers from earlier imports.
    pub fn inspect_spreadsheet(&mut self, path: &Path) -> Result<SpreadsheetInfo, Error> {
        let wb = read_file(path)?;
        let suggested = suggestions(&wb);
        let remembered = self.db.read(|tx| -> Result<_, Error> {
            let mut out = HashMap::new();
            for (sheet, s) in wb.sheets.iter().zip(&suggested) {
                if let Some(r) = s.header_row {
                    let sig = mapping::signature(&header_texts(sheet, r));
                    if let Some(json) = tx.meta(&format!("{MAPPING_KEY}{sig}"))?
                        && let Ok(m) = serde_json::from_str::<Remembered>(&json)
                    {
                        out.insert(sig, m);
                    }
                }
            }
            Ok((out, answers::remembered(tx)?))
        })?;
        Ok(describe(path, &wb, suggested, &remembered.0, &remembered.1))
    }
}
