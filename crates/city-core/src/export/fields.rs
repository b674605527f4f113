//! A record's top-level fields as JSON values, in the record's field order, for the tabular
//! exports: each field's value is what [`RecordData::to_json`] holds under its name, but no
//! map (with a `String` key per field) is built, so a row costs less to make.

use crate::domain::records::RecordData;
use crate::domain::struct_fields::{FieldSink, for_each_field};
use serde::Serialize;
use serde_json::{Error, Value};

/// The fields of a record, by name.
pub(crate) struct Fields(Vec<(&'static str, Value)>);

impl Fields {
    /// The record's fields, or `None` if it does not serialise as a plain struct.
    pub(crate) fn of(record: &RecordData) -> Option<Fields> {
        let mut out = Vec::with_capacity(48);
        let done = match record {
            RecordData::System(r) => for_each_field(r, &mut out),
            RecordData::Contract(r) => for_each_field(r, &mut out),
            RecordData::Supplier(r) => for_each_field(r, &mut out),
            RecordData::Product(r) => for_each_field(r, &mut out),
            RecordData::Skill(r) => for_each_field(r, &mut out),
            RecordData::Gdpr(r) => for_each_field(r, &mut out),
            RecordData::Cyber(r) => for_each_field(r, &mut out),
        };
        done.ok().map(|()| Fields(out))
    }

    /// The value of field `name` (`outer.inner` for a key of an object field), `None` when
    /// missing or null: as `json.get(outer)?.get(inner)` on [`RecordData::to_json`].
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        let mut parts = name.splitn(2, '.');
        let outer = parts.next()?;
        let v = &self.0.iter().find(|(k, _)| *k == outer)?.1;
        let v = match parts.next() {
            Some(inner) => v.get(inner)?,
            None => v,
        };
        (!v.is_null()).then_some(v)
    }
}

/// Collects each field's value.
impl FieldSink for Vec<(&'static str, Value)> {
    fn field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.push((key, serde_json::to_value(value)?));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Fields;
    use crate::domain::questionnaire;
    use crate::domain::records::RecordData;

    /// Every field of every record of the London fixture reads the same as from `to_json`.
    #[test]
    fn fields_read_as_to_json() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/london/returns.json");
        let text = std::fs::read_to_string(path).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut seen = 0;
        let mut check = |v: &serde_json::Value| {
            let kind = v.get("kind").and_then(|k| k.as_str());
            let data = v.get("data");
            let (Some(kind), Some(data)) = (kind, data) else {
                return;
            };
            let Some(kind) = crate::domain::enums::RecordKind::from_id(kind) else {
                return;
            };
            let Ok(r) = RecordData::from_json(kind, data.clone()) else {
                return;
            };
            let whole = r.to_json();
            let fields = Fields::of(&r).unwrap();
            for f in questionnaire::fields(kind) {
                let mut parts = f.name.splitn(2, '.');
                let outer = whole.get(parts.next().unwrap());
                let want = match parts.next() {
                    Some(inner) => outer.and_then(|o| o.get(inner)),
                    None => outer,
                }
                .filter(|v| !v.is_null());
                assert_eq!(fields.get(f.name), want, "{}", f.name);
            }
            seen += 1;
        };
        walk(&json, &mut check);
        assert!(seen > 100, "only {seen} records found in the fixture");
    }

    fn walk(v: &serde_json::Value, f: &mut dyn FnMut(&serde_json::Value)) {
        f(v);
        match v {
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, f)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, f)),
            _ => {}
        }
    }
}
