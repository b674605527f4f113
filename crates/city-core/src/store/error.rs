//! What can go wrong opening, reading or writing a store.

use std::path::PathBuf;

/// A store failure. SQLite details are kept as text so nothing outside `store` names rusqlite.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("there is no store at {0}")]
    Missing(PathBuf),
    #[error("{0} already exists: choose another file name, or open it instead")]
    Exists(PathBuf),
    #[error("{0} is not a City Tools store")]
    NotAStore(PathBuf),
    #[error(
        "{path} was written by a newer version of City Tools (schema version {found}; this version reads up to {supported}); update the app to open it — the file has not been changed"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("the disk is full: the change was not saved")]
    DiskFull,
    #[error("the store is busy in another window or program; try again")]
    Busy,
    #[error("stored {table} record {record} cannot be read: {message}")]
    Corrupt {
        table: String,
        record: String,
        message: String,
    },
    #[error("could not upgrade the store: {0}")]
    Migration(String),
    #[error("{context}: {message}")]
    Sqlite { context: String, message: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl StoreError {
    pub(crate) fn sqlite(context: &str, e: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Sqlite {
                context: context.to_string(),
                message: e.to_string(),
            },
        }
    }
}

/// Adds a short context to rusqlite results.
pub(crate) trait SqlContext<T> {
    fn ctx(self, context: &str) -> Result<T, StoreError>;
}

impl<T> SqlContext<T> for Result<T, rusqlite::Error> {
    fn ctx(self, context: &str) -> Result<T, StoreError> {
        self.map_err(|e| StoreError::sqlite(context, e))
    }
}
