//! LOTI's shared database: a cycle's returns, as the committee workbook of a profile shows
//! them, written into a PostgreSQL schema `citytools` for BI tools and colleagues (`city
//! publish postgres`). The postgres crate is named only here.
//!
//! - `schema`: the tables as data — from the questionnaire (record tables, a column per field,
//!   commented with its label) and the workbook's sheets (analysis tables) —, rendered into
//!   the numbered migrations in `migrations/`.
//! - `migrations`: applies them, in the publication's transaction; a schema of a newer
//!   version, or a `citytools` schema City Tools did not make, is refused before anything is
//!   written.
//! - `rows`: every table's rows for the profile (what `export::profile` keeps; the sheets are
//!   the export's own tables).
//! - `copy`: rows as `COPY` text.
//! - `connect`: the connection from a URL (or `key=value` string) over the `PG*` environment
//!   variables.
//! - `publication`: one transaction per publication: lock, migrate, copy the rows (made on a
//!   second thread meanwhile) into fresh tables, then compare their hash with the cycle's last
//!   publication (the same: the fresh tables are dropped, nothing is written), else swap them
//!   in for the cycle's partitions (other cycles untouched).

mod connect;
mod copy;
mod migrations;
mod publication;
mod rows;
mod schema;

pub(crate) use connect::{config, describe};
pub(crate) use postgres::Config as PgConfig;
pub(crate) use publication::{PgInput, publish};
pub(crate) use rows::ReturnStatus;

/// Why a publication failed. Nothing was committed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PgError {
    #[error("{0}")]
    Config(String),
    #[error("could not connect to PostgreSQL ({target}): {source}")]
    Connect {
        target: String,
        source: postgres::Error,
    },
    #[error(
        "the database's citytools schema is version {found}, newer than this City Tools knows ({known}): update City Tools; nothing was changed"
    )]
    Newer { found: i32, known: i32 },
    #[error(
        "the database has a citytools schema that City Tools did not make (it has no schema_migration table); nothing was changed"
    )]
    Foreign,
    #[error("{0}")]
    Sheet(#[from] rows::SheetError),
    #[error("PostgreSQL refused the publication, so nothing was changed: {0}")]
    Db(#[from] postgres::Error),
    #[error("the connection failed while rows were sent, so nothing was changed: {0}")]
    Io(#[from] std::io::Error),
    /// The workbook's analysis report could not be made.
    #[error("{0}")]
    Report(crate::api::Error),
    #[error("the rows to publish were not all made, so nothing was changed")]
    Unmade,
}
