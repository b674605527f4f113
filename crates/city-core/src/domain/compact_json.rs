//! A record's JSON text as the store keeps it: the record struct's fields in order, leaving
//! out each field that holds nothing (`null`, `[]` or `{}`). Every record struct is
//! `#[serde(default)]` with a derived `Default` whose fields are `None`, empty lists and empty
//! maps, so a left-out field reads back as the value it had (tested for every kind in
//! `records`). Fields of a nested struct (a system's `gdpr`) are written whole. A value that is
//! not a struct is refused (the caller falls back to `serde_json`).

use serde::Serialize;
use serde::ser::{self, Impossible};

type Error = serde_json::Error;

/// `value`'s JSON text without its empty fields, or an error if `value` is not a struct.
pub(crate) fn to_string<T: Serialize>(value: &T) -> Result<String, Error> {
    let mut out = Vec::with_capacity(256);
    value.serialize(Top { out: &mut out })?;
    // Only `serde_json` writes into `out` (keys included): always UTF-8.
    String::from_utf8(out).map_err(ser::Error::custom)
}

/// The texts a field holding nothing is written as.
fn is_empty(text: &[u8]) -> bool {
    matches!(text, b"null" | b"[]" | b"{}")
}

struct Top<'a> {
    out: &'a mut Vec<u8>,
}

/// A struct's fields being written: `first` until one is kept.
struct Fields<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl ser::SerializeStruct for Fields<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mark = self.out.len();
        if !self.first {
            self.out.push(b',');
        }
        serde_json::to_writer(&mut *self.out, key)?;
        self.out.push(b':');
        let start = self.out.len();
        serde_json::to_writer(&mut *self.out, value)?;
        if is_empty(&self.out[start..]) {
            self.out.truncate(mark);
        } else {
            self.first = false;
        }
        Ok(())
    }

    fn end(self) -> Result<(), Error> {
        self.out.push(b'}');
        Ok(())
    }
}

fn not_a_struct() -> Error {
    ser::Error::custom("only a record struct is written compactly")
}

impl<'a> ser::Serializer for Top<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Fields<'a>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Fields<'a>, Error> {
        self.out.push(b'{');
        Ok(Fields {
            out: self.out,
            first: true,
        })
    }

    fn serialize_bool(self, _: bool) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_u8(self, _: u8) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_u16(self, _: u16) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_u32(self, _: u32) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_u64(self, _: u64) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_f64(self, _: f64) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_char(self, _: char) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_str(self, _: &str) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(not_a_struct())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(not_a_struct())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(not_a_struct())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(not_a_struct())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(not_a_struct())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(not_a_struct())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(not_a_struct())
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    #[derive(Serialize, Default)]
    struct Inner {
        a: Option<u32>,
    }

    #[derive(Serialize, Default)]
    struct Sample {
        name: String,
        maybe: Option<String>,
        list: Vec<u32>,
        map: std::collections::BTreeMap<String, u32>,
        flag: Option<bool>,
        inner: Inner,
    }

    #[test]
    fn empty_fields_are_left_out_and_the_rest_kept_in_order() {
        assert_eq!(
            super::to_string(&Sample::default()).unwrap(),
            r#"{"name":"","inner":{"a":null}}"#
        );
        let full = Sample {
            name: "A \"quoted\" name".into(),
            maybe: Some(String::new()),
            list: vec![1],
            map: [("k".to_string(), 2)].into(),
            flag: Some(false),
            inner: Inner { a: Some(3) },
        };
        let text = super::to_string(&full).unwrap();
        assert_eq!(text, serde_json::to_string(&full).unwrap());
        assert_eq!(
            text,
            r#"{"name":"A \"quoted\" name","maybe":"","list":[1],"map":{"k":2},"flag":false,"inner":{"a":3}}"#
        );
        // Only the first kept field goes without a comma before it.
        let later = Sample {
            flag: Some(true),
            ..Sample::default()
        };
        assert_eq!(
            super::to_string(&later).unwrap(),
            r#"{"name":"","flag":true,"inner":{"a":null}}"#
        );
    }

    #[test]
    fn a_value_that_is_not_a_struct_is_refused() {
        assert!(super::to_string(&1u32).is_err());
        assert!(super::to_string(&vec![1u32]).is_err());
        assert!(super::to_string(&Some(Sample::default())).is_err());
    }
}
