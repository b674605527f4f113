//! Rows for bundles: what a borough sent and the cycle packs it holds; LOTI's keyring,
//! accepted bundles (the sequence ratchet) and quarantine.

use super::error::{SqlContext, StoreError};
use super::rows::{Tx, ts};
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

/// A key in LOTI's keyring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyRow {
    pub(crate) key_id: String,
    pub(crate) organisation_id: String,
    pub(crate) public_key: String,
    pub(crate) status: String,
    pub(crate) added_at: String,
    pub(crate) expires_at: String,
    pub(crate) replaced_by: Option<String>,
    pub(crate) confirmed_by: String,
    pub(crate) confirmed_note: String,
    pub(crate) revoked_at: Option<String>,
    pub(crate) revoked_reason: Option<String>,
}

/// An accepted bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AcceptedRow {
    pub(crate) bundle_id: String,
    pub(crate) sha256: String,
    pub(crate) organisation_id: String,
    pub(crate) cycle_id: String,
    pub(crate) seq: i64,
    pub(crate) key_id: String,
    pub(crate) file_name: String,
    pub(crate) received_at: String,
    pub(crate) received_by: String,
    pub(crate) record_count: i64,
    pub(crate) diff: String,
    /// The bundle file as received (still encrypted and signed).
    pub(crate) bundle: Vec<u8>,
}

/// A quarantined bundle (the bytes stay in the store until confirmed or discarded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QuarantineRow {
    pub(crate) sha256: String,
    pub(crate) file_name: String,
    pub(crate) claimed_organisation: String,
    pub(crate) claimed_cycle: String,
    pub(crate) key_id: String,
    pub(crate) public_key: String,
    pub(crate) fingerprint: String,
    pub(crate) received_at: String,
    pub(crate) bundle: Vec<u8>,
}

/// A bundle a borough exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SentRow {
    pub(crate) bundle_id: String,
    pub(crate) seq: i64,
    pub(crate) sha256: String,
    pub(crate) file_name: String,
    pub(crate) key_id: String,
    pub(crate) sent_at: String,
    pub(crate) actor: String,
}

/// A cycle pack held by a borough store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PackRow {
    pub(crate) cycle_id: String,
    pub(crate) questionnaire_version: String,
    pub(crate) opens: String,
    pub(crate) closes: String,
    pub(crate) recipients: Vec<String>,
    pub(crate) root_key: String,
}

const KEY_COLS: &str = "key_id, organisation_id, public_key, status, added_at, expires_at, replaced_by, confirmed_by, confirmed_note, revoked_at, revoked_reason";
const ACCEPTED_COLS: &str = "bundle_id, sha256, organisation_id, cycle_id, seq, key_id, file_name, received_at, received_by, record_count, diff, bundle";
/// Listing accepted bundles leaves their bytes behind (`x''`: an empty blob).
const ACCEPTED_LIST_COLS: &str = "bundle_id, sha256, organisation_id, cycle_id, seq, key_id, file_name, received_at, received_by, record_count, diff, x''";

fn key_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<KeyRow> {
    Ok(KeyRow {
        key_id: r.get(0)?,
        organisation_id: r.get(1)?,
        public_key: r.get(2)?,
        status: r.get(3)?,
        added_at: r.get(4)?,
        expires_at: r.get(5)?,
        replaced_by: r.get(6)?,
        confirmed_by: r.get(7)?,
        confirmed_note: r.get(8)?,
        revoked_at: r.get(9)?,
        revoked_reason: r.get(10)?,
    })
}

fn accepted_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AcceptedRow> {
    Ok(AcceptedRow {
        bundle_id: r.get(0)?,
        sha256: r.get(1)?,
        organisation_id: r.get(2)?,
        cycle_id: r.get(3)?,
        seq: r.get(4)?,
        key_id: r.get(5)?,
        file_name: r.get(6)?,
        received_at: r.get(7)?,
        received_by: r.get(8)?,
        record_count: r.get(9)?,
        diff: r.get(10)?,
        bundle: r.get(11)?,
    })
}

impl Tx<'_> {
    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.tx
            .query_row("SELECT value FROM store_meta WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .ctx("reading store metadata")
    }

    pub(crate) fn keys(&self) -> Result<Vec<KeyRow>, StoreError> {
        let mut s = self
            .tx
            .prepare(&format!(
                "SELECT {KEY_COLS} FROM keyring ORDER BY organisation_id, added_at"
            ))
            .ctx("reading the keyring")?;
        let rows = s.query_map([], key_row).ctx("reading the keyring")?;
        rows.collect::<Result<Vec<_>, _>>()
            .ctx("reading the keyring")
    }

    pub(crate) fn key(&self, key_id: &str) -> Result<Option<KeyRow>, StoreError> {
        self.tx
            .query_row(
                &format!("SELECT {KEY_COLS} FROM keyring WHERE key_id = ?1"),
                [key_id],
                key_row,
            )
            .optional()
            .ctx("reading the keyring")
    }

    pub(crate) fn insert_key(&self, k: &KeyRow) -> Result<(), StoreError> {
        self.tx
            .execute(
                &format!(
                    "INSERT INTO keyring ({KEY_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
                ),
                params![
                    k.key_id,
                    k.organisation_id,
                    k.public_key,
                    k.status,
                    k.added_at,
                    k.expires_at,
                    k.replaced_by,
                    k.confirmed_by,
                    k.confirmed_note,
                    k.revoked_at,
                    k.revoked_reason
                ],
            )
            .ctx("saving a key")?;
        Ok(())
    }

    pub(crate) fn revoke_key(
        &self,
        key_id: &str,
        at: chrono::DateTime<chrono::Utc>,
        reason: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .execute(
                "UPDATE keyring SET status = 'revoked', revoked_at = ?2, revoked_reason = ?3 WHERE key_id = ?1",
                params![key_id, ts(at), reason],
            )
            .ctx("revoking a key")?;
        Ok(())
    }

    /// Retires a key replaced by `by`: it is still accepted until `until`.
    pub(crate) fn retire_key(&self, key_id: &str, by: &str, until: &str) -> Result<(), StoreError> {
        self.tx
            .execute(
                "UPDATE keyring SET status = 'retired', replaced_by = ?2, expires_at = ?3 WHERE key_id = ?1",
                params![key_id, by, until],
            )
            .ctx("retiring a key")?;
        Ok(())
    }

    pub(crate) fn max_accepted_seq(
        &self,
        organisation_id: &str,
        cycle: &str,
    ) -> Result<Option<i64>, StoreError> {
        self.tx
            .query_row(
                "SELECT max(seq) FROM accepted_bundle WHERE organisation_id = ?1 AND cycle_id = ?2",
                params![organisation_id, cycle],
                |r| r.get(0),
            )
            .ctx("reading accepted bundles")
    }

    pub(crate) fn accepted_by_hash_or_id(
        &self,
        sha256: &str,
        bundle_id: &str,
    ) -> Result<Option<AcceptedRow>, StoreError> {
        self.tx
            .query_row(
                &format!("SELECT {ACCEPTED_LIST_COLS} FROM accepted_bundle WHERE sha256 = ?1 OR bundle_id = ?2"),
                params![sha256, bundle_id],
                accepted_row,
            )
            .optional()
            .ctx("reading accepted bundles")
    }

    pub(crate) fn accepted(&self, cycle: Option<&str>) -> Result<Vec<AcceptedRow>, StoreError> {
        let mut s = self
            .tx
            .prepare(&format!(
                "SELECT {ACCEPTED_LIST_COLS} FROM accepted_bundle WHERE ?1 IS NULL OR cycle_id = ?1
                 ORDER BY organisation_id, cycle_id, seq"
            ))
            .ctx("reading accepted bundles")?;
        let rows = s
            .query_map([cycle], accepted_row)
            .ctx("reading accepted bundles")?;
        rows.collect::<Result<Vec<_>, _>>()
            .ctx("reading accepted bundles")
    }

    pub(crate) fn insert_accepted(&self, a: &AcceptedRow) -> Result<(), StoreError> {
        self.tx
            .execute(
                &format!("INSERT INTO accepted_bundle ({ACCEPTED_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
                params![
                    a.bundle_id, a.sha256, a.organisation_id, a.cycle_id, a.seq, a.key_id, a.file_name,
                    a.received_at, a.received_by, a.record_count, a.diff, a.bundle
                ],
            )
            .ctx("recording the accepted bundle")?;
        Ok(())
    }

    /// Removes every record of a return (a newer bundle replaces them; secure_delete wipes them).
    pub(crate) fn purge_records(&self, return_id: Uuid) -> Result<(), StoreError> {
        self.tx
            .execute(
                "DELETE FROM record WHERE return_id = ?1",
                [return_id.to_string()],
            )
            .ctx("replacing the return's records")?;
        Ok(())
    }

    pub(crate) fn quarantined(&self) -> Result<Vec<QuarantineRow>, StoreError> {
        let mut s = self
            .tx
            .prepare(
                "SELECT sha256, file_name, claimed_organisation, claimed_cycle, key_id, public_key, fingerprint, received_at, bundle
                 FROM quarantine ORDER BY received_at",
            )
            .ctx("reading quarantine")?;
        let rows = s
            .query_map([], |r| {
                Ok(QuarantineRow {
                    sha256: r.get(0)?,
                    file_name: r.get(1)?,
                    claimed_organisation: r.get(2)?,
                    claimed_cycle: r.get(3)?,
                    key_id: r.get(4)?,
                    public_key: r.get(5)?,
                    fingerprint: r.get(6)?,
                    received_at: r.get(7)?,
                    bundle: r.get(8)?,
                })
            })
            .ctx("reading quarantine")?;
        rows.collect::<Result<Vec<_>, _>>()
            .ctx("reading quarantine")
    }

    pub(crate) fn insert_quarantine(&self, q: &QuarantineRow) -> Result<bool, StoreError> {
        let n = self
            .tx
            .execute(
                "INSERT INTO quarantine (sha256, file_name, claimed_organisation, claimed_cycle, key_id, public_key, fingerprint, received_at, bundle)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (sha256) DO NOTHING",
                params![
                    q.sha256, q.file_name, q.claimed_organisation, q.claimed_cycle, q.key_id, q.public_key,
                    q.fingerprint, q.received_at, q.bundle
                ],
            )
            .ctx("quarantining the bundle")?;
        Ok(n == 1)
    }

    pub(crate) fn delete_quarantine(&self, sha256: &str) -> Result<(), StoreError> {
        self.tx
            .execute("DELETE FROM quarantine WHERE sha256 = ?1", [sha256])
            .ctx("releasing from quarantine")?;
        Ok(())
    }

    pub(crate) fn sent(&self, return_id: Uuid) -> Result<Vec<SentRow>, StoreError> {
        let mut s = self
            .tx
            .prepare("SELECT bundle_id, seq, sha256, file_name, key_id, sent_at, actor FROM sent_bundle WHERE return_id = ?1 ORDER BY seq")
            .ctx("reading sent bundles")?;
        let rows = s
            .query_map([return_id.to_string()], |r| {
                Ok(SentRow {
                    bundle_id: r.get(0)?,
                    seq: r.get(1)?,
                    sha256: r.get(2)?,
                    file_name: r.get(3)?,
                    key_id: r.get(4)?,
                    sent_at: r.get(5)?,
                    actor: r.get(6)?,
                })
            })
            .ctx("reading sent bundles")?;
        rows.collect::<Result<Vec<_>, _>>()
            .ctx("reading sent bundles")
    }

    pub(crate) fn insert_sent(&self, return_id: Uuid, s: &SentRow) -> Result<(), StoreError> {
        self.tx
            .execute(
                "INSERT INTO sent_bundle (bundle_id, return_id, seq, sha256, file_name, key_id, sent_at, actor)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![s.bundle_id, return_id.to_string(), s.seq, s.sha256, s.file_name, s.key_id, s.sent_at, s.actor],
            )
            .ctx("recording the sent bundle")?;
        Ok(())
    }

    pub(crate) fn pack(&self, cycle: &str) -> Result<Option<PackRow>, StoreError> {
        let raw: Option<(String, String, String, String, String, String)> = self
            .tx
            .query_row(
                "SELECT cycle_id, questionnaire_version, opens, closes, recipients, root_key FROM cycle_pack WHERE cycle_id = ?1",
                [cycle],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()
            .ctx("reading the cycle pack")?;
        raw.map(
            |(cycle_id, questionnaire_version, opens, closes, recipients, root_key)| {
                Ok(PackRow {
                    cycle_id,
                    questionnaire_version,
                    opens,
                    closes,
                    recipients: serde_json::from_str(&recipients).map_err(|e| {
                        StoreError::Corrupt {
                            table: "cycle_pack".into(),
                            record: cycle.to_string(),
                            message: e.to_string(),
                        }
                    })?,
                    root_key,
                })
            },
        )
        .transpose()
    }

    pub(crate) fn upsert_pack(
        &self,
        p: &PackRow,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        let recipients = serde_json::to_string(&p.recipients).unwrap_or_else(|_| "[]".into());
        self.tx
            .execute(
                "INSERT INTO cycle_pack (cycle_id, questionnaire_version, opens, closes, recipients, root_key, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (cycle_id) DO UPDATE SET questionnaire_version = excluded.questionnaire_version,
                   opens = excluded.opens, closes = excluded.closes, recipients = excluded.recipients,
                   root_key = excluded.root_key, imported_at = excluded.imported_at",
                params![p.cycle_id, p.questionnaire_version, p.opens, p.closes, recipients, p.root_key, ts(at)],
            )
            .ctx("saving the cycle pack")?;
        Ok(())
    }
}
