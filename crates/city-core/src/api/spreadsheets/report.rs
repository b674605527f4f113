//! The xlsx error report of an import plan (the writing is `export::error_report`'s).

use super::{ImportPlan, RowAction, file_loc, read_file};
use crate::api::{Error, ErrorKind, Location};
use crate::export::error_report::{LeftOut, Problem};
use crate::import::workbook;
use crate::sheet_layout::column_index;
use std::path::Path;

/// Writes an xlsx error report for a plan: a list of every problem, every row left out (with
/// its problems and its cells), and each sheet of the source with the offending cells filled
/// red (errors) or amber (warnings) and a note giving the problem.
pub fn write_import_errors(source: &Path, plan: &ImportPlan, out: &Path) -> Result<(), Error> {
    let wb = read_file(source)?;
    let sheets: Vec<(String, Vec<Vec<String>>)> = wb
        .sheets
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                s.rows
                    .iter()
                    .map(|r| r.iter().map(workbook::Cell::display).collect())
                    .collect(),
            )
        })
        .collect();
    let problems = problems(plan);
    let left_out = left_out(plan);
    crate::export::error_report::write(out, &sheets, &problems, &left_out).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("could not write {}: {e}", out.display()),
        )
        .at(file_loc(out, None, None, None))
    })
}

/// Every problem of the plan that has a place in the source.
fn problems(plan: &ImportPlan) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (severity, list) in [("Error", &plan.errors), ("Warning", &plan.warnings)] {
        for i in list.iter() {
            if let Some(Location::File {
                sheet, row, column, ..
            }) = &i.location
            {
                problems.push(Problem {
                    severity,
                    sheet: sheet.clone().unwrap_or_default(),
                    row: row.map(|r| r.saturating_sub(1) as usize),
                    col: column.as_deref().and_then(column_index),
                    message: i.message.clone(),
                });
            }
        }
    }
    problems
}

/// Every row left out, with its problems.
fn left_out(plan: &ImportPlan) -> Vec<LeftOut> {
    plan.rows
        .iter()
        .filter(|r| r.action == RowAction::Error)
        .map(|r| LeftOut {
            sheet: r.sheet.clone(),
            row: r.row.saturating_sub(1) as usize,
            reasons: r
                .issues
                .iter()
                .map(|i| i.message.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect()
}
