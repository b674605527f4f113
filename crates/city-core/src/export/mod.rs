//! xlsx, CSV and JSON writers: the committee workbook, CSV per record type and OCDS JSON for
//! contracts (plus the survey template and the import error report), each redacted by a profile (`profile.rs`, the one place that decides what each
//! audience sees). Writers take a [`table::Dataset`] gathered by the API and write through a
//! temporary file, so a failed export leaves nothing half-written. rust_xlsxwriter is named only
//! here.

mod analysis_sheets;
mod delimited;
pub(crate) mod error_report;
pub(crate) mod fields;
pub(crate) mod ocds;
mod profile;
pub(crate) mod progress_sheets;
mod sheet_names;
pub(crate) mod table;
pub(crate) mod template;
mod workbook;

pub use profile::ExportProfile;
pub(crate) use table::{Dataset, OrgReturn, Table, Value};
pub(crate) use workbook::MakeTable;
pub(crate) use workbook::SheetWritten;

/// The analysis sheets of a central workbook the profile may show, in sheet order (for the
/// PostgreSQL publication, which holds what the workbook shows).
pub(crate) fn analysis_sheets(
    r: &crate::analysis::AnalysisReport,
    profile: ExportProfile,
) -> Vec<MakeTable<'_>> {
    analysis_sheets::analysis_tables(r, profile)
}

use crate::domain::enums::RecordKind;
use crate::progress::Progress;
use std::path::{Path, PathBuf};

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ExportError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("{0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Json(#[from] serde_json::Error),
}

/// Writes the committee workbook to `path` (atomically), with LOTI's analysis sheets after the
/// record sheets when `analysis` is given and the *since last year* sheets when `since` is; returns the sheets written. Takes the dataset, so
/// that its records are freed once their sheets are written.
pub(crate) fn write_workbook(
    path: &Path,
    ds: Dataset,
    profile: ExportProfile,
    analysis: Option<&crate::analysis::AnalysisReport>,
    since: Option<&crate::analysis::progress::ProgressReport>,
    generated: &str,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Vec<SheetWritten>, ExportError> {
    let mut tables = analysis
        .map(|r| analysis_sheets::analysis_tables(r, profile))
        .unwrap_or_default();
    if let Some(r) = since {
        tables.extend(progress_sheets::progress_tables(r, profile));
    }
    let mut sheets = Vec::new();
    crate::files::write_via_temp(path, |tmp| {
        sheets = workbook::write_workbook(tmp, ds, profile, generated, tables, progress)?;
        Ok::<(), ExportError>(())
    })?;
    Ok(sheets)
}

/// Writes CSV of `kind` (`None`: the readiness table per organisation) to `path`, atomically
/// and a row at a time; returns the number of data rows.
pub(crate) fn write_csv(
    path: &Path,
    ds: &Dataset,
    kind: Option<RecordKind>,
    profile: ExportProfile,
) -> Result<usize, ExportError> {
    let rows = match kind {
        Some(k) => table::records_rows(ds, k, profile),
        None => table::readiness_table(ds, profile).into_rows(),
    };
    let mut n = 0;
    crate::files::write_via_temp(path, |tmp| {
        let file = std::fs::File::create(tmp)?;
        let mut out = std::io::BufWriter::new(file);
        n = delimited::write_csv(rows, &mut out)?;
        std::io::Write::flush(&mut out)?;
        Ok::<(), ExportError>(())
    })?;
    Ok(n)
}

/// The file name for one table of a CSV export into a folder (`contracts.csv`).
pub(crate) fn csv_file_name(dir: &Path, kind: Option<RecordKind>) -> PathBuf {
    let stem = match kind {
        Some(k) => format!("{}s", k.id()),
        None => "readiness".into(),
    };
    dir.join(format!("{stem}.csv"))
}

/// Writes contracts as an OCDS 1.1 release package to `path`; returns the number of releases.
pub(crate) fn write_ocds(path: &Path, ds: &Dataset, published: &str) -> Result<usize, ExportError> {
    let (package, n) = ocds::release_package(ds, published);
    crate::files::write_via_temp(path, |tmp| {
        let mut bytes = serde_json::to_vec_pretty(&package)?;
        bytes.push(b'\n');
        std::fs::write(tmp, bytes)?;
        Ok::<(), ExportError>(())
    })?;
    Ok(n)
}
