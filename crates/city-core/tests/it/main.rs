//! Integration tests of the core, through `city_core::api` only (one test binary).

// Test helpers outside #[test] functions unwrap freely: a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod analysis; // collaboration analysis on the synthetic London data set: planted facts found, decoys not
mod bundles; // signed, encrypted bundles: export, import, keyring, quarantine, attacks, stock tools
mod carry_forward; // starting a cycle from the last one: ids kept, to review, retired left behind
mod corpus; // the corpus of real-world registers (fixtures/registers/): what the default path imports from each
mod csv_registers; // CSV and TSV registers: encodings, delimiters, quoted line breaks, the same import and error report as xlsx
mod editing; // add / update / delete / restore / review / undo and the audit log
mod exports; // workbook, CSV and OCDS exports: redaction profiles, second readers, atomic writes
mod linked_records; // one row, several records: a system and its contract, products named, best-cased suppliers, columns that mean what they say
mod pg_cluster; // a throwaway PostgreSQL cluster in a temporary folder, started and stopped by the tests
mod pg_publish; // `publish postgres`: idempotent, equal to the workbook, whole after a dropped connection, no sensitive value below full
mod progress; // year on year on the London data set: every planted change found, no decoy, the missing return missing
mod publish; // the published site: no sensitive value or system out of support in open, the pipeline OCDS validated, atomic folder
mod spreadsheet_answers; // answer mapping: suggested and remembered answers, not-known words, blank-to-review, partial import
mod spreadsheets; // survey template, spreadsheet import (fixtures, round trip via openpyxl, bad files), error report
mod store_files; // creating and opening stores: fixtures, newer schemas, foreign files
mod support; // shared helpers: temp stores, a fixed clock
mod tidy; // architecture rules: module docs everywhere, outside libraries named only in their module
mod validation; // bad input is refused with the field named, and nothing is written
