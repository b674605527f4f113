//! A plan's field changes: what a row changes in a record, each field's value before and
//! after as JSON text (a string as itself). A created record's changes ([`Changes`]) are
//! worked out from its JSON text only when something reads them (`--json`, the app's dry run
//! table, the corpus tests): a 50,000-row import printed as text never builds its ~12
//! strings per row.

use super::FieldChange;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use std::sync::{Arc, OnceLock};

/// A created record's JSON text as the store writes it, made once by whoever needs it first
/// (the import's writer thread, as it writes the record) and shared with the plan.
pub(super) type JsonText = Arc<OnceLock<Arc<str>>>;

/// A plan row's field changes: a list, or a created record's JSON text whose list (each field
/// that is not blank, before none) is made the first time it is read. Reads, compares and
/// serialises as the list (`FieldChange[]` in TypeScript).
#[derive(Clone, Default)]
pub struct Changes {
    /// The created record's JSON text, if the list is to be made from it (the same text the
    /// store writes: shared, not copied).
    created: Option<JsonText>,
    list: OnceLock<Vec<FieldChange>>,
}

impl Changes {
    /// The changes of a record created with this JSON text (as the store keeps it).
    #[cfg(test)]
    pub(super) fn created(json: &str) -> Changes {
        Changes::created_as(Arc::new(OnceLock::from(Arc::from(json))))
    }

    /// The changes of a record created with the JSON text `text` holds, or will hold once the
    /// record is written.
    pub(super) fn created_as(text: JsonText) -> Changes {
        Changes {
            created: Some(text),
            list: OnceLock::new(),
        }
    }

    /// The list, made now if it was not yet. A created record's list is empty until its text
    /// is made (only a plan whose writing failed is left so, and it is never shown).
    pub fn as_slice(&self) -> &[FieldChange] {
        if let Some(list) = self.list.get() {
            return list;
        }
        match &self.created {
            Some(text) => match text.get() {
                Some(text) => self.list.get_or_init(|| created_changes_of_text(text)),
                None => &[],
            },
            None => self.list.get_or_init(Vec::new),
        }
    }
}

impl From<Vec<FieldChange>> for Changes {
    fn from(list: Vec<FieldChange>) -> Changes {
        Changes {
            created: None,
            list: OnceLock::from(list),
        }
    }
}

impl std::ops::Deref for Changes {
    type Target = [FieldChange];
    fn deref(&self) -> &[FieldChange] {
        self.as_slice()
    }
}

impl PartialEq for Changes {
    fn eq(&self, other: &Changes) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Changes {}

impl std::fmt::Debug for Changes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl Serialize for Changes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(s)
    }
}

fn json_text(v: Option<&Value>) -> Option<String> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    }
}

pub(super) fn changes(before: &Value, after: &Value) -> Vec<FieldChange> {
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
pub(super) fn created_changes_of_text(json: &str) -> Vec<FieldChange> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::RecordKind;

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
    fn lazy_changes_read_serialise_and_compare_as_the_list() {
        let text = r#"{"title":"Care","annual_value":120000,"system_ids":[],"rolling":null}"#;
        let lazy = Changes::created(text);
        let list = Changes::from(created_changes_of_text(text));
        assert_eq!(lazy.len(), 2);
        assert_eq!(lazy[0].field, "annual_value");
        assert_eq!(lazy[1].after.as_deref(), Some("Care"));
        assert_eq!(lazy, list);
        assert_eq!(
            serde_json::to_string(&Changes::created(text)).expect("json"),
            serde_json::to_string(&list.to_vec()).expect("json")
        );
        assert!(Changes::default().is_empty());
        assert_ne!(Changes::created(text), Changes::default());
    }
}
