//! The City Tools desktop app: builds the Tauri app around the core. `run` starts it for real;
//! `app_builder` is shared with the tests, which drive it on Tauri's MockRuntime with no display.

mod commands;
mod state;

pub use state::{AppState, store_path_from};

/// Registers state and commands on a builder (real or mock runtime).
pub fn app_builder<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    state: AppState,
) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::store_info,
            commands::return_status,
            commands::london_organisations,
            commands::sent_bundles,
            commands::import_cycle_pack,
            commands::export_bundle,
            commands::import_bundles,
            commands::tracker,
            commands::quarantine,
            commands::keyring,
            commands::confirm_key,
            commands::revoke_key,
            commands::choose_paths
        ])
}

/// Starts the app with the store named by `CITY_TOOLS_STORE` or `--store PATH`.
pub fn run() {
    let args: Vec<String> = std::env::args().collect();
    let path = store_path_from(std::env::var("CITY_TOOLS_STORE").ok(), &args);
    let app = app_builder(tauri::Builder::default(), AppState::open(path));
    if let Err(e) = app.run(tauri::generate_context!()) {
        eprintln!("City Tools could not start: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests;
