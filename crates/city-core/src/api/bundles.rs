//! Bundles through the API: keys, cycle packs, exporting a signed and encrypted return
//! (borough), and LOTI's central store — fail-closed import, keyring, quarantine, diff and the
//! return tracker. File I/O happens here; the format lives in `bundle`, rows in `store`.

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

pub use crate::store::StoreRole;

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

/// Creates a signing key pair: the secret key (passphrase-protected, minisign format, mode 0600)
/// and the public key (`.pub`). Refuses to overwrite either file.
pub fn generate_signing_key(
    secret: &Path,
    public: &Path,
    passphrase: &str,
) -> Result<KeyInfo, Error> {
    for p in [secret, public] {
        if p.exists() {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!("{} already exists: choose another name", p.display()),
            ));
        }
    }
    let (secret_text, info) =
        keys::generate_signing_key(passphrase).map_err(|e| refused(secret, e))?;
    write_new_file(secret, secret_text.as_bytes(), Readers::OwnerOnly)?;
    write_new_file(public, info.to_file_text().as_bytes(), Readers::Anyone)?;
    Ok(key_info(&info))
}

/// The id and fingerprint of a public key file (or of the public half of a secret key, given
/// its passphrase).
pub fn public_key_info(public: &Path) -> Result<KeyInfo, Error> {
    let text = read_text(public)?;
    PublicKeyInfo::parse(&text)
        .map(|k| key_info(&k))
        .map_err(|e| refused(public, e))
}

/// Creates a LOTI age identity file (mode 0600) and returns its recipient (`age1…`).
pub fn generate_identity(path: &Path, ctx: &Context) -> Result<String, Error> {
    let (secret, recipient) = keys::generate_identity();
    let text = format!(
        "# created: {}\n# public key: {recipient}\n{secret}\n",
        ctx.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    write_new_file(path, text.as_bytes(), Readers::OwnerOnly)?;
    Ok(recipient)
}

/// Creates a cycle pack signed with LOTI's root key.
pub fn create_cycle_pack(
    out: &Path,
    input: &CyclePackInput,
    root_secret: &Path,
    passphrase: &str,
) -> Result<(), Error> {
    parse_cycle(&input.cycle)?;
    for d in [&input.opens, &input.closes] {
        crate::domain::values::IsoDate::parse(d)
            .map_err(|m| Error::new(ErrorKind::Validation, format!("cycle pack date: {m}")))?;
    }
    let key = SigningKey::unlock(&read_text(root_secret)?, passphrase)
        .map_err(|e| refused(root_secret, e))?;
    let pack = CyclePack {
        format: cycle_pack::FORMAT_NAME.into(),
        format_version: 1,
        cycle: input.cycle.clone(),
        questionnaire_version: QUESTIONNAIRE_VERSION.into(),
        opens: input.opens.clone(),
        closes: input.closes.clone(),
        recipients: input.recipients.clone(),
    };
    let bytes = pack.seal(&key).map_err(|e| refused(out, e))?;
    write_new_file(out, &bytes, Readers::Anyone)
}

/// Checks a bundle's container and signature without LOTI's key: with `key` if given (a
/// `.pub` file), else with the key the bundle carries (which proves integrity, not origin).
pub fn inspect_bundle(file: &Path, key: Option<&Path>) -> Result<BundleInfo, Error> {
    let bytes = read_file(file, crate::bundle::container::MAX_FILE as u64)?;
    let key = match key {
        Some(k) => Some(PublicKeyInfo::parse(&read_text(k)?).map_err(|e| refused(k, e))?),
        None => None,
    };
    inspect(file, &bytes, key)
}

/// [`inspect_bundle`] on bytes already in memory (for example a dropped file), checked against
/// the key the bundle carries. `name` is used in messages.
pub fn inspect_bundle_bytes(name: &str, bytes: &[u8]) -> Result<BundleInfo, Error> {
    inspect(Path::new(name), bytes, None)
}

fn inspect(file: &Path, bytes: &[u8], key: Option<PublicKeyInfo>) -> Result<BundleInfo, Error> {
    let unverified = seal::read(bytes).map_err(|e| refused(file, e))?;
    let trusted = key.unwrap_or_else(|| unverified.claimed_signer.clone());
    let header = unverified.verify(&trusted).map_err(|e| refused(file, e))?;
    Ok(BundleInfo {
        file: file.display().to_string(),
        organisation: header.organisation,
        cycle: header.cycle,
        seq: header.seq,
        bundle_id: header.bundle_id.to_string(),
        created: header
            .created
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        questionnaire_version: header.questionnaire_version,
        signer: key_info(&trusted),
        sha256: sha256_hex(bytes),
    })
}

fn short_value(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "(blank)".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The diff between the current records of a return and a newer set.
fn diff(
    old: &[RecordRow],
    new: &[(
        Uuid,
        crate::domain::enums::ReviewState,
        crate::domain::records::RecordData,
    )],
) -> ReturnDiff {
    let old_by: BTreeMap<Uuid, &RecordRow> = old.iter().map(|r| (r.id, r)).collect();
    let new_ids: BTreeSet<Uuid> = new.iter().map(|(id, _, _)| *id).collect();
    let mut d = ReturnDiff::default();
    for (id, _, data) in new {
        let reference = RecordRefOwned {
            kind: data.kind().id().into(),
            id: id.to_string(),
            label: data.label(),
        };
        match old_by.get(id) {
            None => d.added.push(reference),
            // Most records of a newer return are unchanged: compare the typed records first
            // and build JSON only for those that differ.
            Some(o) if o.data == *data => {}
            Some(o) => {
                let (a, b) = (o.data.to_json(), data.to_json());
                let mut fields = Vec::new();
                if let (Some(a), Some(b)) = (a.as_object(), b.as_object()) {
                    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
                    for k in keys {
                        if a.get(k) != b.get(k) {
                            fields.push((k.clone(), short_value(a.get(k)), short_value(b.get(k))));
                        }
                    }
                }
                if !fields.is_empty() {
                    d.changed.push(ChangedOwned {
                        kind: reference.kind,
                        id: reference.id,
                        label: reference.label,
                        fields,
                    });
                }
            }
        }
    }
    for o in old.iter().filter(|o| !new_ids.contains(&o.id)) {
        d.removed.push(RecordRefOwned {
            kind: o.data.kind().id().into(),
            id: o.id.to_string(),
            label: o.data.label(),
        });
    }
    d
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

    /// Imports LOTI's cycle pack into a borough store. The first import pins LOTI's root key
    /// (`root_key`, a `.pub` file); later packs must be signed by the pinned key.
    pub fn import_cycle_pack(
        &mut self,
        file: &Path,
        root_key: Option<&Path>,
        ctx: &Context,
    ) -> Result<String, Error> {
        self.require_role(StoreRole::Borough)?;
        let pinned = self.db.read(|tx| tx.meta("loti_root_key"))?;
        let given = root_key
            .map(|p| read_text(p).and_then(|t| PublicKeyInfo::parse(&t).map_err(|e| refused(p, e))))
            .transpose()?;
        let root = match (&pinned, &given) {
            (Some(p), Some(g)) if &g.base64 != p => {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    "this store already trusts a different LOTI root key; a new root key needs a new app release",
                ));
            }
            (Some(p), _) => PublicKeyInfo::parse(p).map_err(|e| refused(file, e))?,
            (None, Some(g)) => g.clone(),
            (None, None) => {
                return Err(Error::new(
                    ErrorKind::Usage,
                    "give LOTI's root public key for the first cycle pack",
                )
                .at(input("cycle_pack", "root_key")));
            }
        };
        let bytes = read_file(file, crate::bundle::container::MAX_FILE as u64)?;
        let pack = CyclePack::open(&bytes, &root).map_err(|e| refused(file, e))?;
        let cycle = pack.cycle.clone();
        self.db.write(|tx| {
            tx.set_meta("loti_root_key", &root.base64)?;
            tx.upsert_pack(
                &PackRow {
                    cycle_id: pack.cycle.clone(),
                    questionnaire_version: pack.questionnaire_version.clone(),
                    opens: pack.opens.clone(),
                    closes: pack.closes.clone(),
                    recipients: pack.recipients.clone(),
                    root_key: root.base64.clone(),
                },
                ctx.now,
            )?;
            Ok::<_, Error>(())
        })?;
        Ok(cycle)
    }

    /// Exports the return as a signed, encrypted bundle into `dir`. Written beside its final
    /// name, synced, renamed, then re-read and verified before the sending is recorded.
    pub fn export_bundle(
        &mut self,
        cycle: Option<&str>,
        dir: &Path,
        secret_key: &Path,
        passphrase: &str,
        ctx: &Context,
    ) -> Result<SentBundle, Error> {
        self.require_role(StoreRole::Borough)?;
        let key = SigningKey::unlock(&read_text(secret_key)?, passphrase)
            .map_err(|e| refused(secret_key, e))?;
        let info = key.info();
        let (ret, records, sent, pack) = self.db.read(|tx| {
            let ret = find_return(tx, cycle)?;
            let records = tx.records(ret.id, None, false)?;
            let sent = tx.sent(ret.id)?;
            let pack = tx.pack(ret.cycle.as_str())?;
            Ok::<_, Error>((ret, records, sent, pack))
        })?;
        let pack = pack.ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!(
                    "there is no cycle pack for {}: import LOTI's cycle pack first",
                    ret.cycle
                ),
            )
        })?;
        let recipients = pack
            .recipients
            .iter()
            .map(|r| keys::parse_recipient(r))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::new(ErrorKind::Storage, e.to_string()))?;
        let seq = sent.last().map_or(1, |s| s.seq + 1) as u64;
        let bundle_id = Uuid::new_v4();
        let header = Header {
            format: FORMAT_VERSION,
            organisation: ret.organisation.id(),
            cycle: ret.cycle.to_string(),
            seq,
            bundle_id,
            // The signed header keeps whole seconds.
            created: chrono::DateTime::from_timestamp(ctx.now.timestamp(), 0).unwrap_or(ctx.now),
            questionnaire_version: ret.questionnaire_version.clone(),
        };
        let mut counts = BTreeMap::new();
        let wire: Vec<WireRecord> = records
            .iter()
            .map(|r| {
                *counts.entry(r.data.kind().id().to_string()).or_insert(0) += 1;
                WireRecord {
                    id: r.id,
                    kind: r.data.kind(),
                    review_state: r.review_state,
                    data: r.data.to_json(),
                }
            })
            .collect();
        let payload = Payload {
            format: payload::FORMAT_NAME.into(),
            format_version: FORMAT_VERSION,
            bundle_id,
            seq,
            previous_bundle_id: sent.last().and_then(|s| Uuid::parse_str(&s.bundle_id).ok()),
            organisation: WireOrganisation {
                scheme: ret.organisation.scheme.clone(),
                code: ret.organisation.code.clone(),
                name: ret.organisation.name.clone(),
            },
            cycle: ret.cycle.to_string(),
            questionnaire_version: ret.questionnaire_version.clone(),
            created_at: ctx.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            app_version: env!("CARGO_PKG_VERSION").into(),
            signer_key: info.base64.clone(),
            counts,
            records: wire,
        };
        let file = dir.join(format!(
            "{}_{}_r{seq}.ctbundle",
            ret.organisation.code, ret.cycle
        ));
        let bytes =
            seal::seal(&payload, &header, &key, &recipients).map_err(|e| refused(&file, e))?;
        write_new_file(&file, &bytes, Readers::Anyone)?;
        let check = (|| {
            let written =
                std::fs::read(&file).map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?;
            let again = seal::read(&written).map_err(|e| refused(&file, e))?;
            let h = again.verify(&info).map_err(|e| refused(&file, e))?;
            if h != header || written != bytes {
                return Err(Error::new(
                    ErrorKind::Io,
                    format!(
                        "{}: the written file does not read back the same",
                        file.display()
                    ),
                ));
            }
            Ok(())
        })();
        let sent_row = SentRow {
            bundle_id: bundle_id.to_string(),
            seq: seq as i64,
            sha256: sha256_hex(&bytes),
            file_name: file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            key_id: info.key_id.clone(),
            sent_at: crate::store::rows_ts(ctx.now),
            actor: ctx.actor.clone(),
        };
        let recorded = check.and_then(|()| {
            self.db
                .write(|tx| Ok::<_, Error>(tx.insert_sent(ret.id, &sent_row)?))
        });
        if let Err(e) = recorded {
            let _ = std::fs::remove_file(&file);
            return Err(e);
        }
        Ok(sent_dto(&file, &sent_row))
    }

    /// The bundles exported from a return, oldest first.
    pub fn sent_bundles(&mut self, cycle: Option<&str>) -> Result<Vec<SentBundle>, Error> {
        self.db.read(|tx| {
            let ret = find_return(tx, cycle)?;
            Ok(tx
                .sent(ret.id)?
                .iter()
                .map(|s| sent_dto(Path::new(&s.file_name), s))
                .collect())
        })
    }

    /// Imports bundles into LOTI's central store, each file on its own and fail-closed: every
    /// check runs before the one transaction that writes. With `dry_run`, nothing is written
    /// and the outcome says what would happen (with the diff).
    pub fn import_bundles(
        &mut self,
        files: &[PathBuf],
        identities: &[PathBuf],
        dry_run: bool,
        ctx: &Context,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Vec<ImportOutcome>, Error> {
        self.require_role(StoreRole::Central)?;
        let ids = identities
            .iter()
            .map(|p| read_text(p).and_then(|t| keys::parse_identity(&t).map_err(|e| refused(p, e))))
            .collect::<Result<Vec<_>, _>>()?;
        if ids.is_empty() {
            return Err(Error::new(
                ErrorKind::Usage,
                "give LOTI's identity file to decrypt bundles",
            )
            .at(input("bundle_import", "identities")));
        }
        let total = files.len() as u64;
        let mut out = Vec::with_capacity(files.len());
        // The next bundle is read, verified and decrypted on a second thread while this one
        // merges (see `bundle_prepare`); the channel holds at most one prepared bundle.
        let keyring = self.db.read(|tx| tx.keys())?;
        std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel(1);
            let (ids, keyring) = (&ids, &keyring);
            scope.spawn(move || {
                for file in files {
                    let prepared = super::bundle_prepare::prepare(file, keyring, ids);
                    if send.send(prepared).is_err() {
                        break;
                    }
                }
            });
            for (i, file) in files.iter().enumerate() {
                progress(&Progress {
                    stage: format!("Importing {}", file.display()),
                    done: i as u64,
                    total,
                });
                let prepared = receive.recv().ok();
                out.push(self.import_one(file, ids, dry_run, ctx, prepared));
            }
        });
        progress(&Progress {
            stage: "Imported".into(),
            done: total,
            total,
        });
        Ok(out)
    }

    fn import_one(
        &mut self,
        file: &Path,
        ids: &[keys::Identity],
        dry_run: bool,
        ctx: &Context,
        prepared: Option<Prepared>,
    ) -> ImportOutcome {
        let name = file.display().to_string();
        let blank = |outcome, message: String| ImportOutcome {
            file: name.clone(),
            outcome,
            message,
            organisation: None,
            cycle: None,
            seq: None,
            diff: None,
            error: None,
        };
        let (bytes, sha256, mut unverified, mut verified) = match prepared {
            Some(p) => (p.bytes, p.sha256, p.unverified, p.verified),
            None => (
                read_file(file, crate::bundle::container::MAX_FILE as u64),
                None,
                None,
                None,
            ),
        };
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                return ImportOutcome {
                    error: Some(e.clone()),
                    ..blank(ImportOutcomeKind::Refused, e.message)
                };
            }
        };
        let sha = sha256.unwrap_or_else(|| sha256_hex(&bytes));
        let mut ahead = Some(Ahead {
            sha,
            unverified: unverified.take(),
            verified: verified.take(),
        });
        let mut take = || {
            ahead.take().unwrap_or_else(|| Ahead {
                sha: sha256_hex(&bytes),
                unverified: None,
                verified: None,
            })
        };
        let result = if dry_run {
            self.db
                .read(|tx| import_in(tx, file, &bytes, take(), ids, false, ctx))
        } else {
            self.db
                .write(|tx| import_in(tx, file, &bytes, take(), ids, true, ctx))
        };
        match result {
            Ok(o) => o,
            Err(e) => ImportOutcome {
                error: Some(e.clone()),
                ..blank(ImportOutcomeKind::Refused, e.message)
            },
        }
    }

    /// LOTI's keyring.
    pub fn keyring(&mut self) -> Result<Vec<KeyringEntry>, Error> {
        self.require_role(StoreRole::Central)?;
        let rows = self.db.read(|tx| tx.keys())?;
        Ok(rows.iter().map(keyring_dto).collect())
    }

    /// Bundles waiting for their signer's key to be confirmed.
    pub fn quarantine(&mut self) -> Result<Vec<QuarantinedBundle>, Error> {
        self.require_role(StoreRole::Central)?;
        let rows = self.db.read(|tx| tx.quarantined())?;
        Ok(rows
            .iter()
            .map(|q| QuarantinedBundle {
                file: q.file_name.clone(),
                sha256: q.sha256.clone(),
                claimed_organisation: q.claimed_organisation.clone(),
                claimed_cycle: q.claimed_cycle.clone(),
                key: KeyInfo {
                    public_key: q.public_key.clone(),
                    key_id: q.key_id.clone(),
                    fingerprint: q.fingerprint.clone(),
                },
                received_at: q.received_at.clone(),
            })
            .collect())
    }

    /// Pins `public_key` (a `.pub` file, or the key id of a quarantined bundle's signer) to an
    /// organisation after its fingerprint was confirmed out of band (`note` records how, e.g.
    /// "phoned J. Smith on the number LOTI holds"). Quarantined bundles signed by it are then
    /// imported.
    pub fn confirm_key(
        &mut self,
        key: &str,
        organisation: &str,
        fingerprint: &str,
        note: &str,
        identities: &[PathBuf],
        ctx: &Context,
    ) -> Result<Vec<ImportOutcome>, Error> {
        self.confirm_key_named(key, organisation, None, fingerprint, note, identities, ctx)
    }

    /// [`Store::confirm_key`] for any organisation: one that is not a London authority
    /// (`scheme:code`) needs its name, as when creating its store.
    #[allow(clippy::too_many_arguments)]
    pub fn confirm_key_named(
        &mut self,
        key: &str,
        organisation: &str,
        organisation_name: Option<&str>,
        fingerprint: &str,
        note: &str,
        identities: &[PathBuf],
        ctx: &Context,
    ) -> Result<Vec<ImportOutcome>, Error> {
        self.require_role(StoreRole::Central)?;
        if note.trim().is_empty() {
            return Err(Error::new(
                ErrorKind::Validation,
                "say how the fingerprint was confirmed",
            )
            .at(input("keyring", "note")));
        }
        let org = Organisation::resolve(organisation, organisation_name)
            .map_err(|e| Error::new(ErrorKind::Validation, e.to_string()))?;
        let quarantined = self.db.read(|tx| tx.quarantined())?;
        let info = if Path::new(key).is_file() {
            PublicKeyInfo::parse(&read_text(Path::new(key))?)
                .map_err(|e| refused(Path::new(key), e))?
        } else {
            let q = quarantined
                .iter()
                .find(|q| q.key_id == key)
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::NotFound,
                        format!("no quarantined bundle is signed by key {key}, and no such file"),
                    )
                })?;
            PublicKeyInfo::parse(&q.public_key)
                .map_err(|e| Error::new(ErrorKind::Storage, e.to_string()))?
        };
        let normalise = |s: &str| {
            s.chars()
                .filter(|c| c.is_ascii_hexdigit())
                .collect::<String>()
                .to_ascii_lowercase()
        };
        if normalise(fingerprint) != normalise(&info.fingerprint) {
            return Err(Error::new(
                ErrorKind::Validation,
                format!(
                    "the fingerprint given does not match the key's ({}): do not trust this key",
                    info.fingerprint
                ),
            ));
        }
        self.db.write(|tx| {
            if let Some(existing) = tx.key(&info.key_id)? {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!(
                        "key {} is already in the keyring for {} ({})",
                        info.key_id, existing.organisation_id, existing.status
                    ),
                ));
            }
            tx.insert_organisation(&org)?;
            tx.insert_key(&KeyRow {
                key_id: info.key_id.clone(),
                organisation_id: org.id(),
                public_key: info.base64.clone(),
                status: "active".into(),
                added_at: crate::store::rows_ts(ctx.now),
                expires_at: crate::store::rows_ts(
                    ctx.now + chrono::Duration::days(KEY_LIFETIME_DAYS),
                ),
                replaced_by: None,
                confirmed_by: ctx.actor.clone(),
                confirmed_note: note.trim().to_string(),
                revoked_at: None,
                revoked_reason: None,
            })?;
            Ok::<_, Error>(())
        })?;
        let waiting: Vec<&QuarantineRow> = quarantined
            .iter()
            .filter(|q| q.key_id == info.key_id)
            .collect();
        if waiting.is_empty() {
            return Ok(Vec::new());
        }
        let ids = identities
            .iter()
            .map(|p| read_text(p).and_then(|t| keys::parse_identity(&t).map_err(|e| refused(p, e))))
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::new();
        for q in waiting {
            let file = PathBuf::from(&q.file_name);
            let result = self.db.write(|tx| {
                let ahead = Ahead {
                    sha: sha256_hex(&q.bundle),
                    unverified: None,
                    verified: None,
                };
                let o = import_in(tx, &file, &q.bundle, ahead, &ids, true, ctx)?;
                if o.outcome != ImportOutcomeKind::Quarantined {
                    tx.delete_quarantine(&q.sha256)?;
                }
                Ok::<_, Error>(o)
            });
            out.push(result.unwrap_or_else(|e| ImportOutcome {
                file: q.file_name.clone(),
                outcome: ImportOutcomeKind::Refused,
                message: e.message.clone(),
                organisation: None,
                cycle: None,
                seq: None,
                diff: None,
                error: Some(e),
            }));
        }
        Ok(out)
    }

    /// Revokes a key: every later bundle signed with it is refused.
    pub fn revoke_key(
        &mut self,
        key_id: &str,
        reason: &str,
        ctx: &Context,
    ) -> Result<KeyringEntry, Error> {
        self.require_role(StoreRole::Central)?;
        self.db.write(|tx| {
            let k = tx.key(key_id)?.ok_or_else(|| {
                Error::new(
                    ErrorKind::NotFound,
                    format!("key {key_id} is not in the keyring"),
                )
            })?;
            if k.status == "revoked" {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!("key {key_id} is already revoked"),
                ));
            }
            tx.revoke_key(key_id, ctx.now, reason.trim())?;
            let k = tx
                .key(key_id)?
                .ok_or_else(|| Error::new(ErrorKind::Storage, "the key vanished"))?;
            Ok(keyring_dto(&k))
        })
    }

    /// For a cycle: every London organisation (and any other that sent a bundle) with what was
    /// received, and who is missing.
    pub fn tracker(&mut self, cycle: &str) -> Result<Tracker, Error> {
        self.require_role(StoreRole::Central)?;
        let cycle = parse_cycle(cycle)?.to_string();
        let (accepted, quarantined, returns) = self.db.read(|tx| {
            Ok::<_, Error>((tx.accepted(Some(&cycle))?, tx.quarantined()?, tx.returns()?))
        })?;
        let mut orgs: Vec<(String, String, String)> = LONDON_AUTHORITIES
            .iter()
            .map(|(code, name)| {
                (
                    format!("gss:{code}"),
                    (*code).to_string(),
                    (*name).to_string(),
                )
            })
            .collect();
        for r in &returns {
            if !orgs.iter().any(|(id, _, _)| *id == r.organisation.id()) {
                orgs.push((
                    r.organisation.id(),
                    r.organisation.code.clone(),
                    r.organisation.name.clone(),
                ));
            }
        }
        let rows: Vec<TrackerRow> = orgs
            .into_iter()
            .map(|(id, code, name)| {
                let latest = accepted
                    .iter()
                    .filter(|a| a.organisation_id == id)
                    .max_by_key(|a| a.seq);
                TrackerRow {
                    organisation: name,
                    code,
                    received: latest.is_some(),
                    received_at: latest.map(|a| a.received_at.clone()),
                    seq: latest.map(|a| a.seq),
                    signer_key_id: latest.map(|a| a.key_id.clone()),
                    validated: latest.is_some(),
                    records: latest.map(|a| a.record_count),
                    waiting_in_quarantine: quarantined
                        .iter()
                        .any(|q| q.claimed_organisation == id && q.claimed_cycle == cycle),
                }
            })
            .collect();
        let missing = rows
            .iter()
            .filter(|r| !r.received)
            .map(|r| r.organisation.clone())
            .collect();
        let received = rows.iter().filter(|r| r.received).count();
        Ok(Tracker {
            cycle,
            rows,
            received,
            missing,
        })
    }

    /// The diff each accepted bundle made, newest first, for one organisation and cycle.
    pub fn bundle_history(
        &mut self,
        organisation: &str,
        cycle: &str,
    ) -> Result<Vec<(u64, ReturnDiff)>, Error> {
        self.require_role(StoreRole::Central)?;
        let org = Organisation::resolve(organisation, Some("?"))
            .map_err(|e| Error::new(ErrorKind::Validation, e.to_string()))?;
        let rows = self.db.read(|tx| tx.accepted(Some(cycle)))?;
        let mut out: Vec<(u64, ReturnDiff)> = rows
            .iter()
            .filter(|a| a.organisation_id == org.id())
            .map(|a| {
                (
                    a.seq as u64,
                    serde_json::from_str(&a.diff).unwrap_or_default(),
                )
            })
            .collect();
        out.reverse();
        Ok(out)
    }
}

/// Borough: makes a new signing key and a rotation statement signed by the old and the new key,
/// for LOTI to apply with [`Store::apply_rotation`].
pub fn rotate_signing_key(
    organisation: &str,
    old_secret: &Path,
    new_secret: &Path,
    new_public: &Path,
    passphrase: &str,
    out: &Path,
    ctx: &Context,
) -> Result<KeyInfo, Error> {
    let org = Organisation::resolve(organisation, None)
        .map_err(|e| Error::new(ErrorKind::Validation, e.to_string()))?;
    let old = SigningKey::unlock(&read_text(old_secret)?, passphrase)
        .map_err(|e| refused(old_secret, e))?;
    let info = generate_signing_key(new_secret, new_public, passphrase)?;
    let new = SigningKey::unlock(&read_text(new_secret)?, passphrase)
        .map_err(|e| refused(new_secret, e))?;
    let statement = crate::bundle::rotation::Rotation {
        format: crate::bundle::rotation::FORMAT_NAME.into(),
        format_version: 1,
        organisation: org.id(),
        old_key: old.info().base64,
        new_key: new.info().base64,
        created: ctx.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    let bytes = statement.seal(&old, &new).map_err(|e| refused(out, e))?;
    write_new_file(out, &bytes, Readers::Anyone)?;
    Ok(info)
}

impl Store {
    /// LOTI: applies a rotation statement. The old key must be trusted for the organisation; the
    /// new key becomes active and the old one is still accepted for a grace period.
    pub fn apply_rotation(&mut self, file: &Path, ctx: &Context) -> Result<KeyringEntry, Error> {
        self.require_role(StoreRole::Central)?;
        let bytes = read_file(file, 64 * 1024)?;
        let (r, old, new) =
            crate::bundle::rotation::Rotation::open(&bytes).map_err(|e| refused(file, e))?;
        self.db.write(|tx| {
            let current = tx.key(&old.key_id)?.ok_or_else(|| {
                refused(
                    file,
                    BundleError::Key("the old key is not in LOTI's keyring".into()),
                )
            })?;
            if current.status != "active" || current.organisation_id != r.organisation {
                return Err(refused(
                    file,
                    BundleError::Key(format!(
                        "the old key is {} for {}, not active for {}",
                        current.status, current.organisation_id, r.organisation
                    )),
                ));
            }
            if tx.key(&new.key_id)?.is_some() {
                return Err(refused(
                    file,
                    BundleError::Key("the new key is already in the keyring".into()),
                ));
            }
            let until =
                crate::store::rows_ts(ctx.now + chrono::Duration::days(ROTATION_GRACE_DAYS));
            tx.retire_key(&old.key_id, &new.key_id, &until)?;
            let row = KeyRow {
                key_id: new.key_id.clone(),
                organisation_id: r.organisation.clone(),
                public_key: new.base64.clone(),
                status: "active".into(),
                added_at: crate::store::rows_ts(ctx.now),
                expires_at: crate::store::rows_ts(
                    ctx.now + chrono::Duration::days(KEY_LIFETIME_DAYS),
                ),
                replaced_by: None,
                confirmed_by: ctx.actor.clone(),
                confirmed_note: format!("rotation signed by the old key {}", old.key_id),
                revoked_at: None,
                revoked_reason: None,
            };
            tx.insert_key(&row)?;
            Ok(keyring_dto(&row))
        })
    }
}

fn sent_dto(file: &Path, s: &SentRow) -> SentBundle {
    SentBundle {
        file: file.display().to_string(),
        bundle_id: s.bundle_id.clone(),
        seq: s.seq,
        sha256: s.sha256.clone(),
        key_id: s.key_id.clone(),
        sent_at: s.sent_at.clone(),
        actor: s.actor.clone(),
    }
}

fn keyring_dto(k: &KeyRow) -> KeyringEntry {
    let info = PublicKeyInfo::parse(&k.public_key)
        .map(|i| key_info(&i))
        .unwrap_or(KeyInfo {
            public_key: k.public_key.clone(),
            key_id: k.key_id.clone(),
            fingerprint: String::new(),
        });
    KeyringEntry {
        organisation: k.organisation_id.clone(),
        key: info,
        status: k.status.clone(),
        added_at: k.added_at.clone(),
        expires_at: k.expires_at.clone(),
        replaced_by: k.replaced_by.clone(),
        confirmed_by: k.confirmed_by.clone(),
        confirmed_note: k.confirmed_note.clone(),
        revoked_at: k.revoked_at.clone(),
        revoked_reason: k.revoked_reason.clone(),
    }
}

/// Every check, then (if `write`) the one set of writes, inside the caller's transaction.
/// What is known of a bundle before its transaction: its hash, and what was prepared ahead
/// (`bundle_prepare`), if anything.
struct Ahead {
    sha: String,
    unverified: Option<Unverified>,
    verified: Option<Verified>,
}

/// Checks one bundle and, with `write`, merges it, in the order the threat model sets. What
/// `ahead` holds (the seal read, the signature verified and the payload opened with a key) is
/// used only at the step that would compute it, and the verification and payload only if the
/// keyring's key is still exactly the key they were made with.
fn import_in(
    tx: &Tx<'_>,
    file: &Path,
    bytes: &[u8],
    ahead: Ahead,
    ids: &[keys::Identity],
    write: bool,
    ctx: &Context,
) -> Result<ImportOutcome, Error> {
    let Ahead {
        sha,
        unverified,
        verified: prepared,
    } = ahead;
    let unverified = match unverified {
        Some(u) => u,
        None => seal::read(bytes).map_err(|e| refused(file, e))?,
    };
    let outcome = |kind, message: String, h: &Header| ImportOutcome {
        file: file.display().to_string(),
        outcome: kind,
        message,
        organisation: Some(h.organisation.clone()),
        cycle: Some(h.cycle.clone()),
        seq: Some(h.seq),
        diff: None,
        error: None,
    };
    let Some(key) = tx.key(&unverified.signature.key_id)? else {
        // Unknown signer: check the bundle is at least self-consistent, then hold it.
        let header = unverified
            .verify(&unverified.claimed_signer)
            .map_err(|e| refused(file, e))?;
        let k = &unverified.claimed_signer;
        if write {
            tx.insert_quarantine(&QuarantineRow {
                sha256: sha.clone(),
                file_name: file.display().to_string(),
                claimed_organisation: header.organisation.clone(),
                claimed_cycle: header.cycle.clone(),
                key_id: k.key_id.clone(),
                public_key: k.base64.clone(),
                fingerprint: k.fingerprint.clone(),
                received_at: crate::store::rows_ts(ctx.now),
                bundle: bytes.to_vec(),
            })?;
        }
        return Ok(outcome(
            ImportOutcomeKind::Quarantined,
            format!(
                "{}: signed by a key LOTI does not know (fingerprint {}); it waits in quarantine until the fingerprint is confirmed with {}",
                file.display(),
                k.fingerprint,
                header.organisation
            ),
            &header,
        ));
    };
    if key.status == "revoked" {
        return Err(refused(
            file,
            BundleError::Key(format!(
                "it is signed with a key LOTI revoked on {} ({})",
                key.revoked_at.clone().unwrap_or_default(),
                key.revoked_reason.clone().unwrap_or_default()
            )),
        ));
    }
    if crate::store::rows_ts(ctx.now) > key.expires_at {
        let why = if key.status == "retired" {
            format!(
                "it is signed with a key that was replaced and stopped being accepted on {}",
                key.expires_at
            )
        } else {
            format!(
                "it is signed with a key that expired on {}; the organisation must rotate its key",
                key.expires_at
            )
        };
        return Err(refused(file, BundleError::Key(why)));
    }
    let trusted = PublicKeyInfo::parse(&key.public_key)
        .map_err(|e| Error::new(ErrorKind::Storage, e.to_string()))?;
    let mut prepared = prepared.filter(|p| p.made_with(&key));
    let header = match prepared.as_mut() {
        Some(p) => std::mem::replace(
            &mut p.header,
            Err(Error::new(ErrorKind::Storage, "already taken")),
        )?,
        None => unverified.verify(&trusted).map_err(|e| refused(file, e))?,
    };
    if header.organisation != key.organisation_id {
        return Err(refused(
            file,
            BundleError::Mismatch(format!(
                "it claims to come from {} but is signed with {}'s key",
                header.organisation, key.organisation_id
            )),
        ));
    }
    let cycle = parse_cycle(&header.cycle).map_err(|e| {
        Error::new(
            ErrorKind::Validation,
            format!("{}: {}", file.display(), e.message),
        )
    })?;
    if let Some(prev) = tx.accepted_by_hash_or_id(&sha, &header.bundle_id.to_string())? {
        if prev.sha256 == sha {
            return Ok(outcome(
                ImportOutcomeKind::AlreadyImported,
                format!(
                    "{}: already imported on {} (r{}); nothing changed",
                    file.display(),
                    prev.received_at,
                    prev.seq
                ),
                &header,
            ));
        }
        return Err(refused(
            file,
            BundleError::Mismatch(
                "its bundle id was already used by another accepted bundle".into(),
            ),
        ));
    }
    let max = tx
        .max_accepted_seq(&header.organisation, cycle.as_str())?
        .unwrap_or(0) as u64;
    if header.seq <= max {
        return Err(refused(
            file,
            BundleError::Comment(format!(
                "it is r{}, older than or the same as r{max} already accepted from {} for {} (a replay or rollback)",
                header.seq, header.organisation, header.cycle
            )),
        ));
    }
    if header.seq - max >= 1000 {
        return Err(refused(
            file,
            BundleError::Comment(format!(
                "its sequence number jumps from r{max} to r{}; refused as suspicious",
                header.seq
            )),
        ));
    }
    let mut opened = match prepared.and_then(|p| p.opened) {
        Some(opened) => opened?,
        None => open_payload(file, &unverified, &header, &trusted, ids)?,
    };
    let records = std::mem::take(&mut opened.records);
    let org = Organisation {
        scheme: opened.organisation.scheme.clone(),
        code: opened.organisation.code.clone(),
        name: opened.organisation.name.clone(),
    };
    let existing = tx
        .returns()?
        .into_iter()
        .find(|r| r.organisation.id() == org.id() && r.cycle == cycle);
    let old = match &existing {
        Some(r) => tx.records(r.id, None, false)?,
        None => Vec::new(),
    };
    let d = diff(&old, &records);
    let summary = format!(
        "{} records ({} added, {} changed, {} removed)",
        records.len(),
        d.added.len(),
        d.changed.len(),
        d.removed.len()
    );
    if !write {
        let mut o = outcome(
            ImportOutcomeKind::WouldAccept,
            format!(
                "{}: would accept r{} from {}: {summary}",
                file.display(),
                header.seq,
                org.name
            ),
            &header,
        );
        o.diff = Some(d);
        return Ok(o);
    }
    tx.insert_organisation(&org)?;
    let return_id = match existing {
        Some(r) => {
            tx.purge_records(r.id)?;
            r.id
        }
        None => {
            let id = Uuid::new_v4();
            tx.insert_return(&ReturnRow {
                id,
                organisation: org.clone(),
                cycle: cycle.clone(),
                questionnaire_version: opened.questionnaire_version.clone(),
                carried_from: None,
                created_at: ctx.now,
            })?;
            id
        }
    };
    tx.insert_new_records(return_id, ctx.now, &records, &opened.texts)?;
    tx.insert_accepted(&AcceptedRow {
        bundle_id: header.bundle_id.to_string(),
        sha256: sha,
        organisation_id: org.id(),
        cycle_id: cycle.to_string(),
        seq: header.seq as i64,
        key_id: key.key_id.clone(),
        file_name: file.display().to_string(),
        received_at: crate::store::rows_ts(ctx.now),
        received_by: ctx.actor.clone(),
        record_count: records.len() as i64,
        diff: serde_json::to_string(&d).unwrap_or_else(|_| "{}".into()),
        bundle: bytes.to_vec(),
    })?;
    let mut o = outcome(
        ImportOutcomeKind::Accepted,
        format!(
            "{}: accepted r{} from {}: {summary}",
            file.display(),
            header.seq,
            org.name
        ),
        &header,
    );
    o.diff = Some(d);
    Ok(o)
}
