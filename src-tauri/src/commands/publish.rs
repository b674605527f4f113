//! LOTI's *Publish* page: writes the cycle's static site from the central store into a folder
//! (profile open or committee), with progress. What the site holds is the core's decision.

use super::{forward, on_store};
use crate::state::AppState;
use city_core::api::{Context, Error, ExportProfile, Progress, PublishOutcome};
use std::path::Path;
use tauri::ipc::Channel;

/// Publishes the site of `cycle` (newest when empty) into `folder`.
#[tauri::command]
pub(crate) async fn publish_site(
    state: tauri::State<'_, AppState>,
    cycle: Option<String>,
    profile: ExportProfile,
    folder: String,
    on_progress: Channel<Progress>,
) -> Result<PublishOutcome, Error> {
    let cycle = cycle.filter(|c| !c.trim().is_empty());
    on_store(&state, |s| {
        s.publish_site(
            cycle.as_deref().map(str::trim),
            profile,
            Path::new(folder.trim()),
            &Context::system(),
            &mut forward(&on_progress),
        )
    })
}
