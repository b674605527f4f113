//! The City Tools desktop app: builds the Tauri app around the core. `run` starts it for real;
//! `app_builder` is shared with the tests, which drive it on Tauri's MockRuntime with no display.

mod commands;
mod folders;
mod state;
mod webview_settings;

pub use folders::{Platform, app_folder};
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
            commands::bundles::store_info,
            commands::bundles::return_status,
            commands::bundles::london_organisations,
            commands::bundles::sent_bundles,
            commands::bundles::import_cycle_pack,
            commands::bundles::export_bundle,
            commands::bundles::import_bundles,
            commands::bundles::tracker,
            commands::bundles::quarantine,
            commands::bundles::keyring,
            commands::bundles::confirm_key,
            commands::bundles::revoke_key,
            commands::bundles::choose_paths,
            commands::records::questionnaire,
            commands::records::enumerations,
            commands::records::returns,
            commands::records::list_records,
            commands::records::get_record,
            commands::records::add_record,
            commands::records::update_record,
            commands::records::delete_record,
            commands::records::restore_record,
            commands::records::duplicate_record,
            commands::records::review_record,
            commands::records::undo,
            commands::records::history,
            commands::records::changes_since_last_year,
            commands::stores::suggested_cycle,
            commands::stores::recent_stores,
            commands::stores::create_return,
            commands::stores::open_store,
            commands::stores::close_store,
            commands::stores::start_cycle,
            commands::spreadsheets::survey_template,
            commands::spreadsheets::inspect_spreadsheet,
            commands::spreadsheets::suggested_import,
            commands::spreadsheets::import_fields,
            commands::spreadsheets::import_answers,
            commands::spreadsheets::import_preview,
            commands::spreadsheets::import_commit,
            commands::spreadsheets::write_import_errors,
            commands::analysis::analysis_overview,
            commands::analysis::analysis_windows,
            commands::analysis::analysis_decisions,
            commands::analysis::analysis_concentration,
            commands::analysis::analysis_products,
            commands::analysis::analysis_readiness,
            commands::analysis::analysis_progress,
            commands::analysis::analysis_skills,
            commands::analysis::alias_suggestions,
            commands::analysis::decide_alias,
            commands::analysis::alias_decisions,
            commands::analysis::export_workbook,
            commands::analysis::export_csv,
            commands::analysis::export_ocds,
            commands::publish::publish_site,
            commands::about::about
        ])
}

/// Starts the app with the store named by `CITY_TOOLS_STORE` or `--store PATH`, else the
/// most recently opened one (the app's folder is `CITY_TOOLS_HOME` or the user's data folder).
pub fn run() {
    let args: Vec<String> = std::env::args().collect();
    let path = store_path_from(std::env::var("CITY_TOOLS_STORE").ok(), &args);
    let home = app_folder(Platform::current(), |v| std::env::var_os(v));
    let builder = tauri::Builder::default().setup(|app| {
        webview_settings::apply(app);
        Ok(())
    });
    let app = app_builder(builder, AppState::open(path, home));
    if let Err(e) = app.run(tauri::generate_context!()) {
        eprintln!("City Tools could not start: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests;
