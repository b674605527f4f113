//! Command tests on Tauri's MockRuntime (no display): the IPC answers the UI relies on.

use super::*;
use chrono::{TimeZone, Utc};
use city_core::api::{Context, RecordKind, Store};
use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder};

fn invoke(state: AppState, cmd: &str) -> Result<serde_json::Value, serde_json::Value> {
    invoke_with(state, cmd, serde_json::json!({}))
}

fn invoke_with(
    state: AppState,
    cmd: &str,
    args: serde_json::Value,
) -> Result<serde_json::Value, serde_json::Value> {
    let app = app_builder(mock_builder(), state)
        .build(tauri::generate_context!())
        .expect("mock app builds");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("mock window");
    get_ipc_response(
        &webview,
        tauri::webview::InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|r| r.deserialize::<serde_json::Value>().expect("json"))
}

fn ctx() -> Context {
    Context {
        actor: "tester".into(),
        now: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
    }
}

#[test]
fn return_status_is_null_without_a_store() {
    assert_eq!(
        invoke(AppState::empty(), "return_status").unwrap(),
        serde_json::Value::Null
    );
}

#[test]
fn return_status_reports_the_sections_of_the_open_return() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("camden.ctstore");
    let mut store = Store::create(&path, "E09000007", "2026-27", &ctx()).unwrap();
    store
        .add(
            None,
            RecordKind::System,
            serde_json::json!({"name": "Mosaic"}),
            &ctx(),
        )
        .unwrap();
    drop(store);

    let v = invoke(AppState::open(Some(path), None), "return_status").unwrap();
    assert_eq!(v["organisation"]["name"], "Camden");
    assert_eq!(v["cycle"], "2026-27");
    let states: Vec<(&str, &str)> = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["section"].as_str().unwrap(), s["state"].as_str().unwrap()))
        .collect();
    assert_eq!(states[0], ("systems", "in_progress"));
    assert_eq!(states[1], ("contracts", "not_started"));
    assert_eq!(states.len(), 6);
}

#[test]
fn a_store_that_cannot_be_opened_is_an_error_as_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.ctstore");
    std::fs::write(&path, "not a store").unwrap();
    let err = invoke(AppState::open(Some(path), None), "return_status").unwrap_err();
    assert_eq!(err["kind"], "not_a_store");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("not a City Tools store")
    );
    assert_eq!(err["location"]["type"], "file");
}

#[test]
fn build_script_permissions_match_the_registered_commands() {
    let build = include_str!("../build.rs");
    let lib = include_str!("lib.rs");
    let listed: Vec<&str> = build
        .split("const COMMANDS: &[&str] = &[")
        .nth(1)
        .and_then(|s| s.split("];").next())
        .unwrap()
        .split(',')
        .map(|s| s.trim().trim_matches('"'))
        .filter(|s| !s.is_empty())
        .collect();
    let registered: Vec<&str> = lib
        .split("generate_handler![")
        .nth(1)
        .and_then(|s| s.split(']').next())
        .unwrap()
        .split(',')
        .map(|s| s.trim().rsplit("::").next().unwrap_or_default())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(listed, registered);
    let capability = include_str!("../capabilities/default.json");
    for c in listed {
        assert!(
            capability.contains(&format!("allow-{}", c.replace('_', "-"))),
            "{c} not allowed"
        );
    }
}

#[test]
fn analysis_views_need_the_central_store_and_take_the_filter_dto() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("camden.ctstore");
    drop(Store::create(&path, "E09000007", "2026-27", &ctx()).unwrap());
    let err = invoke_with(
        AppState::open(Some(path), None),
        "analysis_concentration",
        serde_json::json!({"cycle": "2026-27", "filter": {"supplier": "Civica"}}),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "usage");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("analysis needs LOTI's central store"),
        "{err}"
    );

    let central = dir.path().join("central.ctstore");
    drop(Store::create_central(&central, &ctx()).unwrap());
    let err = invoke_with(
        AppState::open(Some(central), None),
        "analysis_windows",
        serde_json::json!({"cycle": "2026-27", "options": {"windowMonths": 0}, "filter": {}}),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "not_found");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("no returns for cycle 2026-27"),
        "{err}"
    );
}

#[test]
fn about_reports_this_build() {
    let about = invoke(AppState::empty(), "about").unwrap();
    assert_eq!(about["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(about["schemaVersion"], city_core::api::schema_version());
    assert_eq!(
        about["questionnaireVersion"],
        city_core::api::QUESTIONNAIRE_VERSION
    );
    let commit = about["commit"].as_str().unwrap();
    assert!(
        commit == "unknown"
            || commit
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-'),
        "{commit}"
    );
}

/// One version for everything: the workspace's (this crate's, by `version.workspace`), the
/// bundle's (`tauri.conf.json`, which names the packages) and the UI's (`ui/package.json`).
#[test]
fn the_three_version_numbers_agree() {
    let conf: serde_json::Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
    let ui: serde_json::Value =
        serde_json::from_str(include_str!("../../ui/package.json")).unwrap();
    let workspace = include_str!("../../Cargo.toml")
        .split("[workspace.package]")
        .nth(1)
        .and_then(|s| s.lines().find(|l| l.starts_with("version")))
        .and_then(|l| l.split('"').nth(1))
        .unwrap();
    assert_eq!(workspace, env!("CARGO_PKG_VERSION"));
    assert_eq!(conf["version"], workspace, "src-tauri/tauri.conf.json");
    assert_eq!(ui["version"], workspace, "ui/package.json");
}
