//! Commands for spreadsheets in a borough's return: the survey template, and the import wizard
//! (inspect a file, the fields a column can map to, the answers of columns with options, a dry
//! run, the commit, an error report).
//! Every reading and matching rule is the core's.

use super::{forward, on_store};
use crate::state::AppState;
use city_core::api::{
    self, Context, Error, FieldAnswers, ImportField, ImportPlan, ImportRequest, Progress,
    RecordKind, SpreadsheetInfo,
};
use std::path::Path;
use tauri::ipc::Channel;

/// Writes the cycle's survey template (with the return's records filled in when `prefill`).
#[tauri::command]
pub(crate) async fn survey_template(
    state: tauri::State<'_, AppState>,
    path: String,
    prefill: bool,
) -> Result<(), Error> {
    on_store(&state, |s| {
        s.survey_template(None, Path::new(&path), prefill)
    })
}

/// What a spreadsheet holds: its sheets, header rows and a suggested (or remembered) mapping.
#[tauri::command]
pub(crate) async fn inspect_spreadsheet(
    state: tauri::State<'_, AppState>,
    path: String,
) -> Result<SpreadsheetInfo, Error> {
    on_store(&state, |s| s.inspect_spreadsheet(Path::new(path.trim())))
}

/// The import the inspection suggests (every recognised sheet with its mapping).
#[tauri::command]
pub(crate) async fn suggested_import(
    state: tauri::State<'_, AppState>,
    path: String,
) -> Result<ImportRequest, Error> {
    on_store(&state, |s| {
        s.inspect_spreadsheet(Path::new(path.trim()))
            .map(|info| api::default_import_request(&info))
    })
}

/// The fields a column of a sheet of `kind` can be mapped to.
#[tauri::command]
pub(crate) fn import_fields(kind: RecordKind) -> Vec<ImportField> {
    api::import_fields(kind)
}

/// The answers step: for each mapped column with options, its values and the answer given,
/// remembered or suggested for each.
#[tauri::command]
pub(crate) async fn import_answers(
    state: tauri::State<'_, AppState>,
    path: String,
    request: ImportRequest,
) -> Result<Vec<FieldAnswers>, Error> {
    on_store(&state, |s| {
        s.import_answers(Path::new(path.trim()), &request)
    })
}

/// The dry run: what the import would do, row by row. Nothing is written.
#[tauri::command]
pub(crate) async fn import_preview(
    state: tauri::State<'_, AppState>,
    path: String,
    request: ImportRequest,
    on_progress: Channel<Progress>,
) -> Result<ImportPlan, Error> {
    on_store(&state, |s| {
        s.import_preview(
            None,
            Path::new(path.trim()),
            &request,
            &Context::system(),
            &mut forward(&on_progress),
        )
    })
}

/// Imports all of it in one transaction, or nothing (or, when the request says `partial`, the
/// rows without errors).
#[tauri::command]
pub(crate) async fn import_commit(
    state: tauri::State<'_, AppState>,
    path: String,
    request: ImportRequest,
    on_progress: Channel<Progress>,
) -> Result<ImportPlan, Error> {
    on_store(&state, |s| {
        s.import_commit(
            None,
            Path::new(path.trim()),
            &request,
            &Context::system(),
            &mut forward(&on_progress),
        )
    })
}

/// Runs the dry run again and saves its problems as an xlsx copy of the source with the bad
/// cells highlighted and a list of every problem.
#[tauri::command]
pub(crate) async fn write_import_errors(
    state: tauri::State<'_, AppState>,
    path: String,
    request: ImportRequest,
    out: String,
) -> Result<(), Error> {
    let source = Path::new(path.trim());
    let plan = on_store(&state, |s| {
        s.import_preview(None, source, &request, &Context::system(), &mut |_| {})
    })?;
    api::write_import_errors(source, &plan, Path::new(out.trim()))
}
