//! LOTI's merge: verify, decrypt and merge a set of signed bundles into a fresh central store
//! (`Store::import_bundles`), against a bare SQLite insert of the same rows into the same
//! `record` table (same columns, primary key and index; without the store's CHECKs on `kind`
//! and `review_state` and its foreign key), with the same pragmas (WAL, `synchronous=FULL`,
//! `secure_delete`) and one transaction per bundle, in the same process.
//! Runs are interleaved (baseline, ours, baseline, ours, …) so both see the same noise.

use crate::inputs::{self, BundleSet};
use crate::measure;
use anyhow::{Result, anyhow, bail};
use city_core::api::{self, ImportOutcomeKind, Store};
use std::path::Path;
use std::time::{Duration, Instant};

/// Median times for one bundle set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MergeFigures {
    pub(crate) ours: Duration,
    pub(crate) bare: Duration,
    /// The bare insert plus each bundle file stored as a blob, as the central store keeps it.
    pub(crate) bare_with_bundle: Duration,
    pub(crate) records: usize,
}

/// A central store with every organisation's key confirmed (setup, not timed).
pub(crate) fn central_with_keys(path: &Path, set: &BundleSet) -> Result<Store> {
    let c = inputs::ctx();
    let mut central =
        Store::create_central(path, &c).map_err(|e| anyhow!("central store: {}", e.message))?;
    for (public, org, name) in &set.keys {
        let info = api::public_key_info(public).map_err(|e| anyhow!("{}", e.message))?;
        central
            .confirm_key_named(
                &public.display().to_string(),
                org,
                name.as_deref(),
                &info.fingerprint,
                "benchmark key",
                &[],
                &c,
            )
            .map_err(|e| anyhow!("confirming {org}'s key: {}", e.message))?;
    }
    Ok(central)
}

/// One timed merge of every bundle into a fresh central store in `dir`.
pub(crate) fn ours_once(dir: &Path, set: &BundleSet) -> Result<Duration> {
    let path = dir.join("central.ctstore");
    let mut central = central_with_keys(&path, set)?;
    let start = Instant::now();
    let out = central
        .import_bundles(
            &set.bundles,
            std::slice::from_ref(&set.identity),
            false,
            &inputs::ctx(),
            &mut |_| {},
        )
        .map_err(|e| anyhow!("import: {}", e.message))?;
    let took = start.elapsed();
    if let Some(bad) = out
        .iter()
        .find(|o| o.outcome != ImportOutcomeKind::Accepted)
    {
        bail!("a bundle was not accepted: {}", bad.message);
    }
    drop(central);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Ok(took)
}

/// The bare baseline: the same rows into the same table with plain rusqlite, one transaction
/// per bundle; reading the rows from disk is not timed. With `keep_bundle`, each bundle's
/// bytes are also stored as a blob in the same transaction (the central store keeps every
/// accepted bundle).
fn bare_once(dir: &Path, set: &BundleSet, keep_bundle: bool) -> Result<(Duration, usize)> {
    let path = dir.join("bare.sqlite");
    let conn = rusqlite::Connection::open(&path)?;
    // The store's settings (`store::Db::configure`): the same durability and secure_delete.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute_batch(
        "CREATE TABLE record (
            return_id    TEXT NOT NULL,
            id           TEXT NOT NULL,
            kind         TEXT NOT NULL,
            data         TEXT NOT NULL CHECK (json_valid(data)),
            review_state TEXT NOT NULL,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL,
            deleted_at   TEXT,
            PRIMARY KEY (return_id, id)
        ) STRICT;
        CREATE TABLE bundle (return_id TEXT PRIMARY KEY, bytes BLOB NOT NULL) STRICT;",
    )?;
    let mut total = Duration::ZERO;
    let mut n = 0;
    let mut conn = conn;
    for (rows_file, bundle) in set.rows.iter().zip(&set.bundles) {
        let rows = inputs::read_rows(rows_file)?;
        let bytes = if keep_bundle {
            std::fs::read(bundle)?
        } else {
            Vec::new()
        };
        let return_id = uuid::Uuid::new_v4().to_string();
        let start = Instant::now();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO record (return_id, id, kind, data, review_state, created_at, updated_at, deleted_at)
                 VALUES (?1, ?2, ?3, ?4, 'new', ?5, ?5, NULL)",
            )?;
            for (id, kind, data) in &rows {
                stmt.execute(rusqlite::params![
                    return_id,
                    id,
                    kind,
                    data,
                    "2026-11-23T09:00:00.000Z"
                ])?;
            }
        }
        if keep_bundle {
            tx.execute(
                "INSERT INTO bundle (return_id, bytes) VALUES (?1, ?2)",
                rusqlite::params![return_id, bytes],
            )?;
        }
        tx.commit()?;
        total += start.elapsed();
        n += rows.len();
    }
    drop(conn);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Ok((total, n))
}

/// Interleaved runs of the baseline and ours; medians of each.
pub(crate) fn run(work: &Path, set: &BundleSet, runs: usize) -> Result<MergeFigures> {
    std::fs::create_dir_all(work)?;
    let dir = tempfile::Builder::new().prefix("merge-").tempdir_in(work)?;
    let (mut ours, mut bare, mut blob) = (Vec::new(), Vec::new(), Vec::new());
    let mut records = 0;
    for _ in 0..runs.max(1) {
        let (t, n) = bare_once(dir.path(), set, false)?;
        bare.push(t);
        records = n;
        ours.push(ours_once(dir.path(), set)?);
        blob.push(bare_once(dir.path(), set, true)?.0);
    }
    Ok(MergeFigures {
        ours: measure::median(&mut ours),
        bare: measure::median(&mut bare),
        bare_with_bundle: measure::median(&mut blob),
        records,
    })
}

/// A central store holding every bundle of `set`, made once and cached at `path`.
pub(crate) fn central_store(path: &Path, set: &BundleSet) -> Result<()> {
    if path.is_file() {
        return Ok(());
    }
    let tmp = path.with_extension("tmp.ctstore");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
    }
    let mut central = central_with_keys(&tmp, set)?;
    let out = central
        .import_bundles(
            &set.bundles,
            std::slice::from_ref(&set.identity),
            false,
            &inputs::ctx(),
            &mut |_| {},
        )
        .map_err(|e| anyhow!("import: {}", e.message))?;
    if let Some(bad) = out
        .iter()
        .find(|o| o.outcome != ImportOutcomeKind::Accepted)
    {
        bail!("a bundle was not accepted: {}", bad.message);
    }
    drop(central);
    std::fs::rename(&tmp, path)?;
    Ok(())
}
