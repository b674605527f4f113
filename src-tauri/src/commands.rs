//! The app's IPC commands: thin adapters over `city_core::api`. No rules live here.

use crate::state::AppState;
use city_core::api::{Error, ErrorKind, ReturnStatus};

/// The open return's task list, `None` when no store is open, or why the store could not be
/// opened (for example, written by a newer version of the app).
#[tauri::command]
pub(crate) fn return_status(
    state: tauri::State<'_, AppState>,
) -> Result<Option<ReturnStatus>, Error> {
    if let Some(e) = &state.open_error {
        return Err(e.clone());
    }
    let mut guard = state.store.lock().map_err(|_| Error {
        kind: ErrorKind::Storage,
        message: "the store is unavailable after an earlier failure; restart the app".into(),
        location: None,
        issues: Vec::new(),
    })?;
    match guard.as_mut() {
        None => Ok(None),
        Some(store) => store.status(None).map(Some),
    }
}
