//! Why a bundle, key or cycle pack was refused: one variant per cause, in plain English.

/// A refusal. Messages say what is wrong; the caller adds which file.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum BundleError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {0} bytes, more than a bundle may be (64 MiB)")]
    TooLarge(usize),
    #[error("it is {0}, not a City Tools bundle")]
    NotABundle(&'static str),
    #[error("the ZIP container is not valid: {0}")]
    Container(String),
    #[error("the signature is not valid: {0}")]
    Signature(String),
    #[error("the signed header (trusted comment) is not valid: {0}")]
    Comment(String),
    #[error("the signer's key is not valid: {0}")]
    Key(String),
    #[error("it could not be decrypted: {0}")]
    Decrypt(String),
    #[error("it could not be encrypted: {0}")]
    Encrypt(String),
    #[error("the return inside is not valid: {0}")]
    Payload(String),
    #[error("the return inside does not match its signed header: {0}")]
    Mismatch(String),
    #[error("the secret key could not be unlocked: {0}")]
    Unlock(String),
}
