//! A record's top-level fields as JSON values, in the record's field order, for the tabular
//! exports: each field's value is what [`RecordData::to_json`] holds under its name, but no
//! map (with a `String` key per field) is built, so a row costs less to make.

use crate::domain::records::RecordData;
use serde::ser::{self, Impossible, Serialize};
use serde_json::{Error, Value};

/// The fields of a record, by name.
pub(crate) struct Fields(Vec<(&'static str, Value)>);

impl Fields {
    /// The record's fields, or `None` if it does not serialise as a plain struct.
    pub(crate) fn of(record: &RecordData) -> Option<Fields> {
        let mut out = Vec::with_capacity(48);
        let done = match record {
            RecordData::System(r) => r.serialize(Top(&mut out)),
            RecordData::Contract(r) => r.serialize(Top(&mut out)),
            RecordData::Supplier(r) => r.serialize(Top(&mut out)),
            RecordData::Product(r) => r.serialize(Top(&mut out)),
            RecordData::Skill(r) => r.serialize(Top(&mut out)),
            RecordData::Gdpr(r) => r.serialize(Top(&mut out)),
            RecordData::Cyber(r) => r.serialize(Top(&mut out)),
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

/// Serialises a struct into its fields; anything else is refused.
struct Top<'a>(&'a mut Vec<(&'static str, Value)>);

/// Collects one struct's fields.
struct Collect<'a>(&'a mut Vec<(&'static str, Value)>);

impl ser::SerializeStruct for Collect<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.0.push((key, serde_json::to_value(value)?));
        Ok(())
    }

    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

fn refused() -> Error {
    ser::Error::custom("a record serialises as a struct")
}

impl<'a> ser::Serializer for Top<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Collect<'a>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Collect<'a>, Error> {
        Ok(Collect(self.0))
    }

    fn serialize_bool(self, _: bool) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_u8(self, _: u8) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_u16(self, _: u16) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_u32(self, _: u32) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_u64(self, _: u64) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_f64(self, _: f64) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_char(self, _: char) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_str(self, _: &str) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(refused())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(refused())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(refused())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(refused())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(refused())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(refused())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(refused())
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
