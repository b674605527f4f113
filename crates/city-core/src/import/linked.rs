//! Columns that describe a record linked to the row's own record — one row, several records.
//! An application register's row often carries its system's contract (contract end, renewal
//! date, annual cost, contract value): those columns are the contract's, never the system's
//! (a contract end is not an end of support). A contracts register's row may name the product
//! it is for. This module owns those columns (paths `contract.<field>` on a system sheet,
//! `product` on a contract sheet), their header words, and reading their cells; what they
//! create or link in the store is `api::spreadsheets::links`' business.

use super::rows::{CellNote, Lookup, SourceRow};
use super::values::{self, DateRead, Read};
use super::workbook::Cell;
use crate::domain::enums::RecordKind;
use crate::domain::questionnaire::{self, FieldType};
use crate::sheet_layout::columns::{Column, Target};
use serde_json::Value;

/// The contract fields a system row may carry, with the column label the importer shows.
const CONTRACT_DETAILS: [(&str, &str); 6] = [
    ("reference", "Contract reference (the system's contract)"),
    ("start_date", "Contract start date (the system's contract)"),
    (
        "end_date",
        "Contract end or renewal date (the system's contract)",
    ),
    (
        "notice_period_days",
        "Notice period in days (the system's contract)",
    ),
    ("annual_value", "Annual cost (the system's contract)"),
    (
        "total_value",
        "Total contract value (the system's contract)",
    ),
];

/// The path of the column naming a contract's product.
pub(crate) const PRODUCT_PATH: &str = "product";

/// Columns a sheet of `kind` also understands because they describe a linked record.
pub(crate) fn columns(kind: RecordKind) -> Vec<Column> {
    match kind {
        RecordKind::System => CONTRACT_DETAILS
            .iter()
            .map(|(field, label)| Column {
                path: format!("contract.{field}"),
                label: (*label).to_string(),
                hint: "Adds or updates the contract of the system on the row, with its supplier"
                    .into(),
                target: Target::ContractDetail(field),
            })
            .collect(),
        RecordKind::Contract => vec![Column {
            path: PRODUCT_PATH.into(),
            label: "Product (the contract's software)".into(),
            hint: "Links the contract to the systems using the product (added if none)".into(),
            target: Target::Product,
        }],
        _ => Vec::new(),
    }
}

/// Whether a column path is a linked record's (not the sheet's own record's).
pub(crate) fn is_linked(path: &str) -> bool {
    path.starts_with("contract.") || path == PRODUCT_PATH
}

/// Header words for the linked columns (folded), beside their labels.
pub(crate) fn synonyms(kind: RecordKind, path: &str) -> &'static [&'static str] {
    match (kind, path) {
        (RecordKind::System, "contract.reference") => &[
            "contract reference",
            "contract ref",
            "contract number",
            "contract no",
            "contract id",
        ],
        (RecordKind::System, "contract.start_date") => &[
            "contract start",
            "contract start date",
            "contract commenced",
            "start of contract",
        ],
        (RecordKind::System, "contract.end_date") => &[
            "contract end",
            "contract end date",
            "contract ends",
            "end of contract",
            "contract expiry",
            "contract expiry date",
            "contract expires",
            "renewal date",
            "renewal",
            "renewal due",
            "contract renewal",
            "contract renewal date",
            "next renewal",
            "next renewal date",
            "licence renewal date",
            "license renewal date",
            "expiry date",
        ],
        (RecordKind::System, "contract.notice_period_days") => {
            &["notice period", "notice period (days)", "notice days"]
        }
        (RecordKind::System, "contract.annual_value") => &[
            "annual cost",
            "annual costs",
            "cost per annum",
            "cost pa",
            "cost per year",
            "yearly cost",
            "annual charge",
            "annual contract value",
            "annual value",
            "annual licence cost",
            "annual license cost",
            "annual support cost",
            "annual maintenance cost",
            "revenue cost",
        ],
        (RecordKind::System, "contract.total_value") => &[
            "contract value",
            "total contract value",
            "total value",
            "whole life value",
            "whole life cost",
            "total cost",
        ],
        (RecordKind::Contract, "product") => &[
            "product",
            "product name",
            "software",
            "software product",
            "application",
        ],
        _ => &[],
    }
}

/// Reads a contract detail cell of a system row into `out.contract`, as the contract's field
/// reads it.
pub(crate) fn read_contract_detail(
    out: &mut SourceRow,
    column: &Column,
    field: &str,
    cell: &Cell,
    row: usize,
    col: usize,
) {
    let note = |message: String| CellNote {
        row,
        col: Some(col),
        message,
    };
    let field_type = questionnaire::fields(RecordKind::Contract)
        .iter()
        .find(|f| f.name == field)
        .map_or(FieldType::Text, |f| f.field_type);
    let read = match field_type {
        FieldType::Money => values::money(cell),
        FieldType::Integer => values::integer(cell),
        FieldType::Date => match values::date(cell) {
            Ok(DateRead::Date(d)) => Ok(Read::Value(Value::String(d.to_string()))),
            Ok(DateRead::Blank) => Ok(Read::Blank),
            Ok(DateRead::Unknown(w)) => Ok(Read::Unknown(w)),
            Ok(DateRead::Rolling) if field == "end_date" => {
                out.contract.insert("rolling".into(), Value::Bool(true));
                Ok(Read::Blank)
            }
            Ok(DateRead::Rolling) => Err(format!(
                "'{}' is not a date",
                values::tidy_text(&cell.display())
            )),
            Err(e) => Err(e),
        },
        _ => values::text(cell, false),
    };
    match read {
        Ok(Read::Value(v)) => {
            out.contract.insert(field.to_string(), v);
            out.origin
                .push((format!("contract.{field}").into(), row, col));
        }
        Ok(Read::Unknown(w)) => out.warnings.push(note(format!("{}: {w}", column.label))),
        Ok(Read::Blank) => {}
        Err(e) => out.errors.push(note(format!("{}: {e}", column.label))),
    }
}

/// Reads the product a contract row names: a name to look up (or add) in the store.
pub(crate) fn read_product(out: &mut SourceRow, cell: &Cell, row: usize, col: usize) {
    if let Ok(Read::Value(Value::String(s))) = values::text(cell, false) {
        out.lookups.push(Lookup {
            path: PRODUCT_PATH.into(),
            kind: RecordKind::Product,
            col,
            row,
            names: vec![s],
        });
    }
}

/// The best-cased of the spellings of one name: written with capitals and small letters
/// (`Agilisys Limited`) before all capitals (`AGILISYS LIMITED`) or all small letters; among
/// those, the one written most often; then the first seen.
pub(crate) fn best_cased<'a>(spellings: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for s in spellings {
        match seen.iter_mut().find(|(t, _)| *t == s) {
            Some(e) => e.1 += 1,
            None => seen.push((s, 1)),
        }
    }
    let mixed = |s: &str| {
        let upper = s.chars().any(char::is_uppercase);
        let lower = s.chars().any(char::is_lowercase);
        upper && lower
    };
    // Stable: among equals the first seen stays first.
    let mut ranked: Vec<(usize, &str, usize)> = seen
        .into_iter()
        .enumerate()
        .map(|(i, (s, n))| (i, s, n))
        .collect();
    ranked.sort_by(|a, b| {
        mixed(b.1)
            .cmp(&mixed(a.1))
            .then(b.2.cmp(&a.2))
            .then(a.0.cmp(&b.0))
    });
    ranked.first().map(|(_, s, _)| (*s).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_cased_spelling_wins_whatever_came_first() {
        assert_eq!(
            best_cased(["AGILISYS LIMITED", "Agilisys Limited", "AGILISYS LIMITED"]).as_deref(),
            Some("Agilisys Limited")
        );
        assert_eq!(
            best_cased(["civica", "CIVICA", "Civica UK", "Civica UK", "Civica"]).as_deref(),
            Some("Civica UK")
        );
        assert_eq!(best_cased(["IBM", "ibm"]).as_deref(), Some("IBM"));
        assert_eq!(best_cased([]), None);
    }

    #[test]
    fn contract_details_read_as_the_contract_reads_them() {
        let cols = columns(RecordKind::System);
        let end = cols.iter().find(|c| c.path == "contract.end_date").unwrap();
        let cost = cols
            .iter()
            .find(|c| c.path == "contract.annual_value")
            .unwrap();
        let mut out = SourceRow::default();
        read_contract_detail(
            &mut out,
            end,
            "end_date",
            &Cell::Text("31/03/2027".into()),
            4,
            5,
        );
        read_contract_detail(
            &mut out,
            cost,
            "annual_value",
            &Cell::Text("£12,500".into()),
            4,
            6,
        );
        assert_eq!(out.contract["end_date"], "2027-03-31");
        assert_eq!(out.contract["annual_value"], 1_250_000);
        assert!(out.fields.is_empty(), "nothing is the system's");
        read_contract_detail(
            &mut out,
            end,
            "end_date",
            &Cell::Text("Rolling".into()),
            5,
            5,
        );
        assert_eq!(out.contract["rolling"], true);
        read_contract_detail(
            &mut out,
            cost,
            "annual_value",
            &Cell::Text("lots".into()),
            6,
            6,
        );
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].col, Some(6));
    }
}
