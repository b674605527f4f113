//! The `citytools` schema's numbered migrations (`migrations/NNNN_*.sql`, append-only), applied
//! inside the publication's transaction and recorded in `citytools.schema_migration`. A schema
//! whose version is newer than the last migration here, or a `citytools` schema without that
//! table, is refused before anything is written.

use super::PgError;
use postgres::Transaction;

/// (version, name, SQL), in order.
const MIGRATIONS: [(i32, &str, &str); 3] = [
    (
        1,
        "0001_citytools",
        include_str!("migrations/0001_citytools.sql"),
    ),
    (
        2,
        "0002_foreign_key_indexes",
        include_str!("migrations/0002_foreign_key_indexes.sql"),
    ),
    (
        3,
        "0003_partitions",
        include_str!("migrations/0003_partitions.sql"),
    ),
];

/// The schema version this code writes.
pub(crate) const LATEST: i32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// The schema's version before any migration (0: no schema yet).
pub(crate) fn current(tx: &mut Transaction<'_>) -> Result<i32, PgError> {
    let has_schema: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'citytools')",
            &[],
        )?
        .get(0);
    if !has_schema {
        return Ok(0);
    }
    let has_table: bool = tx
        .query_one(
            "SELECT to_regclass('citytools.schema_migration') IS NOT NULL",
            &[],
        )?
        .get(0);
    if !has_table {
        return Err(PgError::Foreign);
    }
    let v: i32 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM citytools.schema_migration",
            &[],
        )?
        .get(0);
    Ok(v)
}

/// Brings the schema up to [`LATEST`]; returns the version it is at.
pub(crate) fn migrate(tx: &mut Transaction<'_>) -> Result<i32, PgError> {
    let found = current(tx)?;
    if found > LATEST {
        return Err(PgError::Newer {
            found,
            known: LATEST,
        });
    }
    for (version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > found) {
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO citytools.schema_migration (version, name) VALUES ($1, $2)",
            &[version, name],
        )?;
    }
    Ok(LATEST)
}

#[cfg(test)]
mod tests {
    use super::super::schema::{self, SheetCol};
    use crate::api::{Context, ExportProfile, IsoDate, ReadinessOptions, WindowOptions};
    use crate::export::{self, table};
    use std::path::Path;

    /// The sheets' tables as the London data set's workbooks of every profile show them.
    fn sheet_tables() -> Vec<schema::TableSpec> {
        let london =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/london/returns.json");
        let ctx = Context {
            now: chrono::DateTime::parse_from_rfc3339("2026-06-01T09:00:00Z")
                .map(|d| d.with_timezone(&chrono::Utc))
                .unwrap_or_default(),
            actor: "test".into(),
        };
        let ds = crate::api::returns_dataset(&london, None, &ctx).expect("London");
        let analysis = crate::api::analysis_of(&ds, Vec::new());
        let mut out = Vec::new();
        for (title, name, comment) in schema::SHEET_TABLES {
            let mut cols: Vec<SheetCol> = Vec::new();
            for profile in [
                ExportProfile::Full,
                ExportProfile::Committee,
                ExportProfile::Open,
            ] {
                let readiness = ReadinessOptions {
                    include_sensitive: profile == ExportProfile::Full,
                    ..ReadinessOptions::as_of(IsoDate(ds.today))
                };
                let report = analysis
                    .workbook_report(&WindowOptions::default(), &readiness)
                    .expect("report");
                let mut sheets = vec![table::readiness_table(&ds, profile).into_rows()];
                sheets.extend(
                    export::analysis_sheets(&report, profile)
                        .iter()
                        .map(|m| m()),
                );
                let Some(sheet) = sheets.into_iter().find(|s| s.title == title) else {
                    continue;
                };
                let columns = sheet.columns.clone();
                let values: Vec<Vec<table::Value>> = sheet.rows.collect();
                for (j, c) in columns.iter().enumerate() {
                    let vals = || {
                        values
                            .iter()
                            .map(|r| r.get(j).cloned().unwrap_or(table::Value::Empty))
                    };
                    let mut name = schema::sheet_column(&c.header);
                    if vals().any(|v| matches!(v, table::Value::Money(_))) {
                        name.push_str("_pence");
                    }
                    if cols.iter().any(|k| k.name == name) {
                        continue;
                    }
                    let mut comment = if c.note.is_empty() {
                        c.header.clone()
                    } else {
                        format!("{}: {}", c.header, c.note)
                    };
                    if name.ends_with("_pence") {
                        comment.push_str(" (in pence)");
                    }
                    cols.push(SheetCol {
                        name,
                        ty: schema::inferred_type(vals()),
                        comment,
                    });
                }
            }
            assert!(!cols.is_empty(), "no sheet {title}");
            out.push(schema::sheet_table(name, comment, &cols));
        }
        out
    }

    #[test]
    fn migration_1_is_the_schema_the_code_describes() {
        let want = schema::render_v1(&sheet_tables());
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/publish/postgres/migrations/0001_citytools.sql");
        if std::env::var_os("CITY_BLESS_PG_SCHEMA").is_some() {
            std::fs::write(&path, &want).expect("write the migration");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "migrations/0001_citytools.sql differs from the schema the questionnaire and the \
             workbook's sheets describe. Before the first release: rewrite it with \
             CITY_BLESS_PG_SCHEMA=1 cargo test -p city-core migration_1; after: add a migration"
        );
    }
}
