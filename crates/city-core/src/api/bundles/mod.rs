//! Bundles through the API: keys, cycle packs, exporting a signed and encrypted return
//! (borough), and LOTI's central store — fail-closed import, keyring, quarantine, diff and the
//! return tracker. File I/O happens here; the format lives in `bundle`, rows in `store`.
//! One file per stage: `signing.rs` (keys, identities, rotation), `packs.rs` (cycle packs),
//! `borough.rs` (sending a return), `imports.rs` (LOTI's import), `keyring.rs` (keyring and
//! quarantine), `tracker.rs` (who has returned); the DTOs and shared helpers here.

mod borough;
mod imports;
mod keyring;
mod packs;
mod signing;
mod tracker;

use imports::{Ahead, import_in};
use keyring::keyring_dto;

use super::OrganisationDto;
use super::bundle_prepare::{Prepared, Verified, open_payload};
use super::{Context, Error, ErrorKind, Location, Progress, Store, find_return, parse_cycle};
use crate::bundle::comment::Header;
use crate::bundle::cycle_pack::{self, CyclePack};
use crate::bundle::keys::{self, PublicKeyInfo, SigningKey};
use crate::bundle::payload::{self, Payload, WireOrganisation, WireRecord};
use crate::bundle::seal::Unverified;
use crate::bundle::{BundleError, FORMAT_VERSION, seal, sha256_hex};
use crate::domain::cycle::QUESTIONNAIRE_VERSION;
use crate::domain::organisation::{LONDON_AUTHORITIES, Organisation};
use crate::files::{self, Readers};
pub use crate::store::StoreRole;
use crate::store::{
    AcceptedRow, Db, KeyRow, PackRow, QuarantineRow, RecordRow, ReturnRow, SentRow, Tx,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// How long a trusted key stays valid before it must be rotated.
const KEY_LIFETIME_DAYS: i64 = 730;

/// How long a rotated-out key is still accepted.
const ROTATION_GRACE_DAYS: i64 = 30;

/// The open store, for the app's header and mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StoreInfo {
    pub path: String,
    pub role: StoreRole,
    /// The organisation whose returns a borough store holds (none for LOTI's central store).
    pub organisation: Option<OrganisationDto>,
    /// Cycles that have a cycle pack (borough) or returns (central).
    pub cycles: Vec<String>,
}

/// A signing key's public identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyInfo {
    pub public_key: String,
    pub key_id: String,
    pub fingerprint: String,
}

/// A bundle a borough exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SentBundle {
    pub file: String,
    pub bundle_id: String,
    #[ts(type = "number")]
    pub seq: i64,
    pub sha256: String,
    pub key_id: String,
    pub sent_at: String,
    pub actor: String,
}

/// What a bundle's signed header says, checked against a key (no LOTI secret needed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BundleInfo {
    pub file: String,
    pub organisation: String,
    pub cycle: String,
    #[ts(type = "number")]
    pub seq: u64,
    pub bundle_id: String,
    pub created: String,
    pub questionnaire_version: String,
    pub signer: KeyInfo,
    pub sha256: String,
}

/// What a newer return changes against the current one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReturnDiff {
    pub added: Vec<RecordRefOwned>,
    pub removed: Vec<RecordRefOwned>,
    pub changed: Vec<ChangedOwned>,
}

/// A record reference as kept in the diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordRefOwned {
    pub kind: String,
    pub id: String,
    pub label: String,
}

/// A changed record as kept in the diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChangedOwned {
    pub kind: String,
    pub id: String,
    pub label: String,
    /// (field, before, after)
    pub fields: Vec<(String, String, String)>,
}

/// How an import of one file ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportOutcomeKind {
    Accepted,
    WouldAccept,
    AlreadyImported,
    Quarantined,
    Refused,
}

/// The result of importing one bundle file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportOutcome {
    pub file: String,
    pub outcome: ImportOutcomeKind,
    /// One line for people.
    pub message: String,
    pub organisation: Option<String>,
    pub cycle: Option<String>,
    #[ts(type = "number | null")]
    pub seq: Option<u64>,
    pub diff: Option<ReturnDiff>,
    pub error: Option<Error>,
}

/// A key in LOTI's keyring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyringEntry {
    pub organisation: String,
    pub key: KeyInfo,
    pub status: String,
    pub added_at: String,
    pub expires_at: String,
    pub replaced_by: Option<String>,
    pub confirmed_by: String,
    pub confirmed_note: String,
    pub revoked_at: Option<String>,
    pub revoked_reason: Option<String>,
}

/// A bundle waiting for its signer's key to be confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuarantinedBundle {
    pub file: String,
    pub sha256: String,
    pub claimed_organisation: String,
    pub claimed_cycle: String,
    pub key: KeyInfo,
    pub received_at: String,
}

/// One organisation's row in the return tracker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TrackerRow {
    pub organisation: String,
    pub code: String,
    pub received: bool,
    pub received_at: Option<String>,
    #[ts(type = "number | null")]
    pub seq: Option<i64>,
    pub signer_key_id: Option<String>,
    pub validated: bool,
    #[ts(type = "number | null")]
    pub records: Option<i64>,
    pub waiting_in_quarantine: bool,
}

/// The return tracker for a cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Tracker {
    pub cycle: String,
    pub rows: Vec<TrackerRow>,
    #[ts(type = "number")]
    pub received: usize,
    pub missing: Vec<String>,
}

/// What LOTI puts in a cycle pack.
#[derive(Debug, Clone)]
pub struct CyclePackInput {
    pub cycle: String,
    pub opens: String,
    pub closes: String,
    /// `age1…` recipients: the cycle key and the backup key.
    pub recipients: Vec<String>,
}

pub(super) fn file_loc(file: &Path) -> Location {
    Location::File {
        file: file.display().to_string(),
        sheet: None,
        row: None,
        column: None,
    }
}

pub(super) fn refused(file: &Path, e: BundleError) -> Error {
    let kind = match e {
        BundleError::Unlock(_) => ErrorKind::Usage,
        _ => ErrorKind::Validation,
    };
    Error::new(kind, format!("{}: {e}", file.display())).at(file_loc(file))
}

pub(super) fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, Error> {
    let io = |e: std::io::Error| {
        Error::new(ErrorKind::Io, format!("{}: {e}", path.display())).at(file_loc(path))
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > limit {
        return Err(refused(path, BundleError::TooLarge(len as usize)));
    }
    std::fs::read(path).map_err(io)
}

fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = read_file(path, 64 * 1024)?;
    String::from_utf8(bytes).map_err(|_| {
        Error::new(
            ErrorKind::Validation,
            format!("{}: not a text file", path.display()),
        )
    })
}

/// Writes `bytes` to a new file at `path` ([`files::write_new`]): refused if one is there.
fn write_new_file(path: &Path, bytes: &[u8], readers: Readers) -> Result<(), Error> {
    files::write_new(path, bytes, readers).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::new(
                ErrorKind::Conflict,
                format!("{} already exists", path.display()),
            )
        } else {
            Error::new(ErrorKind::Io, format!("{}: {e}", path.display()))
        }
        .at(file_loc(path))
    })
}

/// Where an error about a missing input of a call points: the call (`table`) and the input
/// (`field`), so that a front end can name its own control or flag for it.
fn input(call: &str, field: &str) -> Location {
    Location::Record {
        table: call.into(),
        record: None,
        field: Some(field.into()),
    }
}

fn key_info(k: &PublicKeyInfo) -> KeyInfo {
    KeyInfo {
        public_key: k.base64.clone(),
        key_id: k.key_id.clone(),
        fingerprint: k.fingerprint.clone(),
    }
}

impl Store {
    /// Creates LOTI's central store. Fails if the file exists.
    pub fn create_central(path: &Path, ctx: &Context) -> Result<Store, Error> {
        Ok(Store {
            db: Db::create_central(path, ctx.now)?,
        })
    }

    /// What kind of store this is and which cycles it holds.
    pub fn info(&mut self) -> Result<StoreInfo, Error> {
        let role = self.role()?;
        let returns = self.returns()?;
        let organisation = match role {
            StoreRole::Central => None,
            StoreRole::Borough => returns.last().map(|r| r.organisation.clone()),
        };
        let mut cycles: Vec<String> = returns.into_iter().map(|r| r.cycle).collect();
        cycles.dedup();
        Ok(StoreInfo {
            path: self.path().display().to_string(),
            role,
            organisation,
            cycles,
        })
    }

    /// The store's role.
    pub(crate) fn role(&mut self) -> Result<StoreRole, Error> {
        Ok(self.db.read(|tx| tx.role())?)
    }

    /// Refuses a borough store where LOTI's central store is needed; `needs` ends the message
    /// ("analysis needs LOTI's central store").
    pub(crate) fn require_central(&mut self, needs: &str) -> Result<(), Error> {
        if self.role()? == StoreRole::Central {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::Usage,
            format!("{} is a borough store; {needs}", self.path().display()),
        ))
    }

    fn require_role(&mut self, role: StoreRole) -> Result<(), Error> {
        let actual = self.role()?;
        if actual == role {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "{} is a {} store; this needs a {} store",
                    self.path().display(),
                    actual.id(),
                    role.id()
                ),
            ))
        }
    }
}

pub use imports::{inspect_bundle, inspect_bundle_bytes};
pub use packs::create_cycle_pack;
pub use signing::{generate_identity, generate_signing_key, public_key_info, rotate_signing_key};
