//! Commands that read and edit the records of the open return: the questionnaire that forms
//! are built from, lists, add / update (autosave) / delete / restore / duplicate / review, undo
//! and the audit history. Every rule is the core's.

use super::on_store;
use crate::state::AppState;
use city_core::api::{
    self, AuditEntryDto, ChangesSinceLastYear, Context, EnumerationDto, Error, Questionnaire,
    RecordDto, RecordKind, ReturnSummary, ReviewState, UndoOutcome,
};

/// The questionnaire: every record type's fields, labels, hints, types and options.
#[tauri::command]
pub(crate) fn questionnaire() -> Questionnaire {
    api::questionnaire()
}

/// Every enumeration with its options (for filters).
#[tauri::command]
pub(crate) fn enumerations() -> Vec<EnumerationDto> {
    api::enumerations()
}

/// The returns in the open store, oldest first.
#[tauri::command]
pub(crate) fn returns(state: tauri::State<'_, AppState>) -> Result<Vec<ReturnSummary>, Error> {
    on_store(&state, |s| s.returns())
}

/// The records of one kind in the current return (deleted ones too when asked).
#[tauri::command]
pub(crate) fn list_records(
    state: tauri::State<'_, AppState>,
    kind: RecordKind,
    include_deleted: bool,
) -> Result<Vec<RecordDto>, Error> {
    on_store(&state, |s| s.list(None, kind, include_deleted))
}

/// One record.
#[tauri::command]
pub(crate) fn get_record(
    state: tauri::State<'_, AppState>,
    kind: RecordKind,
    id: String,
) -> Result<RecordDto, Error> {
    on_store(&state, |s| s.get(None, kind, &id))
}

/// Adds a record from its fields.
#[tauri::command]
pub(crate) fn add_record(
    state: tauri::State<'_, AppState>,
    kind: RecordKind,
    fields: serde_json::Value,
) -> Result<RecordDto, Error> {
    on_store(&state, |s| s.add(None, kind, fields, &Context::system()))
}

/// Changes fields of a record (a JSON merge patch: `null` clears a field). The forms call this
/// each time a field is left, so every answer is saved at once.
#[tauri::command]
pub(crate) fn update_record(
    state: tauri::State<'_, AppState>,
    kind: RecordKind,
    id: String,
    patch: serde_json::Value,
) -> Result<RecordDto, Error> {
    on_store(&state, |s| {
        s.update(None, kind, &id, patch, &Context::system())
    })
}

/// Deletes a record softly (undo or restore brings it back).
#[tauri::command]
pub(crate) fn delete_record(
    state: tauri::State<'_, AppState>,
    kind: RecordKind,
    id: String,
) -> Result<RecordDto, Error> {
    on_store(&state, |s| s.delete(None, kind, &id, &Context::system()))
}

/// Brings back a deleted record.
#[tauri::command]
pub(crate) fn restore_record(
    state: tauri::State<'_, AppState>,
    kind: RecordKind,
    id: String,
) -> Result<RecordDto, Error> {
    on_store(&state, |s| s.restore(None, kind, &id, &Context::system()))
}

/// Adds a copy of a record.
#[tauri::command]
pub(crate) fn duplicate_record(
    state: tauri::State<'_, AppState>,
    kind: RecordKind,
    id: String,
) -> Result<RecordDto, Error> {
    on_store(&state, |s| s.duplicate(None, kind, &id, &Context::system()))
}

/// Confirms a carried-forward record (or retires it).
#[tauri::command]
pub(crate) fn review_record(
    state: tauri::State<'_, AppState>,
    kind: RecordKind,
    id: String,
    review: ReviewState,
) -> Result<RecordDto, Error> {
    on_store(&state, |s| {
        s.set_review(None, kind, &id, review, &Context::system())
    })
}

/// Undoes the newest change to the return's records.
#[tauri::command]
pub(crate) fn undo(state: tauri::State<'_, AppState>) -> Result<UndoOutcome, Error> {
    on_store(&state, |s| s.undo(None, &Context::system()))
}

/// The newest entries of the audit log.
#[tauri::command]
pub(crate) fn history(
    state: tauri::State<'_, AppState>,
    limit: u32,
) -> Result<Vec<AuditEntryDto>, Error> {
    on_store(&state, |s| s.history(None, limit))
}

/// The return against last year's, record by record (for *Check your answers*).
#[tauri::command]
pub(crate) fn changes_since_last_year(
    state: tauri::State<'_, AppState>,
) -> Result<ChangesSinceLastYear, Error> {
    on_store(&state, |s| s.changes_since_last_year(None))
}
