//! The app's cold start and resident memory with a borough store of 2,000 systems: the built
//! `city-tools` binary is started by tauri-driver under `xvfb-run`, and `python/app_start.py`
//! times from the WebDriver session request (which launches the app) until the task list
//! shows the Systems section's state (`#status-systems` has text), then sums the resident
//! memory of the app and its WebKit processes. The driver's own overhead counts against us,
//! so the figure is an upper bound.

use crate::datagen::{self, Scale};
use crate::inputs;
use anyhow::{Context as _, Result, bail};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// What the app benchmark measured.
#[derive(Debug, Clone)]
pub(crate) struct AppFigures {
    pub(crate) start: Duration,
    pub(crate) rss_mib: f64,
    pub(crate) how: String,
    pub(crate) memory_detail: String,
}

/// A borough store with one London organisation's return (`per_org.systems` systems), made
/// once through `Store::add` and cached.
fn app_store(dir: &Path, seed: u64, per_org: &Scale) -> Result<PathBuf> {
    let path = dir.join(format!("app-{seed}-{}.ctstore", per_org.with_orgs(1).key()));
    if path.is_file() {
        return Ok(path);
    }
    let tmp = dir.join("app-store.tmp.ctstore");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
    }
    let org = &datagen::organisations(1)[0];
    let data = datagen::org_data(seed, 0, per_org);
    let (store, _) = inputs::fill_store(&tmp, org, &data)?;
    drop(store);
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// Runs `python/<script>` with `python` under `xvfb-run` and returns the JSON object it prints
/// on its last line.
fn xvfb_script(python: &Path, script: &str, args: &[&OsStr]) -> Result<serde_json::Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("python")
        .join(script);
    let out = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x1024x24"])
        .arg(python)
        .arg(path)
        .args(args)
        .output()
        .context("running xvfb-run (install xvfb)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!(
            "{script} failed: {}{}",
            text.trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let line = text.lines().last().unwrap_or_default();
    serde_json::from_str(line).with_context(|| format!("{script} printed {text:?}"))
}

/// Copies a cached store to `copy` for one run, first removing the `-wal` and `-shm` files a
/// previous run left beside it (SQLite would otherwise replay a stale log into the fresh copy).
fn fresh_copy(store: &Path, copy: &Path) -> Result<PathBuf> {
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
    }
    std::fs::copy(store, copy)
        .with_context(|| format!("copying {} to {}", store.display(), copy.display()))?;
    Ok(copy.to_path_buf())
}

/// Runs the cold-start benchmark `runs` times with the app at `bin`.
pub(crate) fn cold_start(
    bin: &Path,
    dir: &Path,
    seed: u64,
    per_org: &Scale,
    runs: usize,
) -> Result<AppFigures> {
    if !bin.is_file() {
        bail!("no app binary at {}", bin.display());
    }
    let Some(python) = crate::python::interpreter() else {
        bail!("no .venv: run cargo xtask setup");
    };
    let store = app_store(dir, seed, per_org)?;
    // The app may write to its store: give it a copy.
    let copy = fresh_copy(&store, &dir.join("app-run.ctstore"))?;
    let bin = std::fs::canonicalize(bin)?;
    let runs = runs.to_string();
    let v = xvfb_script(
        &python,
        "app_start.py",
        &[bin.as_os_str(), copy.as_os_str(), OsStr::new(&runs)],
    )?;
    Ok(AppFigures {
        start: Duration::from_secs_f64(v["median_start_secs"].as_f64().unwrap_or(f64::NAN)),
        rss_mib: v["median_pss_mib"].as_f64().unwrap_or(f64::NAN),
        how: v["how"].as_str().unwrap_or_default().to_string(),
        memory_detail: v["memory_detail"].as_str().unwrap_or_default().to_string(),
    })
}

/// The floor of the app's memory, in the same run: the median PSS of a bare WebKitGTK window of
/// the app's size showing a blank page, with the app's web view setting (no accelerated
/// compositing), made by `python/webkit_blank.py` under Debian's python3 (python3-gi and
/// gir1.2-webkit2-4.1, which `cargo xtask setup` installs).
pub(crate) fn blank_webview_pss(runs: usize) -> Result<f64> {
    let runs = runs.to_string();
    let v = xvfb_script(
        Path::new("/usr/bin/python3"),
        "webkit_blank.py",
        &[OsStr::new(&runs)],
    )?;
    v["median_pss_mib"]
        .as_f64()
        .with_context(|| format!("webkit_blank.py printed {v}"))
}

/// A borough store with 10,000 systems (and their suppliers and products), made once through
/// `Store::add_many` and cached.
fn list_store(dir: &Path, seed: u64, systems: usize) -> Result<PathBuf> {
    let scale = Scale {
        orgs: 1,
        systems,
        contracts: 0,
        suppliers: 150,
        products: 300,
    };
    let path = dir.join(format!("list-{seed}-{}.ctstore", scale.key()));
    if path.is_file() {
        return Ok(path);
    }
    let tmp = dir.join("list-store.tmp.ctstore");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
    }
    let org = &datagen::organisations(1)[0];
    let store = inputs::fill_store_bulk(&tmp, org, &datagen::org_data(seed, 0, &scale))?;
    drop(store);
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// Filtering the Systems list of a store with `systems` systems: the median time, inside the
/// page, from the search box's input event until the list's DOM shows the new count; and the
/// list's own filter time.
pub(crate) fn filter(
    bin: &Path,
    dir: &Path,
    seed: u64,
    systems: usize,
    runs: usize,
) -> Result<(Duration, Option<f64>, String)> {
    if !bin.is_file() {
        bail!("no app binary at {}", bin.display());
    }
    let Some(python) = crate::python::interpreter() else {
        bail!("no .venv: run cargo xtask setup");
    };
    let store = list_store(dir, seed, systems)?;
    let copy = fresh_copy(&store, &dir.join("list-run.ctstore"))?;
    let bin = std::fs::canonicalize(bin)?;
    let runs = runs.to_string();
    let v = xvfb_script(
        &python,
        "app_filter.py",
        &[bin.as_os_str(), copy.as_os_str(), OsStr::new(&runs)],
    )?;
    let ms = v["median_ms"].as_f64().unwrap_or(f64::NAN);
    let note = format!(
        "{} searches, {} changed the count; list opened showing \"{}\"",
        v["searches"],
        v["count_changed"],
        v["first_count"].as_str().unwrap_or_default()
    );
    Ok((
        Duration::from_secs_f64(ms / 1000.0),
        v["median_filter_ms"].as_f64(),
        note,
    ))
}
