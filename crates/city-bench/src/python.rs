//! The Python baselines (`crates/city-bench/python/*.py`), run with the workspace's
//! `.venv/bin/python` (made by `cargo xtask setup`). Each script times its own runs and
//! prints one JSON line with the median.

use anyhow::{Context as _, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The workspace root (this crate is `crates/city-bench`).
pub(crate) fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The venv's interpreter, if it exists.
pub(crate) fn interpreter() -> Option<PathBuf> {
    let p = workspace().join(".venv/bin/python");
    p.is_file().then_some(p)
}

/// Runs `python/SCRIPT ARGS…` and returns the median seconds it reports.
pub(crate) fn run(script: &str, args: &[String]) -> Result<Duration> {
    let Some(python) = interpreter() else {
        bail!("no .venv: run cargo xtask setup");
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("python")
        .join(script);
    let out = Command::new(python)
        .arg(&path)
        .args(args)
        .output()
        .with_context(|| format!("running {script}"))?;
    if !out.status.success() {
        bail!(
            "{script} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap_or_default();
    let v: serde_json::Value =
        serde_json::from_str(line).with_context(|| format!("{script} printed {text:?}"))?;
    let secs = v["median_secs"]
        .as_f64()
        .with_context(|| format!("{script} printed no median: {line}"))?;
    Ok(Duration::from_secs_f64(secs))
}
