//! What this build of the app is, for the *About* screen: the same facts as `city --version`.

use city_core::api::{self, About};

/// The app's version, the git commit it was built from (build.rs), and the core's store schema
/// and questionnaire versions.
#[tauri::command]
pub(crate) fn about() -> About {
    api::about(env!("CARGO_PKG_VERSION"), env!("CITY_BUILD_COMMIT"))
}
