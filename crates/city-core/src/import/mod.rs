//! Spreadsheet import (calamine; csv and encoding_rs for text registers): reading xlsx, xls,
//! ods, CSV and TSV into grids, finding the header row and suggesting a mapping, reading cells
//! the way registers write them, and turning rows into record fields with every problem located at its sheet, row and column. What the rows do to
//! the store (match, create, update, validate, commit) is `api::spreadsheets`' business.

pub(crate) mod answers;
pub(crate) mod delimited;
pub(crate) mod importable;
pub(crate) mod linked;
pub(crate) mod mapping;
pub(crate) mod rows;
pub(crate) mod values;
pub(crate) mod workbook;
mod xls_guard;
mod xlsx_scan;
mod zip_guard;
