//! Reads record fields from the command line: a JSON object (`--data` or `--file`) merged with
//! `--set FIELD=VALUE` flags.

use crate::Failure;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

/// Builds the JSON object of fields for an add or update.
///
/// `as_text` names `--set` fields whose VALUE must be taken as text even if it looks like JSON
/// (e.g. a Companies House number such as 01234567 given to a text field).
pub(crate) fn fields(
    data: Option<&str>,
    file: Option<&Path>,
    set: &[String],
    as_text: &HashSet<String>,
) -> Result<Value, Failure> {
    let mut object = match (data, file) {
        (Some(text), _) => parse_object(text, "--data")?,
        (None, Some(path)) => {
            let text = if path == Path::new("-") {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .map_err(|e| Failure::failed(format!("could not read standard input: {e}")))?;
                s
            } else {
                std::fs::read_to_string(path).map_err(|e| {
                    Failure::failed(format!("could not read {}: {e}", path.display()))
                })?
            };
            parse_object(&text, &path.display().to_string())?
        }
        (None, None) => Map::new(),
    };
    for item in set {
        let (field, raw) = item
            .split_once('=')
            .ok_or_else(|| Failure::usage(format!("--set {item}: write it as FIELD=VALUE")))?;
        let field = field.trim();
        if field.is_empty() {
            return Err(Failure::usage(format!(
                "--set {item}: the field name is missing"
            )));
        }
        let value = if as_text.contains(field) {
            Value::String(raw.to_string())
        } else {
            literal(raw)
        };
        match field.split_once('.') {
            Some((outer, inner)) => {
                let slot = object
                    .entry(outer.to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
                match slot {
                    Value::Object(m) => {
                        m.insert(inner.to_string(), value);
                    }
                    _ => {
                        return Err(Failure::usage(format!(
                            "--set {item}: '{outer}' is not a group of fields"
                        )));
                    }
                }
            }
            None => {
                object.insert(field.to_string(), value);
            }
        }
    }
    Ok(Value::Object(object))
}

/// If the core refused a `--set` value because it wanted text, the field to retry as text.
pub(crate) fn retry_as_text(
    e: &city_core::api::Error,
    set: &[String],
    as_text: &HashSet<String>,
) -> Option<String> {
    if e.cause != Some(city_core::api::Cause::ExpectedText) {
        return None;
    }
    let Some(city_core::api::Location::Record {
        field: Some(field), ..
    }) = &e.location
    else {
        return None;
    };
    let given = set
        .iter()
        .filter_map(|s| s.split_once('=').map(|(f, _)| f.trim()))
        .any(|f| f == field);
    (given && !as_text.contains(field)).then(|| field.clone())
}

/// Reads a JSON array of records' fields from a file ('-' for standard input).
pub(crate) fn array(path: &Path) -> Result<Vec<Value>, Failure> {
    let text = if path == Path::new("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Failure::failed(format!("could not read standard input: {e}")))?;
        s
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| Failure::failed(format!("could not read {}: {e}", path.display())))?
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Array(items)) => Ok(items),
        Ok(_) => Err(Failure::failed(format!(
            "{}: expected a JSON array of records ([{{\"field\": value, …}}, …])",
            path.display()
        ))),
        Err(e) => Err(Failure::failed(format!(
            "{} is not valid JSON: {e}",
            path.display()
        ))),
    }
}

fn parse_object(text: &str, source: &str) -> Result<Map<String, Value>, Failure> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(Failure::failed(format!(
            "{source}: the fields must be a JSON object ({{\"field\": value, …}})"
        ))),
        Err(e) => Err(Failure::failed(format!("{source} is not valid JSON: {e}"))),
    }
}

/// A VALUE is JSON when it looks like JSON (number, true/false/null, array, object, quoted
/// string) and text otherwise.
fn literal(raw: &str) -> Value {
    let t = raw.trim();
    let looks_json = matches!(t, "true" | "false" | "null")
        || t.starts_with(['{', '[', '"'])
        || (t.starts_with(|c: char| c.is_ascii_digit() || c == '-') && t.parse::<f64>().is_ok());
    if looks_json && let Ok(v) = serde_json::from_str(t) {
        return v;
    }
    Value::String(raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_flags_read_json_literals_and_text() {
        let v = fields(
            Some(r#"{"title":"Hosting"}"#),
            None,
            &[
                "annual_value=1250".into(),
                "rolling=true".into(),
                "reference=CT-001".into(),
                "gdpr.lawful_basis=public_task".into(),
                "caf.B1.a=achieved".into(),
                "start_date=2026-04-01".into(),
            ],
            &HashSet::new(),
        )
        .ok()
        .unwrap();
        assert_eq!(
            v,
            json!({"title":"Hosting","annual_value":1250,"rolling":true,"reference":"CT-001",
            "gdpr":{"lawful_basis":"public_task"},"caf":{"B1.a":"achieved"},"start_date":"2026-04-01"})
        );
    }

    #[test]
    fn malformed_json_names_the_source() {
        let e = fields(Some("{nope"), None, &[], &HashSet::new())
            .err()
            .unwrap();
        assert!(
            e.message.starts_with("--data is not valid JSON"),
            "{}",
            e.message
        );
    }
}
