//! The register import's bare baseline: calamine reads every cell of the 50,000-row register
//! and plain rusqlite inserts each row (one transaction, one prepared statement) — the least
//! work that reads and stores the same file. Ours (read, map, validate, store) is set against
//! it; the Python readers are run by `python.rs`.

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
