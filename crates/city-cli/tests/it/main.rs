//! Black-box tests of the `city` binary (one test binary, ripgrep-style helpers).

// Test helpers outside #[test] functions unwrap freely: a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod analysis; // city analysis on the synthetic London data set and on a copy of the frozen central store
mod bad_input; // every kind of bad input: one-line error naming the field, store byte-for-byte unchanged
mod bundles; // keys, cycle packs, export, quarantine, confirm, import, tracker through the CLI
mod crash_safety; // processes killed mid-write leave an intact store holding every committed edit
mod csv_registers; // city spreadsheet inspect / import on CSV registers: encodings, delimiters, error report
mod exports; // city export workbook | csv | ocds: outcomes, second readers, redaction, one-line errors
mod journeys; // the Camden walk-through from the README, end to end
mod progress; // city analysis progress: the London cycles from returns files, and a two-cycle central store's workbook sheet against the JSON
mod publish; // city publish site: the London site from a returns file, --json, refused input leaves the earlier site; publish postgres refuses bad input
mod spreadsheets; // city spreadsheet template / inspect / import: dry run, commit, error report
mod usage; // --help everywhere, exit codes, --json on read commands
mod util; // TestDir and running the binary
