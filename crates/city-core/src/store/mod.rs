//! The local store: one SQLite file per organisation holding its returns for every cycle, their
//! records and an audit log. Owns everything that touches rusqlite: opening with the right
//! pragmas (WAL, foreign keys, secure_delete, full sync), refusing foreign or newer files
//! untouched, migrations, and row-level reads and writes inside transactions. Rules about what
//! may be written live in `api`; this module only stores.

mod aliases;
mod central;
mod error;
mod migrations;
mod role;
mod rows;

pub(crate) use aliases::AliasRow;
pub(crate) use central::{AcceptedRow, KeyRow, PackRow, QuarantineRow, SentRow};
pub(crate) use error::StoreError;
pub use role::StoreRole;
pub(crate) use rows::ts as rows_ts;
pub(crate) use rows::{AuditAction, AuditRow, NewAudit, RecordRow, ReturnRow, Snapshot, Tx};

use crate::domain::cycle::{CycleId, QUESTIONNAIRE_VERSION};
use crate::domain::organisation::Organisation;
use chrono::{DateTime, Utc};
use error::SqlContext;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};

/// SQLite `application_id` of a City Tools store ('CTS1').
const APPLICATION_ID: i64 = 0x4354_5331;

/// An open store.
pub(crate) struct Db {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("path", &self.path).finish()
    }
}

/// The schema version this build writes.
pub(crate) const SCHEMA_VERSION: i64 = migrations::LATEST_VERSION;

impl Db {
    /// Opens an existing store, upgrading an older schema. A file that is not a store, or a
    /// store from a newer version, is refused before anything is written to it.
    pub(crate) fn open(path: &Path) -> Result<Db, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).ctx("opening the store")?;
        check_identity(&conn, path)?;
        let mut db = Db {
            conn,
            path: path.to_path_buf(),
        };
        db.configure()?;
        db.migrate()?;
        Ok(db)
    }

    /// Creates a new store for an organisation with its first return. The file appears only
    /// once it is complete (written beside it, then renamed).
    pub(crate) fn create(
        path: &Path,
        org: &Organisation,
        cycle: &CycleId,
        return_id: uuid::Uuid,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Db, StoreError> {
        Db::create_with(path, |tx| {
            tx.set_meta(role::META_KEY, StoreRole::Borough.id())?;
            tx.set_meta("owner", &org.id())?;
            tx.set_meta("created_at", &rows::ts(now))?;
            tx.insert_organisation(org)?;
            tx.insert_return(&ReturnRow {
                id: return_id,
                organisation: org.clone(),
                cycle: cycle.clone(),
                questionnaire_version: QUESTIONNAIRE_VERSION.to_string(),
                carried_from: None,
                created_at: now,
            })?;
            tx.audit(&NewAudit {
                at: now,
                actor,
                action: AuditAction::CreateStore,
                return_id: Some(return_id),
                record_id: None,
                kind: None,
                before: None,
                after: None,
            })?;
            Ok(())
        })
    }

    /// Creates LOTI's central store: no returns until bundles are imported.
    pub(crate) fn create_central(path: &Path, now: DateTime<Utc>) -> Result<Db, StoreError> {
        Db::create_with(path, |tx| {
            tx.set_meta(role::META_KEY, StoreRole::Central.id())?;
            tx.set_meta("created_at", &rows::ts(now))
        })
    }

    /// Creates a store file, running `init` in its first transaction.
    fn create_with(
        path: &Path,
        init: impl FnOnce(&Tx<'_>) -> Result<(), StoreError>,
    ) -> Result<Db, StoreError> {
        if path.exists() {
            return Err(StoreError::Exists(path.to_path_buf()));
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "store".into());
        let tmp = path.with_file_name(format!(".{file_name}.creating"));
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let p = PathBuf::from(format!("{}{suffix}", tmp.display()));
            if p.exists() {
                std::fs::remove_file(&p)?;
            }
        }
        {
            let conn = Connection::open(&tmp).ctx("creating the store")?;
            let mut db = Db {
                conn,
                path: tmp.clone(),
            };
            db.configure()?;
            db.migrate()?;
            db.write(init)?;
            db.conn
                .close()
                .map_err(|(_, e)| StoreError::sqlite("closing the new store", e))?;
        }
        std::fs::rename(&tmp, path)?;
        Db::open(path)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&mut self) -> Result<(), StoreError> {
        self.conn
            .busy_timeout(std::time::Duration::from_secs(5))
            .ctx("setting the busy timeout")?;
        self.conn
            .pragma_update(None, "journal_mode", "WAL")
            .ctx("switching on write-ahead logging")?;
        for (name, value) in [
            ("foreign_keys", "ON"),
            ("secure_delete", "ON"),
            ("synchronous", "FULL"),
            // Up to 64 MiB of pages in memory (the default is 2 MiB): a long import or merge
            // transaction otherwise spills its dirty index pages to the log again and again.
            ("cache_size", "-65536"),
            // Statement journals in memory: a statement that writes many rows (the batched
            // inserts of an import or merge) keeps the pages it changes so it can be undone on
            // its own, and past 64 KiB SQLite spilled them to a temporary file — 8% of an
            // import's time in `pwrite`. Temporary tables and sorts stay in memory too.
            ("temp_store", "MEMORY"),
        ] {
            self.conn
                .pragma_update(None, name, value)
                .ctx("configuring the store")?;
        }
        Ok(())
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        migrations::migrations()
            .to_latest(&mut self.conn)
            .map_err(|e| StoreError::Migration(e.to_string()))
    }

    /// Runs `f` in one read transaction (a consistent snapshot).
    pub(crate) fn read<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .ctx("starting a read")?;
        let tx = Tx::new(tx);
        let out = f(&tx)?;
        tx.finish().map_err(E::from)?;
        Ok(out)
    }

    /// Runs `f` in one write transaction: everything `f` writes is committed together if it
    /// returns `Ok`, and nothing is if it returns `Err`.
    pub(crate) fn write<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .ctx("starting a change")?;
        let tx = Tx::new(tx);
        let out = f(&tx)?;
        tx.finish().map_err(E::from)?;
        Ok(out)
    }

    /// Runs SQLite's integrity check; `Ok(())` when it reports "ok".
    pub(crate) fn integrity_check(&mut self) -> Result<(), StoreError> {
        let result: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .ctx("checking integrity")?;
        if result == "ok" {
            Ok(())
        } else {
            Err(StoreError::Sqlite {
                context: "integrity check".into(),
                message: result,
            })
        }
    }
}

/// Refuses files that are not City Tools stores, and stores from a newer schema, by reading
/// only (no pragma that writes has run yet).
fn check_identity(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let read = |pragma: &str| -> Result<i64, StoreError> {
        conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get::<_, i64>(0))
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase) => {
                    StoreError::NotAStore(path.to_path_buf())
                }
                _ => StoreError::sqlite("reading the store header", e),
            })
    };
    let app = read("application_id")?;
    let version = read("user_version")?;
    if app != APPLICATION_ID {
        return Err(StoreError::NotAStore(path.to_path_buf()));
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}
