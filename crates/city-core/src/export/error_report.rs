//! The import error report (xlsx): a list of every problem with its sheet, row and column,
//! the rows an import left out (each with its problems and its cells, ready to correct), then
//! a copy of each source sheet with the offending cells filled (red for errors, amber for
//! warnings) and a note on each giving the problem. Cell text is copied as strings, never as
//! formulas.

use rust_xlsxwriter::{Format, FormatBorder, Note, Workbook, XlsxError};
use std::collections::BTreeMap;
use std::path::Path;

/// Fill of a cell with an error.
pub(crate) const ERROR_FILL: &str = "FFC7CE";
/// Fill of a cell with a warning.
pub(crate) const WARNING_FILL: &str = "FFEB9C";

/// One problem to show.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    /// `Error` or `Warning`.
    pub(crate) severity: &'static str,
    pub(crate) sheet: String,
    /// 0-based.
    pub(crate) row: Option<usize>,
    /// 0-based; a problem with the whole row marks its first cell.
    pub(crate) col: Option<usize>,
    pub(crate) message: String,
}

/// A row an import left out because of its errors.
#[derive(Debug, Clone)]
pub(crate) struct LeftOut {
    pub(crate) sheet: String,
    /// 0-based.
    pub(crate) row: usize,
    /// Every problem of the row, in one text.
    pub(crate) reasons: String,
}

const MAX_ROWS: usize = 1_048_576;
const MAX_COLS: usize = 16_384;

/// Writes the report. `sheets` are the source sheets' cells as text.
pub(crate) fn write(
    out: &Path,
    sheets: &[(String, Vec<Vec<String>>)],
    problems: &[Problem],
    left_out: &[LeftOut],
) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color("#DDEBF7")
        .set_border_bottom(FormatBorder::Thin);
    let error = Format::new().set_background_color(ERROR_FILL);
    let warning = Format::new().set_background_color(WARNING_FILL);
    let wrap = Format::new().set_text_wrap();

    let list_name = unique_name("Problems", sheets);
    let ws = wb.add_worksheet();
    ws.set_name(&list_name)?;
    for (i, h) in ["Severity", "Sheet", "Row", "Column", "Problem"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, i as u16, *h, &header)?;
    }
    for (i, w) in [10.0, 20.0, 8.0, 8.0, 100.0].iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (i, p) in problems.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, p.severity)?;
        ws.write_string(r, 1, &p.sheet)?;
        if let Some(row) = p.row {
            ws.write_number(r, 2, row as f64 + 1.0)?;
        }
        if let Some(col) = p.col {
            ws.write_string(r, 3, crate::sheet_layout::column_letter(col))?;
        }
        ws.write_string_with_format(r, 4, &p.message, &wrap)?;
    }

    let mut used = vec![list_name.to_lowercase()];
    if !left_out.is_empty() {
        let name = unique_name("Rows left out", sheets);
        used.push(name.to_lowercase());
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        let cells = |l: &LeftOut| -> &[String] {
            sheets
                .iter()
                .find(|(n, _)| *n == l.sheet)
                .and_then(|(_, rows)| rows.get(l.row))
                .map_or(&[], Vec::as_slice)
        };
        let width = left_out
            .iter()
            .map(|l| cells(l).len())
            .max()
            .unwrap_or(0)
            .min(MAX_COLS - 3);
        for (i, h) in ["Sheet", "Row", "Problems"].iter().enumerate() {
            ws.write_string_with_format(0, i as u16, *h, &header)?;
        }
        for c in 0..width {
            let letter = crate::sheet_layout::column_letter(c);
            ws.write_string_with_format(0, c as u16 + 3, &letter, &header)?;
        }
        ws.set_column_width(0, 20.0)?;
        ws.set_column_width(2, 60.0)?;
        ws.set_freeze_panes(1, 3)?;
        for (i, l) in left_out.iter().enumerate().take(MAX_ROWS - 1) {
            let r = i as u32 + 1;
            ws.write_string(r, 0, &l.sheet)?;
            ws.write_number(r, 1, l.row as f64 + 1.0)?;
            ws.write_string_with_format(r, 2, fit(&l.reasons), &wrap)?;
            for (c, text) in cells(l).iter().enumerate().take(width) {
                if !text.is_empty() {
                    ws.write_string(r, c as u16 + 3, fit(text))?;
                }
            }
        }
    }
    for (name, rows) in sheets {
        // (row, col) → (is error, messages)
        let mut marks: BTreeMap<(usize, usize), (bool, Vec<String>)> = BTreeMap::new();
        for p in problems.iter().filter(|p| &p.sheet == name) {
            let Some(row) = p.row else { continue };
            let col = p.col.unwrap_or(0);
            if row >= MAX_ROWS || col >= MAX_COLS {
                continue;
            }
            let e = marks.entry((row, col)).or_insert((false, Vec::new()));
            e.0 |= p.severity == "Error";
            e.1.push(format!("{}: {}", p.severity, p.message));
        }
        let ws = wb.add_worksheet();
        ws.set_name(excel_name(name, &mut used))?;
        for (r, cells) in rows.iter().enumerate().take(MAX_ROWS) {
            for (c, text) in cells.iter().enumerate().take(MAX_COLS) {
                if text.is_empty() || marks.contains_key(&(r, c)) {
                    continue;
                }
                ws.write_string(r as u32, c as u16, fit(text))?;
            }
        }
        for ((r, c), (is_error, messages)) in &marks {
            let text = rows
                .get(*r)
                .and_then(|row| row.get(*c))
                .cloned()
                .unwrap_or_default();
            let format = if *is_error { &error } else { &warning };
            ws.write_string_with_format(*r as u32, *c as u16, fit(&text), format)?;
            let note = Note::new(messages.join("\n")).set_author("City Tools");
            ws.insert_note(*r as u32, *c as u16, &note)?;
        }
    }
    wb.save(out)
}

/// A valid Excel sheet name for `name` (ods names may be longer than 31 characters or hold
/// `[ ] : * ? / \`), not yet in `used`.
fn excel_name(name: &str, used: &mut Vec<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'');
    let base: String = if clean.is_empty() {
        "Sheet".into()
    } else {
        clean.chars().take(31).collect()
    };
    let mut candidate = base.clone();
    let mut i = 2;
    while used.contains(&candidate.to_lowercase()) {
        let suffix = format!(" ({i})");
        let keep = 31 - suffix.chars().count();
        candidate = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        i += 1;
    }
    used.push(candidate.to_lowercase());
    candidate
}

/// Text cut to the 32,767 characters an Excel cell holds.
fn fit(s: &str) -> &str {
    match s.char_indices().nth(32_767) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// A sheet name not used by the source workbook.
fn unique_name(base: &str, sheets: &[(String, Vec<Vec<String>>)]) -> String {
    let taken = |n: &str| sheets.iter().any(|(s, _)| s.eq_ignore_ascii_case(n));
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|i| format!("{base} {i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::excel_name;

    #[test]
    fn sheet_names_are_made_valid_and_unique() {
        let mut used = vec!["problems".to_string()];
        let long = "A very long OpenDocument sheet name: over 31 characters";
        let a = excel_name(long, &mut used);
        assert_eq!(a.chars().count(), 31);
        assert!(!a.contains(':'));
        let b = excel_name(long, &mut used);
        assert_ne!(a, b);
        assert_eq!(b.chars().count(), 31);
        assert_eq!(excel_name("Problems", &mut used), "Problems (2)");
        assert_eq!(excel_name("'[x]'", &mut used), "_x_");
    }
}
