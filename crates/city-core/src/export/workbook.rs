//! The committee workbook (xlsx): a summary sheet with the key figures and native Excel charts,
//! then one sheet per table (returns status, systems, contracts, suppliers, products,
//! readiness, skills, and any extra tables, e.g. from the analysis module), and last a data
//! dictionary saying what each column means. Each table sheet is
//! an Excel table (autofilter, banded rows) with a frozen header row, widths from its content,
//! real dates (`d mmm yyyy`) and money (pounds, `£#,##0.00`), labels rather than codes, and
//! conditional formats: a red/amber/green heatmap for CAF and ICO ratings and urgency colours on
//! decision and end dates.
//!
//! Memory: the table sheets are written in rust_xlsxwriter's *constant memory* mode (rows go
//! to a temporary file as they are written, one row in memory at a time). That mode demands row
//! order, so each sheet adds its table (which writes the header row) before any data, and
//! formats cells as they are written. The dataset's records are freed once the data sheets are
//! written; what still grows with the rows is those records until then and rust_xlsxwriter's
//! map of every table cell (see docs/benchmarks.md). The summary sheet is small
//! and uses the ordinary mode, because it holds the charts and the data they plot.
//! Text is always written as a string cell, never as a formula.
//!
//! Print: every sheet prints landscape on A4, one page wide, with the protective marking of the
//! profile ([`ExportProfile::marking`]) at the top and bottom of each page and a footer naming
//! the sheet, the cycle, the profile and the page. A table sheet repeats its header row on each
//! page and prints its table only; the summary is laid out to fit one page (figures beside
//! their labels, each chart whole, inside the print area).

use super::profile::ExportProfile;
use super::sheet_names::SheetNames;
use super::table::{self, Column, Dataset, Highlight, Rows, Table, Value};
use crate::analysis::dates::{SOON_DAYS, URGENT_DAYS};
use crate::domain::enums::RecordKind;
use crate::progress::Progress;
use rust_xlsxwriter::{
    Chart, ChartType, Color, ConditionalFormatFormula, ConditionalFormatText,
    ConditionalFormatTextRule, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Table as XlsxTable, TableColumn, TableStyle, Workbook, Worksheet, XlsxError,
    utility::row_col_to_cell,
};
use std::collections::HashSet;
use std::path::Path;

/// What every printed page carries: the marking, the cycle and the profile.
struct Print {
    marking: &'static str,
    footer: String,
}

impl Print {
    fn new(cycle: &str, profile: ExportProfile) -> Print {
        let marking = profile.marking();
        let mut name = profile.id().to_string();
        if let Some(first) = name.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        // `&A` is the sheet's name, `&P` / `&N` the page and the pages; `&&` a literal `&`.
        let cycle = cycle.replace('&', "&&");
        Print {
            marking,
            footer: format!("&L&A · {cycle} · {name} profile&CPage &P of &N&R&\"-,Bold\"{marking}"),
        }
    }

    /// Landscape A4, one page wide (and `pages_tall` tall; 0 = as many as needed), the marking
    /// as the header and the footer.
    fn apply(&self, ws: &mut Worksheet, pages_tall: u16) {
        ws.set_landscape()
            .set_paper_size(A4)
            .set_print_fit_to_pages(1, pages_tall)
            .set_margins(0.4, 0.4, 0.75, 0.75, 0.3, 0.3)
            // The marking and footer stay full size however small a wide sheet prints.
            .set_header_footer_scale_with_doc(false)
            .set_header(format!("&C&\"-,Bold\"{}", self.marking))
            .set_footer(&self.footer);
    }
}

/// Excel's paper size code for A4.
const A4: u8 = 9;

/// What was written, sheet by sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SheetWritten {
    pub(crate) name: String,
    pub(crate) rows: usize,
}

const MONEY: &str = "\"£\"#,##0.00";
const DATE: &str = "d mmm yyyy";

struct Formats {
    date: Format,
    money: Format,
    number: Format,
    title: Format,
    bold: Format,
    marking: Format,
    wrap: Format,
    red: Format,
    amber: Format,
    green: Format,
}

impl Formats {
    fn new() -> Formats {
        let fill = |bg: u32, fg: u32| {
            Format::new()
                .set_background_color(Color::RGB(bg))
                .set_font_color(Color::RGB(fg))
        };
        Formats {
            date: Format::new().set_num_format(DATE),
            money: Format::new().set_num_format(MONEY),
            number: Format::new().set_num_format("#,##0.0"),
            title: Format::new().set_bold().set_font_size(16),
            bold: Format::new().set_bold(),
            marking: Format::new().set_bold().set_font_size(12),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            // GOV.UK-like tints with dark text (WCAG contrast on the fill).
            red: fill(0xF4CCCC, 0x6B0000),
            amber: fill(0xFFE699, 0x5C4400),
            green: fill(0xC6E0B4, 0x1E4620),
        }
    }
}

/// Builds one sheet's table when it is about to be written, so that only one table is in memory
/// at a time.
pub(crate) type MakeTable<'a> = Box<dyn Fn() -> Rows<'a> + 'a>;

/// The tables of a committee workbook, in sheet order, after the summary. More sheets (e.g. the
/// analysis module's results) are more entries in this list.
pub(crate) fn standard_tables(ds: &Dataset, profile: ExportProfile) -> Vec<MakeTable<'_>> {
    let records = |kind: RecordKind| -> MakeTable<'_> {
        Box::new(move || table::records_rows(ds, kind, profile))
    };
    vec![
        Box::new(|| {
            let mut status = ds.status.clone();
            status.title = "Returns status".into();
            status.into_rows()
        }),
        records(RecordKind::System),
        records(RecordKind::Contract),
        records(RecordKind::Supplier),
        records(RecordKind::Product),
        Box::new(move || table::readiness_table(ds, profile).into_rows()),
        records(RecordKind::Skill),
    ]
}

/// Writes the workbook to `path`: the summary, the [`standard_tables`] of `ds`, then `more`
/// (e.g. the analysis sheets), each on its own sheet. The dataset's records are dropped once the
/// standard sheets are written, so the later sheets do not add to the peak memory.
pub(crate) fn write_workbook(
    path: &Path,
    mut ds: Dataset,
    profile: ExportProfile,
    generated: &str,
    more: Vec<MakeTable<'_>>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Vec<SheetWritten>, XlsxError> {
    let standard = standard_tables(&ds, profile).len();
    let total = (standard + more.len()) as u64 + 1;
    let mut workbook = Workbook::new();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Constant-memory sheets spool beside the output, not in a RAM-backed /tmp.
        workbook.set_tempdir(dir)?;
    }
    let formats = Formats::new();
    let print = Print::new(&ds.cycle, profile);
    let mut names = SheetNames::default();
    let mut written = Vec::new();
    progress(&Progress {
        stage: "Writing the summary".into(),
        done: 0,
        total,
    });
    let summary_name = names.unique("Summary");
    {
        let ws = workbook.add_worksheet();
        ws.set_name(&summary_name)?;
        print.apply(ws, 1);
        let rows = write_summary(ws, &summary_name, &ds, profile, generated, &formats)?;
        written.push(SheetWritten {
            name: summary_name,
            rows,
        });
    }
    let mut dictionary = Table::new("Data dictionary", &["Sheet", "Column", "What it means"]);
    let mut sheet = |t: Rows<'_>, i: usize| -> Result<(), XlsxError> {
        let name = names.unique(&t.title);
        progress(&Progress {
            stage: format!("Writing the {name} sheet"),
            done: i as u64 + 1,
            total,
        });
        let ws = workbook.add_worksheet_with_constant_memory()?;
        ws.set_name(&name)?;
        for c in &t.columns {
            dictionary.rows.push(vec![
                Value::Text(name.clone()),
                Value::Text(c.header.clone()),
                Value::Text(c.note.clone()),
            ]);
        }
        print.apply(ws, 0);
        let rows = write_table_sheet(ws, t, &formats)?;
        written.push(SheetWritten { name, rows });
        Ok(())
    };
    for (i, make) in standard_tables(&ds, profile).into_iter().enumerate() {
        sheet(make(), i)?;
    }
    for r in &mut ds.returns {
        r.records = Vec::new();
    }
    for (i, make) in more.into_iter().enumerate() {
        sheet(make(), standard + i)?;
    }
    let name = names.unique(&dictionary.title);
    let ws = workbook.add_worksheet_with_constant_memory()?;
    ws.set_name(&name)?;
    print.apply(ws, 0);
    let rows = write_table_sheet(ws, dictionary.into_rows(), &formats)?;
    written.push(SheetWritten { name, rows });
    workbook.save(path)?;
    progress(&Progress {
        stage: "Workbook written".into(),
        done: total,
        total,
    });
    Ok(written)
}

/// Writes one cell; takes the value so that text moves into the sheet without a copy.
fn write_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Value,
    f: &Formats,
) -> Result<(), XlsxError> {
    match v {
        Value::Empty => {}
        Value::Text(t) => {
            ws.write_string(row, col, t)?;
        }
        Value::Int(i) => {
            ws.write_number(row, col, i as f64)?;
        }
        Value::Number(x) => {
            ws.write_number_with_format(row, col, x, &f.number)?;
        }
        Value::Money(p) => {
            ws.write_number_with_format(row, col, p.0 as f64 / 100.0, &f.money)?;
        }
        Value::Date(d) => {
            use chrono::Datelike;
            let dt = ExcelDateTime::from_ymd(
                u16::try_from(d.0.year()).unwrap_or(1900),
                d.0.month() as u8,
                d.0.day() as u8,
            )?;
            ws.write_datetime_with_format(row, col, &dt, &f.date)?;
        }
        Value::Bool(b) => {
            ws.write_string(row, col, if b { "Yes" } else { "No" })?;
        }
    }
    Ok(())
}

fn display_width(v: &Value) -> usize {
    match v {
        Value::Empty => 0,
        Value::Text(t) => t.lines().map(|l| l.chars().count()).max().unwrap_or(0),
        Value::Int(i) => i.to_string().len(),
        Value::Number(x) => format!("{x:.1}").len(),
        Value::Money(p) => crate::domain::values::Pence(p.0).to_string().len(),
        Value::Date(_) => 11,
        Value::Bool(_) => 3,
    }
}

/// Unique table headers (Excel refuses a table with two equal headers, case ignored).
fn unique_headers(columns: &[Column]) -> Vec<String> {
    let mut seen = HashSet::new();
    columns
        .iter()
        .map(|c| {
            let base = if c.header.trim().is_empty() {
                "Column".to_string()
            } else {
                c.header.clone()
            };
            let mut h = base.clone();
            let mut n = 1;
            while !seen.insert(h.to_lowercase()) {
                n += 1;
                h = format!("{base} ({n})");
            }
            h
        })
        .collect()
}

/// The widest a column is made (characters); longer text wraps.
const MAX_WIDTH: usize = 50;

/// Rows looked at to size the columns.
const WIDTH_SAMPLE: usize = 500;

/// One table on its own sheet, rows in order (constant memory mode); returns the rows written.
fn write_table_sheet(ws: &mut Worksheet, t: Rows<'_>, f: &Formats) -> Result<usize, XlsxError> {
    let Rows {
        title,
        columns,
        count,
        mut rows,
    } = t;
    let ncols = columns.len().max(1);
    let last_col = u16::try_from(ncols - 1).unwrap_or(u16::MAX);
    // A table needs one data row; an empty one gets a blank row.
    let last_row = u32::try_from(count.max(1)).map_err(|_| XlsxError::RowColumnLimitError)?;
    let headers = unique_headers(&columns);
    let sample: Vec<Vec<Value>> = rows.by_ref().take(WIDTH_SAMPLE).collect();
    let mut widths = Vec::with_capacity(headers.len());
    for (c, h) in headers.iter().enumerate() {
        let widest = sample
            .iter()
            .filter_map(|r| r.get(c))
            .map(display_width)
            .max()
            .unwrap_or(0);
        let width = (widest.max(h.chars().count().min(30)) + 2).clamp(8, MAX_WIDTH);
        ws.set_column_width(c as u16, width as f64)?;
        widths.push(width);
    }
    let table_columns: Vec<TableColumn> = headers
        .iter()
        .map(|h| TableColumn::new().set_header(h))
        .collect();
    let table = XlsxTable::new()
        .set_columns(&table_columns)
        .set_style(TableStyle::Medium2)
        .set_name(table_name(&title));
    ws.add_table(0, 0, last_row, last_col, &table)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_repeat_rows(0, 0)?;
    ws.set_print_area(0, 0, last_row, last_col)?;
    for (c, col) in columns.iter().enumerate() {
        let c = c as u16;
        match col.highlight {
            Highlight::None => {}
            Highlight::CafRag => {
                rag(
                    ws,
                    c,
                    last_row,
                    f,
                    ["Achieved", "Partially", "Not achieved"],
                )?;
            }
            Highlight::IcoRag => {
                rag(ws, c, last_row, f, ["Successfully", "Partially", "Not yet"])?;
            }
            Highlight::Urgency => {
                let cell = row_col_to_cell(1, c);
                for (days, format) in [(URGENT_DAYS, &f.red), (SOON_DAYS, &f.amber)] {
                    let rule = ConditionalFormatFormula::new()
                        .set_rule(format!("=AND(ISNUMBER({cell}),{cell}<=TODAY()+{days})").as_str())
                        .set_format(format);
                    ws.add_conditional_format(1, c, last_row, c, &rule)?;
                }
            }
        }
    }
    let mut written = 0usize;
    for row in sample.into_iter().chain(rows).take(count) {
        written += 1;
        let r = u32::try_from(written).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (c, v) in row.into_iter().enumerate() {
            match v {
                // Text wider than its column wraps, so that it prints within the page.
                Value::Text(t) if widths.get(c).is_some_and(|w| t.chars().count() > *w) => {
                    ws.write_string_with_format(r, c as u16, t, &f.wrap)?;
                }
                v => write_value(ws, r, c as u16, v, f)?,
            }
        }
    }
    Ok(written)
}

/// A valid, workbook-unique-enough Excel table name from a title (`Tbl_Returns_status`).
fn table_name(title: &str) -> String {
    let body: String = title
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(200)
        .collect();
    format!("Tbl_{body}_{}", title.len())
}

fn rag(
    ws: &mut Worksheet,
    col: u16,
    last_row: u32,
    f: &Formats,
    [green, amber, red]: [&str; 3],
) -> Result<(), XlsxError> {
    for (text, format) in [(green, &f.green), (amber, &f.amber), (red, &f.red)] {
        let rule = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::BeginsWith(text.to_string()))
            .set_format(format);
        ws.add_conditional_format(1, col, last_row, col, &rule)?;
    }
    Ok(())
}

/// The summary's charts: each this size, in one column this wide, one below the other.
const CHART_WIDTH_PX: u32 = 520;
const CHART_HEIGHT_PX: u32 = 300;
/// Rows a chart takes (rows of the default 20 pixels), and one row between charts.
const CHART_ROWS: u32 = CHART_HEIGHT_PX.div_ceil(20);
const CHART_COL: u16 = 3;

/// The summary, laid out to print on one page: the marking, title, profile, the key figures
/// (label and figure on one row), each chart's data beside its label; the charts in a column
/// of their own to the right. The print area covers the text and every chart.
fn write_summary(
    ws: &mut Worksheet,
    sheet: &str,
    ds: &Dataset,
    profile: ExportProfile,
    generated: &str,
    f: &Formats,
) -> Result<usize, XlsxError> {
    ws.set_column_width(0, 58)?;
    ws.set_column_width(1, 18)?;
    ws.set_column_width(2, 3)?;
    ws.set_column_width_pixels(CHART_COL, CHART_WIDTH_PX + 10)?;
    let scope = if ds.central {
        "every organisation's return".to_string()
    } else {
        ds.returns
            .first()
            .map_or("this store's return".into(), |r| {
                format!("{}'s return", r.name)
            })
    };
    ws.write_string_with_format(0, 0, profile.marking(), &f.marking)?;
    ws.write_string_with_format(
        1,
        0,
        format!("City Tools: {} technology return", ds.cycle),
        &f.title,
    )?;
    ws.write_string(2, 0, format!("Covers {scope}. Written {generated}."))?;
    ws.write_string(3, 0, profile.description())?;
    let top = 5u32;
    ws.write_string_with_format(top, 0, "Key figures", &f.bold)?;
    let mut row = top + 1;
    for (label, value) in table::key_figures(ds, profile) {
        ws.write_string(row, 0, &label)?;
        write_value(ws, row, 1, value, f)?;
        row += 1;
    }
    row += 1;
    let blocks = [
        (
            "Systems by service area",
            table::systems_by_service_area(ds),
            ChartType::Bar,
        ),
        (
            "Contracts by when a decision is due",
            table::contracts_by_decision_window(ds),
            ChartType::Column,
        ),
    ];
    let mut chart_row = top;
    for (title, data, kind) in blocks {
        ws.write_string_with_format(row, 0, title, &f.bold)?;
        ws.write_string_with_format(
            row,
            1,
            "Count",
            &f.bold.clone().set_border(FormatBorder::Thin),
        )?;
        let first = row + 1;
        for (label, n) in &data {
            row += 1;
            ws.write_string(row, 0, label)?;
            ws.write_number(row, 1, *n as f64)?;
        }
        if !data.is_empty() && data.iter().any(|(_, n)| *n > 0) {
            let mut chart = Chart::new(kind);
            chart.title().set_name(title);
            chart.legend().set_hidden();
            chart
                .set_width(CHART_WIDTH_PX)
                .set_height(CHART_HEIGHT_PX)
                .add_series()
                .set_name(title)
                .set_categories((sheet, first, 0, row, 0))
                .set_values((sheet, first, 1, row, 1));
            ws.insert_chart(chart_row, CHART_COL, &chart)?;
            chart_row += CHART_ROWS + 1;
        }
        row += 2;
    }
    // Both the last line of text and the bottom of the last chart are inside the print area.
    ws.set_print_area(0, 0, row.max(chart_row), CHART_COL)?;
    Ok(row as usize)
}
