//! The app's IPC commands: thin adapters over `city_core::api`, one function each, grouped by
//! what they serve. No rules live here; errors cross as the core's `api::Error` data. Commands
//! that can take long (imports, exports, carrying a cycle forward, signing) are `async`, so
//! they run off the window's main thread and their progress reaches the page as they go.

pub(crate) mod about;
pub(crate) mod analysis;
pub(crate) mod bundles;
pub(crate) mod publish;
pub(crate) mod records;
pub(crate) mod spreadsheets;
pub(crate) mod stores;

use crate::state::AppState;
use city_core::api::{Error, ErrorKind, Progress, Store};
use std::path::PathBuf;
use tauri::ipc::Channel;

fn unavailable() -> Error {
    Error::new(
        ErrorKind::Storage,
        "the store is unavailable after an earlier failure; restart the app",
    )
}

/// Runs `f` on the open store; `Ok(None)` when no store is open, or the error that kept the
/// store from opening.
fn with_store<T>(
    state: &AppState,
    f: impl FnOnce(&mut Store) -> Result<T, Error>,
) -> Result<Option<T>, Error> {
    if let Some(e) = state.open_error.lock().map_err(|_| unavailable())?.clone() {
        return Err(e);
    }
    let mut guard = state.store.lock().map_err(|_| unavailable())?;
    guard.as_mut().map(f).transpose()
}

/// Like `with_store`, but a store must be open.
fn on_store<T>(
    state: &AppState,
    f: impl FnOnce(&mut Store) -> Result<T, Error>,
) -> Result<T, Error> {
    with_store(state, f)?.ok_or_else(|| Error::new(ErrorKind::NotFound, "no store is open"))
}

fn paths(list: &[String]) -> Vec<PathBuf> {
    list.iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| PathBuf::from(p.trim()))
        .collect()
}

/// Passes the core's progress reports of long work on to the page. A report the page can no
/// longer receive (the window closed) is dropped: the work itself goes on.
fn forward(channel: &Channel<Progress>) -> impl FnMut(&Progress) + '_ {
    move |p| {
        let _ = channel.send(p.clone());
    }
}
