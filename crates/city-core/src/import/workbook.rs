//! Reading a spreadsheet file (xlsx, xls, ods) into plain grids of cells with calamine, or a
//! CSV / TSV register through `delimited` into the same grids. Owns format detection by content, refusing what is not a readable spreadsheet (empty, damaged,
//! password-protected, too big) with a typed error, and spreading merged cells' values over
//! their whole region. Nothing here knows about records.

use calamine::{Data, DataRef, Dimensions, Reader, SheetVisible};
use std::io::Cursor;

/// Sheets with more rows than this are refused: a return is thousands of rows, not millions.
pub(crate) const MAX_ROWS: u32 = 100_000;
/// Columns beyond this are refused.
pub(crate) const MAX_COLUMNS: u32 = 1_000;
/// Cells in one workbook beyond this are refused.
pub(crate) const MAX_CELLS: u64 = 5_000_000;

/// One cell's value as read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date cell: year, month, day.
    Date(i32, u32, u32),
    /// An error value such as `#REF!`.
    Error(String),
}

impl Cell {
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as people see it (numbers without a trailing `.0`).
    pub(crate) fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => number_text(*n),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
            Cell::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// A number as text: whole numbers without a decimal point.
pub(crate) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One sheet: rows from the sheet's first row (row 0 is the spreadsheet's row 1).
#[derive(Debug, Clone)]
pub(crate) struct Sheet {
    pub(crate) name: String,
    pub(crate) hidden: bool,
    pub(crate) rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub(crate) fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Cell::Empty)
    }

    pub(crate) fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// A whole workbook.
#[derive(Debug, Clone)]
pub(crate) struct Workbook {
    /// `xlsx`, `xls`, `ods`, `csv` or `tsv`.
    pub(crate) format: &'static str,
    pub(crate) sheets: Vec<Sheet>,
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not a spreadsheet (xlsx, xls, ods, csv or tsv)")]
    NotASpreadsheet,
    #[error(
        "the file is {mib} MiB of text, more than the {} MiB a CSV register may be: split it",
        super::delimited::MAX_TEXT_BYTES >> 20
    )]
    TextTooBig { mib: u64 },
    #[error(
        "the file is password-protected: open it in Excel, remove the password (File > Info > Protect Workbook) and save a copy"
    )]
    Encrypted,
    #[error("the {format} file is damaged or incomplete ({detail})")]
    Damaged {
        format: &'static str,
        detail: String,
    },
    #[error(
        "sheet '{sheet}' has more than {MAX_ROWS} rows: split it or delete the empty rows at its end"
    )]
    TooManyRows { sheet: String },
    #[error(
        "sheet '{sheet}' has more than {MAX_COLUMNS} columns: delete the unused columns at its right"
    )]
    TooManyColumns { sheet: String },
    #[error(
        "the workbook has more than {MAX_CELLS} cells: it is too big to import (delete empty rows and columns, or split it)"
    )]
    TooManyCells,
    #[error("the workbook has no sheets")]
    NoSheets,
    #[error(
        "the file would unpack to {} MiB, more than the {} MiB a workbook may: it is not an ordinary spreadsheet (a zip bomb?), or too big to import",
        bytes >> 20,
        super::zip_guard::MAX_UNPACKED >> 20
    )]
    Unpacks { bytes: u64 },
    #[error(
        "the file holds {entries} parts, more than a workbook may ({}): it is not an ordinary spreadsheet",
        super::zip_guard::MAX_ENTRIES
    )]
    TooManyParts { entries: usize },
}

const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Reads a workbook from its bytes; `name` is the file's name, which names a CSV file's one
/// sheet. The format is decided by content: xlsx / ods (ZIP), xls (compound file), else text
/// read as CSV or TSV whatever the file is called. Never panics on any input: calamine's own
/// failures are caught and reported as a damaged file.
pub(crate) fn read(bytes: &[u8], name: &str) -> Result<Workbook, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let format = if bytes.starts_with(b"PK\x03\x04") {
        if contains(
            &bytes[..bytes.len().min(200)],
            b"application/vnd.oasis.opendocument.spreadsheet",
        ) {
            "ods"
        } else {
            "xlsx"
        }
    } else if bytes.starts_with(CFB_MAGIC) {
        // An encrypted OOXML file is a compound file holding these two streams.
        if contains(bytes, &utf16("EncryptedPackage")) || contains(bytes, &utf16("EncryptionInfo"))
        {
            return Err(ReadError::Encrypted);
        }
        match super::xls_guard::check(bytes, MAX_CELLS, MAX_COLUMNS) {
            super::xls_guard::Verdict::Fine => {}
            super::xls_guard::Verdict::Loops => {
                return Err(ReadError::Damaged {
                    format: "xls",
                    detail: "its sector chains loop".into(),
                });
            }
            super::xls_guard::Verdict::TooBig => return Err(ReadError::TooManyCells),
        }
        "xls"
    } else if bytes.starts_with(b"PK") {
        return Err(ReadError::Damaged {
            format: "xlsx",
            detail: "it does not start like a complete file".into(),
        });
    } else {
        return super::delimited::read(bytes, name);
    };
    if format != "xls" {
        match super::zip_guard::check(bytes) {
            super::zip_guard::Verdict::Fine => {}
            super::zip_guard::Verdict::Unpacks { bytes } => {
                return Err(ReadError::Unpacks { bytes });
            }
            super::zip_guard::Verdict::TooManyEntries { entries } => {
                return Err(ReadError::TooManyParts { entries });
            }
        }
    }
    match std::panic::catch_unwind(|| read_format(format, bytes)) {
        Ok(r) => r,
        Err(_) => Err(ReadError::Damaged {
            format,
            detail: "the reader could not make sense of it".into(),
        }),
    }
}

fn damaged(format: &'static str, e: impl std::fmt::Display) -> ReadError {
    let detail = e.to_string();
    let detail = if detail.to_ascii_lowercase().contains("password")
        || detail.to_ascii_lowercase().contains("encrypt")
    {
        return ReadError::Encrypted;
    } else if detail.is_empty() {
        "unreadable".into()
    } else {
        detail.chars().take(200).collect()
    };
    ReadError::Damaged { format, detail }
}

fn read_format(format: &'static str, bytes: &[u8]) -> Result<Workbook, ReadError> {
    let mut budget = MAX_CELLS;
    let sheets = match format {
        "xlsx" => {
            let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e| damaged(format, e))?;
            let metas = wb.sheets_metadata().to_vec();
            // Reading merges parses a sheet's XML again: only when some part mentions them.
            let merges_possible = super::xlsx_scan::may_have_merges(bytes);
            let mut out = Vec::new();
            for meta in metas {
                if meta.typ != calamine::SheetType::WorkSheet {
                    continue;
                }
                let mut rows: Vec<Vec<Cell>> = Vec::new();
                {
                    let mut reader = wb
                        .worksheet_cells_reader(&meta.name)
                        .map_err(|e| damaged(format, e))?;
                    while let Some(cell) = reader.next_cell().map_err(|e| damaged(format, e))? {
                        let (r, c) = cell.get_position();
                        let value = from_ref(cell.get_value());
                        if value == Cell::Empty {
                            continue;
                        }
                        put(&mut rows, &meta.name, r, c, value, &mut budget)?;
                    }
                }
                if merges_possible {
                    #[allow(deprecated)]
                    let merges = wb
                        .worksheet_merge_cells(&meta.name)
                        .transpose()
                        .map_err(|e| damaged(format, e))?
                        .unwrap_or_default();
                    spread_merges(&mut rows, &merges, &mut budget)?;
                }
                out.push(Sheet {
                    name: meta.name,
                    hidden: meta.visible != SheetVisible::Visible,
                    rows,
                });
            }
            out
        }
        "xls" => {
            let mut wb: calamine::Xls<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e| damaged(format, e))?;
            let metas = wb.sheets_metadata().to_vec();
            let mut out = Vec::new();
            for meta in metas {
                if meta.typ != calamine::SheetType::WorkSheet {
                    continue;
                }
                let range = wb
                    .worksheet_range(&meta.name)
                    .map_err(|e| damaged(format, e))?;
                let mut rows = from_range(&meta.name, &range, &mut budget)?;
                #[allow(deprecated)]
                let merges = wb.worksheet_merge_cells(&meta.name).unwrap_or_default();
                spread_merges(&mut rows, &merges, &mut budget)?;
                out.push(Sheet {
                    name: meta.name,
                    hidden: meta.visible != SheetVisible::Visible,
                    rows,
                });
            }
            out
        }
        _ => {
            let mut wb: calamine::Ods<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e| damaged(format, e))?;
            let metas = wb.sheets_metadata().to_vec();
            let mut out = Vec::new();
            for meta in metas {
                let range = wb
                    .worksheet_range(&meta.name)
                    .map_err(|e| damaged(format, e))?;
                let rows = from_range(&meta.name, &range, &mut budget)?;
                out.push(Sheet {
                    name: meta.name,
                    hidden: meta.visible != SheetVisible::Visible,
                    rows,
                });
            }
            out
        }
    };
    if sheets.is_empty() {
        return Err(ReadError::NoSheets);
    }
    Ok(Workbook { format, sheets })
}

fn put(
    rows: &mut Vec<Vec<Cell>>,
    sheet: &str,
    r: u32,
    c: u32,
    value: Cell,
    budget: &mut u64,
) -> Result<(), ReadError> {
    if r >= MAX_ROWS {
        return Err(ReadError::TooManyRows {
            sheet: sheet.to_string(),
        });
    }
    if c >= MAX_COLUMNS {
        return Err(ReadError::TooManyColumns {
            sheet: sheet.to_string(),
        });
    }
    let (r, c) = (r as usize, c as usize);
    if rows.len() <= r {
        rows.resize_with(r + 1, Vec::new);
    }
    let row = &mut rows[r];
    if row.len() <= c {
        // The budget counts cells held in memory, blanks before this one included.
        let growth = (c + 1 - row.len()) as u64;
        if growth > *budget {
            return Err(ReadError::TooManyCells);
        }
        *budget -= growth;
        row.resize(c + 1, Cell::Empty);
    }
    row[c] = value;
    Ok(())
}

fn from_range(
    sheet: &str,
    range: &calamine::Range<Data>,
    budget: &mut u64,
) -> Result<Vec<Vec<Cell>>, ReadError> {
    let mut rows = Vec::new();
    let Some((r0, c0)) = range.start() else {
        return Ok(rows);
    };
    if let Some((r1, c1)) = range.end() {
        if r1 >= MAX_ROWS {
            return Err(ReadError::TooManyRows {
                sheet: sheet.to_string(),
            });
        }
        if c1 >= MAX_COLUMNS {
            return Err(ReadError::TooManyColumns {
                sheet: sheet.to_string(),
            });
        }
    }
    for (r, c, v) in range.used_cells() {
        let value = from_data(v);
        if value != Cell::Empty {
            put(
                &mut rows,
                sheet,
                r0 + r as u32,
                c0 + c as u32,
                value,
                budget,
            )?;
        }
    }
    Ok(rows)
}

/// A merged region's value (its top-left cell) belongs to each of its cells.
fn spread_merges(
    rows: &mut Vec<Vec<Cell>>,
    merges: &[Dimensions],
    budget: &mut u64,
) -> Result<(), ReadError> {
    for m in merges {
        let (r0, c0) = m.start;
        let (r1, c1) = m.end;
        if r1 < r0 || c1 < c0 || r1 >= MAX_ROWS || c1 >= MAX_COLUMNS {
            continue;
        }
        let value = rows
            .get(r0 as usize)
            .and_then(|r| r.get(c0 as usize))
            .cloned()
            .unwrap_or(Cell::Empty);
        if value == Cell::Empty || m.len() > 10_000 {
            continue;
        }
        for r in r0..=r1 {
            for c in c0..=c1 {
                if (r, c) != (r0, c0) {
                    put(rows, "", r, c, value.clone(), budget)?;
                }
            }
        }
    }
    Ok(())
}

fn from_ref(v: &DataRef<'_>) -> Cell {
    match v {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) => date_time(d),
        DataRef::DateTimeIso(s) => iso(s),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(format!("{e}")),
        DataRef::Empty => Cell::Empty,
    }
}

fn from_data(v: &Data) -> Cell {
    match v {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => text(s),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => date_time(d),
        Data::DateTimeIso(s) => iso(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("{e}")),
        Data::Empty => Cell::Empty,
    }
}

fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_string())
    }
}

fn date_time(d: &calamine::ExcelDateTime) -> Cell {
    if d.is_duration() {
        return Cell::Number(d.as_f64());
    }
    let v = d.as_f64();
    if !v.is_finite() || !(0.0..2_958_466.0).contains(&v) {
        return Cell::Number(v);
    }
    let (y, m, day, ..) = d.to_ymd_hms_milli();
    Cell::Date(i32::from(y), u32::from(m), u32::from(day))
}

/// `2027-03-31` or `2027-03-31T00:00:00` (ods dates) → a date cell.
fn iso(s: &str) -> Cell {
    let head = s.get(..10).unwrap_or(s);
    let parts: Vec<&str> = head.split('-').collect();
    if let [y, m, d] = parts.as_slice()
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse())
    {
        return Cell::Date(y, m, d);
    }
    Cell::Text(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cell_budget_counts_blanks_held_in_memory() {
        let mut rows = Vec::new();
        let mut budget = 10;
        put(&mut rows, "S", 0, 5, Cell::Number(1.0), &mut budget).unwrap();
        assert_eq!(budget, 4, "A1:F1 are held");
        put(&mut rows, "S", 0, 2, Cell::Number(2.0), &mut budget).unwrap();
        assert_eq!(budget, 4, "filling a held cell costs nothing");
        assert!(matches!(
            put(&mut rows, "S", 1, 5, Cell::Number(3.0), &mut budget),
            Err(ReadError::TooManyCells)
        ));
        assert!(matches!(
            put(&mut rows, "S", MAX_ROWS, 0, Cell::Number(3.0), &mut budget),
            Err(ReadError::TooManyRows { .. })
        ));
    }

    #[test]
    fn what_is_not_a_spreadsheet_is_named() {
        assert!(matches!(read(b"", "x.xlsx"), Err(ReadError::Empty)));
        assert!(matches!(
            read(b"\x7fELF\x02\x01\x01\0\0\0", "x.xlsx"),
            Err(ReadError::NotASpreadsheet)
        ));
        assert!(matches!(
            read(b"PK\x03\x04garbage", "x.xlsx"),
            Err(ReadError::Damaged { .. })
        ));
        let mut cfb = CFB_MAGIC.to_vec();
        cfb.extend(utf16("EncryptedPackage"));
        assert!(matches!(read(&cfb, "x.xls"), Err(ReadError::Encrypted)));
        // Text is read as a CSV register whatever the file is called.
        let wb = read(b"name,title\n", "x.xlsx").unwrap();
        assert_eq!(wb.format, "csv");
    }
}
