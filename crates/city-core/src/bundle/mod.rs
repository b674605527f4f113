//! Return bundles and cycle packs (format: `docs/bundle-format.md`): the ZIP container, the
//! minisign signature and its trusted comment, age encryption, the payload JSON and its limits,
//! and the keys. Bytes in, bytes out: no files and no store here — `api` reads and writes files
//! and applies an accepted bundle to the store. The only module that names minisign,
//! minisign-verify, age, zip and sha2.

pub(crate) mod comment;
pub(crate) mod container;
pub(crate) mod cycle_pack;
pub(crate) mod error;
pub(crate) mod keys;
pub(crate) mod payload;
pub(crate) mod rotation;
pub(crate) mod seal;

pub(crate) use error::BundleError;

/// The bundle format version this build writes and reads.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// SHA-256 of some bytes, as lower-case hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
