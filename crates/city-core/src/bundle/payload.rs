//! The return inside a bundle: wire types (separate from the domain types), JSON limits, and
//! the checks that the inner header matches the signed one and every record is valid.

use super::BundleError;
use super::comment::Header;
use crate::domain::enums::{RecordKind, ReviewState};
use crate::domain::records::{FieldIssue, RecordData};
use serde::{Deserialize, Serialize};
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

/// One record as sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WireRecord {
    pub(crate) id: Uuid,
    pub(crate) kind: RecordKind,
    pub(crate) review_state: ReviewState,
    pub(crate) data: serde_json::Value,
}

/// The whole payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Payload {
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
    pub(crate) records: Vec<WireRecord>,
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

/// Checks nesting depth and string lengths before any parsing.
fn check_limits(bytes: &[u8]) -> Result<(), BundleError> {
    let bad = |m: String| BundleError::Payload(m);
    if bytes.len() > MAX_PAYLOAD {
        return Err(bad("it is larger than 48 MiB".into()));
    }
    let text =
        std::str::from_utf8(bytes).map_err(|e| bad(format!("it is not UTF-8 text ({e})")))?;
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
                    return Err(bad(format!(
                        "a string is longer than {MAX_STRING} characters"
                    )));
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
                    return Err(bad(format!(
                        "it is nested more than {MAX_DEPTH} levels deep"
                    )));
                }
            }
            '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

impl Payload {
    pub(crate) fn to_bytes(&self) -> Result<Vec<u8>, BundleError> {
        serde_json::to_vec(self).map_err(|e| BundleError::Payload(e.to_string()))
    }

    /// Parses a decrypted payload under the limits.
    pub(crate) fn parse(bytes: &[u8]) -> Result<Payload, BundleError> {
        check_limits(bytes)?;
        // A well-formed payload parses plainly; only a bad one is parsed again with the
        // path-tracking deserialiser, to say where it is wrong.
        if let Ok(p) = serde_json::from_slice::<Payload>(bytes) {
            if p.records.len() > MAX_RECORDS {
                return Err(BundleError::Payload(format!(
                    "it holds more than {MAX_RECORDS} records"
                )));
            }
            return Ok(p);
        }
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let p: Payload = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| BundleError::Payload(format!("at '{}': {}", e.path(), e.inner())))?;
        de.end().map_err(|e| BundleError::Payload(e.to_string()))?;
        if p.records.len() > MAX_RECORDS {
            return Err(BundleError::Payload(format!(
                "it holds more than {MAX_RECORDS} records"
            )));
        }
        Ok(p)
    }

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
                    issue: FieldIssue {
                        field: "id".into(),
                        message: "the same id appears twice".into(),
                    },
                });
                continue;
            }
            match RecordData::from_json_ref(r.kind, &r.data) {
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
}
