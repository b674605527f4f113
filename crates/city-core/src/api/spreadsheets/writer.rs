//! The import's transaction on a thread of its own. The rows are read, matched and checked on
//! the calling thread while this one writes what was already planned (SQLite's inserts are
//! about a third of a large import). Every use of the transaction goes through [`Link`], in
//! the order it is made: a write is queued without waiting ([`Link::send`]); a read
//! ([`Link::call`]) waits for its answer, so it sees every write queued before it. The first
//! write that fails stops the writer (nothing after it runs; the next read, or the end, gets
//! that error). The transaction is one, as before: committed only if the planner ends with
//! [`Link::end`]`(true)` and no write failed, else rolled back.

use crate::api::edit::Reads;
use crate::domain::enums::RecordKind;
use crate::store::{Db, RecordRow, StoreError, Tx};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// A use of the transaction.
type Job = Box<dyn FnOnce(&Tx<'_>) -> Result<(), StoreError> + Send>;

enum Msg {
    Job(Job),
    /// Commit (`true`) or roll back.
    End(bool),
}

/// Writes queued at most (each is up to 100 new records): the planner runs ahead of the
/// writer by this much, then waits.
const QUEUED_MAX: usize = 8;

/// The planner's end of the transaction.
pub(super) struct Link {
    jobs: SyncSender<Msg>,
    failed: Arc<Mutex<Option<StoreError>>>,
}

/// The writer's end: runs the jobs in one transaction of `db`.
pub(super) struct Writer {
    jobs: Receiver<Msg>,
    failed: Arc<Mutex<Option<StoreError>>>,
}

/// A link and its writer (run the writer on its own thread with [`Writer::run`]).
pub(super) fn pair() -> (Link, Writer) {
    let (send, receive) = sync_channel(QUEUED_MAX);
    let failed = Arc::new(Mutex::new(None));
    (
        Link {
            jobs: send,
            failed: failed.clone(),
        },
        Writer {
            jobs: receive,
            failed,
        },
    )
}

/// How the writer's transaction ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    Committed,
    RolledBack,
    /// A write or the commit failed (rolled back); [`Link::error`] gives the error.
    Failed,
}

/// Why the writer's transaction was not committed.
enum Unkept {
    RolledBack,
    Failed(StoreError),
}

impl From<StoreError> for Unkept {
    fn from(e: StoreError) -> Unkept {
        Unkept::Failed(e)
    }
}

impl Link {
    /// The error that stopped the writer (or, if it went away without one, says so).
    pub(super) fn error(&self) -> StoreError {
        self.failed
            .lock()
            .ok()
            .and_then(|mut f| f.take())
            .unwrap_or_else(|| StoreError::Sqlite {
                context: "importing".into(),
                message: "the store's writer stopped".into(),
            })
    }

    /// Queues a write; its error, if any, comes back from a later call or the end.
    pub(super) fn send(
        &self,
        job: impl FnOnce(&Tx<'_>) -> Result<(), StoreError> + Send + 'static,
    ) -> Result<(), StoreError> {
        self.jobs
            .send(Msg::Job(Box::new(job)))
            .map_err(|_| self.error())
    }

    /// Runs `f` in the transaction after every write queued before it, and waits for its
    /// answer.
    pub(super) fn call<R, E>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<R, E> + Send + 'static,
    ) -> Result<R, E>
    where
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (answer, answered) = sync_channel(1);
        self.jobs
            .send(Msg::Job(Box::new(move |tx| {
                // The caller is waiting: a closed channel means it has gone, nothing to do.
                let _ = answer.send(f(tx));
                Ok(())
            })))
            .map_err(|_| E::from(self.error()))?;
        answered.recv().map_err(|_| E::from(self.error()))?
    }

    /// Ends the transaction: commit (`keep`) or roll back.
    pub(super) fn end(&self, keep: bool) {
        // A writer that has gone already has its error to give.
        let _ = self.jobs.send(Msg::End(keep));
    }
}

impl Writer {
    /// Runs every job in one write transaction of `db`, until the link ends it (or goes away:
    /// rolled back).
    pub(super) fn run(self, db: &mut Db) -> Outcome {
        let Writer { jobs, failed } = self;
        let outcome = db.write(|tx| -> Result<(), Unkept> {
            for msg in &jobs {
                match msg {
                    Msg::Job(job) => job(tx)?,
                    Msg::End(true) => return Ok(()),
                    Msg::End(false) => return Err(Unkept::RolledBack),
                }
            }
            Err(Unkept::RolledBack)
        });
        match outcome {
            Ok(()) => Outcome::Committed,
            Err(Unkept::RolledBack) => Outcome::RolledBack,
            Err(Unkept::Failed(e)) => {
                // The error first, then the queue closed: whoever waits learns why.
                if let Ok(mut f) = failed.lock() {
                    *f = Some(e);
                }
                drop(jobs);
                Outcome::Failed
            }
        }
    }
}

impl Reads for Link {
    fn record_kind(
        &self,
        return_id: Uuid,
        id: Uuid,
    ) -> Result<Option<(Option<RecordKind>, bool)>, StoreError> {
        self.call(move |tx| tx.record_kind(return_id, id))
    }

    fn records(
        &self,
        return_id: Uuid,
        kind: Option<RecordKind>,
        include_deleted: bool,
    ) -> Result<Vec<RecordRow>, StoreError> {
        self.call(move |tx| tx.records(return_id, kind, include_deleted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn store() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let db = Db::create_central(&dir.path().join("s.ctstore"), now).expect("a store");
        (dir, db)
    }

    fn meta(db: &mut Db, key: &str) -> Option<String> {
        db.read(|tx| tx.meta(key)).expect("a read")
    }

    /// Runs `plan` against a writer on its own thread; returns how the writer ended.
    fn with_writer<T>(db: &mut Db, plan: impl FnOnce(&Link) -> T) -> (T, Outcome, Link) {
        let (link, writer) = pair();
        std::thread::scope(|s| {
            let writing = s.spawn(move || writer.run(db));
            let out = plan(&link);
            let outcome = writing.join().expect("the writer ran");
            (out, outcome, link)
        })
    }

    #[test]
    fn a_read_sees_the_writes_queued_before_it_and_the_end_commits() {
        let (_dir, mut db) = store();
        let (seen, outcome, _) = with_writer(&mut db, |link| {
            link.send(|tx| tx.set_meta("k", "1")).unwrap();
            let seen = link.call(|tx| tx.meta("k")).unwrap();
            link.end(true);
            seen
        });
        assert_eq!(seen.as_deref(), Some("1"));
        assert_eq!(outcome, Outcome::Committed);
        assert_eq!(meta(&mut db, "k").as_deref(), Some("1"));
    }

    #[test]
    fn ending_without_keeping_rolls_everything_back() {
        let (_dir, mut db) = store();
        let (_, outcome, _) = with_writer(&mut db, |link| {
            link.send(|tx| tx.set_meta("k", "1")).unwrap();
            link.end(false);
        });
        assert_eq!(outcome, Outcome::RolledBack);
        assert_eq!(meta(&mut db, "k"), None);
    }

    #[test]
    fn a_failed_write_stops_the_writer_and_its_error_reaches_the_next_read() {
        let (_dir, mut db) = store();
        let (read, outcome, link) = with_writer(&mut db, |link| {
            link.send(|tx| tx.set_meta("k", "1")).unwrap();
            link.send(|_| Err(StoreError::DiskFull)).unwrap();
            let read = link.call(|tx| tx.meta("k"));
            link.end(true);
            read
        });
        assert!(matches!(read, Err(StoreError::DiskFull)), "{read:?}");
        assert_eq!(outcome, Outcome::Failed);
        assert_eq!(meta(&mut db, "k"), None, "rolled back");
        // The error was handed to the read; the writer's end has none left to give.
        assert!(matches!(link.error(), StoreError::Sqlite { .. }));
    }

    #[test]
    fn a_write_failing_last_is_the_error_of_the_end() {
        let (_dir, mut db) = store();
        let (_, outcome, link) = with_writer(&mut db, |link| {
            link.send(|tx| tx.set_meta("k", "1")).unwrap();
            link.send(|_| Err(StoreError::DiskFull)).unwrap();
            link.end(true);
        });
        assert_eq!(outcome, Outcome::Failed);
        assert!(matches!(link.error(), StoreError::DiskFull));
        assert_eq!(meta(&mut db, "k"), None, "rolled back");
    }
}
