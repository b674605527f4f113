//! Build script: generates the Tauri context and the permissions of the app's own commands, so
//! that the capability file can allow exactly the commands the window uses; records the git
//! commit for the *About* screen.

#[path = "../build/commit.rs"]
mod commit;

/// Every app command. A command missing here cannot be called from the window.
const COMMANDS: &[&str] = &[
    "store_info",
    "return_status",
    "london_organisations",
    "sent_bundles",
    "import_cycle_pack",
    "export_bundle",
    "import_bundles",
    "tracker",
    "quarantine",
    "keyring",
    "confirm_key",
    "revoke_key",
    "choose_paths",
    "questionnaire",
    "enumerations",
    "returns",
    "list_records",
    "get_record",
    "add_record",
    "update_record",
    "delete_record",
    "restore_record",
    "duplicate_record",
    "review_record",
    "undo",
    "history",
    "changes_since_last_year",
    "suggested_cycle",
    "recent_stores",
    "create_return",
    "open_store",
    "close_store",
    "start_cycle",
    "survey_template",
    "inspect_spreadsheet",
    "suggested_import",
    "import_fields",
    "import_answers",
    "import_preview",
    "import_commit",
    "write_import_errors",
    "analysis_overview",
    "analysis_windows",
    "analysis_decisions",
    "analysis_concentration",
    "analysis_products",
    "analysis_readiness",
    "analysis_progress",
    "analysis_skills",
    "alias_suggestions",
    "decide_alias",
    "alias_decisions",
    "export_workbook",
    "export_csv",
    "export_ocds",
    "publish_site",
    "about",
];

fn main() {
    commit::emit();
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri build script failed: {e:#}");
    }
}
