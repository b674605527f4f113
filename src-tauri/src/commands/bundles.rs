//! Commands for the open store's status and for bundles: a borough's cycle pack and export,
//! LOTI's import, tracker, quarantine and keyring. Files are chosen with native dialogs on the
//! Rust side, so the window itself has no file-system access.

use super::{forward, on_store, paths, with_store};
use crate::state::AppState;
use city_core::api::{
    self, Context, Error, ImportOutcome, KeyringEntry, OrganisationDto, Progress,
    QuarantinedBundle, ReturnStatus, SentBundle, StoreInfo, Tracker,
};
use std::path::{Path, PathBuf};
use tauri::ipc::Channel;
use tauri_plugin_dialog::DialogExt;

/// What kind of store is open, or `None`.
#[tauri::command]
pub(crate) fn store_info(state: tauri::State<'_, AppState>) -> Result<Option<StoreInfo>, Error> {
    with_store(&state, |s| s.info())
}

/// The open return's task list, `None` when no store is open, or why the store could not be
/// opened (for example, written by a newer version of the app).
#[tauri::command]
pub(crate) fn return_status(
    state: tauri::State<'_, AppState>,
) -> Result<Option<ReturnStatus>, Error> {
    with_store(&state, |s| s.status(None))
}

/// The 33 London authorities.
#[tauri::command]
pub(crate) fn london_organisations() -> Vec<OrganisationDto> {
    api::london_organisations()
}

/// Borough: the bundles sent from the current return.
#[tauri::command]
pub(crate) fn sent_bundles(state: tauri::State<'_, AppState>) -> Result<Vec<SentBundle>, Error> {
    on_store(&state, |s| s.sent_bundles(None))
}

/// Borough: imports LOTI's cycle pack.
#[tauri::command]
pub(crate) fn import_cycle_pack(
    state: tauri::State<'_, AppState>,
    file: String,
    root_key: Option<String>,
) -> Result<String, Error> {
    let root = root_key.filter(|k| !k.trim().is_empty()).map(PathBuf::from);
    on_store(&state, |s| {
        s.import_cycle_pack(Path::new(&file), root.as_deref(), &Context::system())
    })
}

/// Borough: signs, encrypts and writes the return's bundle into `dir`.
#[tauri::command]
pub(crate) async fn export_bundle(
    state: tauri::State<'_, AppState>,
    dir: String,
    key: String,
    passphrase: String,
) -> Result<SentBundle, Error> {
    on_store(&state, |s| {
        s.export_bundle(
            None,
            Path::new(&dir),
            Path::new(&key),
            &passphrase,
            &Context::system(),
        )
    })
}

/// LOTI: verifies, decrypts and merges bundles, reporting progress as it goes.
#[tauri::command]
pub(crate) async fn import_bundles(
    state: tauri::State<'_, AppState>,
    files: Vec<String>,
    identities: Vec<String>,
    dry_run: bool,
    on_progress: Channel<Progress>,
) -> Result<Vec<ImportOutcome>, Error> {
    on_store(&state, |s| {
        s.import_bundles(
            &paths(&files),
            &paths(&identities),
            dry_run,
            &Context::system(),
            &mut forward(&on_progress),
        )
    })
}

/// LOTI: who has returned for a cycle.
#[tauri::command]
pub(crate) fn tracker(state: tauri::State<'_, AppState>, cycle: String) -> Result<Tracker, Error> {
    on_store(&state, |s| s.tracker(&cycle))
}

/// LOTI: bundles waiting for their key to be confirmed.
#[tauri::command]
pub(crate) fn quarantine(
    state: tauri::State<'_, AppState>,
) -> Result<Vec<QuarantinedBundle>, Error> {
    on_store(&state, |s| s.quarantine())
}

/// LOTI: the keyring.
#[tauri::command]
pub(crate) fn keyring(state: tauri::State<'_, AppState>) -> Result<Vec<KeyringEntry>, Error> {
    on_store(&state, |s| s.keyring())
}

/// LOTI: trusts a quarantined signer's key after its fingerprint was confirmed out of band.
/// `organisation_name` names an organisation outside London (London's are named by code).
#[tauri::command]
pub(crate) async fn confirm_key(
    state: tauri::State<'_, AppState>,
    key: String,
    organisation: String,
    organisation_name: Option<String>,
    fingerprint: String,
    note: String,
    identities: Vec<String>,
) -> Result<Vec<ImportOutcome>, Error> {
    on_store(&state, |s| {
        s.confirm_key_named(
            &key,
            &organisation,
            organisation_name
                .as_deref()
                .filter(|n| !n.trim().is_empty()),
            &fingerprint,
            &note,
            &paths(&identities),
            &Context::system(),
        )
    })
}

/// LOTI: revokes a key.
#[tauri::command]
pub(crate) fn revoke_key(
    state: tauri::State<'_, AppState>,
    key_id: String,
    reason: String,
) -> Result<KeyringEntry, Error> {
    on_store(&state, |s| {
        s.revoke_key(&key_id, &reason, &Context::system())
    })
}

/// Opens a native dialog to choose files (or a folder) — or, with `save_as` (the suggested
/// file name), where to save a new file; returns the chosen paths (none if cancelled).
#[tauri::command]
pub(crate) async fn choose_paths<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    title: String,
    folder: bool,
    many: bool,
    save_as: Option<String>,
) -> Result<Vec<String>, Error> {
    let dialog = app.dialog().file().set_title(title);
    let chosen = if let Some(name) = save_as {
        let dialog = if name.is_empty() {
            dialog
        } else {
            dialog.set_file_name(name)
        };
        dialog.blocking_save_file().into_iter().collect::<Vec<_>>()
    } else if folder {
        dialog
            .blocking_pick_folder()
            .into_iter()
            .collect::<Vec<_>>()
    } else if many {
        dialog.blocking_pick_files().unwrap_or_default()
    } else {
        dialog.blocking_pick_file().into_iter().collect()
    };
    Ok(chosen.into_iter().map(|p| p.to_string()).collect())
}
