//! One publication, one transaction: take the schema's advisory lock (publications queue
//! behind each other), migrate, and copy every table's rows with `COPY` into a fresh table
//! of `citytools_cycle` (no key, index nor foreign key: nothing checked or indexed row by row;
//! a CHECK matching the partition's bound). The rows are made on a second thread while this
//! one copies the tables already made, each table hashed as it is made. Then the hash of all
//! of them, with the profile, is compared with the cycle's last publication: the same rows
//! with the same profile and the fresh tables are dropped — nothing else is written (a second
//! publication of the same store changes no row, `publication` included). Otherwise
//! organisations are upserted, the cycle's `publication` row replaced, the cycle's old
//! partitions detached and dropped and the fresh tables attached as its partitions (each
//! builds its keys and indexes from its rows and checks each foreign key by one query; the
//! CHECK spares the scan against the bound; other cycles' partitions untouched). Any failure
//! before the commit leaves the previous publication whole. From the swap to the commit,
//! readers of the tables wait (PostgreSQL detaches a partition under an exclusive lock);
//! before it, they read the previous publication.

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
use std::sync::mpsc;

/// A key of PostgreSQL's advisory locks, for publications to `citytools` ("CITYTOOL").
const LOCK_KEY: i64 = 0x4349_5459_544f_4f4c;

/// What to publish.
pub(crate) struct PgInput<'a> {
    pub(crate) ds: &'a Dataset,
    /// The analysis of `ds`'s records (same order of organisations).
    pub(crate) analysis: &'a Analysis,
    /// Makes the workbook's analysis report for the profile (called once, on the thread
    /// making the rows, while the record tables are copied).
    pub(crate) report: &'a (dyn Fn() -> Result<AnalysisReport, crate::api::Error> + Sync),
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
    // FREEZE: the table was made in this transaction, so its rows can be written frozen
    // (nothing will rewrite them to set their visibility hints later).
    let mut w = tx.copy_in(&format!("{} WITH (FREEZE)", t.statement(schema, into)))?;
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

/// The CHECK a fresh table is made with, matching its partition's bound, so that attaching it
/// needs no scan of its rows (dropped once attached).
const CYCLE_CHECK: &str = "citytools_new_cycle";

/// A table's partition while it is being filled, before the swap.
fn new_partition(table: &str) -> String {
    format!("{table}__new")
}

/// What the thread making the rows hands to the one copying them, in order: the
/// organisations first, then every table of the cycle, then `Done` (a channel that closes
/// without it means the rows were not all made, and nothing is committed).
enum Made {
    /// A table and the SHA-256 of its rows.
    Table(CopyTable, String),
    Done,
}

/// Publishes `input` to the database `config` names. The rows are made on a second thread
/// while this one connects, migrates and copies the tables already made (a table is copied
/// while the next is made; at most two wait), so the client's work overlaps the server's.
pub(crate) fn publish(
    config: &Config,
    input: &PgInput<'_>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<PgWritten, PgError> {
    progress(&Progress {
        stage: "Making the rows".into(),
        done: 0,
        total: 1,
    });
    let (made_tx, made) = mpsc::sync_channel(2);
    let (cols_tx, cols_rx) = mpsc::sync_channel(1);
    std::thread::scope(|s| {
        s.spawn(move || make(input, cols_rx, made_tx));
        // `made` and `cols_tx` are dropped when `write` returns, so a maker still running
        // stops at its next table.
        write(config, input, made, cols_tx, progress)
    })
}

/// Makes every table's rows, in the order they are copied, and sends each with its hash;
/// the sheets wait for the database's columns (sent once the schema is migrated). Stops when
/// the receiver is gone.
fn make(
    input: &PgInput<'_>,
    cols: mpsc::Receiver<HashMap<String, TableColumns>>,
    out: mpsc::SyncSender<Result<Made, PgError>>,
) {
    let ds = input.ds;
    let profile = input.profile;
    let send = |t: CopyTable| {
        let hash = crate::bundle::sha256_hex(&t.data);
        out.send(Ok(Made::Table(t, hash))).is_ok()
    };
    let ix = input.analysis.index();
    let (orgs, returns) = rows::organisations(ds, input.status);
    if !send(orgs) || !send(returns) {
        return;
    }
    let (suppliers, products) = rows::groups(&ds.cycle, &ix);
    if !send(suppliers) || !send(products) {
        return;
    }
    let mut open = true;
    rows::records(ds, &ix, profile, &mut |t| {
        open = send(t);
        open
    });
    drop(ix);
    if !open {
        return;
    }
    let report = match (input.report)() {
        Ok(r) => r,
        Err(e) => {
            let _ = out.send(Err(PgError::Report(e)));
            return;
        }
    };
    let Ok(cols) = cols.recv() else { return };
    let mut sheets = vec![table::readiness_table(ds, profile).into_rows()];
    sheets.extend(
        export::analysis_sheets(&report, profile)
            .iter()
            .map(|make| make()),
    );
    for sheet in sheets {
        match rows::sheet(&ds.cycle, sheet, &cols) {
            Ok(t) => {
                if !send(t) {
                    return;
                }
            }
            Err(e) => {
                let _ = out.send(Err(e.into()));
                return;
            }
        }
    }
    let _ = out.send(Ok(Made::Done));
}

/// The next table made, or the maker's error; `None` when every table was sent.
fn next_made(
    made: &mpsc::Receiver<Result<Made, PgError>>,
) -> Result<Option<(CopyTable, String)>, PgError> {
    match made.recv() {
        Ok(Ok(Made::Table(t, hash))) => Ok(Some((t, hash))),
        Ok(Ok(Made::Done)) => Ok(None),
        Ok(Err(e)) => Err(e),
        Err(mpsc::RecvError) => Err(PgError::Unmade),
    }
}

/// Connects, migrates and copies the tables as they are made; then, unless the rows are the
/// cycle's last publication's, swaps them in and commits.
fn write(
    config: &Config,
    input: &PgInput<'_>,
    made: mpsc::Receiver<Result<Made, PgError>>,
    cols_tx: mpsc::SyncSender<HashMap<String, TableColumns>>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<PgWritten, PgError> {
    let ds = input.ds;
    let profile = input.profile;
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
    let _ = cols_tx.send(columns(&mut tx)?);
    let total: i64 = tx
        .query_one(
            "SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid \
             WHERE c.relnamespace = 'citytools'::regnamespace",
            &[],
        )?
        .get(0);
    let total = total.max(0) as u64;

    // The hash of everything written, with the profile.
    let mut digest = format!("profile {}\n", profile.id());
    let mut line = |t: &CopyTable, hash: &str| {
        digest.push_str(&format!("{} {} {hash}\n", t.table, t.columns.join(",")));
    };
    let (orgs, hash) = next_made(&made)?.ok_or(PgError::Unmade)?;
    line(&orgs, &hash);

    // The new rows, each table's into a fresh table of the partitions' schema: the same
    // columns and CHECKs as the table it will be a partition of, no key, index nor foreign
    // key (attaching it builds its indexes from the rows, faster than keeping them up to date
    // row by row), and a CHECK matching its partition's bound.
    let cycle_literal = literal(&ds.cycle);
    let mut tables: Vec<String> = Vec::new();
    let mut counts: Vec<(String, u64)> = Vec::new();
    while let Some((t, hash)) = next_made(&made)? {
        progress(&Progress {
            stage: format!("Copying {}.{}", SCHEMA, t.table),
            done: tables.len() as u64,
            total,
        });
        let new = ident(&new_partition(&t.table));
        tx.batch_execute(&format!(
            "CREATE TABLE {PARTS}.{new} (LIKE {SCHEMA}.{table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS, \
             CONSTRAINT {CYCLE_CHECK} CHECK (cycle = {cycle_literal}))",
            table = ident(&t.table),
        ))?;
        copy(&mut tx, &t, PARTS, &new)?;
        line(&t, &hash);
        tables.push(t.table.clone());
        counts.push((t.table, t.rows));
    }
    let source_hash = crate::bundle::sha256_hex(digest.as_bytes());

    let last = tx.query_opt(
        "SELECT source_hash FROM citytools.publication WHERE cycle = $1",
        &[&ds.cycle],
    )?;
    if last.is_some_and(|r| r.get::<_, String>(0) == source_hash) {
        // The same rows: the fresh tables go, the cycle's partitions stay as they were (a
        // migration just applied is kept).
        for t in &tables {
            tx.batch_execute(&format!("DROP TABLE {PARTS}.{}", ident(&new_partition(t))))?;
        }
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
    // The swap: the cycle's old partitions detached and dropped (referencing tables first),
    // the new ones attached (referenced tables first; each gets its keys and indexes, built
    // from its rows, and each of its foreign keys is checked by one query; the CHECK spares
    // the scan of its rows against the bound, and goes once attached) and named after the
    // cycle.
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
        if let Some(part) = old.get(t) {
            tx.batch_execute(&format!(
                "ALTER TABLE {SCHEMA}.{} DETACH PARTITION {PARTS}.{p}; DROP TABLE {PARTS}.{p}",
                ident(t),
                p = ident(part),
            ))?;
        }
    }
    for t in &tables {
        tx.batch_execute(&format!(
            "ALTER TABLE {SCHEMA}.{table} ATTACH PARTITION {PARTS}.{new} FOR VALUES IN ({cycle_literal}); \
             ALTER TABLE {PARTS}.{new} DROP CONSTRAINT {CYCLE_CHECK}; \
             ALTER TABLE {PARTS}.{new} RENAME TO {name}",
            table = ident(t),
            new = ident(&new_partition(t)),
            name = ident(&partition_name(t, &ds.cycle)),
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
