//! One publication, one transaction: take the schema's advisory lock (publications queue
//! behind each other), migrate, make every table's rows, and compare their hash with the
//! cycle's last publication. The same rows with the same profile: nothing is written (a
//! second publication of the same store changes no row, `publication` included). Otherwise
//! organisations are upserted, the cycle's `publication` row replaced, and every table's rows
//! copied with `COPY` into a fresh table (keys and indexes, no foreign keys: nothing checked
//! row by row); then the cycle's old partitions are detached and dropped and the new tables
//! attached as its partitions (each foreign key checked by one query per partition; other
//! cycles' partitions untouched). Any failure before the commit leaves the previous
//! publication whole. From the swap to the commit, readers of the tables wait (PostgreSQL
//! detaches a partition under an exclusive lock); before it, they read the previous
//! publication.

use super::copy::CopyTable;
use super::rows::{self, ReturnStatus, TableColumns};
use super::schema::{SCHEMA, Ty};
use super::{PgError, migrations};
use crate::analysis::AnalysisReport;
use crate::api::Analysis;
use crate::export::{self, Dataset, ExportProfile, table};
use crate::progress::Progress;
use postgres::{Config, NoTls, Transaction};
use std::collections::HashMap;
use std::io::Write;

/// A key of PostgreSQL's advisory locks, for publications to `citytools` ("CITYTOOL").
const LOCK_KEY: i64 = 0x4349_5459_544f_4f4c;

/// What to publish.
pub(crate) struct PgInput<'a> {
    pub(crate) ds: &'a Dataset,
    /// The analysis of `ds`'s records (same order of organisations).
    pub(crate) analysis: &'a Analysis,
    /// The workbook's analysis report for the profile.
    pub(crate) report: &'a AnalysisReport,
    /// Each organisation's return status (LOTI's tracker).
    pub(crate) status: &'a [ReturnStatus],
    pub(crate) profile: ExportProfile,
    /// The file published from, by name.
    pub(crate) source: String,
    /// When, RFC 3339.
    pub(crate) published_at: String,
    pub(crate) made_by: String,
}

/// What a publication did.
#[derive(Debug, Clone)]
pub(crate) struct PgWritten {
    /// The cycle's last publication held the same rows: nothing was written.
    pub(crate) unchanged: bool,
    pub(crate) source_hash: String,
    pub(crate) schema_version: i32,
    /// Rows per table.
    pub(crate) tables: Vec<(String, u64)>,
}

fn ty_of(data_type: &str) -> Ty {
    match data_type {
        "bigint" | "integer" => Ty::BigInt,
        "double precision" => Ty::Double,
        "date" => Ty::Date,
        "boolean" => Ty::Bool,
        "uuid" => Ty::Uuid,
        "timestamp with time zone" => Ty::Timestamptz,
        _ => Ty::Text,
    }
}

fn columns(tx: &mut Transaction<'_>) -> Result<HashMap<String, TableColumns>, PgError> {
    let mut out: HashMap<String, TableColumns> = HashMap::new();
    for r in tx.query(
        "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns WHERE table_schema = 'citytools'",
        &[],
    )? {
        let (t, c, d): (String, String, String) = (r.get(0), r.get(1), r.get(2));
        out.entry(t).or_default().insert(c, ty_of(&d));
    }
    Ok(out)
}

fn copy(tx: &mut Transaction<'_>, t: &CopyTable, schema: &str, into: &str) -> Result<(), PgError> {
    let mut w = tx.copy_in(&t.statement(schema, into))?;
    w.write_all(&t.data)?;
    w.finish()?;
    Ok(())
}

/// The schema of the tables' partitions, one per table and cycle.
const PARTS: &str = "citytools_cycle";

/// `"name"`, quoted for SQL.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `'text'`, quoted for SQL.
fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A table's partition for a cycle: `system_2026_27` (as migration 3 names them).
fn partition_name(table: &str, cycle: &str) -> String {
    let mut out = format!("{table}_");
    let mut gap = false;
    for c in cycle.chars() {
        if c.is_ascii_alphanumeric() {
            if gap {
                out.push('_');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    if gap {
        out.push('_');
    }
    out
}

/// A table's partition while it is being filled, before the swap.
fn new_partition(table: &str) -> String {
    format!("{table}__new")
}

/// Publishes `input` to the database `config` names.
pub(crate) fn publish(
    config: &Config,
    input: &PgInput<'_>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<PgWritten, PgError> {
    let ds = input.ds;
    let profile = input.profile;
    progress(&Progress {
        stage: "Making the rows".into(),
        done: 0,
        total: 1,
    });
    let ix = input.analysis.index();
    let (orgs, returns) = rows::organisations(ds, input.status);
    let (suppliers, products) = rows::groups(&ds.cycle, &ix);
    let mut tables = vec![returns, suppliers, products];
    tables.extend(rows::records(ds, &ix, profile));
    drop(ix);

    progress(&Progress {
        stage: format!("Connecting to {}", super::describe(config)),
        done: 0,
        total: 1,
    });
    let mut client = config.connect(NoTls).map_err(|source| PgError::Connect {
        target: super::describe(config),
        source,
    })?;
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])?;
    let schema_version = migrations::migrate(&mut tx)?;
    let cols = columns(&mut tx)?;
    let mut sheets = vec![table::readiness_table(ds, profile).into_rows()];
    sheets.extend(
        export::analysis_sheets(input.report, profile)
            .iter()
            .map(|make| make()),
    );
    for s in sheets {
        tables.push(rows::sheet(&ds.cycle, s, &cols)?);
    }

    // The hash of everything written, with the profile.
    let mut digest = format!("profile {}\n", profile.id());
    for t in std::iter::once(&orgs).chain(&tables) {
        digest.push_str(&format!(
            "{} {} {}\n",
            t.table,
            t.columns.join(","),
            crate::bundle::sha256_hex(&t.data)
        ));
    }
    let source_hash = crate::bundle::sha256_hex(digest.as_bytes());
    let counts: Vec<(String, u64)> = tables.iter().map(|t| (t.table.clone(), t.rows)).collect();

    let last = tx.query_opt(
        "SELECT source_hash FROM citytools.publication WHERE cycle = $1",
        &[&ds.cycle],
    )?;
    if last.is_some_and(|r| r.get::<_, String>(0) == source_hash) {
        tx.commit()?;
        return Ok(PgWritten {
            unchanged: true,
            source_hash,
            schema_version,
            tables: counts,
        });
    }

    tx.batch_execute(
        "CREATE TEMP TABLE organisation_in (LIKE citytools.organisation) ON COMMIT DROP",
    )?;
    let mut w = tx.copy_in(&orgs.statement("pg_temp", "organisation_in"))?;
    w.write_all(&orgs.data)?;
    w.finish()?;
    tx.batch_execute(
        "INSERT INTO citytools.organisation AS o SELECT * FROM organisation_in \
         ON CONFLICT (id) DO UPDATE SET scheme = EXCLUDED.scheme, code = EXCLUDED.code, name = EXCLUDED.name \
         WHERE (o.scheme, o.code, o.name) IS DISTINCT FROM (EXCLUDED.scheme, EXCLUDED.code, EXCLUDED.name)",
    )?;
    tx.execute(
        "INSERT INTO citytools.publication (cycle, published_at, profile, marking, source, source_hash, organisations, made_by) \
         VALUES ($1, $2::text::timestamptz, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (cycle) DO UPDATE SET published_at = EXCLUDED.published_at, profile = EXCLUDED.profile, \
         marking = EXCLUDED.marking, source = EXCLUDED.source, source_hash = EXCLUDED.source_hash, \
         organisations = EXCLUDED.organisations, made_by = EXCLUDED.made_by",
        &[
            &ds.cycle,
            &input.published_at,
            &profile.id(),
            &profile.marking(),
            &input.source,
            &source_hash,
            &(ds.returns.len() as i64),
            &input.made_by,
        ],
    )?;
    // The new rows, each table's into a fresh table of the partitions' schema: the same
    // columns, keys and indexes as the table it will be a partition of, no foreign key.
    let total = tables.len() as u64;
    for (i, t) in tables.iter().enumerate() {
        progress(&Progress {
            stage: format!("Copying {}.{}", SCHEMA, t.table),
            done: i as u64,
            total,
        });
        tx.batch_execute(&format!(
            "CREATE TABLE {PARTS}.{new} (LIKE {SCHEMA}.{table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)",
            new = ident(&new_partition(&t.table)),
            table = ident(&t.table),
        ))?;
        copy(&mut tx, t, PARTS, &ident(&new_partition(&t.table)))?;
    }
    // The swap: the cycle's old partitions detached and dropped (referencing tables first),
    // the new ones attached (referenced tables first; each of their foreign keys checked by
    // one query) and named after the cycle.
    progress(&Progress {
        stage: "Replacing the cycle's partitions".into(),
        done: total,
        total,
    });
    let old: HashMap<String, String> = tx
        .query(
            "SELECT p.relname::text, c.relname::text FROM pg_inherits i \
             JOIN pg_class c ON c.oid = i.inhrelid \
             JOIN pg_class p ON p.oid = i.inhparent \
             WHERE p.relnamespace = 'citytools'::regnamespace AND c.relnamespace = 'citytools_cycle'::regnamespace \
             AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES IN (%L)', $1::text)",
            &[&ds.cycle],
        )?
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    for t in tables.iter().rev() {
        if let Some(part) = old.get(&t.table) {
            tx.batch_execute(&format!(
                "ALTER TABLE {SCHEMA}.{} DETACH PARTITION {PARTS}.{p}; DROP TABLE {PARTS}.{p}",
                ident(&t.table),
                p = ident(part),
            ))?;
        }
    }
    let cycle_literal = literal(&ds.cycle);
    for t in &tables {
        tx.batch_execute(&format!(
            "ALTER TABLE {SCHEMA}.{table} ATTACH PARTITION {PARTS}.{new} FOR VALUES IN ({cycle_literal}); \
             ALTER TABLE {PARTS}.{new} RENAME TO {name}",
            table = ident(&t.table),
            new = ident(&new_partition(&t.table)),
            name = ident(&partition_name(&t.table, &ds.cycle)),
        ))?;
    }
    progress(&Progress {
        stage: "Committing".into(),
        done: total,
        total,
    });
    tx.commit()?;
    Ok(PgWritten {
        unchanged: false,
        source_hash,
        schema_version,
        tables: counts,
    })
}
