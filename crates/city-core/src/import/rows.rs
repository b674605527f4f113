//! Turning the rows of a mapped sheet into record fields (JSON, as `add` and `update` take
//! them) plus what still has to be looked up in the store (supplier, product and system names),
//! with every unreadable cell reported at its row and column. Blank rows, totals rows and notes
//! under the table are skipped, and each skip says why.

use super::answers::{self, Resolution, Resolver};
use super::values::{self, DateRead, Read, fold};
use super::workbook::{Cell, Sheet};
use crate::domain::enums::RecordKind;
use crate::domain::questionnaire::FieldType;
use crate::sheet_layout::columns::{Column, Target};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Answers given for the choice columns of a sheet: field path → normalised value → option
/// id, or `None` to leave the cell blank (see `answers`).
pub(crate) type Given = HashMap<String, HashMap<String, Option<String>>>;

/// How a sheet is to be read.
#[derive(Debug, Clone)]
pub(crate) struct MappedSheet {
    pub(crate) kind: RecordKind,
    /// 0-based.
    pub(crate) header_row: usize,
    pub(crate) layout: Layout,
}

#[derive(Debug, Clone)]
pub(crate) enum Layout {
    /// A record per row; each mapped column (0-based) with what it holds.
    Table(Vec<(usize, Column)>),
    /// Question / answer rows making one record: the column holding field ids (if any), the
    /// question column and the answer column.
    Form {
        key: Option<usize>,
        question: Option<usize>,
        answer: usize,
        columns: Vec<Column>,
    },
}

/// A problem with one cell (0-based row and column).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CellNote {
    pub(crate) row: usize,
    pub(crate) col: Option<usize>,
    pub(crate) message: String,
}

/// A name (or id) to look up: the field it fills, the column it came from, the texts.
#[derive(Debug, Clone)]
pub(crate) struct Lookup {
    pub(crate) path: String,
    pub(crate) kind: RecordKind,
    pub(crate) col: usize,
    pub(crate) row: usize,
    pub(crate) names: Vec<String>,
}

/// One row read from a sheet.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceRow {
    /// 0-based row.
    pub(crate) row: usize,
    pub(crate) fields: Map<String, Value>,
    pub(crate) id: Option<(String, usize)>,
    pub(crate) lookups: Vec<Lookup>,
    /// Details of the row's supplier (`companies_house`, `sme`).
    pub(crate) supplier: Map<String, Value>,
    /// Fields of the contract of the system on the row (`import::linked`).
    pub(crate) contract: Map<String, Value>,
    /// Where each field path came from: (row, column). The paths are shared with the
    /// sheet's columns (a row no longer allocates one per cell).
    pub(crate) origin: Vec<(Arc<str>, usize, usize)>,
    pub(crate) errors: Vec<CellNote>,
    pub(crate) warnings: Vec<CellNote>,
    pub(crate) skip: Option<String>,
    /// An optional cell was left blank because it fit no option or could not be read: the
    /// record is to be reviewed.
    pub(crate) review: bool,
}

impl SourceRow {
    /// The (row, column) a field path came from.
    pub(crate) fn origin_of(&self, path: &str) -> Option<(usize, usize)> {
        let top = path.split('.').next().unwrap_or(path);
        self.origin
            .iter()
            .find(|(p, ..)| &**p == path)
            .or_else(|| {
                self.origin
                    .iter()
                    .find(|(p, ..)| p.split('.').next() == Some(top))
            })
            .map(|(_, r, c)| (*r, *c))
    }
}

fn set_path(fields: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        Some((outer, inner)) => {
            let entry = fields
                .entry(outer.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(m) = entry {
                m.insert(inner.to_string(), value);
            }
        }
        None => {
            fields.insert(path.to_string(), value);
        }
    }
}

/// Reads one cell into `out` for `column`.
#[allow(clippy::too_many_arguments)]
fn read_cell(
    out: &mut SourceRow,
    kind: RecordKind,
    column: &Column,
    origin_path: &Arc<str>,
    cell: &Cell,
    row: usize,
    col: usize,
    resolver: Option<&mut Resolver>,
) {
    let note = |message: String| CellNote {
        row,
        col: Some(col),
        message,
    };
    let field_type = match column.target {
        Target::Id => {
            if let Ok(Read::Value(Value::String(s))) = values::text(cell, false) {
                out.id = Some((s, col));
            }
            return;
        }
        Target::ContractDetail(field) => {
            super::linked::read_contract_detail(out, column, field, cell, row, col);
            return;
        }
        Target::Product => {
            super::linked::read_product(out, cell, row, col);
            return;
        }
        Target::SupplierDetail(name) => {
            let r = if name == "sme" {
                values::boolean(cell)
            } else {
                values::text(cell, false)
            };
            match r {
                Ok(Read::Value(v)) => {
                    out.supplier.insert(name.to_string(), v);
                }
                Ok(Read::Unknown(w)) => out.warnings.push(note(format!("{}: {w}", column.label))),
                Ok(Read::Blank) => {}
                // A detail of the supplier is never needed: blank, with a warning.
                Err(e) => {
                    out.warnings
                        .push(note(format!("{}: {e}: left blank", column.label)));
                    out.review = true;
                }
            }
            return;
        }
        Target::Field(f) => f.field_type,
        Target::Rating { rating, .. } => FieldType::Choice(rating),
    };
    let path = column.path.as_str();
    let read = match field_type {
        FieldType::Text => values::text(cell, false),
        FieldType::LongText => values::text(cell, true),
        FieldType::Integer => values::integer(cell),
        FieldType::Money => values::money(cell),
        FieldType::Boolean => match resolver {
            Some(r) => choice(cell, r, true),
            None => values::boolean(cell),
        },
        FieldType::TextList => values::text_list(cell),
        FieldType::Choice(e) => match resolver {
            Some(r) => choice(cell, r, false),
            None => choice(cell, &mut Resolver::new(e, &HashMap::new()), false),
        },
        FieldType::Ratings { .. } => Ok(Read::Blank),
        FieldType::Date => match values::date(cell) {
            Ok(DateRead::Date(d)) => Ok(Read::Value(Value::String(d.to_string()))),
            Ok(DateRead::Blank) => Ok(Read::Blank),
            Ok(DateRead::Unknown(w)) => Ok(Read::Unknown(w)),
            Ok(DateRead::Rolling) if kind == RecordKind::Contract && path == "end_date" => {
                set_path(&mut out.fields, "rolling", Value::Bool(true));
                out.origin.push(("rolling".into(), row, col));
                Ok(Read::Blank)
            }
            Ok(DateRead::Rolling) => Err(format!(
                "'{}' is not a date",
                values::tidy_text(&cell.display())
            )),
            Err(e) => Err(e),
        },
        FieldType::Reference(k) | FieldType::References(k) => {
            match reference(cell, matches!(field_type, FieldType::References(_))) {
                Ok(Named::Names(names)) => {
                    out.lookups.push(Lookup {
                        path: path.to_string(),
                        kind: k,
                        col,
                        row,
                        names,
                    });
                    Ok(Read::Blank)
                }
                Ok(Named::Other(read)) => Ok(read),
                Err(e) => Err(e),
            }
        }
    };
    match read {
        Ok(Read::Value(v)) => {
            set_path(&mut out.fields, path, v);
            out.origin.push((origin_path.clone(), row, col));
        }
        Ok(Read::Unknown(w)) => out.warnings.push(note(format!("{}: {w}", column.label))),
        Ok(Read::Blank) => {}
        // One cell never blocks a row: an optional field that cannot be read is left blank,
        // and the record is to be reviewed.
        Err(e) if !column.required() => {
            out.warnings
                .push(note(format!("{}: {e}: left blank", column.label)));
            out.review = true;
        }
        Err(e) => {
            out.errors.push(note(format!("{}: {e}", column.label)));
            out.origin.push((origin_path.clone(), row, col));
        }
    }
}

/// A reference cell read: the names to look up, or what to do instead.
enum Named {
    Names(Vec<String>),
    Other(Read),
}

/// The names a reference cell gives (`many`: a list, split at `;` and line breaks); a lone
/// "not known" word is read as not known.
fn reference(cell: &Cell, many: bool) -> Result<Named, String> {
    match values::text(cell, true)? {
        Read::Value(Value::String(s)) => {
            let names: Vec<String> = if many {
                s.split([';', '\n'])
                    .map(values::tidy_text)
                    .filter(|x| !x.is_empty())
                    .collect()
            } else {
                vec![values::tidy_text(&s)]
            };
            if names.len() == 1 && values::is_unknown_word(&names[0]) {
                Ok(Named::Other(Read::Unknown(format!(
                    "'{}' read as not known: left blank",
                    names[0]
                ))))
            } else {
                Ok(Named::Names(names))
            }
        }
        other => Ok(Named::Other(other)),
    }
}

/// A choice (or yes / no) cell through its column's answers.
fn choice(cell: &Cell, resolver: &mut Resolver, boolean: bool) -> Result<Read, String> {
    let raw = match cell {
        Cell::Empty => return Ok(Read::Blank),
        Cell::Error(e) => return Err(format!("the cell holds the error {e}")),
        Cell::Bool(b) if boolean => return Ok(Read::Value(Value::Bool(*b))),
        c => c.display(),
    };
    let raw = values::tidy_text(&raw);
    if raw.is_empty() {
        return Ok(Read::Blank);
    }
    match resolver.resolve(&raw) {
        Resolution::Option(id) if boolean => Ok(Read::Value(Value::Bool(id == "yes"))),
        Resolution::Option(id) => Ok(Read::Value(Value::String(id.to_string()))),
        Resolution::Blank => Ok(Read::Unknown(format!("'{raw}' left blank, as answered"))),
        Resolution::NotKnown => Ok(Read::Unknown(format!(
            "'{raw}' read as not known: left blank"
        ))),
        Resolution::Unmapped if boolean => Err(format!("'{raw}' is not Yes or No")),
        Resolution::Unmapped => Err(format!(
            "'{raw}' is not one of the options ({})",
            resolver.labels().join("; ")
        )),
    }
}

fn is_totals(text: &str) -> bool {
    // Folded text starts with the first character that is not space, `_`, `:`, `*` or `.`,
    // lower-cased: unless that is t, s or g this is no totals label, and nothing is folded.
    let first = text
        .chars()
        .find(|c| !(c.is_whitespace() || matches!(c, '_' | ':' | '*' | '.')));
    match first {
        None => return false,
        Some(c) if c.is_ascii() && !matches!(c.to_ascii_lowercase(), 't' | 's' | 'g') => {
            return false;
        }
        _ => {}
    }
    let f = fold(text);
    f == "total"
        || f == "totals"
        || f == "sum"
        || f.starts_with("total ")
        || f.starts_with("grand total")
        || f.starts_with("sub total")
        || f.starts_with("subtotal")
}

/// Whether a cell reads as a totals label (as people see it).
fn cell_is_totals(cell: &Cell) -> bool {
    match cell {
        Cell::Text(t) => is_totals(t),
        Cell::Empty => is_totals(""),
        other => is_totals(&other.display()),
    }
}

/// The answer set of a column whose field has options: its enumeration, or yes / no.
pub(crate) fn answer_set(column: &Column) -> Option<&'static str> {
    match column.target {
        Target::Field(f) => match f.field_type {
            FieldType::Choice(e) => Some(e),
            FieldType::Boolean => Some(answers::YES_NO),
            _ => None,
        },
        Target::Rating { rating } => Some(rating),
        _ => None,
    }
}

/// A resolver for each choice column, with the answers given for its field.
fn resolvers(columns: &[Column], given: &Given) -> Vec<Option<Resolver>> {
    let none = HashMap::new();
    columns
        .iter()
        .map(|column| {
            answer_set(column)
                .map(|set| Resolver::new(set, given.get(&column.path).unwrap_or(&none)))
        })
        .collect()
}

/// Each column's path, to be shared by the origins of the rows read.
fn paths(columns: &[Column]) -> Vec<Arc<str>> {
    columns.iter().map(|c| Arc::from(c.path.as_str())).collect()
}

/// What a row under the header is.
enum Shape {
    Blank,
    Skip(&'static str),
    Record,
}

fn shape(sheet: &Sheet, r: usize, columns: &[(usize, Column)]) -> Shape {
    let row = &sheet.rows[r];
    if row.iter().all(Cell::is_blank) {
        return Shape::Blank;
    }
    // The row's non-blank cells: how many, and whether one is a totals label.
    let filled = row.iter().filter(|c| !c.is_blank()).count();
    let mapped_blank = columns.iter().all(|(c, _)| sheet.cell(r, *c).is_blank());
    let required_blank = columns
        .iter()
        .filter(|(_, col)| col.required())
        .all(|(c, _)| {
            let cell = sheet.cell(r, *c);
            cell.is_blank() || cell_is_totals(cell)
        });
    if required_blank && row.iter().any(|c| !c.is_blank() && cell_is_totals(c)) {
        return Shape::Skip("a totals row, not a record");
    }
    if mapped_blank {
        return Shape::Skip("nothing in the columns being imported");
    }
    if filled == 1
        && columns.len() >= 3
        && let Some(only) = row.iter().find(|c| !c.is_blank())
    {
        let t = fold(&only.display());
        if t.starts_with("note") || t.starts_with("source") || t.starts_with('*') || t.len() > 60 {
            return Shape::Skip("a note under the table, not a record");
        }
    }
    Shape::Record
}

/// The rows of a table-layout sheet that hold records (0-based), as `read_table` reads them.
pub(crate) fn record_rows(
    sheet: &Sheet,
    header_row: usize,
    columns: &[(usize, Column)],
) -> Vec<usize> {
    (header_row + 1..sheet.rows.len())
        .filter(|r| matches!(shape(sheet, *r, columns), Shape::Record))
        .collect()
}

/// The rows of a table-layout sheet below its header, read one at a time (a blank row is
/// passed over; a skipped one comes with why). Each choice column goes through its answers.
pub(crate) struct TableRows<'s> {
    sheet: &'s Sheet,
    kind: RecordKind,
    columns: Vec<(usize, Column)>,
    /// Each column's path, shared by the rows' origins.
    paths: Vec<Arc<str>>,
    resolvers: Vec<Option<Resolver>>,
    /// The next row to read (0-based).
    next: usize,
}

impl<'s> TableRows<'s> {
    pub(crate) fn new(
        sheet: &'s Sheet,
        kind: RecordKind,
        header_row: usize,
        columns: Vec<(usize, Column)>,
        given: &Given,
    ) -> TableRows<'s> {
        let plain: Vec<Column> = columns.iter().map(|(_, c)| c.clone()).collect();
        TableRows {
            sheet,
            kind,
            resolvers: resolvers(&plain, given),
            paths: paths(&plain),
            columns,
            next: header_row + 1,
        }
    }
}

impl Iterator for TableRows<'_> {
    type Item = SourceRow;

    fn next(&mut self) -> Option<SourceRow> {
        let sheet = self.sheet;
        while self.next < sheet.rows.len() {
            let r = self.next;
            self.next += 1;
            let mut src = SourceRow {
                row: r,
                ..Default::default()
            };
            match shape(sheet, r, &self.columns) {
                Shape::Blank => continue,
                Shape::Skip(why) => {
                    src.skip = Some(why.into());
                    return Some(src);
                }
                Shape::Record => {}
            }
            for (((c, column), resolver), path) in self
                .columns
                .iter()
                .zip(&mut self.resolvers)
                .zip(&self.paths)
            {
                let cell = sheet.cell(r, *c);
                read_cell(
                    &mut src,
                    self.kind,
                    column,
                    path,
                    cell,
                    r,
                    *c,
                    resolver.as_mut(),
                );
                // A required cell left empty: its "enter the …" problem points at it.
                if column.required() && cell.is_blank() {
                    src.origin.push((path.clone(), r, *c));
                }
            }
            return Some(src);
        }
        None
    }
}

/// What [`TableRows`] will give, known before reading the rows: how many rows (blank rows
/// are passed over), and the first name of each supplier a row names — exactly the first
/// name of each supplier lookup the rows will have.
pub(crate) fn table_outline(
    sheet: &Sheet,
    header_row: usize,
    columns: &[(usize, Column)],
) -> (usize, Vec<String>) {
    let suppliers: Vec<(usize, bool)> = columns
        .iter()
        .filter_map(|(c, column)| match column.target {
            Target::Field(f) => match f.field_type {
                FieldType::Reference(RecordKind::Supplier) => Some((*c, false)),
                FieldType::References(RecordKind::Supplier) => Some((*c, true)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let mut rows = 0;
    let mut names = Vec::new();
    for r in header_row + 1..sheet.rows.len() {
        match shape(sheet, r, columns) {
            Shape::Blank => continue,
            Shape::Skip(_) => {}
            Shape::Record => {
                for (c, many) in &suppliers {
                    if let Ok(Named::Names(n)) = reference(sheet.cell(r, *c), *many)
                        && let Some(first) = n.into_iter().next()
                    {
                        names.push(first);
                    }
                }
            }
        }
        rows += 1;
    }
    (rows, names)
}

/// Reads a form-layout sheet: one record from its question / answer rows.
pub(crate) fn read_form(
    sheet: &Sheet,
    m: &MappedSheet,
    key: Option<usize>,
    question: Option<usize>,
    answer: usize,
    columns: &[Column],
    given: &Given,
) -> SourceRow {
    let mut resolvers = resolvers(columns, given);
    let paths = paths(columns);
    let mut src = SourceRow {
        row: m.header_row + 1,
        ..Default::default()
    };
    for r in m.header_row + 1..sheet.rows.len() {
        let key_text = key.map(|c| sheet.cell(r, c).display()).unwrap_or_default();
        let q_text = question
            .map(|c| sheet.cell(r, c).display())
            .unwrap_or_default();
        if key_text.trim().is_empty() && q_text.trim().is_empty() {
            continue;
        }
        let found = columns
            .iter()
            .position(|c| !key_text.trim().is_empty() && c.path == key_text.trim())
            .or_else(|| columns.iter().position(|c| fold(&c.label) == fold(&q_text)));
        let Some(i) = found else {
            if !sheet.cell(r, answer).is_blank() {
                src.errors.push(CellNote {
                    row: r,
                    col: question.or(key),
                    message: format!(
                        "'{}' is not a question of the {} questionnaire",
                        values::tidy_text(if q_text.trim().is_empty() {
                            &key_text
                        } else {
                            &q_text
                        }),
                        m.kind.label()
                    ),
                });
            }
            continue;
        };
        read_cell(
            &mut src,
            m.kind,
            &columns[i],
            &paths[i],
            sheet.cell(r, answer),
            r,
            answer,
            resolvers[i].as_mut(),
        );
    }
    src
}
