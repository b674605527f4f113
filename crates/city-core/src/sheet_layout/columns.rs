//! The spreadsheet columns of each record type, built from the questionnaire: one column per
//! field, one per key of a ratings field (`caf.B1.a`), the hidden record-id column, and the
//! supplier details a register carries beside a contract. The survey template writes these
//! columns and the importer maps sheets onto them, so the two always agree.

use crate::domain::enums::{RecordKind, all_enumerations};
use crate::domain::questionnaire::{self, Field, FieldType};

/// The column that carries a record's id (hidden in the template).
pub(crate) const ID_PATH: &str = "id";
pub(crate) const ID_LABEL: &str = "City Tools id (do not edit)";

/// What a column holds.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target {
    /// The record's id.
    Id,
    /// A questionnaire field.
    Field(Field),
    /// One key of a ratings field (the path says which): the rating enumeration.
    Rating { rating: &'static str },
    /// A detail of the supplier named on the row (`companies_house`, `sme`), used when the
    /// supplier is created or matched.
    SupplierDetail(&'static str),
    /// A field of the contract of the system on the row (`import::linked`).
    ContractDetail(&'static str),
    /// The product a contract is for (`import::linked`).
    Product,
}

/// One importable column of a record type.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    /// Stable name: the field name, `field.key` for a rating, `id`, `supplier.companies_house`.
    pub(crate) path: String,
    /// The header the template writes.
    pub(crate) label: String,
    pub(crate) hint: String,
    pub(crate) target: Target,
}

impl Column {
    pub(crate) fn required(&self) -> bool {
        matches!(self.target, Target::Field(f) if f.required)
    }
}

/// The options of an enumeration by name.
pub(crate) fn options(name: &str) -> Vec<(&'static str, &'static str)> {
    all_enumerations()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, o)| o)
        .unwrap_or_default()
}

/// Every column of a record type, id first, in form order.
pub(crate) fn columns(kind: RecordKind) -> Vec<Column> {
    let mut out = vec![Column {
        path: ID_PATH.into(),
        label: ID_LABEL.into(),
        hint: "Filled in by City Tools so that a re-import updates the same record".into(),
        target: Target::Id,
    }];
    for f in questionnaire::fields(kind) {
        match f.field_type {
            FieldType::Ratings { keys, rating } => {
                for (key, key_label) in questionnaire::rating_keys(kind, keys) {
                    out.push(Column {
                        path: format!("{}.{key}", f.name),
                        label: format!("{} – {key_label}", f.label),
                        hint: f.hint.into(),
                        target: Target::Rating { rating },
                    });
                }
            }
            _ => out.push(Column {
                path: f.name.into(),
                label: f.label.into(),
                hint: f.hint.into(),
                target: Target::Field(*f),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ratings_have_a_column_per_key() {
        assert_eq!(
            columns(RecordKind::System)
                .iter()
                .filter(|c| c.path.starts_with("caf."))
                .count(),
            27
        );
    }
}
