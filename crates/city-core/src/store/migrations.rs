//! The numbered, append-only schema migrations of a store, applied with `rusqlite_migration`
//! (the schema version lives in SQLite's `user_version`). A shipped migration is never edited.

use rusqlite_migration::{M, Migrations};

/// Every migration, in order; the position + 1 is the schema version it produces.
const STEPS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_bundles.sql"),
    include_str!("migrations/0003_analysis.sql"),
];

/// The schema version this build writes.
pub(crate) const LATEST_VERSION: i64 = STEPS.len() as i64;

/// The migrations as `rusqlite_migration` wants them.
pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(super::migrations().validate().is_ok());
    }
}
