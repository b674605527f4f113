//! The app's cold start and resident memory with a borough store of 2,000 systems: the built
//! `city-tools` binary is started by tauri-driver under `xvfb-run`, and `python/app_start.py`
//! times from the WebDriver session request (which launches the app) until the task list
//! shows the Systems section's state (`#status-systems` has text), then sums the resident
//! memory of the app and its WebKit processes. The driver's own overhead counts against us,
//! so the figure is an upper bound.

use crate::datagen::{self, Scale};
use crate::inputs;
use anyhow::{Context as _, Result, bail};
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
    let copy = dir.join("app-run.ctstore");
    std::fs::copy(&store, &copy)?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/app_start.py");
    let out = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x1024x24"])
        .arg(python)
        .arg(script)
        .arg(std::fs::canonicalize(bin)?)
        .arg(&copy)
        .arg(runs.to_string())
        .output()
        .context("running xvfb-run (install xvfb)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!(
            "app_start.py failed: {}{}",
            text.trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let line = text.lines().last().unwrap_or_default();
    let v: serde_json::Value =
        serde_json::from_str(line).with_context(|| format!("app_start.py printed {text:?}"))?;
    Ok(AppFigures {
        start: Duration::from_secs_f64(v["median_start_secs"].as_f64().unwrap_or(f64::NAN)),
        rss_mib: v["median_pss_mib"].as_f64().unwrap_or(f64::NAN),
        how: v["how"].as_str().unwrap_or_default().to_string(),
        memory_detail: v["memory_detail"].as_str().unwrap_or_default().to_string(),
    })
}
