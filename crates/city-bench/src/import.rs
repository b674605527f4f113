//! The register import's bare baselines: calamine (or, for the CSV copy, the csv crate) reads
//! every cell of the 50,000-row register and plain rusqlite inserts each row (one transaction,
//! one prepared statement) — the least work that reads and stores the same file. Ours (read,
//! map, answer, validate, store) is set against them; the Python readers are run by
//! `python.rs`.

use anyhow::{Context as _, Result, bail};
use calamine::{Data, Reader, Xlsx, open_workbook};
use std::path::Path;
use std::time::{Duration, Instant};

/// Reads the first sheet with calamine; returns the time and the number of rows.
pub(crate) fn calamine_read(xlsx: &Path) -> Result<(Duration, Vec<Vec<Data>>)> {
    let start = Instant::now();
    let mut wb: Xlsx<_> = open_workbook(xlsx).context("opening the register")?;
    let Some(range) = wb.worksheet_range_at(0) else {
        bail!("the register has no sheet");
    };
    let range = range?;
    let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    Ok((start.elapsed(), rows))
}

/// Bare calamine read plus bare SQLite insert into a new database at `db`.
pub(crate) fn bare_import(xlsx: &Path, db: &Path) -> Result<(Duration, usize)> {
    let start = Instant::now();
    let (_, rows) = calamine_read(xlsx)?;
    let mut conn = rusqlite::Connection::open(db)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    let width = rows.first().map_or(0, Vec::len);
    let columns: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
    conn.execute_batch(&format!(
        "CREATE TABLE register (row INTEGER PRIMARY KEY, {})",
        columns.join(", ")
    ))?;
    let tx = conn.transaction()?;
    {
        let marks: Vec<String> = (0..=width).map(|i| format!("?{}", i + 1)).collect();
        let mut stmt = tx.prepare(&format!(
            "INSERT INTO register VALUES ({})",
            marks.join(", ")
        ))?;
        for (i, row) in rows.iter().enumerate().skip(1) {
            let mut values: Vec<rusqlite::types::Value> = Vec::with_capacity(width + 1);
            values.push(rusqlite::types::Value::Integer(i as i64));
            for cell in row {
                values.push(match cell {
                    Data::Empty => rusqlite::types::Value::Null,
                    Data::Int(n) => rusqlite::types::Value::Integer(*n),
                    Data::Float(f) => rusqlite::types::Value::Real(*f),
                    Data::DateTime(d) => rusqlite::types::Value::Real(d.as_f64()),
                    Data::Bool(b) => rusqlite::types::Value::Integer(i64::from(*b)),
                    other => rusqlite::types::Value::Text(other.to_string()),
                });
            }
            values.resize(width + 1, rusqlite::types::Value::Null);
            stmt.execute(rusqlite::params_from_iter(values))?;
        }
    }
    tx.commit()?;
    Ok((start.elapsed(), rows.len().saturating_sub(1)))
}

/// Inserts rows of SQLite values into a new table at `db` (one transaction, one statement).
fn bare_insert(db: &Path, rows: &[Vec<rusqlite::types::Value>], width: usize) -> Result<()> {
    let mut conn = rusqlite::Connection::open(db)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    let columns: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
    conn.execute_batch(&format!(
        "CREATE TABLE register (row INTEGER PRIMARY KEY, {})",
        columns.join(", ")
    ))?;
    let tx = conn.transaction()?;
    {
        let marks: Vec<String> = (0..=width).map(|i| format!("?{}", i + 1)).collect();
        let mut stmt = tx.prepare(&format!(
            "INSERT INTO register VALUES ({})",
            marks.join(", ")
        ))?;
        for (i, row) in rows.iter().enumerate() {
            let mut values = Vec::with_capacity(width + 1);
            values.push(rusqlite::types::Value::Integer(i as i64 + 1));
            values.extend(row.iter().cloned());
            values.resize(width + 1, rusqlite::types::Value::Null);
            stmt.execute(rusqlite::params_from_iter(values))?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Bare csv crate read of the CSV register plus bare SQLite insert into a new database at `db`.
pub(crate) fn bare_csv_import(file: &Path, db: &Path) -> Result<(Duration, usize)> {
    let start = Instant::now();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(file)
        .context("opening the CSV register")?;
    let width = rdr.headers()?.len();
    let mut rows = Vec::new();
    for record in rdr.records() {
        let record = record?;
        rows.push(
            record
                .iter()
                .map(|f| {
                    if f.is_empty() {
                        rusqlite::types::Value::Null
                    } else {
                        rusqlite::types::Value::Text(f.to_string())
                    }
                })
                .collect::<Vec<_>>(),
        );
    }
    bare_insert(db, &rows, width)?;
    Ok((start.elapsed(), rows.len()))
}
