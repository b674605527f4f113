//! The questionnaire as data for front ends: every record type's fields in form order, with
//! labels, hints, types, options, and which are required to save or sensitive. Forms, templates
//! and data dictionaries are built from this instead of hard-coding fields.

use super::{EnumOption, QUESTIONNAIRE_VERSION};
use crate::domain::enums::{RecordKind, all_enumerations};
use crate::domain::questionnaire::{self, FieldType};
use serde::Serialize;

/// What kind of value a field holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum FieldKind {
    Text,
    LongText,
    Integer,
    /// Integer pence, shown and typed in pounds.
    Money,
    Date,
    Boolean,
    /// One of `options`.
    Choice {
        options: Vec<EnumOption>,
    },
    /// The id of another record of `kind`.
    Reference {
        kind: RecordKind,
    },
    /// Ids of other records of `kind`.
    References {
        kind: RecordKind,
    },
    TextList,
    /// A rating from `options` for each of `keys` (a JSON object keyed by key id).
    Ratings {
        keys: Vec<EnumOption>,
        options: Vec<EnumOption>,
    },
}

/// One field of a record type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldSchema {
    /// The JSON name; nested fields use one dot (`gdpr.lawful_basis`).
    pub name: String,
    pub label: String,
    pub hint: String,
    pub kind: FieldKind,
    /// The record cannot be saved without it.
    pub required: bool,
    /// Left out of open exports.
    pub sensitive: bool,
}

/// One record type and its fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordSchema {
    pub kind: RecordKind,
    pub label: String,
    /// The heading for a list of them (`Systems`, `GDPR readiness`).
    pub plural: String,
    /// At most one per return (the organisation-level questionnaires).
    pub one_per_return: bool,
    pub fields: Vec<FieldSchema>,
}

/// The whole questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Questionnaire {
    pub version: String,
    pub records: Vec<RecordSchema>,
}

fn options(list: Vec<(&'static str, &'static str)>) -> Vec<EnumOption> {
    list.into_iter()
        .map(|(id, label)| EnumOption {
            id: id.into(),
            label: label.into(),
        })
        .collect()
}

/// The questionnaire this build asks.
pub fn questionnaire() -> Questionnaire {
    let enums = all_enumerations();
    let lookup = |name: &str| {
        options(
            enums
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, o)| o.clone())
                .unwrap_or_default(),
        )
    };
    let records = RecordKind::ALL
        .iter()
        .map(|kind| RecordSchema {
            kind: *kind,
            label: kind.label().into(),
            plural: kind.plural().into(),
            one_per_return: kind.is_singleton(),
            fields: questionnaire::fields(*kind)
                .iter()
                .map(|f| FieldSchema {
                    name: f.name.into(),
                    label: f.label.into(),
                    hint: f.hint.into(),
                    kind: match f.field_type {
                        FieldType::Text => FieldKind::Text,
                        FieldType::LongText => FieldKind::LongText,
                        FieldType::Integer => FieldKind::Integer,
                        FieldType::Money => FieldKind::Money,
                        FieldType::Date => FieldKind::Date,
                        FieldType::Boolean => FieldKind::Boolean,
                        FieldType::Choice(e) => FieldKind::Choice { options: lookup(e) },
                        FieldType::Reference(k) => FieldKind::Reference { kind: k },
                        FieldType::References(k) => FieldKind::References { kind: k },
                        FieldType::TextList => FieldKind::TextList,
                        FieldType::Ratings { keys, rating } => FieldKind::Ratings {
                            keys: options(questionnaire::rating_keys(*kind, keys)),
                            options: lookup(rating),
                        },
                    },
                    required: f.required,
                    sensitive: questionnaire::field_is_sensitive(*kind, f.name),
                })
                .collect(),
        })
        .collect();
    Questionnaire {
        version: QUESTIONNAIRE_VERSION.into(),
        records,
    }
}
