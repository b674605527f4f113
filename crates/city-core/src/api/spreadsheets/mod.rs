//! Spreadsheets in and out: the survey template (xlsx built from the questionnaire, optionally
//! filled with the return's records), inspecting a borough's own workbook (sheets, header row,
//! suggested or remembered mapping), the import dry run (what each row would create, update or
//! skip, and why) and the all-or-nothing commit, and the xlsx error report. The import wizard
//! is file → `inspect_spreadsheet` → edit the `ImportRequest` (columns, then the answers of
//! columns with options: `answers.rs`) → `import_preview` → `import_commit`.
//!
//! One cell never blocks a file: an optional field whose cell fits no option or cannot be read
//! is left blank with a warning at its cell, and its record is marked *to review*. A commit
//! is all or nothing, unless the request asks for a partial import: then the rows without
//! errors are written and the others left out (each in the plan's errors and the report).
//!
//! Every record an import writes passes the same validation as `add` / `update` (`checked`),
//! inside one transaction; a dry run runs exactly the same steps and rolls back.
//!
//! One file per stage: `inspect.rs` (sheets, header rows, suggested and remembered mappings),
//! `answers.rs` (the *Answers* step), `request.rs` (a request checked and turned into how to
//! read each sheet), `commit.rs` (the dry run and the commit: read the rows, plan them in one
//! transaction, keep or roll back), `plan.rs` (one row's plan: which record it means, created
//! or updated), `resolve.rs` (the supplier, products and systems a row names), `check.rs`
//! (validation that leaves a bad optional cell blank), `links.rs` (one row, several records),
//! `index.rs` (the return's natural keys), `changes.rs` (a plan's field changes),
//! `report.rs` (the error report), `template.rs` (the survey template), `read_cache.rs` (the
//! last workbook parsed); the DTOs and the file helpers here.

mod answers;
mod changes;
mod check;
mod commit;
mod ids;
mod index;
mod inspect;
mod links;
mod plan;
mod read_cache;
mod report;
mod request;
mod resolve;
mod template;
mod writer;

pub use answers::{
    ANSWER_THRESHOLD, AnswerBasis, AnswerOption, Answers, FieldAnswers, ValueAnswer, parse_answers,
};
pub use changes::Changes;
pub use inspect::{
    default_import_request, import_fields, inspect_sheet, inspect_spreadsheet,
    inspect_spreadsheet_bytes,
};
pub use report::write_import_errors;
pub use request::{parse_import_request, parse_match_key};

use super::{Error, ErrorKind, Issue, Location};
use crate::domain::enums::RecordKind;
use crate::import::workbook::{self, Workbook};
use crate::sheet_layout::column_letter;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::rc::Rc;
use uuid::Uuid;

/// How a sheet is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SheetLayout {
    /// A record per row under a header row.
    Table,
    /// Question / answer rows making one record (the one-per-return questionnaires).
    Form,
}

/// Where a sheet's mapping came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MappingSource {
    /// The sheet is City Tools' own survey template.
    Template,
    /// A mapping saved by an earlier import of a sheet with the same headers.
    Remembered,
    /// Guessed from header text and content: check it.
    Suggested,
    /// Nothing recognised (a notes sheet, an empty sheet).
    None,
}

/// One column of an inspected sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ColumnInfo {
    /// The column letter, e.g. `C`.
    pub column: String,
    pub header: String,
    /// The field it is mapped to (a path from `import_fields`), or none to ignore it. For a
    /// form sheet: `key`, `question` or `answer`.
    pub field: Option<String>,
    /// Up to three values from the rows under the header, as text.
    pub samples: Vec<String>,
}

/// One sheet of an inspected workbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SheetInfo {
    pub name: String,
    pub hidden: bool,
    /// Rows with anything in them.
    pub rows: u32,
    /// The header row, counted from 1 as the spreadsheet shows it.
    pub header_row: Option<u32>,
    pub layout: SheetLayout,
    /// The record type the sheet seems to hold.
    pub kind: Option<RecordKind>,
    pub columns: Vec<ColumnInfo>,
    pub mapping_source: MappingSource,
    /// Identifies sheets with the same headers (mappings are remembered by it).
    pub signature: String,
    /// For each mapped column whose field has options: its values and suggested answers.
    pub answers: Vec<FieldAnswers>,
}

/// What `inspect_spreadsheet` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SpreadsheetInfo {
    pub file: String,
    /// `xlsx`, `xls`, `ods`, `csv` or `tsv`.
    pub format: String,
    pub sheets: Vec<SheetInfo>,
}

/// A field a column can be mapped to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportField {
    /// The path used in a mapping (`annual_value`, `gdpr.lawful_basis`, `caf.B1.a`, `id`).
    pub path: String,
    pub label: String,
    pub required: bool,
}

/// How rows find the record they update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MatchKey {
    /// The id column when a row has one, else the reference (contracts) or the name.
    #[default]
    Auto,
    /// Only the id column; rows without an id are added.
    Id,
    /// Contracts by reference (other types by name).
    Reference,
    /// By name (contracts by title).
    Name,
    /// Every row is added as a new record (one-per-return answers are still updated).
    None,
}

/// One column's mapping chosen by the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ColumnChoice {
    /// The column letter, e.g. `C`.
    pub column: String,
    /// A field path, or none to ignore the column. Form sheets: `key`, `question`, `answer`.
    pub field: Option<String>,
}

/// One sheet to import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SheetImport {
    pub sheet: String,
    pub kind: RecordKind,
    /// Counted from 1.
    pub header_row: u32,
    pub layout: SheetLayout,
    pub columns: Vec<ColumnChoice>,
}

/// What to import from a workbook and how.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportRequest {
    pub sheets: Vec<SheetImport>,
    #[serde(default)]
    pub match_key: MatchKey,
    /// Confirmed answers for columns with options (`<kind>.<field>` → value → option id or
    /// null for blank). A value not answered here takes what the store remembers, else the
    /// suggestion if it is sure enough, else it is left blank with a warning.
    #[serde(default)]
    pub answers: Answers,
    /// Import the rows without errors and leave the others out (default: all or nothing).
    #[serde(default)]
    pub partial: bool,
}

/// What will happen (or happened) to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RowAction {
    Create,
    Update,
    Unchanged,
    Skip,
    Error,
}

/// One field that changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldChange {
    pub field: String,
    /// The stored value as JSON text, if any.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The plan for one row (or one record the import creates, such as a supplier it names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RowPlan {
    pub sheet: String,
    /// Counted from 1.
    pub row: u32,
    pub kind: RecordKind,
    pub action: RowAction,
    pub record_id: Option<Uuid>,
    pub label: String,
    /// Why: what it matched, why it was skipped, or the first problem.
    pub reason: Option<String>,
    /// Each field the row changes (a created record's, worked out when first read).
    #[ts(as = "Vec<FieldChange>")]
    pub changes: Changes,
    /// Every problem and warning of this row, each at its cell.
    pub issues: Vec<Issue>,
}

/// Counts of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportCounts {
    pub create: u32,
    pub update: u32,
    pub unchanged: u32,
    pub skip: u32,
    pub error: u32,
}

/// The dry run (or the result of a commit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportPlan {
    pub file: String,
    pub cycle: String,
    pub rows: Vec<RowPlan>,
    pub counts: ImportCounts,
    /// Problems that stop the import, each at its sheet, row and column.
    pub errors: Vec<Issue>,
    /// Things the user should see that do not stop it ("TBC read as not known").
    pub warnings: Vec<Issue>,
    /// No errors: `import_commit` would write exactly this.
    pub can_commit: bool,
    /// Whether this plan has been written to the store.
    pub committed: bool,
    /// Rows of the sheets (not the suppliers they create) that would be added, updated or
    /// found unchanged: what a partial import writes.
    pub importable: u32,
    /// Rows left out because of their errors (a partial import).
    pub left_out: u32,
}

fn file_error(file: &Path, e: workbook::ReadError) -> Error {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string());
    Error::new(ErrorKind::Validation, format!("{name}: {e}")).at(Location::File {
        file: file.display().to_string(),
        sheet: match &e {
            workbook::ReadError::TooManyRows { sheet }
            | workbook::ReadError::TooManyColumns { sheet } => Some(sheet.clone()),
            _ => None,
        },
        row: None,
        column: None,
    })
}

/// Reads and parses a spreadsheet file, or takes the workbook parsed last if the file's bytes
/// are unchanged (an import's inspect, dry run and commit parse it once: `read_cache`).
fn read_file(path: &Path) -> Result<Rc<Workbook>, Error> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::new(
            if e.kind() == std::io::ErrorKind::NotFound {
                ErrorKind::NotFound
            } else {
                ErrorKind::Io
            },
            format!("could not read {}: {e}", path.display()),
        )
        .at(file_loc(path, None, None, None))
    })?;
    let name = path.to_string_lossy().into_owned();
    if let Some(wb) = read_cache::get(&name, &bytes) {
        return Ok(wb);
    }
    let wb = Rc::new(workbook::read(&bytes, &name).map_err(|e| file_error(path, e))?);
    read_cache::put(name, bytes, wb.clone());
    Ok(wb)
}

fn file_loc(file: &Path, sheet: Option<&str>, row: Option<usize>, col: Option<usize>) -> Location {
    Location::File {
        file: file.display().to_string(),
        sheet: sheet.map(str::to_string),
        row: row.map(|r| r as u32 + 1),
        column: col.map(column_letter),
    }
}
