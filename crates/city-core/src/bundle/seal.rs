//! Sealing a return into a bundle (encrypt to LOTI, then sign) and opening one in the order the
//! format demands: container, signature grammar, trusted key, signature, header; decryption
//! comes last and only with a trusted signer.

use super::BundleError;
use super::comment::Header;
use super::container;
use super::keys::{PublicKeyInfo, SignatureText, SigningKey};
use super::payload::{MAX_PAYLOAD, Payload};
use std::io::{Read, Write};

pub(crate) const PAYLOAD: &str = "payload.age";
pub(crate) const SIGNATURE: &str = "payload.age.minisig";
pub(crate) const SIGNER: &str = "signer.pub";
const UNTRUSTED: &str = "City Tools return bundle";

fn entries() -> [(&'static str, usize); 3] {
    [(PAYLOAD, MAX_PAYLOAD), (SIGNATURE, 4096), (SIGNER, 1024)]
}

/// Encrypts `payload` to `recipients` and signs the ciphertext; returns the bundle's bytes.
pub(crate) fn seal(
    payload: &Payload,
    header: &Header,
    key: &SigningKey,
    recipients: &[age::x25519::Recipient],
) -> Result<Vec<u8>, BundleError> {
    if recipients.is_empty() {
        return Err(BundleError::Encrypt(
            "no LOTI recipients: import the cycle pack first".into(),
        ));
    }
    let plain = payload.to_bytes()?;
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|e| BundleError::Encrypt(e.to_string()))?;
    let mut ciphertext = Vec::with_capacity(plain.len() + 1024);
    let mut w = encryptor
        .wrap_output(&mut ciphertext)
        .map_err(|e| BundleError::Encrypt(e.to_string()))?;
    w.write_all(&plain)
        .map_err(|e| BundleError::Encrypt(e.to_string()))?;
    w.finish()
        .map_err(|e| BundleError::Encrypt(e.to_string()))?;
    let signature = key.sign(&ciphertext, &header.to_line()?, UNTRUSTED)?;
    let signer = key.info().to_file_text();
    container::write(&[
        (PAYLOAD, &ciphertext),
        (SIGNATURE, signature.as_bytes()),
        (SIGNER, signer.as_bytes()),
    ])
}

/// A bundle whose container and signature grammar are sound, not yet trusted.
pub(crate) struct Unverified {
    pub(crate) ciphertext: Vec<u8>,
    pub(crate) signature: SignatureText,
    /// The key the bundle says signed it (to show an unknown key's fingerprint).
    pub(crate) claimed_signer: PublicKeyInfo,
}

/// Steps 1–3: size, container, signature grammar, and a signer.pub that matches the signature.
pub(crate) fn read(bytes: &[u8]) -> Result<Unverified, BundleError> {
    let mut parts = container::read(bytes, &entries())?.into_iter();
    let (Some(ciphertext), Some(sig), Some(signer)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(BundleError::Container("entries are missing".into()));
    };
    let sig_text =
        String::from_utf8(sig).map_err(|_| BundleError::Signature("it is not text".into()))?;
    let signature = SignatureText::parse(&sig_text)?;
    let signer_text =
        String::from_utf8(signer).map_err(|_| BundleError::Key("signer.pub is not text".into()))?;
    let claimed_signer = PublicKeyInfo::parse(&signer_text)?;
    if claimed_signer.key_id != signature.key_id {
        return Err(BundleError::Key(
            "signer.pub is not the key that made the signature".into(),
        ));
    }
    Ok(Unverified {
        ciphertext,
        signature,
        claimed_signer,
    })
}

impl Unverified {
    /// Steps 5–6 (grammar part): verifies with `trusted` (from the keyring, never from the
    /// bundle) and parses the signed header.
    pub(crate) fn verify(&self, trusted: &PublicKeyInfo) -> Result<Header, BundleError> {
        let comment = self.signature.verify(&self.ciphertext, trusted)?;
        Header::parse(&comment)
    }

    /// Step 7: decrypts in memory with LOTI's identity.
    pub(crate) fn decrypt(&self, identity: &age::x25519::Identity) -> Result<Vec<u8>, BundleError> {
        let d = |e: &dyn std::fmt::Display| BundleError::Decrypt(e.to_string());
        let decryptor = age::Decryptor::new_buffered(&self.ciphertext[..]).map_err(|e| d(&e))?;
        if decryptor.is_scrypt() {
            return Err(BundleError::Decrypt(
                "it is passphrase-encrypted, not encrypted to LOTI".into(),
            ));
        }
        let reader = decryptor
            .decrypt(std::iter::once(identity as &dyn age::Identity))
            .map_err(|e| match e {
                age::DecryptError::NoMatchingKeys => BundleError::Decrypt(
                    "it was not encrypted to this LOTI key (wrong cycle or wrong key?)".into(),
                ),
                other => d(&other),
            })?;
        // The plaintext is shorter than the ciphertext: one allocation, no regrowing.
        let mut plain = Vec::with_capacity(self.ciphertext.len().min(MAX_PAYLOAD + 1));
        reader
            .take(MAX_PAYLOAD as u64 + 1)
            .read_to_end(&mut plain)
            .map_err(|e| d(&e))?;
        if plain.len() > MAX_PAYLOAD {
            return Err(BundleError::Payload("it is larger than 48 MiB".into()));
        }
        Ok(plain)
    }
}
