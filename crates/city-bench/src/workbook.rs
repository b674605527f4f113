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
}

/// One sheet: name, headings, rows.
#[derive(Debug, Clone)]
pub(crate) struct Sheet {
    pub(crate) name: &'static str,
    pub(crate) header: Vec<&'static str>,
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
            name: "Systems",
            header: SYSTEM_HEADER.to_vec(),
            rows: systems,
        },
        Sheet {
            name: "Contracts",
            header: CONTRACT_HEADER.to_vec(),
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
    header: &[&str],
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
        ws.write_string_with_format(0, c as u16, *h, &f.bold)?;
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
        let ws = sheet(&mut wb, s.name, &s.header, &f, constant_memory)?;
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
        let ws = sheet(&mut wb, name, header, &f, constant_memory)?;
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

/// The cells as JSON for the Python baseline, written once per seed and size.
pub(crate) fn cells_json(
    data_dir: &Path,
    seed: u64,
    scale: &Scale,
    sheets: &[Sheet],
) -> Result<PathBuf> {
    let path = data_dir.join(format!("workbook-cells-{seed}-{}.json", scale.key()));
    if path.is_file() {
        return Ok(path);
    }
    std::fs::create_dir_all(data_dir)?;
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
