//! "Ours" in the benchmarks that call a feature outside this crate: the spreadsheet import
//! (`Store::import_commit`), the committee workbook (`Store::export_workbook`) and filtering a
//! list in the app (over WebDriver). An unwired hook returns [`NotYet`];
//! the table then says "not measured" with the reason.
//!
//! To wire one, replace its body with the real call and return the time of the part that is
//! the benchmark (the setup stays outside the figure).

use city_core::api::{
    ColumnChoice, ExportProfile, ImportRequest, MatchKey, RecordKind, SheetImport, Store,
};
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
/// borough store at `store` with `Store::import_commit`, using the mapping
/// `inspect_spreadsheet` suggests (what the app offers the user). Creating the store and
/// inspecting the file are not timed; the figure is the commit, which reads the file again.
/// Returns the time and the number of rows written.
pub(crate) fn import_register(xlsx: &Path, store: &Path) -> Result<(Duration, u64), NotYet> {
    let c = crate::inputs::ctx();
    let err = |e: city_core::api::Error| NotYet::because(e.message);
    let mut s = Store::create(store, "E09000007", crate::inputs::CYCLE, &c).map_err(err)?;
    let info = s.inspect_spreadsheet(xlsx).map_err(err)?;
    let sheet = info
        .sheets
        .first()
        .ok_or_else(|| NotYet::because("the register has no sheet"))?;
    let request = ImportRequest {
        sheets: vec![SheetImport {
            sheet: sheet.name.clone(),
            kind: sheet.kind.unwrap_or(RecordKind::Contract),
            header_row: sheet.header_row.unwrap_or(1),
            layout: sheet.layout,
            columns: sheet
                .columns
                .iter()
                .map(|col| ColumnChoice {
                    column: col.column.clone(),
                    field: col.field.clone(),
                })
                .collect(),
        }],
        match_key: MatchKey::Auto,
        ..ImportRequest::default()
    };
    let start = Instant::now();
    let plan = s
        .import_commit(None, xlsx, &request, &c, &mut |_| {})
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
