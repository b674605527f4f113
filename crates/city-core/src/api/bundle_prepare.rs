//! The part of importing a bundle that needs no transaction, run one bundle ahead of the
//! merge on a second thread: reading the file, hashing it, reading the seal, verifying the
//! signature with the key the keyring held when the import began, decrypting, and reading and
//! validating the payload. The merge (`bundles::imports::import_in`) still makes every decision in its
//! own order inside the transaction — key trust, revocation, expiry, organisation, replay and
//! sequence checks come before anything prepared here is used — and it uses a prepared result
//! only when the keyring's key is still exactly the one the result was made with; otherwise
//! it does the work itself. Nothing prepared touches the store, and plaintext stays in memory.

use super::bundles::{file_loc, read_file, refused};
use super::{Error, ErrorKind, Issue, Location};
use crate::bundle::comment::Header;
use crate::bundle::keys::{self, PublicKeyInfo};
use crate::bundle::payload::Payload;
use crate::bundle::seal::{self, Unverified};
use crate::bundle::{BundleError, sha256_hex};
use crate::domain::enums::ReviewState;
use crate::domain::records::RecordData;
use crate::store::KeyRow;
use std::path::Path;
use uuid::Uuid;

/// A decrypted, checked payload, owned (its text is no longer needed).
pub(super) struct Opened {
    pub(super) organisation: crate::bundle::payload::WireOrganisation,
    pub(super) questionnaire_version: String,
    pub(super) records: Vec<(Uuid, ReviewState, RecordData)>,
    /// Each record's JSON as the store keeps it, in the same order.
    pub(super) texts: Vec<String>,
}

/// What was verified and opened with one key, for the merge to use if that key is still the
/// keyring's.
pub(super) struct Verified {
    pub(super) key_id: String,
    pub(super) public_key: String,
    pub(super) header: Result<Header, Error>,
    /// Present when the header verified.
    pub(super) opened: Option<Result<Opened, Error>>,
}

/// One bundle file, prepared.
pub(super) struct Prepared {
    pub(super) bytes: Result<Vec<u8>, Error>,
    pub(super) sha256: Option<String>,
    /// The seal as read, when it could be (the merge reads it again, to name the error).
    pub(super) unverified: Option<Unverified>,
    pub(super) verified: Option<Verified>,
}

impl Verified {
    /// Whether this was made with exactly `key` (same id and public key).
    pub(super) fn made_with(&self, key: &KeyRow) -> bool {
        self.key_id == key.key_id && self.public_key == key.public_key
    }
}

/// Prepares `file` with the keyring as it was when the import began (`keyring`).
pub(super) fn prepare(file: &Path, keyring: &[KeyRow], ids: &[keys::Identity]) -> Prepared {
    let bytes = read_file(file, crate::bundle::container::MAX_FILE as u64);
    let Ok(b) = &bytes else {
        return Prepared {
            bytes,
            sha256: None,
            unverified: None,
            verified: None,
        };
    };
    let sha256 = Some(sha256_hex(b));
    let unverified = seal::read(b).ok();
    let verified = unverified.as_ref().and_then(|unverified| {
        let key = keyring
            .iter()
            .find(|k| k.key_id == unverified.signature.key_id)?;
        let trusted = PublicKeyInfo::parse(&key.public_key).ok()?;
        let header = unverified.verify(&trusted).map_err(|e| refused(file, e));
        let opened = header
            .as_ref()
            .ok()
            .map(|h| open_payload(file, unverified, h, &trusted, ids));
        Some(Verified {
            key_id: key.key_id.clone(),
            public_key: key.public_key.clone(),
            header,
            opened,
        })
    });
    Prepared {
        bytes,
        sha256,
        unverified,
        verified,
    }
}

/// Decrypts a verified bundle with the first identity that opens it, reads the payload under
/// its limits, checks its inner header against the signed one, and validates every record
/// (all problems listed).
pub(super) fn open_payload(
    file: &Path,
    unverified: &Unverified,
    header: &Header,
    trusted: &PublicKeyInfo,
    ids: &[keys::Identity],
) -> Result<Opened, Error> {
    let mut plain = None;
    let mut last = BundleError::Decrypt("no identity given".into());
    for id in ids {
        match unverified.decrypt(id) {
            Ok(p) => {
                plain = Some(p);
                break;
            }
            Err(e) => last = e,
        }
    }
    let plain = plain.ok_or_else(|| refused(file, last))?;
    let payload = Payload::parse(&plain).map_err(|e| refused(file, e))?;
    payload
        .check_against(header, &trusted.base64)
        .map_err(|e| refused(file, e))?;
    let records = payload.records().map_err(|problems| {
        let issues: Vec<Issue> = problems
            .iter()
            .map(|p| Issue {
                message: format!(
                    "{} {} field '{}': {}",
                    p.kind.id(),
                    p.id,
                    p.issue.field,
                    p.issue.message
                ),
                location: Some(Location::record(p.kind, Some(p.id), Some(&p.issue.field))),
            })
            .collect();
        Error {
            kind: ErrorKind::Validation,
            message: format!(
                "{}: the return has {} invalid field{}: {}",
                file.display(),
                issues.len(),
                if issues.len() == 1 { "" } else { "s" },
                issues
                    .first()
                    .map(|i| i.message.clone())
                    .unwrap_or_default()
            ),
            location: Some(file_loc(file)),
            issues,
            cause: None,
        }
    })?;
    let texts = records.iter().map(|(_, _, r)| r.to_json_text()).collect();
    Ok(Opened {
        organisation: payload.organisation.clone(),
        questionnaire_version: payload.questionnaire_version.clone(),
        records,
        texts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str, public: &str) -> KeyRow {
        KeyRow {
            key_id: id.into(),
            organisation_id: "gss:E09000007".into(),
            public_key: public.into(),
            status: "active".into(),
            added_at: "t".into(),
            expires_at: "t".into(),
            replaced_by: None,
            confirmed_by: "x".into(),
            confirmed_note: "y".into(),
            revoked_at: None,
            revoked_reason: None,
        }
    }

    #[test]
    fn a_prepared_result_is_used_only_with_the_very_key_it_was_made_with() {
        let v = Verified {
            key_id: "K1".into(),
            public_key: "RWQ-one".into(),
            header: Err(Error::new(ErrorKind::Validation, "x")),
            opened: None,
        };
        assert!(v.made_with(&key("K1", "RWQ-one")));
        assert!(!v.made_with(&key("K1", "RWQ-two")), "same id, another key");
        assert!(!v.made_with(&key("K2", "RWQ-one")));
    }

    #[test]
    fn an_unreadable_file_is_prepared_as_its_error_and_nothing_else() {
        let p = prepare(Path::new("/nonexistent/city-tools/x.ctbundle"), &[], &[]);
        assert!(p.bytes.is_err());
        assert!(p.sha256.is_none() && p.unverified.is_none() && p.verified.is_none());
    }
}
