//! Key rotation statements: "organisation X replaces key OLD with key NEW", signed by both keys
//! (as TUF signs root N+1 with N's keys and its own), so LOTI can trust the new key without a
//! phone call.

use super::BundleError;
use super::container;
use super::keys::{PublicKeyInfo, SignatureText, SigningKey};
use serde::{Deserialize, Serialize};

const STATEMENT: &str = "rotation.json";
const BY_OLD: &str = "rotation.json.old.minisig";
const BY_NEW: &str = "rotation.json.new.minisig";
pub(crate) const FORMAT_NAME: &str = "citytools-rotation";

/// The statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Rotation {
    pub(crate) format: String,
    pub(crate) format_version: u32,
    /// `scheme:code`.
    pub(crate) organisation: String,
    pub(crate) old_key: String,
    pub(crate) new_key: String,
    pub(crate) created: String,
}

impl Rotation {
    fn comment(&self, which: &str) -> String {
        format!("ctrotate=1 org={} signer={which}", self.organisation)
    }

    /// Signs the statement with the old and the new key.
    pub(crate) fn seal(&self, old: &SigningKey, new: &SigningKey) -> Result<Vec<u8>, BundleError> {
        if old.info().base64 != self.old_key || new.info().base64 != self.new_key {
            return Err(BundleError::Key(
                "the statement names other keys than those signing it".into(),
            ));
        }
        let json =
            serde_json::to_vec_pretty(self).map_err(|e| BundleError::Payload(e.to_string()))?;
        let a = old.sign(&json, &self.comment("old"), "City Tools key rotation")?;
        let b = new.sign(&json, &self.comment("new"), "City Tools key rotation")?;
        container::write(&[
            (STATEMENT, &json),
            (BY_OLD, a.as_bytes()),
            (BY_NEW, b.as_bytes()),
        ])
    }

    /// Opens a statement and checks that both keys it names signed it.
    pub(crate) fn open(
        bytes: &[u8],
    ) -> Result<(Rotation, PublicKeyInfo, PublicKeyInfo), BundleError> {
        let mut parts = container::read(
            bytes,
            &[(STATEMENT, 16 * 1024), (BY_OLD, 4096), (BY_NEW, 4096)],
        )?
        .into_iter();
        let (Some(json), Some(a), Some(b)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(BundleError::Container("entries are missing".into()));
        };
        let r: Rotation = serde_json::from_slice(&json)
            .map_err(|e| BundleError::Payload(format!("rotation.json: {e}")))?;
        if r.format != FORMAT_NAME || r.format_version != 1 {
            return Err(BundleError::Payload(
                "not a format-1 City Tools key rotation".into(),
            ));
        }
        let old = PublicKeyInfo::parse(&r.old_key)?;
        let new = PublicKeyInfo::parse(&r.new_key)?;
        for (sig, key, which) in [(a, &old, "old"), (b, &new, "new")] {
            let text = String::from_utf8(sig)
                .map_err(|_| BundleError::Signature("it is not text".into()))?;
            let sig = SignatureText::parse(&text)?;
            let comment = sig
                .verify(&json, key)
                .map_err(|e| BundleError::Signature(format!("the {which} key's signature: {e}")))?;
            if comment != r.comment(which) {
                return Err(BundleError::Mismatch(format!(
                    "the {which} key's signed header names another organisation"
                )));
            }
        }
        Ok((r, old, new))
    }
}
