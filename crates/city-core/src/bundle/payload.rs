//! The return inside a bundle: wire types (separate from the domain types), JSON limits, and
//! the checks that the inner header matches the signed one and every record is valid.

use super::BundleError;
use super::comment::Header;
use crate::domain::enums::{RecordKind, ReviewState};
use crate::domain::records::{FieldIssue, RecordData};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The most deeply nested JSON accepted.
pub(crate) const MAX_DEPTH: usize = 32;
/// The longest string accepted, in characters.
pub(crate) const MAX_STRING: usize = 32_767;
/// The most records accepted.
pub(crate) const MAX_RECORDS: usize = 100_000;
/// The largest payload accepted.
pub(crate) const MAX_PAYLOAD: usize = 48 * 1024 * 1024;

/// The organisation, as the bundle names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WireOrganisation {
    pub(crate) scheme: String,
    pub(crate) code: String,
    pub(crate) name: String,
}

/// One record as sent. Its fields are a JSON object: a [`serde_json::Value`] when a borough
/// builds the payload, and the received text itself ([`RawValue`]) when LOTI reads one, so the
/// payload is parsed once, straight into typed records (no `Value` tree per record).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WireRecord<D = serde_json::Value> {
    pub(crate) id: Uuid,
    pub(crate) kind: RecordKind,
    pub(crate) review_state: ReviewState,
    pub(crate) data: D,
}

/// A received record's fields: the JSON text as it is in the decrypted payload.
pub(crate) type RawFields<'a> = &'a RawValue;

/// The whole payload (as built, or as received with [`RawFields`] records).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Payload<D = serde_json::Value> {
    pub(crate) format: String,
    pub(crate) format_version: u32,
    pub(crate) bundle_id: Uuid,
    pub(crate) seq: u64,
    pub(crate) previous_bundle_id: Option<Uuid>,
    pub(crate) organisation: WireOrganisation,
    pub(crate) cycle: String,
    pub(crate) questionnaire_version: String,
    pub(crate) created_at: String,
    pub(crate) app_version: String,
    pub(crate) signer_key: String,
    pub(crate) counts: BTreeMap<String, usize>,
    pub(crate) records: Vec<WireRecord<D>>,
}

/// The payload's format name.
pub(crate) const FORMAT_NAME: &str = "citytools-return";

/// A record problem: which record, which field, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecordProblem {
    pub(crate) kind: RecordKind,
    pub(crate) id: Uuid,
    pub(crate) issue: FieldIssue,
}

/// Checks nesting depth and string lengths before any parsing. A string's length counts its
/// characters as written, escapes included, as a scan of `chars()` would; the scan goes by
/// bytes (every character that matters is ASCII, and a character starts at every byte that is
/// not a UTF-8 continuation byte), which is several times faster on a large payload.
fn check_limits(bytes: &[u8]) -> Result<(), BundleError> {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether any byte of `x` is `b` (exact: the classic zero-byte test on `x ^ b…b`).
    let has_byte = |x: u64, b: u8| {
        let y = x ^ (LOW * u64::from(b));
        y.wrapping_sub(LOW) & !y & HIGH != 0
    };
    let bad = |m: String| BundleError::Payload(m);
    if bytes.len() > MAX_PAYLOAD {
        return Err(bad("it is larger than 48 MiB".into()));
    }
    std::str::from_utf8(bytes).map_err(|e| bad(format!("it is not UTF-8 text ({e})")))?;
    let starts_char = |b: u8| (b & 0xC0) != 0x80;
    let (mut depth, mut i) = (0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                // Characters after the opening quote, up to and including the closing one.
                let mut run = 0usize;
                i += 1;
                while i < bytes.len() {
                    // Eight plain ASCII characters at a time (no quote, backslash or non-ASCII).
                    if let Some(word) = bytes.get(i..i + 8) {
                        let x = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
                        if !has_byte(x, b'"') && !has_byte(x, b'\\') && x & HIGH == 0 {
                            run += 8;
                            i += 8;
                            continue;
                        }
                    }
                    let b = bytes[i];
                    i += 1;
                    if b == b'"' {
                        run += 1;
                        if run > MAX_STRING + 1 {
                            return Err(bad(format!(
                                "a string is longer than {MAX_STRING} characters"
                            )));
                        }
                        break;
                    }
                    if b == b'\\' {
                        // The backslash and the character it escapes (whatever it is).
                        run += 1;
                        if i < bytes.len() {
                            run += 1;
                            i += 1;
                        }
                    } else if starts_char(b) {
                        run += 1;
                    }
                }
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(bad(format!(
                        "it is nested more than {MAX_DEPTH} levels deep"
                    )));
                }
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    Ok(())
}

impl Payload {
    pub(crate) fn to_bytes(&self) -> Result<Vec<u8>, BundleError> {
        serde_json::to_vec(self).map_err(|e| BundleError::Payload(e.to_string()))
    }
}

impl<'a> Payload<RawFields<'a>> {
    /// Parses a decrypted payload under the limits; each record's fields stay the text
    /// received, for [`Payload::records`] to read straight into typed records.
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Self, BundleError> {
        check_limits(bytes)?;
        let too_many = || BundleError::Payload(format!("it holds more than {MAX_RECORDS} records"));
        // A well-formed payload parses plainly; only a bad one is parsed again with the
        // path-tracking deserialiser, to say where it is wrong.
        let direct = match serde_json::from_slice::<Self>(bytes) {
            Ok(p) if p.records.len() > MAX_RECORDS => return Err(too_many()),
            Ok(p) => return Ok(p),
            Err(e) => e,
        };
        // The path-tracking parse builds each record as a `Value`, as before records were
        // kept as text, so the messages name the same places.
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let p: Payload = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| BundleError::Payload(format!("at '{}': {}", e.path(), e.inner())))?;
        de.end().map_err(|e| BundleError::Payload(e.to_string()))?;
        if p.records.len() > MAX_RECORDS {
            return Err(too_many());
        }
        Err(BundleError::Payload(direct.to_string()))
    }
}

impl<D> Payload<D> {
    /// The inner header must say what the signed header says, signed by the key that signed.
    pub(crate) fn check_against(
        &self,
        outer: &Header,
        signer_base64: &str,
    ) -> Result<(), BundleError> {
        let m = |what: &str, inner: &str, outer: &str| {
            BundleError::Mismatch(format!(
                "{what} is '{inner}' inside but '{outer}' in the signed header"
            ))
        };
        if self.format != FORMAT_NAME || self.format_version != outer.format {
            return Err(BundleError::Payload(format!(
                "format '{}' version {} is not a City Tools return of format {}",
                self.format, self.format_version, outer.format
            )));
        }
        let org = format!("{}:{}", self.organisation.scheme, self.organisation.code);
        if org != outer.organisation {
            return Err(m("the organisation", &org, &outer.organisation));
        }
        if self.cycle != outer.cycle {
            return Err(m("the cycle", &self.cycle, &outer.cycle));
        }
        if self.seq != outer.seq {
            return Err(m(
                "the sequence number",
                &self.seq.to_string(),
                &outer.seq.to_string(),
            ));
        }
        if self.bundle_id != outer.bundle_id {
            return Err(m(
                "the bundle id",
                &self.bundle_id.to_string(),
                &outer.bundle_id.to_string(),
            ));
        }
        if self.questionnaire_version != outer.questionnaire_version {
            return Err(m(
                "the questionnaire version",
                &self.questionnaire_version,
                &outer.questionnaire_version,
            ));
        }
        if self.signer_key != signer_base64 {
            return Err(BundleError::Mismatch(
                "it names a different signing key from the one that signed it (re-signed by someone else?)".into(),
            ));
        }
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for r in &self.records {
            *counts.entry(r.kind.id().to_string()).or_default() += 1;
        }
        if counts != self.counts {
            return Err(BundleError::Payload(
                "its record counts do not match its records".into(),
            ));
        }
        Ok(())
    }
}

impl Payload<RawFields<'_>> {
    /// Parses and validates every record; returns them or every problem found.
    pub(crate) fn records(
        &self,
    ) -> Result<Vec<(Uuid, ReviewState, RecordData)>, Vec<RecordProblem>> {
        let mut ok = Vec::with_capacity(self.records.len());
        let mut problems = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for r in &self.records {
            if !seen.insert(r.id) {
                problems.push(RecordProblem {
                    kind: r.kind,
                    id: r.id,
                    issue: FieldIssue::new("id", "the same id appears twice"),
                });
                continue;
            }
            match RecordData::from_json_raw(r.kind, r.data.get()) {
                Err(issue) => problems.push(RecordProblem {
                    kind: r.kind,
                    id: r.id,
                    issue,
                }),
                Ok(mut data) => {
                    data.normalise();
                    let issues = data.validate();
                    if issues.is_empty() {
                        ok.push((r.id, r.review_state, data));
                    } else {
                        problems.extend(issues.into_iter().map(|issue| RecordProblem {
                            kind: r.kind,
                            id: r.id,
                            issue,
                        }));
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(ok)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_enforced_before_parsing() {
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert!(
            Payload::parse(deep.as_bytes())
                .unwrap_err()
                .to_string()
                .contains("nested")
        );
        let long = format!("{{\"format\":\"{}\"}}", "x".repeat(40_000));
        assert!(
            Payload::parse(long.as_bytes())
                .unwrap_err()
                .to_string()
                .contains("longer")
        );
        assert!(
            Payload::parse(b"\xff\xfe")
                .unwrap_err()
                .to_string()
                .contains("UTF-8")
        );
        let e = Payload::parse(br#"{"format":"x","format":"y"}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("format"), "{e}");
    }

    /// The scan as it was written first (by `chars()`), to compare with.
    fn limits_by_chars(text: &str) -> Option<&'static str> {
        let (mut depth, mut in_string, mut escaped, mut run) = (0usize, false, false, 0usize);
        for c in text.chars() {
            if in_string {
                run += 1;
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                    if run > MAX_STRING + 1 {
                        return Some("longer");
                    }
                }
                continue;
            }
            match c {
                '"' => {
                    in_string = true;
                    run = 0;
                }
                '{' | '[' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some("nested");
                    }
                }
                '}' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        None
    }

    #[test]
    fn the_byte_scan_agrees_with_a_character_scan() {
        let pieces = [
            "x", "é", "€", "𝄞", "\\", "\\\"", "\\é", "\"", "[", "]", "{", "}", "\\n",
        ];
        let mut seed = 7u64;
        for _ in 0..3000 {
            let mut text = String::new();
            // A mix of long runs and short tricky pieces, so some strings are near the limit.
            for _ in 0..(seed % 40) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let p = pieces[(seed >> 33) as usize % pieces.len()];
                let n = if (seed >> 20).is_multiple_of(7) {
                    (seed >> 40) as usize % (MAX_STRING + 4)
                } else {
                    1 + (seed >> 40) as usize % 40
                };
                text.push_str(&p.repeat(n));
            }
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            let ours = check_limits(text.as_bytes()).err().map(|e| {
                if e.to_string().contains("longer") {
                    "longer"
                } else {
                    "nested"
                }
            });
            assert_eq!(
                ours,
                limits_by_chars(&text),
                "{}",
                &text[..text.len().min(200)]
            );
        }
    }

    #[test]
    fn string_lengths_count_characters_and_escapes_as_written() {
        let doc = |body: &str| format!("{{\"format\":\"{body}\"}}");
        let ok = |body: &str| check_limits(doc(body).as_bytes()).is_ok();
        assert!(ok(&"é".repeat(MAX_STRING)));
        assert!(!ok(&"é".repeat(MAX_STRING + 1)));
        assert!(ok(&"€".repeat(MAX_STRING)));
        // An escape is two characters as written; an escaped quote does not end the string.
        assert!(ok(&format!("{}\\n", "x".repeat(MAX_STRING - 2))));
        assert!(!ok(&format!("{}\\n", "x".repeat(MAX_STRING - 1))));
        assert!(!ok(&format!("\\\"{}", "x".repeat(MAX_STRING))));
        assert!(ok(&format!("\\é{}", "x".repeat(MAX_STRING - 2))));
        // Brackets inside strings do not nest.
        assert!(ok(&"[".repeat(100)));
        let deep = format!("{}\"x\"{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(check_limits(deep.as_bytes()).is_ok());
        let deeper = format!("{{\"a\":{deep}}}");
        assert!(check_limits(deeper.as_bytes()).is_err());
    }

    #[test]
    fn records_are_kept_as_text_and_errors_name_their_place() {
        let payload = |records: &str| {
            format!(
                r#"{{"format":"citytools-return","format_version":1,
                "bundle_id":"11111111-1111-4111-8111-111111111111","seq":1,
                "previous_bundle_id":null,
                "organisation":{{"scheme":"gss","code":"E09000007","name":"Camden"}},
                "cycle":"2026-27","questionnaire_version":"2026.1",
                "created_at":"2026-11-23T09:00:00Z","app_version":"0.1.0","signer_key":"RW",
                "counts":{{"product":1}},"records":[{records}]}}"#
            )
        };
        let ok = payload(
            r#"{"id":"22222222-2222-4222-8222-222222222222","kind":"product",
                "review_state":"new","data": {"name":"A\u00e9"} }"#,
        );
        let p = Payload::parse(ok.as_bytes()).unwrap();
        assert_eq!(p.records[0].data.get(), r#"{"name":"A\u00e9"}"#);
        let records = p.records().unwrap();
        assert_eq!(records[0].2.label(), "A\u{e9}");

        let bad = payload(
            r#"{"id":"22222222-2222-4222-8222-222222222222","kind":"product",
                "review_state":"new","data":{},"extra":1}"#,
        );
        let e = Payload::parse(bad.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("records[0]") && e.contains("extra"), "{e}");
        let bad = payload(
            r#"{"id":"22222222-2222-4222-8222-222222222222","kind":"product",
                "review_state":"new","data":{"name":1e400}}"#,
        );
        // The payload splits (the text is well-formed JSON); the record names its field.
        let p = Payload::parse(bad.as_bytes()).unwrap();
        let problems = p.records().unwrap_err();
        assert_eq!(problems[0].issue.field, "name");
        assert!(
            problems[0].issue.message.contains("out of range"),
            "{problems:?}"
        );
    }
}
