//! Turning the rows of a mapped sheet into record fields (JSON, as `add` and `update` take
//! them) plus what still has to be looked up in the store (supplier, product and system names),
//! with every unreadable cell reported at its row and column. Blank rows, totals rows and notes
//! under the table are skipped, and each skip says why.

use super::columns::{Column, Target};
use super::values::{self, Choices, DateRead, Read, fold};
use super::workbook::{Cell, Sheet};
use crate::domain::enums::RecordKind;
use crate::domain::questionnaire::FieldType;
use serde_json::{Map, Value};

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
    /// Where each field path came from: (row, column).
    pub(crate) origin: Vec<(String, usize, usize)>,
    pub(crate) errors: Vec<CellNote>,
    pub(crate) warnings: Vec<CellNote>,
    pub(crate) skip: Option<String>,
}

impl SourceRow {
    /// The (row, column) a field path came from.
    pub(crate) fn origin_of(&self, path: &str) -> Option<(usize, usize)> {
        let top = path.split('.').next().unwrap_or(path);
        self.origin
            .iter()
            .find(|(p, ..)| p == path)
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
fn read_cell(
    out: &mut SourceRow,
    kind: RecordKind,
    column: &Column,
    cell: &Cell,
    row: usize,
    col: usize,
    choices: Option<&Choices>,
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
                Ok(Read::Unknown(w)) => out.warnings.push(note(w)),
                Ok(Read::Blank) => {}
                Err(e) => out.errors.push(note(e)),
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
        FieldType::Boolean => values::boolean(cell),
        FieldType::TextList => values::text_list(cell),
        FieldType::Choice(e) => match choices {
            Some(c) => values::choice_of(cell, c),
            None => values::choice_of(cell, &Choices::new(super::columns::options(e))),
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
        FieldType::Reference(k) | FieldType::References(k) => match values::text(cell, true) {
            Ok(Read::Value(Value::String(s))) => {
                let names: Vec<String> = if matches!(field_type, FieldType::References(_)) {
                    s.split([';', '\n'])
                        .map(values::tidy_text)
                        .filter(|x| !x.is_empty())
                        .collect()
                } else {
                    vec![values::tidy_text(&s)]
                };
                if names.len() == 1 && is_unknown_name(&names[0]) {
                    Ok(Read::Unknown(format!(
                        "'{}' read as not known: left blank",
                        names[0]
                    )))
                } else {
                    out.lookups.push(Lookup {
                        path: path.to_string(),
                        kind: k,
                        col,
                        row,
                        names,
                    });
                    Ok(Read::Blank)
                }
            }
            Ok(other) => Ok(other),
            Err(e) => Err(e),
        },
    };
    match read {
        Ok(Read::Value(v)) => {
            set_path(&mut out.fields, path, v);
            out.origin.push((path.to_string(), row, col));
        }
        Ok(Read::Unknown(w)) => out.warnings.push(note(format!("{}: {w}", column.label))),
        Ok(Read::Blank) => {}
        Err(e) => {
            out.errors.push(note(format!("{}: {e}", column.label)));
            out.origin.push((path.to_string(), row, col));
        }
    }
}

fn is_unknown_name(s: &str) -> bool {
    matches!(
        fold(s).as_str(),
        "tbc" | "n/a" | "unknown" | "not known" | "-" | "?"
    )
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

/// The choice columns' options, folded once for the whole sheet.
fn prepared_choices(columns: &[(usize, Column)]) -> Vec<Option<Choices>> {
    columns
        .iter()
        .map(|(_, column)| match column.target {
            Target::Field(f) => match f.field_type {
                FieldType::Choice(e) => Some(Choices::new(super::columns::options(e))),
                _ => None,
            },
            Target::Rating { rating } => Some(Choices::new(super::columns::options(rating))),
            _ => None,
        })
        .collect()
}

/// Reads every row of a table-layout sheet below its header.
pub(crate) fn read_table(
    sheet: &Sheet,
    m: &MappedSheet,
    columns: &[(usize, Column)],
) -> Vec<SourceRow> {
    let choices = prepared_choices(columns);
    let mut out = Vec::new();
    for r in m.header_row + 1..sheet.rows.len() {
        let row = &sheet.rows[r];
        if row.iter().all(Cell::is_blank) {
            continue;
        }
        let mut src = SourceRow {
            row: r,
            ..Default::default()
        };
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
            src.skip = Some("a totals row, not a record".into());
            out.push(src);
            continue;
        }
        if mapped_blank {
            src.skip = Some("nothing in the columns being imported".into());
            out.push(src);
            continue;
        }
        if filled == 1
            && columns.len() >= 3
            && let Some(only) = row.iter().find(|c| !c.is_blank())
        {
            let t = fold(&only.display());
            if t.starts_with("note")
                || t.starts_with("source")
                || t.starts_with('*')
                || t.len() > 60
            {
                src.skip = Some("a note under the table, not a record".into());
                out.push(src);
                continue;
            }
        }
        for ((c, column), choices) in columns.iter().zip(&choices) {
            read_cell(
                &mut src,
                m.kind,
                column,
                sheet.cell(r, *c),
                r,
                *c,
                choices.as_ref(),
            );
        }
        out.push(src);
    }
    out
}

/// Reads a form-layout sheet: one record from its question / answer rows.
pub(crate) fn read_form(
    sheet: &Sheet,
    m: &MappedSheet,
    key: Option<usize>,
    question: Option<usize>,
    answer: usize,
    columns: &[Column],
) -> SourceRow {
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
        let column = columns
            .iter()
            .find(|c| !key_text.trim().is_empty() && c.path == key_text.trim())
            .or_else(|| columns.iter().find(|c| fold(&c.label) == fold(&q_text)));
        let Some(column) = column else {
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
            column,
            sheet.cell(r, answer),
            r,
            answer,
            None,
        );
    }
    src
}
