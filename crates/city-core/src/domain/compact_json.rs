//! A record's JSON text as the store keeps it: the record struct's fields in order, leaving
//! out each field that holds nothing (`null`, `[]` or `{}`). Every record struct is
//! `#[serde(default)]` with a derived `Default` whose fields are `None`, empty lists and empty
//! maps, so a left-out field reads back as the value it had (tested for every kind in
//! `records`). Fields of a nested struct (a system's `gdpr`) are written whole. A value that is
//! not a struct is refused (the caller falls back to `serde_json`).

use super::struct_fields::{FieldSink, for_each_field};
use serde::Serialize;
use serde::ser;

type Error = serde_json::Error;

/// `value`'s JSON text without its empty fields, or an error if `value` is not a struct.
pub(crate) fn to_string<T: Serialize>(value: &T) -> Result<String, Error> {
    let mut sink = Compact {
        out: Vec::with_capacity(256),
        first: true,
    };
    sink.out.push(b'{');
    for_each_field(value, &mut sink)?;
    sink.out.push(b'}');
    // Only `serde_json` writes into `out` (keys included): always UTF-8.
    String::from_utf8(sink.out).map_err(ser::Error::custom)
}

/// The texts a field holding nothing is written as.
fn is_empty(text: &[u8]) -> bool {
    matches!(text, b"null" | b"[]" | b"{}")
}

/// A struct's text being written: `first` until one field is kept.
struct Compact {
    out: Vec<u8>,
    first: bool,
}

impl FieldSink for Compact {
    fn field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        let mark = self.out.len();
        if !self.first {
            self.out.push(b',');
        }
        serde_json::to_writer(&mut self.out, key)?;
        self.out.push(b':');
        let start = self.out.len();
        serde_json::to_writer(&mut self.out, value)?;
        if is_empty(&self.out[start..]) {
            self.out.truncate(mark);
        } else {
            self.first = false;
        }
        Ok(())
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
