//! "Ours" in the benchmarks that call a feature outside this crate: the spreadsheet import
//! (`Store::import_commit`), the committee workbook (`Store::export_workbook`) and filtering a
//! list in the app (over WebDriver). An unwired hook returns [`NotYet`];
//! the table then says "not measured" with the reason.
//!
//! To wire one, replace its body with the real call and return the time of the part that is
//! the benchmark (the setup stays outside the figure).

use city_core::api::{self, ExportProfile, Store};
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

/// Ours, in process: import the register at `file` (xlsx or CSV) into a fresh borough store at
/// `store` by the default path the app offers — `inspect_spreadsheet` (header row, suggested
/// columns, suggested answers for the columns with options), `default_import_request`, then
/// `Store::import_commit`. Creating the store is not timed; inspecting and committing are (the
/// file is parsed once: the commit reuses the inspected workbook). Returns the time and the
/// number of rows planned.
pub(crate) fn import_register(file: &Path, store: &Path) -> Result<(Duration, u64), NotYet> {
    let c = crate::inputs::ctx();
    let err = |e: city_core::api::Error| NotYet::because(e.message);
    let mut s = Store::create(store, "E09000007", crate::inputs::CYCLE, &c).map_err(err)?;
    let start = Instant::now();
    let info = s.inspect_spreadsheet(file).map_err(err)?;
    let request = api::default_import_request(&info);
    if request.sheets.is_empty() {
        return Err(NotYet::because("the register was not recognised"));
    }
    let plan = s
        .import_commit(None, file, &request, &c, &mut |_| {})
        .map_err(err)?;
    let took = start.elapsed();
    if !plan.committed {
        return Err(NotYet::because(format!(
            "import refused: {}",
            plan.errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default()
        )));
    }
    Ok((took, plan.rows.len() as u64))
}

/// Ours, as a user runs it: `city --store STORE spreadsheet import FILE` (the CLI binary
/// `city`, output to a pipe that is read and dropped) into a fresh borough store. Creating the
/// store is not timed; the whole process is.
pub(crate) fn import_register_cli(
    city: Option<&Path>,
    file: &Path,
    store: &Path,
) -> Result<Duration, NotYet> {
    let Some(city) = city else {
        return Err(NotYet::because("give --city target/release/city"));
    };
    let c = crate::inputs::ctx();
    Store::create(store, "E09000007", crate::inputs::CYCLE, &c)
        .map_err(|e| NotYet::because(e.message))?;
    let start = Instant::now();
    let out = std::process::Command::new(city)
        .arg("--store")
        .arg(store)
        .args(["spreadsheet", "import"])
        .arg(file)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| NotYet::because(format!("could not run {}: {e}", city.display())))?;
    let took = start.elapsed();
    if !out.status.success() {
        return Err(NotYet::because(format!(
            "city spreadsheet import failed: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or_default()
        )));
    }
    Ok(took)
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
