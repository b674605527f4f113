//! "Ours" in the benchmarks that call a feature outside this crate: the spreadsheet import
//! (`Store::import_commit`, not merged yet), the committee workbook (`Store::export_workbook`,
//! wired) and filtering a list in the app (wired over WebDriver). An unwired hook returns [`NotYet`];
//! the table then says "not measured" with the reason.
//!
//! To wire one, replace its body with the real call and return the time of the part that is
//! the benchmark (the setup stays outside the figure).

use city_core::api::{ExportProfile, Store};
use std::path::Path;
use std::time::{Duration, Instant};

/// Why a figure is missing.
#[derive(Debug, Clone)]
pub(crate) struct NotYet(pub(crate) String);

impl NotYet {
    fn because(why: impl Into<String>) -> NotYet {
        NotYet(why.into())
    }
}

/// Ours: import the register spreadsheet at `xlsx` (read, map, validate, store) into a fresh
/// borough store at `store`. Wire to `Store::create` + `Store::import_preview`/`import_commit`.
pub(crate) fn import_register(xlsx: &Path, store: &Path) -> Result<Duration, NotYet> {
    let _ = (xlsx, store);
    Err(NotYet::because("hook: Store::import_commit not merged yet"))
}

/// Ours: the committee workbook (committee profile) of the central store at `central`, written
/// to `out` by `Store::export_workbook`. Opening the store is not timed.
pub(crate) fn export_workbook(central: &Path, out: &Path) -> Result<Duration, NotYet> {
    let mut store = Store::open(central).map_err(|e| NotYet::because(e.message))?;
    let start = Instant::now();
    store
        .export_workbook(
            Some(crate::inputs::CYCLE),
            ExportProfile::Committee,
            out,
            &crate::inputs::ctx(),
            &mut |_| {},
        )
        .map_err(|e| NotYet::because(e.message))?;
    Ok(start.elapsed())
}

/// Ours: filter a 10,000-row list in the app's UI (the Systems list of a store with 10,000
/// systems), over WebDriver: see `python/app_filter.py`.
pub(crate) fn ui_filter(
    app: Option<&Path>,
    dir: &Path,
    seed: u64,
    runs: usize,
) -> Result<(Duration, Option<f64>, String), NotYet> {
    let Some(app) = app else {
        return Err(NotYet::because("give --app target/release/city-tools"));
    };
    crate::app::filter(app, dir, seed, 10_000, runs).map_err(|e| NotYet::because(format!("{e:#}")))
}
