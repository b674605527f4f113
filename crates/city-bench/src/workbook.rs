//! The committee workbook at London scale: the cells (every organisation's systems and
//! contracts, one row each) written by bare rust_xlsxwriter, by Python XlsxWriter in
//! constant-memory mode, and (once wired) by ours; and peak memory as the rows grow, each size
//! measured in a child process so that its peak is its own.

use crate::datagen::{self, Scale};
use anyhow::Result;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A cell of the workbook.
#[derive(Debug, Clone)]
pub(crate) enum Cell {
    Text(String),
    Number(f64),
    Money(f64),
    Date(String),
    Bool(bool),
    /// An Excel date serial number, written with a date format.
    Serial(f64),
}

/// One sheet: name, headings, rows.
#[derive(Debug, Clone)]
pub(crate) struct Sheet {
    pub(crate) name: String,
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<Vec<Cell>>,
}

fn text(v: &Value, k: &str) -> Cell {
    Cell::Text(v[k].as_str().unwrap_or_default().to_string())
}

const SYSTEM_HEADER: [&str; 11] = [
    "Organisation",
    "System",
    "Service area",
    "Category",
    "Hosting",
    "Users",
    "Criticality",
    "Support",
    "End of support",
    "Supplier",
    "Product",
];
const CONTRACT_HEADER: [&str; 11] = [
    "Organisation",
    "Reference",
    "Title",
    "Supplier",
    "Start",
    "End",
    "Latest end",
    "Notice (days)",
    "Annual value (£)",
    "Total value (£)",
    "Route",
];

/// One organisation's rows: (systems, contracts).
fn org_rows(
    seed: u64,
    index: usize,
    org: &datagen::OrgSpec,
    scale: &Scale,
) -> (Vec<Vec<Cell>>, Vec<Vec<Cell>>) {
    let d = datagen::org_data(seed, index, scale);
    let supplier = |s: usize| {
        d.suppliers[s]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let mut systems = Vec::with_capacity(d.systems.len());
    for (p, s, f) in &d.systems {
        systems.push(vec![
            Cell::Text(org.name.clone()),
            text(f, "name"),
            text(f, "service_area"),
            text(f, "category"),
            text(f, "hosting"),
            Cell::Number(f["users"].as_f64().unwrap_or_default()),
            text(f, "criticality"),
            text(f, "support_status"),
            Cell::Date(f["end_of_support"].as_str().unwrap_or("2030-01-01").into()),
            Cell::Text(supplier(*s)),
            Cell::Text(d.products[*p].1["name"].as_str().unwrap_or_default().into()),
        ]);
    }
    let mut contracts = Vec::with_capacity(d.contracts.len());
    for (s, _, f) in &d.contracts {
        let pounds = |k: &str| f[k].as_i64().unwrap_or_default() as f64 / 100.0;
        contracts.push(vec![
            Cell::Text(org.name.clone()),
            text(f, "reference"),
            text(f, "title"),
            Cell::Text(supplier(*s)),
            Cell::Date(f["start_date"].as_str().unwrap_or_default().into()),
            Cell::Date(f["end_date"].as_str().unwrap_or_default().into()),
            Cell::Date(f["latest_end_date"].as_str().unwrap_or_default().into()),
            Cell::Number(f["notice_period_days"].as_f64().unwrap_or_default()),
            Cell::Money(pounds("annual_value")),
            Cell::Money(pounds("total_value")),
            text(f, "procurement_route"),
        ]);
    }
    (systems, contracts)
}

/// The workbook's cells for the first `scale.orgs` organisations, in memory.
pub(crate) fn cells(seed: u64, scale: &Scale) -> Vec<Sheet> {
    let mut systems = Vec::new();
    let mut contracts = Vec::new();
    for (i, org) in datagen::organisations(scale.orgs).iter().enumerate() {
        let (s, c) = org_rows(seed, i, org, scale);
        systems.extend(s);
        contracts.extend(c);
    }
    vec![
        Sheet {
            name: "Systems".into(),
            header: SYSTEM_HEADER.iter().map(|h| h.to_string()).collect(),
            rows: systems,
        },
        Sheet {
            name: "Contracts".into(),
            header: CONTRACT_HEADER.iter().map(|h| h.to_string()).collect(),
            rows: contracts,
        },
    ]
}

/// Number of data cells.
pub(crate) fn cell_count(sheets: &[Sheet]) -> usize {
    sheets
        .iter()
        .map(|s| s.rows.iter().map(Vec::len).sum::<usize>())
        .sum()
}

struct Formats {
    bold: Format,
    date: Format,
    money: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            bold: Format::new().set_bold(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            money: Format::new().set_num_format("#,##0.00"),
        }
    }
}

fn sheet<'a>(
    wb: &'a mut Workbook,
    name: &str,
    header: &[impl AsRef<str>],
    f: &Formats,
    constant_memory: bool,
) -> Result<&'a mut Worksheet> {
    let ws = if constant_memory {
        wb.add_worksheet_with_constant_memory()?
    } else {
        wb.add_worksheet()
    };
    ws.set_name(name)?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h.as_ref(), &f.bold)?;
    }
    Ok(ws)
}

fn write_row(ws: &mut Worksheet, r: u32, row: &[Cell], f: &Formats) -> Result<()> {
    for (c, cell) in row.iter().enumerate() {
        let c = c as u16;
        match cell {
            Cell::Text(t) => ws.write_string(r, c, t)?,
            Cell::Number(n) => ws.write_number(r, c, *n)?,
            Cell::Money(n) => ws.write_number_with_format(r, c, *n, &f.money)?,
            Cell::Date(d) => {
                ws.write_datetime_with_format(r, c, ExcelDateTime::parse_from_str(d)?, &f.date)?
            }
            Cell::Bool(b) => ws.write_boolean(r, c, *b)?,
            Cell::Serial(n) => ws.write_number_with_format(r, c, *n, &f.date)?,
        };
    }
    Ok(())
}

/// Writes cells already in memory with bare rust_xlsxwriter; returns the time taken.
pub(crate) fn write_bare(sheets: &[Sheet], out: &Path, constant_memory: bool) -> Result<Duration> {
    let start = Instant::now();
    let mut wb = Workbook::new();
    let f = Formats::new();
    for s in sheets {
        let ws = sheet(&mut wb, &s.name, &s.header, &f, constant_memory)?;
        for (r, row) in s.rows.iter().enumerate() {
            write_row(ws, r as u32 + 1, row, &f)?;
        }
    }
    wb.save(out)?;
    Ok(start.elapsed())
}

/// Writes the same cells, generating them one organisation at a time so that only the
/// writer's own memory grows with the rows (for the peak-memory check).
pub(crate) fn write_streaming(
    seed: u64,
    scale: &Scale,
    out: &Path,
    constant_memory: bool,
) -> Result<Duration> {
    let start = Instant::now();
    let mut wb = Workbook::new();
    let f = Formats::new();
    let orgs = datagen::organisations(scale.orgs);
    for (which, (name, header)) in [("Systems", &SYSTEM_HEADER), ("Contracts", &CONTRACT_HEADER)]
        .into_iter()
        .enumerate()
    {
        let ws = sheet(&mut wb, name, &header[..], &f, constant_memory)?;
        let mut r = 1;
        for (i, org) in orgs.iter().enumerate() {
            let (systems, contracts) = org_rows(seed, i, org, scale);
            for row in if which == 0 { systems } else { contracts } {
                write_row(ws, r, &row, &f)?;
                r += 1;
            }
        }
    }
    wb.save(out)?;
    Ok(start.elapsed())
}

/// Every cell of an xlsx file (ours), read with calamine: the first row of each sheet as its
/// headings. Formats, charts and tables are not read: the baselines write the values only.
pub(crate) fn cells_from_xlsx(path: &Path) -> Result<Vec<Sheet>> {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(path)?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name)?;
        let mut rows = range.rows();
        let header = rows
            .next()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .unwrap_or_default();
        let rows = rows
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Data::Int(n) => Cell::Number(*n as f64),
                        Data::Float(n) => Cell::Number(*n),
                        Data::Bool(b) => Cell::Bool(*b),
                        Data::DateTime(d) => Cell::Serial(d.as_f64()),
                        other => Cell::Text(other.to_string()),
                    })
                    .collect()
            })
            .collect();
        out.push(Sheet { name, header, rows });
    }
    Ok(out)
}

/// The cells as JSON for the Python baseline, written to `path`.
pub(crate) fn cells_json(path: &Path, sheets: &[Sheet]) -> Result<PathBuf> {
    let path = path.to_path_buf();
    let sheets: Vec<Value> = sheets
        .iter()
        .map(|s| {
            let money: Vec<usize> = s
                .rows
                .first()
                .map(|r| {
                    r.iter()
                        .enumerate()
                        .filter(|(_, c)| matches!(c, Cell::Money(_)))
                        .map(|(i, _)| i)
                        .collect()
                })
                .unwrap_or_default();
            let rows: Vec<Value> = s
                .rows
                .iter()
                .map(|r| {
                    Value::Array(
                        r.iter()
                            .map(|c| match c {
                                Cell::Text(t) => json!(t),
                                Cell::Number(n) | Cell::Money(n) => json!(n),
                                Cell::Date(d) => json!({ "date": d }),
                                Cell::Bool(b) => json!(b),
                                Cell::Serial(n) => json!({ "serial": n }),
                            })
                            .collect(),
                    )
                })
                .collect();
            json!({"name": s.name, "header": s.header, "money_columns": money, "rows": rows})
        })
        .collect();
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_vec(&json!({ "sheets": sheets }))?)?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}
