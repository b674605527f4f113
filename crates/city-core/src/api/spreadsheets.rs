//! Spreadsheets in and out: the survey template (xlsx built from the questionnaire, optionally
//! filled with the return's records), inspecting a borough's own workbook (sheets, header row,
//! suggested or remembered mapping), the import dry run (what each row would create, update or
//! skip, and why) and the all-or-nothing commit, and the xlsx error report. The import wizard
//! is file → `inspect_spreadsheet` → edit the `ImportRequest` (columns, then the answers of
//! columns with options: `spreadsheet_answers`) → `import_preview` → `import_commit`.
//!
//! One cell never blocks a file: an optional field whose cell fits no option or cannot be read
//! is left blank with a warning at its cell, and its record is marked *to review*. A commit
//! is all or nothing, unless the request asks for a partial import: then the rows without
//! errors are written and the others left out (each in the plan's errors and the report).
//!
//! Every record an import writes passes the same validation as `add` / `update` (`checked`),
//! inside one transaction; a dry run runs exactly the same steps and rolls back.

use super::edit::{checked_knowing, merge_patch};
use super::spreadsheet_answers::{self as answers, Answers, FieldAnswers};
use super::{Context, Error, ErrorKind, Issue, Location, Progress, Store, find_return};
use crate::domain::enums::{RecordKind, ReviewState};
use crate::domain::records::{RecordData, normalise_companies_house};
use crate::import::importable;
use crate::import::mapping::{self, Suggestion};
use crate::import::rows::{self, CellNote, Layout, MappedSheet, SourceRow};
use crate::import::values::fold;
use crate::import::workbook::{self, Workbook};
use crate::sheet_layout::{column_index, column_letter, columns};
use crate::store::{AuditAction, NewAudit, RecordRow, ReturnRow, StoreError, Tx};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;
use uuid::Uuid;

mod links;
mod read_cache;

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
    pub changes: Vec<FieldChange>,
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
struct Remembered {
    kind: RecordKind,
    layout: SheetLayout,
    columns: Vec<ColumnChoice>,
}

const MAPPING_KEY: &str = "import.mapping.";

/// The texts a sheet's shape is recognised by: its headers, and for a question / answer sheet
/// its questions too (every such sheet has the same headers).
fn header_texts(sheet: &workbook::Sheet, header_row: usize) -> Vec<String> {
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
    let samples = |c: usize| -> Vec<String> {
        let start = s.header_row.map_or(0, |r| r + 1);
        (start..sheet.rows.len())
            .map(|r| sheet.cell(r, c))
            .filter(|v| !v.is_blank())
            .take(3)
            .map(workbook::Cell::display)
            .collect()
    };
    let mut columns: Vec<ColumnInfo> = s
        .columns
        .iter()
        .map(|(c, h, p)| ColumnInfo {
            column: column_letter(*c),
            header: h.clone(),
            field: p.clone(),
            samples: samples(*c),
        })
        .collect();
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

/// Turns a sheet choice into how to read it, refusing unknown sheets, columns and fields.
fn mapped(wb: &Workbook, choice: &SheetImport) -> Result<(usize, MappedSheet), Error> {
    let usage = |m: String| Error::new(ErrorKind::Usage, m);
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
    let header_row = choice.header_row as usize - 1;
    let mut seen = std::collections::BTreeSet::new();
    let mut table = Vec::new();
    let (mut key, mut question, mut answer) = (None, None, None);
    for c in &choice.columns {
        let Some(field) = c.field.as_deref().filter(|f| !f.is_empty()) else {
            continue;
        };
        let col = column_index(&c.column)
            .ok_or_else(|| usage(format!("'{}' is not a column letter", c.column)))?;
        match choice.layout {
            SheetLayout::Form => match field {
                "key" => key = Some(col),
                "question" => question = Some(col),
                "answer" => answer = Some(col),
                other => {
                    return Err(usage(format!(
                        "on a form sheet a column is 'key', 'question' or 'answer', not '{other}'"
                    )));
                }
            },
            SheetLayout::Table => {
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
        }
    }
    let layout = match choice.layout {
        SheetLayout::Table => {
            if table.is_empty() {
                return Err(usage(format!(
                    "no column of sheet '{}' is mapped to a field",
                    choice.sheet
                )));
            }
            Layout::Table(table)
        }
        SheetLayout::Form => Layout::Form {
            key,
            question,
            answer: answer.ok_or_else(|| {
                usage(format!(
                    "say which column of sheet '{}' holds the answers",
                    choice.sheet
                ))
            })?,
            columns: columns::columns(choice.kind),
        },
    };
    Ok((
        index,
        MappedSheet {
            kind: choice.kind,
            header_row,
            layout,
        },
    ))
}

/// Why a transaction stopped: an error, or a dry run that must not be kept.
enum Stop {
    Failed(Error),
    DryRun(ImportPlan),
}

impl From<StoreError> for Stop {
    fn from(e: StoreError) -> Stop {
        Stop::Failed(e.into())
    }
}

impl From<Error> for Stop {
    fn from(e: Error) -> Stop {
        Stop::Failed(e)
    }
}

/// Lower case, single spaces, `limited` → `ltd`, no full stops or commas: how supplier and
/// system names are matched.
fn name_key(s: &str) -> String {
    let f = fold(s);
    // `fold` leaves single spaces: without stops, commas or "limited" it is the key already.
    if !f.contains(['.', ',']) && !f.split(' ').any(|w| w == "limited") {
        return f;
    }
    let f = f.replace(['.', ','], " ");
    f.split_whitespace()
        .map(|w| match w {
            "limited" => "ltd",
            "public limited company" => "plc",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Natural keys of the records in the return, kept current as the import writes.
struct Index {
    /// Every live record of the return, with its kind.
    kinds: HashMap<Uuid, RecordKind>,
    by_name: HashMap<(RecordKind, String), Uuid>,
    by_reference: HashMap<String, Uuid>,
    by_companies_house: HashMap<String, Uuid>,
    singleton: HashMap<RecordKind, Uuid>,
    skill_area: HashMap<String, Uuid>,
    /// Systems' contracts and products (`links`).
    linked: links::Linked,
}

impl Index {
    fn load(tx: &Tx<'_>, ret: &ReturnRow) -> Result<Index, StoreError> {
        let mut ix = Index {
            kinds: HashMap::new(),
            by_name: HashMap::new(),
            by_reference: HashMap::new(),
            by_companies_house: HashMap::new(),
            singleton: HashMap::new(),
            skill_area: HashMap::new(),
            linked: links::Linked::default(),
        };
        for r in tx.records(ret.id, None, false)? {
            ix.add(r.id, &r.data);
        }
        Ok(ix)
    }

    fn add(&mut self, id: Uuid, data: &RecordData) {
        let kind = data.kind();
        self.kinds.insert(id, kind);
        self.linked.add(id, data);
        match data {
            RecordData::Supplier(s) => {
                for n in std::iter::once(&s.name).chain(s.aliases.iter()) {
                    self.by_name.entry((kind, name_key(n))).or_insert(id);
                }
                if let Some(ch) = &s.companies_house {
                    self.by_companies_house.entry(ch.clone()).or_insert(id);
                }
            }
            RecordData::Contract(c) => {
                self.by_name.entry((kind, name_key(&c.title))).or_insert(id);
                if let Some(r) = &c.reference {
                    self.by_reference.entry(fold(r)).or_insert(id);
                }
            }
            RecordData::Skill(s) => {
                if let Some(a) = s.area {
                    self.skill_area.insert(a.id().to_string(), id);
                }
            }
            RecordData::Gdpr(_) | RecordData::Cyber(_) => {
                self.singleton.insert(kind, id);
            }
            other => {
                self.by_name
                    .entry((kind, name_key(&other.label())))
                    .or_insert(id);
            }
        }
    }

    fn name(&self, kind: RecordKind, name: &str) -> Option<Uuid> {
        self.by_name.get(&(kind, name_key(name))).copied()
    }
}

/// The natural key of a row, for matching and for spotting duplicate rows.
fn natural_key(kind: RecordKind, fields: &Map<String, Value>, key: MatchKey) -> Option<String> {
    let s = |name: &str| fields.get(name).and_then(Value::as_str).map(str::to_string);
    match (kind, key) {
        (_, MatchKey::Id | MatchKey::None) => None,
        (RecordKind::Contract, MatchKey::Name) => {
            s("title").map(|t| format!("title:{}", name_key(&t)))
        }
        (RecordKind::Contract, _) => s("reference")
            .map(|r| format!("ref:{}", fold(&r)))
            .or_else(|| s("title").map(|t| format!("title:{}", name_key(&t)))),
        (RecordKind::Skill, _) => s("area").map(|a| format!("area:{a}")),
        (RecordKind::Gdpr | RecordKind::Cyber, _) => Some("one".into()),
        (_, _) => s("name").map(|n| format!("name:{}", name_key(&n))),
    }
}

fn find_by_key(
    ix: &Index,
    kind: RecordKind,
    fields: &Map<String, Value>,
    key: MatchKey,
) -> Option<Uuid> {
    if kind.is_singleton() {
        return ix.singleton.get(&kind).copied();
    }
    let nk = natural_key(kind, fields, key)?;
    let (tag, value) = nk.split_once(':')?;
    match tag {
        "ref" => ix.by_reference.get(value).copied(),
        "area" => ix.skill_area.get(value).copied(),
        _ => ix.by_name.get(&(kind, value.to_string())).copied(),
    }
}

fn json_text(v: Option<&Value>) -> Option<String> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    }
}

fn changes(before: &Value, after: &Value) -> Vec<FieldChange> {
    let empty = Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .filter(|k| {
            // Empty lists and maps are the same as absent.
            let blank = |v: Option<&Value>| match v {
                None | Some(Value::Null) => true,
                Some(Value::Array(x)) => x.is_empty(),
                Some(Value::Object(x)) => x.is_empty(),
                _ => false,
            };
            !(blank(b.get(*k)) && blank(a.get(*k)))
        })
        .map(|k| FieldChange {
            field: k.clone(),
            before: json_text(b.get(k)),
            after: json_text(a.get(k)),
        })
        .collect()
}

/// `changes` from nothing to `after`: each field that is not blank, in name order.
fn created_changes(after: &Value) -> Vec<FieldChange> {
    let Some(a) = after.as_object() else {
        return Vec::new();
    };
    let mut out: Vec<FieldChange> = a
        .iter()
        .filter(|(_, v)| match v {
            Value::Null => false,
            Value::Array(x) => !x.is_empty(),
            Value::Object(x) => !x.is_empty(),
            _ => true,
        })
        .map(|(k, v)| FieldChange {
            field: k.clone(),
            before: None,
            after: json_text(Some(v)),
        })
        .collect();
    // In name order, as `changes` gives them (whatever order the map keeps).
    out.sort_by(|x, y| x.field.cmp(&y.field));
    out
}

/// [`created_changes`] read from the record's JSON text (as the store keeps it) without
/// building a `Value` of the whole record: each top-level field's text is taken as written,
/// a string unescaped; an object, or a list holding one, goes through a `Value` so that its
/// keys are in name order as `created_changes` writes them.
fn created_changes_of_text(json: &str) -> Vec<FieldChange> {
    let Ok(fields) = serde_json::from_str::<
        std::collections::BTreeMap<String, &serde_json::value::RawValue>,
    >(json) else {
        return serde_json::from_str(json)
            .map(|v| created_changes(&v))
            .unwrap_or_default();
    };
    let mut out = Vec::with_capacity(fields.len());
    for (field, raw) in fields {
        let text = raw.get();
        let after = match text.as_bytes().first() {
            Some(b'n') => None,
            Some(b'"') => serde_json::from_str::<String>(text).ok(),
            Some(b'[') if !text.contains('{') => (text != "[]").then(|| text.to_string()),
            Some(b'{' | b'[') => match serde_json::from_str::<Value>(text) {
                Ok(Value::Array(x)) if x.is_empty() => None,
                Ok(Value::Object(x)) if x.is_empty() => None,
                Ok(v) => Some(v.to_string()),
                Err(_) => Some(text.to_string()),
            },
            _ => Some(text.to_string()),
        };
        if let Some(after) = after {
            out.push(FieldChange {
                field,
                before: None,
                after: Some(after),
            });
        }
    }
    out
}

/// A row already handled in an import: its sheet, row (from 1) and fields as JSON text.
/// The text stands for the fields: a map keeps its keys in order (serde_json's `Map` is a
/// `BTreeMap`), so two rows have the same text exactly when they have the same fields — and
/// one string per row is far cheaper to keep and free than a copy of the map.
type SeenRow = (Rc<str>, u32, Rc<str>);

/// Everything one import run needs while it walks the rows.
struct Run<'a, 't> {
    tx: &'a Tx<'t>,
    ret: &'a ReturnRow,
    ctx: &'a Context,
    file: &'a Path,
    ix: Index,
    plan: Vec<RowPlan>,
    warnings: Vec<Issue>,
    errors: Vec<Issue>,
    /// Natural key → (sheet, row, fields) of rows already handled in this import.
    seen: HashMap<(RecordKind, String), SeenRow>,
    /// New records (with their data and audit snapshot as JSON text) not yet written: they go
    /// in [`PENDING_MAX`] at a time, and before anything reads what they would change.
    pending: Vec<(RecordRow, String, String)>,
    /// The best-cased spelling of suppliers named in several casings (`links`).
    spellings: HashMap<String, String>,
}

/// New records held before they are written together.
const PENDING_MAX: usize = 100;

impl Run<'_, '_> {
    fn issue(&self, sheet: &str, note: &CellNote) -> Issue {
        Issue {
            message: note.message.clone(),
            location: Some(file_loc(self.file, Some(sheet), Some(note.row), note.col)),
        }
    }

    fn push_error(
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
            changes: Vec::new(),
            issues,
        });
    }

    /// `checked`, knowing the records the index holds (every live record of the return: the
    /// import deletes none).
    fn checked(
        &self,
        kind: RecordKind,
        id: Option<Uuid>,
        fields: Value,
    ) -> Result<RecordData, Error> {
        let kinds = &self.ix.kinds;
        checked_knowing(self.tx, self.ret, kind, id, fields, &|t| {
            kinds.get(&t).copied()
        })
    }

    /// Writes the new records held back, with their audit entries.
    fn flush(&mut self) -> Result<(), StoreError> {
        if !self.pending.is_empty() {
            self.tx
                .insert_records_added(&self.pending, self.ctx.now, &self.ctx.actor)?;
            self.pending.clear();
        }
        Ok(())
    }

    /// Before checking a record of `kind`: writes the held records it could see. A record
    /// links only to records of other kinds, and only a skill's check reads records of its own
    /// kind.
    fn flush_for(&mut self, kind: RecordKind) -> Result<(), StoreError> {
        if kind == RecordKind::Skill || self.pending.iter().any(|p| p.0.data.kind() != kind) {
            self.flush()?;
        }
        Ok(())
    }

    /// Adds a new record (with `id` if the sheet gave one) and logs it; the writing may be
    /// held back (see `pending`). Returns its id, label and fields as plan changes.
    fn insert(
        &mut self,
        id: Uuid,
        data: RecordData,
        review_state: ReviewState,
    ) -> Result<(Uuid, String, Vec<FieldChange>), StoreError> {
        let row = RecordRow {
            return_id: self.ret.id,
            id,
            data,
            review_state,
            created_at: self.ctx.now,
            updated_at: self.ctx.now,
            deleted_at: None,
        };
        // The data's JSON text is written once, for the record and its audit entry.
        let json = row.data.to_json_text();
        let after = row.snapshot_json(&json);
        self.ix.add(row.id, &row.data);
        let made = (row.id, row.data.label(), created_changes_of_text(&json));
        self.pending.push((row, json, after));
        if self.pending.len() >= PENDING_MAX {
            self.flush()?;
        }
        Ok(made)
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
        let mut fields = Map::new();
        fields.insert("name".into(), Value::String(self.supplier_spelling(name)));
        let bare = fields.clone();
        for (k, v) in &src.supplier {
            fields.insert(k.clone(), v.clone());
        }
        self.flush_for(RecordKind::Supplier)?;
        // A detail of the supplier that does not pass (a Companies House number of the wrong
        // shape) never stops the row: the supplier is added without its details, to review.
        let mut review = ReviewState::New;
        let checked = match self.checked(RecordKind::Supplier, None, Value::Object(fields)) {
            Err(e) if !src.supplier.is_empty() => {
                match self.checked(RecordKind::Supplier, None, Value::Object(bare)) {
                    Ok(data) => {
                        let w = Issue {
                            message: format!(
                                "the details of supplier '{name}' were left out: {}",
                                e.issues
                                    .first()
                                    .map_or(e.message.as_str(), |i| i.message.as_str())
                            ),
                            location: Some(file_loc(
                                self.file,
                                Some(sheet),
                                Some(src.row),
                                Some(col),
                            )),
                        };
                        self.warnings.push(w);
                        review = ReviewState::ToReview;
                        Ok(data)
                    }
                    Err(_) => Err(e),
                }
            }
            other => other,
        };
        match checked {
            Ok(data) => {
                let (id, label, changes) = self.insert(Uuid::new_v4(), data, review)?;
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

    /// Whether `id` is a live record of `kind` (write what is held back first).
    fn existing(
        &self,
        sheet: &str,
        row: usize,
        col: usize,
        kind: RecordKind,
        id: Uuid,
    ) -> Result<Uuid, Issue> {
        match self.tx.record(self.ret.id, id) {
            Ok(Some(r)) if r.data.kind() == kind && r.deleted_at.is_none() => Ok(id),
            _ => Err(Issue {
                message: format!("there is no {} with id {id} in this return", kind.id()),
                location: Some(file_loc(self.file, Some(sheet), Some(row), Some(col))),
            }),
        }
    }

    /// Resolves the names a row gives for its supplier, product and systems.
    fn resolve(
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
            _ if l.path == crate::import::linked::PRODUCT_PATH => 2,
            _ => 1,
        });
        for l in lookups {
            match l.kind {
                RecordKind::Supplier => {
                    let name = l.names.first().cloned().unwrap_or_default();
                    match self.supplier(sheet, src, &name, l.col)? {
                        Ok(id) => {
                            src.fields
                                .insert(l.path.clone(), Value::String(id.to_string()));
                        }
                        Err(i) => issues.push(i),
                    }
                }
                kind => {
                    let mut ids = Vec::new();
                    for name in &l.names {
                        let found = match Uuid::parse_str(name) {
                            Ok(id) => {
                                self.flush()?;
                                self.existing(sheet, l.row, l.col, kind, id).ok()
                            }
                            Err(_) => self.ix.name(kind, name),
                        };
                        let found = match found {
                            Some(id) => Some(id),
                            None if Uuid::parse_str(name).is_err() => {
                                let supplier = links::row_supplier(src);
                                let product = src
                                    .fields
                                    .get("product_id")
                                    .and_then(Value::as_str)
                                    .and_then(|p| Uuid::parse_str(p).ok());
                                self.add_named(
                                    sheet,
                                    (l.row, l.col),
                                    kind,
                                    name,
                                    supplier,
                                    product,
                                )?
                            }
                            None => None,
                        };
                        match found {
                            Some(id) => ids.push(Value::String(id.to_string())),
                            None => {
                                let w = Issue {
                                    message: format!(
                                        "there is no {} named '{name}' in this return: the link is left out",
                                        kind.id()
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
                    if l.path == crate::import::linked::PRODUCT_PATH {
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
                }
            }
        }
        Ok(())
    }

    /// `checked` of a row's fields (over the matched record's, if any). When every problem is
    /// an optional field the row filled, those fields are left out (each with a warning at
    /// its cell, and the record to review) and the record is checked once more.
    #[allow(clippy::too_many_arguments)]
    fn checked_lenient(
        &mut self,
        sheet: &str,
        src: &SourceRow,
        kind: RecordKind,
        target: Option<(Uuid, &Value)>,
        mut patch: Value,
        warnings: &mut Vec<Issue>,
        review: &mut bool,
    ) -> Result<RecordData, Error> {
        let build = |patch: &Value| match target {
            Some((_, base)) => {
                let mut merged = base.clone();
                merge_patch(&mut merged, patch.clone());
                merged
            }
            None => patch.clone(),
        };
        let id = target.map(|t| t.0);
        let e = match self.checked(kind, id, build(&patch)) {
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
            let optional = importable::find(kind, &field).is_some_and(|c| !c.required());
            if !optional || !remove_path(&mut patch, &field) && !dropped.contains(&field) {
                return Err(e);
            }
            let (r, c) = src
                .origin_of(&field)
                .map_or((src.row, None), |(r, c)| (r, Some(c)));
            let label = importable::find(kind, &field).map_or(field.clone(), |c| c.label);
            let w = Issue {
                message: format!("{label}: {}: left blank", i.message),
                location: Some(file_loc(self.file, Some(sheet), Some(r), c)),
            };
            left_blank.push(w);
            dropped.push(field);
        }
        if dropped.is_empty() {
            return Err(e);
        }
        let data = self.checked(kind, id, build(&patch))?;
        *review = true;
        self.warnings.extend(left_blank.iter().cloned());
        warnings.extend(left_blank);
        Ok(data)
    }

    fn row(
        &mut self,
        sheet: &str,
        kind: RecordKind,
        mut src: SourceRow,
        key: MatchKey,
    ) -> Result<(), Stop> {
        let row1 = src.row as u32 + 1;
        if let Some(why) = src.skip.take() {
            self.plan.push(RowPlan {
                sheet: sheet.to_string(),
                row: row1,
                kind,
                action: RowAction::Skip,
                record_id: None,
                label: String::new(),
                reason: Some(why),
                changes: Vec::new(),
                issues: Vec::new(),
            });
            return Ok(());
        }
        if src.fields.is_empty()
            && src.lookups.is_empty()
            && src.id.is_none()
            && src.errors.is_empty()
            && src.warnings.is_empty()
        {
            src.skip = Some("nothing is filled in".into());
            return self.row(sheet, kind, src, key);
        }
        let label = ["name", "title"]
            .iter()
            .find_map(|f| src.fields.get(*f).and_then(Value::as_str))
            .map(str::to_string)
            .or_else(|| {
                src.fields
                    .get("area")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| kind.label().to_string());
        let mut review = src.review;
        let mut warnings: Vec<Issue> = src.warnings.iter().map(|n| self.issue(sheet, n)).collect();
        self.warnings.extend(warnings.iter().cloned());
        let mut issues: Vec<Issue> = src.errors.iter().map(|n| self.issue(sheet, n)).collect();
        if !issues.is_empty() {
            issues.extend(warnings);
            self.push_error(sheet, kind, src.row, label, issues);
            return Ok(());
        }
        // Which record does the row mean?
        let mut target: Option<Uuid> = None;
        let mut keep_id: Option<Uuid> = None;
        if let Some((text, col)) = src.id.clone().filter(|_| key != MatchKey::None) {
            let parsed = Uuid::parse_str(text.trim());
            if parsed.is_ok() {
                self.flush()?;
            }
            match parsed {
                Ok(id) => match self.tx.record(self.ret.id, id)? {
                    Some(r) if r.data.kind() != kind => {
                        issues.push(Issue {
                            message: format!("the id {id} belongs to a {}, not a {}", r.data.kind().id(), kind.id()),
                            location: Some(file_loc(self.file, Some(sheet), Some(src.row), Some(col))),
                        });
                    }
                    Some(r) if r.deleted_at.is_some() => {
                        issues.push(Issue {
                            message: format!("{} '{}' has been deleted: restore it first", kind.id(), r.data.label()),
                            location: Some(file_loc(self.file, Some(sheet), Some(src.row), Some(col))),
                        });
                    }
                    Some(_) => target = Some(id),
                    None => keep_id = Some(id),
                },
                Err(_) => issues.push(Issue {
                    message: format!("'{text}' is not a City Tools id: leave the id column as it was, or empty for a new record"),
                    location: Some(file_loc(self.file, Some(sheet), Some(src.row), Some(col))),
                }),
            }
        }
        if !issues.is_empty() {
            issues.extend(warnings);
            self.push_error(sheet, kind, src.row, label, issues);
            return Ok(());
        }
        let natural = natural_key(kind, &src.fields, key);
        // One-per-return answers always update the return's one record, whatever the key.
        if target.is_none()
            && (kind.is_singleton() || !matches!(key, MatchKey::Id | MatchKey::None))
        {
            target = find_by_key(&self.ix, kind, &src.fields, key);
        }
        // The same record twice in one file.
        let fingerprint: Rc<str> = Rc::from(serde_json::to_string(&src.fields).unwrap_or_default());
        let dup_key = target
            .map(|t| format!("id:{t}"))
            .or_else(|| natural.clone());
        if let Some(k) = &dup_key
            && let Some((s, r, fields)) = self.seen.get(&(kind, k.clone()))
        {
            if *fields == fingerprint {
                self.plan.push(RowPlan {
                    sheet: sheet.to_string(),
                    row: row1,
                    kind,
                    action: RowAction::Skip,
                    record_id: target,
                    label,
                    reason: Some(format!("the same as row {r} of sheet '{s}'")),
                    changes: Vec::new(),
                    issues: warnings,
                });
                return Ok(());
            }
            if !kind.is_singleton() {
                let mut all = vec![Issue {
                    message: format!(
                        "this row and row {r} of sheet '{s}' are the same {} with different values: keep one",
                        kind.id()
                    ),
                    location: Some(file_loc(self.file, Some(sheet), Some(src.row), None)),
                }];
                all.extend(warnings);
                self.push_error(sheet, kind, src.row, label, all);
                return Ok(());
            }
        }
        self.resolve(sheet, &mut src, &mut issues)?;
        // Links left out are warnings (already in the plan's list); anything else stops the row.
        let (links, errors): (Vec<Issue>, Vec<Issue>) =
            issues.into_iter().partition(|i| self.warnings.contains(i));
        warnings.extend(links);
        let mut issues = errors;
        if !issues.is_empty() {
            issues.extend(warnings);
            self.push_error(sheet, kind, src.row, label, issues);
            return Ok(());
        }
        let row_supplier = links::row_supplier(&src);
        let fields = Value::Object(std::mem::take(&mut src.fields));
        let located = |e: Error| -> Vec<Issue> {
            let mut out: Vec<Issue> = e
                .issues
                .iter()
                .map(|i| {
                    let field = match &i.location {
                        Some(Location::Record { field: Some(f), .. }) => f.clone(),
                        _ => String::new(),
                    };
                    let (r, c) = src
                        .origin_of(&field)
                        .map_or((src.row, None), |(r, c)| (r, Some(c)));
                    Issue {
                        message: i.message.clone(),
                        location: Some(file_loc(self.file, Some(sheet), Some(r), c)),
                    }
                })
                .collect();
            if out.is_empty() {
                out.push(Issue {
                    message: e.message.clone(),
                    location: Some(file_loc(self.file, Some(sheet), Some(src.row), None)),
                });
            }
            out
        };
        // What the check and the update read must be written first.
        if target.is_some() {
            self.flush()?;
        } else {
            self.flush_for(kind)?;
        }
        let outcome = match target {
            Some(id) => {
                let old = self
                    .tx
                    .record(self.ret.id, id)?
                    .ok_or_else(|| Error::new(ErrorKind::NotFound, "a matched record vanished"))?;
                let base = old.data.to_json();
                match self.checked_lenient(
                    sheet,
                    &src,
                    kind,
                    Some((id, &base)),
                    fields,
                    &mut warnings,
                    &mut review,
                ) {
                    Err(e) => Err(e),
                    Ok(data) if data == old.data => {
                        self.plan.push(RowPlan {
                            sheet: sheet.to_string(),
                            row: row1,
                            kind,
                            action: RowAction::Unchanged,
                            record_id: Some(id),
                            label: data.label(),
                            reason: Some("already holds these values".into()),
                            changes: Vec::new(),
                            issues: warnings,
                        });
                        Ok(())
                    }
                    Ok(data) => {
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
                        self.tx.update_record_json(&new, &new_json)?;
                        let before = old.snapshot_json(&old.data.to_json_text());
                        audit_store(
                            self.tx,
                            self.ctx,
                            AuditAction::Update,
                            &new,
                            Some(&before),
                            &new.snapshot_json(&new_json),
                        )?;
                        self.ix.add(new.id, &new.data);
                        let how = match (&src.id, natural.as_deref()) {
                            (Some(_), _) => "matched by id".to_string(),
                            (None, Some(k)) => {
                                format!("matched by {}", k.split(':').next().unwrap_or("name"))
                            }
                            _ => "matched".into(),
                        };
                        self.plan.push(RowPlan {
                            sheet: sheet.to_string(),
                            row: row1,
                            kind,
                            action: RowAction::Update,
                            record_id: Some(id),
                            label: new.data.label(),
                            reason: Some(if review {
                                format!("{how}; answers left blank: to review")
                            } else {
                                how
                            }),
                            changes: changes(&old.data.to_json(), &new.data.to_json()),
                            issues: warnings,
                        });
                        Ok(())
                    }
                }
            }
            None => match self.checked_lenient(
                sheet,
                &src,
                kind,
                None,
                fields,
                &mut warnings,
                &mut review,
            ) {
                Err(e) => Err(e),
                Ok(data) => {
                    let state = if review {
                        ReviewState::ToReview
                    } else {
                        ReviewState::New
                    };
                    let (id, label, changes) =
                        self.insert(keep_id.unwrap_or_else(Uuid::new_v4), data, state)?;
                    target = Some(id);
                    self.plan.push(RowPlan {
                        sheet: sheet.to_string(),
                        row: row1,
                        kind,
                        action: RowAction::Create,
                        record_id: Some(id),
                        label,
                        reason: review.then(|| "answers left blank: to review".to_string()),
                        changes,
                        issues: warnings,
                    });
                    Ok(())
                }
            },
        };
        match outcome {
            Ok(()) => {
                let key = target.map(|t| format!("id:{t}"));
                let sheet_name: Rc<str> = Rc::from(sheet);
                for k in [key, natural].into_iter().flatten() {
                    self.seen
                        .insert((kind, k), (sheet_name.clone(), row1, fingerprint.clone()));
                }
                if let Some(t) = target
                    && kind == RecordKind::System
                {
                    self.system_contract(sheet, &src, t, &label, row_supplier)?;
                }
            }
            Err(e) => {
                let mut all = located(e);
                all.extend(issues);
                self.push_error(sheet, kind, src.row, label, all);
            }
        }
        Ok(())
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

/// Logs one record the import wrote, with its snapshots already written as JSON text.
fn audit_store(
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

/// The order sheets are imported in, so that what a row names already exists.
fn kind_order(k: RecordKind) -> usize {
    match k {
        RecordKind::Supplier => 0,
        RecordKind::Product => 1,
        RecordKind::System => 2,
        RecordKind::Contract => 3,
        RecordKind::Skill => 4,
        RecordKind::Gdpr => 5,
        RecordKind::Cyber => 6,
    }
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

    /// The answers step for a request: for each mapped column whose field has options, its
    /// values with the answer given in the request, remembered by this store or suggested.
    pub fn import_answers(
        &mut self,
        path: &Path,
        request: &ImportRequest,
    ) -> Result<Vec<FieldAnswers>, Error> {
        answers::check(&request.answers)?;
        let wb = read_file(path)?;
        let remembered = self.db.read(answers::remembered)?;
        let mut out = Vec::new();
        for choice in &request.sheets {
            let (index, m) = mapped(&wb, choice)?;
            if let Layout::Table(cols) = &m.layout {
                out.extend(answers::sheet_answers(
                    &wb.sheets[index],
                    m.kind,
                    m.header_row,
                    cols,
                    &request.answers,
                    &remembered,
                ));
            }
        }
        Ok(out)
    }

    /// The dry run: what importing `request` from `path` into a return would do, row by row.
    /// Nothing is written.
    pub fn import_preview(
        &mut self,
        cycle: Option<&str>,
        path: &Path,
        request: &ImportRequest,
        ctx: &Context,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<ImportPlan, Error> {
        self.import(cycle, path, request, ctx, progress, false)
    }

    /// Imports `request` from `path`: all of it in one transaction, or nothing if any row has
    /// an error (the error lists every problem at its sheet, row and column) — unless
    /// `request.partial`, when the rows without errors are written and the others left out
    /// (listed in the plan's errors). The mapping of each sheet is remembered for the next
    /// file with the same headers, and the request's answers for the next file using the same
    /// words.
    pub fn import_commit(
        &mut self,
        cycle: Option<&str>,
        path: &Path,
        request: &ImportRequest,
        ctx: &Context,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<ImportPlan, Error> {
        self.import(cycle, path, request, ctx, progress, true)
    }

    fn import(
        &mut self,
        cycle: Option<&str>,
        path: &Path,
        request: &ImportRequest,
        ctx: &Context,
        progress: &mut dyn FnMut(&Progress),
        commit: bool,
    ) -> Result<ImportPlan, Error> {
        if request.sheets.is_empty() {
            return Err(Error::new(
                ErrorKind::Usage,
                "choose at least one sheet to import",
            ));
        }
        answers::check(&request.answers)?;
        let wb = read_file(path)?;
        let mut sheets = Vec::new();
        for choice in &request.sheets {
            sheets.push((choice, mapped(&wb, choice)?));
        }
        let remembered = self.db.read(answers::remembered)?;
        sheets.sort_by_key(|(c, _)| kind_order(c.kind));
        let mut sources = Vec::new();
        for (choice, (index, m)) in &sheets {
            let sheet = &wb.sheets[*index];
            let given = answers::given_for(m.kind, &request.answers, &remembered);
            let rows = match &m.layout {
                Layout::Table(cols) => rows::read_table(sheet, m, cols, &given),
                Layout::Form {
                    key,
                    question,
                    answer,
                    columns,
                } => {
                    vec![rows::read_form(
                        sheet, m, *key, *question, *answer, columns, &given,
                    )]
                }
            };
            let sig = mapping::signature(&header_texts(sheet, m.header_row));
            sources.push((choice, m.kind, rows, sig));
        }
        let total: u64 = sources.iter().map(|s| s.2.len() as u64).sum();
        let stage = format!("Importing {total} rows from {}", path.display());
        progress(&Progress {
            stage: stage.clone(),
            done: 0,
            total,
        });
        let result = self.db.write(|tx| -> Result<ImportPlan, Stop> {
            let ret = find_return(tx, cycle)?;
            let mut run = Run {
                tx,
                ret: &ret,
                ctx,
                file: path,
                ix: Index::load(tx, &ret)?,
                plan: Vec::new(),
                warnings: Vec::new(),
                errors: Vec::new(),
                seen: HashMap::new(),
                pending: Vec::new(),
                spellings: links::supplier_spellings(sources.iter().flat_map(|s| s.2.iter())),
            };
            let mut done = 0u64;
            for (choice, kind, rows, _) in &mut sources {
                for src in std::mem::take(rows) {
                    run.row(&choice.sheet, *kind, src, request.match_key)?;
                    done += 1;
                    if done.is_multiple_of(100) || done == total {
                        progress(&Progress {
                            stage: stage.clone(),
                            done,
                            total,
                        });
                    }
                }
            }
            run.flush()?;
            let mut counts = ImportCounts::default();
            for r in &run.plan {
                match r.action {
                    RowAction::Create => counts.create += 1,
                    RowAction::Update => counts.update += 1,
                    RowAction::Unchanged => counts.unchanged += 1,
                    RowAction::Skip => counts.skip += 1,
                    RowAction::Error => counts.error += 1,
                }
            }
            let sheet_kind: HashMap<&str, RecordKind> = request
                .sheets
                .iter()
                .map(|c| (c.sheet.as_str(), c.kind))
                .collect();
            let importable = run
                .plan
                .iter()
                .filter(|r| {
                    matches!(
                        r.action,
                        RowAction::Create | RowAction::Update | RowAction::Unchanged
                    ) && sheet_kind.get(r.sheet.as_str()) == Some(&r.kind)
                })
                .count() as u32;
            let can_commit = run.errors.is_empty();
            // A partial import writes the rows without errors, if there are any.
            let writes = can_commit || (request.partial && importable > 0);
            let plan = ImportPlan {
                file: path.display().to_string(),
                cycle: ret.cycle.to_string(),
                rows: run.plan,
                counts,
                errors: run.errors,
                warnings: run.warnings,
                can_commit,
                committed: commit && writes,
                importable,
                left_out: counts.error,
            };
            if !commit {
                return Err(Stop::DryRun(plan));
            }
            if !writes {
                let n = plan.errors.len();
                let first = plan.errors[0].clone();
                let mut e = Error::new(
                    ErrorKind::Validation,
                    format!(
                        "nothing was imported: {n} problem{} in {} (first: {})",
                        if n == 1 { "" } else { "s" },
                        path.display(),
                        first.message
                    ),
                );
                e.location = first.location.clone();
                e.issues = plan.errors.clone();
                return Err(Stop::Failed(e));
            }
            for (choice, _, _, sig) in &sources {
                let remembered = Remembered {
                    kind: choice.kind,
                    layout: choice.layout,
                    columns: choice.columns.clone(),
                };
                let json = serde_json::to_string(&remembered).unwrap_or_default();
                tx.set_meta(&format!("{MAPPING_KEY}{sig}"), &json)?;
            }
            answers::remember(tx, &request.answers)?;
            Ok(plan)
        });
        match result {
            Ok(plan) => {
                read_cache::forget();
                Ok(plan)
            }
            Err(Stop::DryRun(plan)) => Ok(plan),
            Err(Stop::Failed(e)) => Err(e),
        }
    }

    /// Writes the survey template for a return's questionnaire to `path` (xlsx): instructions,
    /// a sheet per record type with dropdowns and formats, the two one-per-return
    /// questionnaires as question / answer sheets, and a data dictionary. With `prefill`, the
    /// return's records are filled in (with their hidden ids), so the file can be edited and
    /// imported back onto the same records.
    pub fn survey_template(
        &mut self,
        cycle: Option<&str>,
        path: &Path,
        prefill: bool,
    ) -> Result<(), Error> {
        let (cycle_id, records) = self.db.read(|tx| -> Result<_, Error> {
            let ret = find_return(tx, cycle)?;
            let records = if prefill {
                tx.records(ret.id, None, false)?
                    .into_iter()
                    .map(|r| (r.id, r.data))
                    .collect()
            } else {
                Vec::new()
            };
            Ok((ret.cycle.to_string(), records))
        })?;
        crate::export::template::write(path, &cycle_id, &records).map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("could not write {}: {e}", path.display()),
            )
            .at(file_loc(path, None, None, None))
        })
    }
}

/// Writes an xlsx error report for a plan: a list of every problem, every row left out (with
/// its problems and its cells), and each sheet of the source with the offending cells filled
/// red (errors) or amber (warnings) and a note giving the problem.
pub fn write_import_errors(source: &Path, plan: &ImportPlan, out: &Path) -> Result<(), Error> {
    let wb = read_file(source)?;
    let sheets: Vec<(String, Vec<Vec<String>>)> = wb
        .sheets
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                s.rows
                    .iter()
                    .map(|r| r.iter().map(workbook::Cell::display).collect())
                    .collect(),
            )
        })
        .collect();
    let mut problems = Vec::new();
    for (severity, list) in [("Error", &plan.errors), ("Warning", &plan.warnings)] {
        for i in list.iter() {
            if let Some(Location::File {
                sheet, row, column, ..
            }) = &i.location
            {
                problems.push(crate::export::error_report::Problem {
                    severity,
                    sheet: sheet.clone().unwrap_or_default(),
                    row: row.map(|r| r.saturating_sub(1) as usize),
                    col: column.as_deref().and_then(column_index),
                    message: i.message.clone(),
                });
            }
        }
    }
    let left_out: Vec<crate::export::error_report::LeftOut> = plan
        .rows
        .iter()
        .filter(|r| r.action == RowAction::Error)
        .map(|r| crate::export::error_report::LeftOut {
            sheet: r.sheet.clone(),
            row: r.row.saturating_sub(1) as usize,
            reasons: r
                .issues
                .iter()
                .map(|i| i.message.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect();
    crate::export::error_report::write(out, &sheets, &problems, &left_out).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("could not write {}: {e}", out.display()),
        )
        .at(file_loc(out, None, None, None))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_changes_read_from_the_text_are_those_of_the_value() {
        use crate::domain::records::RecordData;
        let records = [
            (
                RecordKind::Contract,
                serde_json::json!({"title": "Care \"system\" \u{e9} support", "reference": "CT-1",
                    "annual_value": 120000, "end_date": "2027-03-31", "rolling": true,
                    "system_ids": [], "notice_period_days": 90}),
            ),
            (
                RecordKind::Supplier,
                serde_json::json!({"name": "Agilisys Ltd", "aliases": ["AGILISYS", "Agilisys\nLtd"],
                    "companies_house": "02908876", "sme": false}),
            ),
            (
                RecordKind::System,
                serde_json::json!({"name": "Idox", "service_area": "esd:66", "caf": {"B2.a": "achieved", "A1.a": "partially_achieved"}}),
            ),
        ];
        for (kind, v) in records {
            let data = RecordData::from_json(kind, v).expect("a valid record");
            assert_eq!(
                created_changes_of_text(&data.to_json_text()),
                created_changes(&data.to_json()),
                "{kind:?}"
            );
        }
        // Nested objects keep their keys in name order, as a `Value` writes them.
        let text =
            r#"{"b":{"z":1,"a":[]},"a":[{"y":1,"x":2}],"c":[],"d":{},"e":null,"f":"x\u0041"}"#;
        let value: Value = serde_json::from_str(text).expect("json");
        assert_eq!(created_changes_of_text(text), created_changes(&value));
    }

    #[test]
    fn name_keys_without_stops_or_limited_are_the_folded_name() {
        let slow = |s: &str| -> String {
            fold(s)
                .replace(['.', ','], " ")
                .split_whitespace()
                .map(|w| if w == "limited" { "ltd" } else { w })
                .collect::<Vec<_>>()
                .join(" ")
        };
        for s in [
            "Civica UK Limited",
            "CIVICA  uk ltd.",
            "Capita, plc",
            "  Midland   HR ",
            "Ünïcode Straße GmbH",
            "A.B. Services",
            "Limited Edition",
            "",
        ] {
            assert_eq!(name_key(s), slow(s), "{s:?}");
        }
    }
}
