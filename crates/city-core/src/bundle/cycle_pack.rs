//! Cycle packs: LOTI's signed statement of a cycle's dates, questionnaire version and the age
//! recipients that bundles must be encrypted to.

use super::BundleError;
use super::container;
use super::keys::{PublicKeyInfo, SignatureText, SigningKey};
use serde::{Deserialize, Serialize};

const PACK: &str = "cycle.json";
const SIGNATURE: &str = "cycle.json.minisig";

/// The contents of a cycle pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CyclePack {
    pub(crate) format: String,
    pub(crate) format_version: u32,
    pub(crate) cycle: String,
    pub(crate) questionnaire_version: String,
    pub(crate) opens: String,
    pub(crate) closes: String,
    pub(crate) recipients: Vec<String>,
}

pub(crate) const FORMAT_NAME: &str = "citytools-cycle";

impl CyclePack {
    fn comment(&self) -> String {
        format!("ctcycle=1 cycle={}", self.cycle)
    }

    /// Signs the pack with LOTI's root key.
    pub(crate) fn seal(&self, root: &SigningKey) -> Result<Vec<u8>, BundleError> {
        for r in &self.recipients {
            super::keys::parse_recipient(r)?;
        }
        let json =
            serde_json::to_vec_pretty(self).map_err(|e| BundleError::Payload(e.to_string()))?;
        let sig = root.sign(&json, &self.comment(), "City Tools cycle pack")?;
        container::write(&[(PACK, &json), (SIGNATURE, sig.as_bytes())])
    }

    /// Opens a pack, verifying it with `root` (LOTI's root key).
    pub(crate) fn open(bytes: &[u8], root: &PublicKeyInfo) -> Result<CyclePack, BundleError> {
        let mut parts =
            container::read(bytes, &[(PACK, 64 * 1024), (SIGNATURE, 4096)])?.into_iter();
        let (Some(json), Some(sig)) = (parts.next(), parts.next()) else {
            return Err(BundleError::Container("entries are missing".into()));
        };
        let sig =
            String::from_utf8(sig).map_err(|_| BundleError::Signature("it is not text".into()))?;
        let sig = SignatureText::parse(&sig)?;
        if sig.key_id != root.key_id {
            return Err(BundleError::Signature(
                "it was not signed by LOTI's root key".into(),
            ));
        }
        let comment = sig.verify(&json, root)?;
        let pack: CyclePack = serde_json::from_slice(&json)
            .map_err(|e| BundleError::Payload(format!("cycle.json: {e}")))?;
        if pack.format != FORMAT_NAME || pack.format_version != 1 {
            return Err(BundleError::Payload(
                "cycle.json is not a format-1 City Tools cycle pack".into(),
            ));
        }
        if comment != pack.comment() {
            return Err(BundleError::Mismatch(
                "the signed header names another cycle".into(),
            ));
        }
        for r in &pack.recipients {
            super::keys::parse_recipient(r)?;
        }
        if pack.recipients.is_empty() {
            return Err(BundleError::Payload("the pack names no recipients".into()));
        }
        Ok(pack)
    }
}
