//! Commands for choosing the return to work on: the start screen's suggestions, creating a
//! store for an organisation's first return, opening another store, starting a new cycle, and
//! switching away. The store files live in the app's folder unless the user opens one elsewhere.

use super::{forward, on_store, with_store};
use crate::state::AppState;
use city_core::api::{self, Context, Error, Progress, ReturnSummary, Store, StoreInfo};
use std::path::PathBuf;
use tauri::ipc::Channel;

/// The cycle a new return should default to (the financial year of today).
#[tauri::command]
pub(crate) fn suggested_cycle() -> String {
    api::cycle_containing(Context::system().now.date_naive())
}

/// Stores opened recently, newest first (each as it was when last opened).
#[tauri::command]
pub(crate) fn recent_stores(state: tauri::State<'_, AppState>) -> Vec<StoreInfo> {
    state.recent()
}

/// Creates the store for an organisation's first return in the app's folder, and opens it.
#[tauri::command]
pub(crate) fn create_return(
    state: tauri::State<'_, AppState>,
    organisation: String,
    cycle: String,
) -> Result<StoreInfo, Error> {
    let store = Store::create_in_folder(
        &state.stores_dir()?,
        &organisation,
        &cycle,
        &Context::system(),
    )?;
    state.switch_to(store)
}

/// Opens another store file and makes it the current one. If it cannot be opened, the
/// current store stays open and the error says why.
#[tauri::command]
pub(crate) fn open_store(
    state: tauri::State<'_, AppState>,
    path: String,
) -> Result<StoreInfo, Error> {
    let store = Store::open(&PathBuf::from(path.trim()))?;
    state.switch_to(store)
}

/// Closes the current store (to choose or start another return).
#[tauri::command]
pub(crate) fn close_store(state: tauri::State<'_, AppState>) -> Result<(), Error> {
    state.close()
}

/// Starts the return for a new cycle in the open store: from the newest return (every record
/// carried forward and marked to review) or empty.
#[tauri::command]
pub(crate) async fn start_cycle(
    state: tauri::State<'_, AppState>,
    cycle: String,
    carry_forward: bool,
    on_progress: Channel<Progress>,
) -> Result<ReturnSummary, Error> {
    let summary = on_store(&state, |s| {
        if carry_forward {
            s.carry_forward(&cycle, &Context::system(), &mut forward(&on_progress))
        } else {
            s.new_return(&cycle, &Context::system())
        }
    })?;
    if let Some(info) = with_store(&state, |s| s.info())? {
        state.remember(&info);
    }
    Ok(summary)
}
