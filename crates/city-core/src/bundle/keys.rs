//! Keys: borough and LOTI signing keys (minisign, secret keys passphrase-protected in
//! minisign's own format), their ids and fingerprints, and LOTI's age X25519 identities.

use super::BundleError;
use age::secrecy::ExposeSecret;

/// A minisign public key with the ways people and the keyring name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PublicKeyInfo {
    /// The key as minisign prints it (`RW…`).
    pub(crate) base64: String,
    /// The 8-byte key id, hex.
    pub(crate) key_id: String,
    /// First 20 hex digits of the SHA-256 of the key bytes, in groups of four.
    pub(crate) fingerprint: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl PublicKeyInfo {
    /// Reads a public key from its base64 form or a minisign `.pub` file's text.
    pub(crate) fn parse(text: &str) -> Result<PublicKeyInfo, BundleError> {
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("untrusted comment:"))
            .ok_or_else(|| BundleError::Key("no public key found".into()))?;
        let pk =
            minisign::PublicKey::from_base64(line).map_err(|e| BundleError::Key(e.to_string()))?;
        Ok(Self::from_key(&pk))
    }

    fn from_key(pk: &minisign::PublicKey) -> PublicKeyInfo {
        let base64 = pk.to_base64();
        let digest = super::sha256_hex(&pk.to_bytes());
        let fingerprint = digest.as_bytes()[..20]
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        PublicKeyInfo {
            base64,
            key_id: hex(pk.keynum()),
            fingerprint,
        }
    }

    /// The text of a minisign `.pub` file for this key.
    pub(crate) fn to_file_text(&self) -> String {
        format!(
            "untrusted comment: City Tools signing key {}\n{}\n",
            self.key_id, self.base64
        )
    }
}

/// A new signing key pair: the secret key file's text (passphrase-protected) and the public key.
pub(crate) fn generate_signing_key(
    passphrase: &str,
) -> Result<(String, PublicKeyInfo), BundleError> {
    if passphrase.chars().count() < 8 {
        return Err(BundleError::Unlock(
            "choose a passphrase of at least 8 characters".into(),
        ));
    }
    let kp = minisign::KeyPair::generate_encrypted_keypair(Some(passphrase.to_string()))
        .map_err(|e| BundleError::Key(e.to_string()))?;
    let secret = kp
        .sk
        .to_box(Some("City Tools signing key"))
        .map_err(|e| BundleError::Key(e.to_string()))?
        .into_string();
    Ok((secret, PublicKeyInfo::from_key(&kp.pk)))
}

/// An unlocked signing key.
pub(crate) struct SigningKey {
    pub(crate) secret: minisign::SecretKey,
    pub(crate) public: minisign::PublicKey,
}

impl SigningKey {
    /// Unlocks a secret key file's text with its passphrase.
    pub(crate) fn unlock(secret_file: &str, passphrase: &str) -> Result<SigningKey, BundleError> {
        let boxed = minisign::SecretKeyBox::from_string(secret_file)
            .map_err(|e| BundleError::Unlock(format!("not a minisign secret key ({e})")))?;
        let secret = boxed
            .into_secret_key(Some(passphrase.to_string()))
            .map_err(|_| {
                BundleError::Unlock("wrong passphrase, or the key file is damaged".into())
            })?;
        let public = minisign::PublicKey::from_secret_key(&secret).map_err(|_| {
            BundleError::Unlock("wrong passphrase, or the key file is damaged".into())
        })?;
        Ok(SigningKey { secret, public })
    }

    pub(crate) fn info(&self) -> PublicKeyInfo {
        PublicKeyInfo::from_key(&self.public)
    }

    /// Signs `data` (prehashed) with `trusted` as the trusted comment; returns the `.minisig` text.
    pub(crate) fn sign(
        &self,
        data: &[u8],
        trusted: &str,
        untrusted: &str,
    ) -> Result<String, BundleError> {
        if trusted.contains(['\n', '\r']) || untrusted.contains(['\n', '\r']) {
            return Err(BundleError::Comment("a comment must be one line".into()));
        }
        minisign::sign(
            Some(&self.public),
            &self.secret,
            data,
            Some(trusted),
            Some(untrusted),
        )
        .map(|b| b.into_string())
        .map_err(|e| BundleError::Signature(e.to_string()))
    }
}

/// A parsed `.minisig`: its key id and trusted comment, before any verification.
pub(crate) struct SignatureText {
    text: String,
    pub(crate) key_id: String,
}

impl SignatureText {
    /// Checks the grammar: four lines, prehashed (`ED`) only.
    pub(crate) fn parse(text: &str) -> Result<SignatureText, BundleError> {
        let bad = |m: &str| BundleError::Signature(m.to_string());
        if text.len() > 4096 {
            return Err(bad("the signature file is larger than 4 KiB"));
        }
        let lines: Vec<&str> = text.trim_end_matches('\n').split('\n').collect();
        if lines.len() != 4 {
            return Err(bad("a minisign signature has exactly 4 lines"));
        }
        if lines.iter().any(|l| l.contains('\r') || l.contains('\0')) {
            return Err(bad("the signature contains control characters"));
        }
        let boxed = minisign::SignatureBox::from_string(text)
            .map_err(|e| BundleError::Signature(e.to_string()))?;
        if !boxed.is_prehashed() {
            return Err(bad("legacy (non-prehashed) signatures are not accepted"));
        }
        Ok(SignatureText {
            text: text.to_string(),
            key_id: hex(boxed.keynum()),
        })
    }

    /// Verifies the signature over `data` with `key` and returns the trusted comment.
    pub(crate) fn verify(&self, data: &[u8], key: &PublicKeyInfo) -> Result<String, BundleError> {
        let pk = minisign_verify::PublicKey::from_base64(&key.base64)
            .map_err(|e| BundleError::Key(e.to_string()))?;
        let sig = minisign_verify::Signature::decode(&self.text)
            .map_err(|e| BundleError::Signature(e.to_string()))?;
        pk.verify(data, &sig, false).map_err(|e| {
            BundleError::Signature(match e {
                minisign_verify::Error::UnexpectedKeyId => {
                    "it was made with a different key".to_string()
                }
                minisign_verify::Error::InvalidSignature => {
                    "the signed data or its header has been changed since it was signed".to_string()
                }
                other => other.to_string(),
            })
        })?;
        Ok(sig.trusted_comment().to_string())
    }
}

/// A new age identity: its secret text (`AGE-SECRET-KEY-1…`) and its recipient (`age1…`).
pub(crate) fn generate_identity() -> (String, String) {
    let id = age::x25519::Identity::generate();
    let recipient = id.to_public().to_string();
    (id.to_string().expose_secret().to_string(), recipient)
}

/// LOTI's age identity (the secret that decrypts bundles).
pub(crate) type Identity = age::x25519::Identity;

/// Reads an identity file's text (comment lines allowed, as `age-keygen` writes them).
pub(crate) fn parse_identity(text: &str) -> Result<Identity, BundleError> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .ok_or_else(|| BundleError::Key("no AGE-SECRET-KEY line in the identity file".into()))?;
    line.parse()
        .map_err(|e| BundleError::Key(format!("the age identity is not valid: {e}")))
}

/// Reads an `age1…` recipient.
pub(crate) fn parse_recipient(text: &str) -> Result<age::x25519::Recipient, BundleError> {
    text.trim()
        .parse()
        .map_err(|e| BundleError::Key(format!("'{}' is not an age recipient: {e}", text.trim())))
}
