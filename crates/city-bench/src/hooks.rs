//! Hook points for "ours" in the benchmarks whose code is not on this branch yet: the
//! spreadsheet import (`Store::import_commit`), the committee workbook
//! (`Store::export_workbook`) and filtering a list in the app. Each returns
//! [`NotYet`] until it is wired; the table then says "not measured" with the reason.
//!
//! To wire one, replace its body with the real call and return the time of the part that is
//! the benchmark (the setup stays outside the figure).

use std::path::Path;
use std::time::Duration;

/// Why a figure is missing.
#[derive(Debug, Clone)]
pub(crate) struct NotYet(pub(crate) &'static str);

/// Ours: import the register spreadsheet at `xlsx` (read, map, validate, store) into a fresh
/// borough store at `store`. Wire to `Store::create` + `Store::import_preview`/`import_commit`.
pub(crate) fn import_register(xlsx: &Path, store: &Path) -> Result<Duration, NotYet> {
    let _ = (xlsx, store);
    Err(NotYet("hook: Store::import_commit not merged yet"))
}

/// Ours: write the committee workbook for the central store at `central` to `out`. Wire to
/// `Store::export_workbook`.
pub(crate) fn export_workbook(central: &Path, out: &Path) -> Result<Duration, NotYet> {
    let _ = (central, out);
    Err(NotYet("hook: Store::export_workbook not merged yet"))
}

/// Ours: filter a 10,000-row list in the app's UI (type in the filter box, wait for the list
/// to update). Wire to the list screen once it exists (WebDriver, see `python/app_start.py`).
pub(crate) fn ui_filter(app: Option<&Path>) -> Result<Duration, NotYet> {
    let _ = app;
    Err(NotYet("hook: the app's list screens are not built yet"))
}
