//! LOTI's published site at London scale (33 organisations × 2,000 systems): the time
//! `Store::publish_site` takes to write it from the central store, against the CSV export of
//! the same cycle (which the site contains), and how soon its heaviest page (the largest HTML
//! file) is interactive in headless Chromium, against a blank page with a script. The pages'
//! script records when it has bound its handlers (`data-site-ready-ms`, milliseconds since
//! navigation); Chromium's `--dump-dom` prints the page once loaded, and that figure is read
//! from it. Figures only: nothing here is a test.

use anyhow::{Context as _, Result, anyhow};
use city_core::api::{ExportProfile, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Ours: the open site of the cycle, written into `out`.
pub(crate) fn publish(central: &Path, out: &Path) -> Result<Duration> {
    let mut store = Store::open(central).map_err(|e| anyhow!(e.message))?;
    let start = Instant::now();
    store
        .publish_site(
            Some(crate::inputs::CYCLE),
            ExportProfile::Open,
            out,
            &crate::inputs::ctx(),
            &mut |_| {},
        )
        .map_err(|e| anyhow!(e.message))?;
    Ok(start.elapsed())
}

/// The baseline: the open CSV export of the same cycle (every record type) into `out`.
pub(crate) fn csv(central: &Path, out: &Path) -> Result<Duration> {
    let mut store = Store::open(central).map_err(|e| anyhow!(e.message))?;
    let start = Instant::now();
    store
        .export_csv(
            Some(crate::inputs::CYCLE),
            None,
            ExportProfile::Open,
            out,
            &crate::inputs::ctx(),
            &mut |_| {},
        )
        .map_err(|e| anyhow!(e.message))?;
    Ok(start.elapsed())
}

/// The largest HTML page of a site, and its size in bytes.
pub(crate) fn heaviest_page(site: &Path) -> Result<(PathBuf, u64)> {
    let mut best: Option<(PathBuf, u64)> = None;
    for e in std::fs::read_dir(site)? {
        let p = e?.path();
        if p.extension().is_some_and(|x| x == "html") {
            let n = std::fs::metadata(&p)?.len();
            if best.as_ref().is_none_or(|(_, m)| n > *m) {
                best = Some((p, n));
            }
        }
    }
    best.ok_or_else(|| anyhow!("no page in {}", site.display()))
}

/// Milliseconds from navigation until the page's script had bound its handlers, in a fresh
/// headless Chromium.
pub(crate) fn ready_ms(page: &Path) -> Result<f64> {
    let profile = tempfile::tempdir()?;
    let url = format!("file://{}", page.canonicalize()?.display());
    let out = Command::new("chromium")
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(&url)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .context("chromium (Debian's package; cargo xtask setup installs it)")?;
    let dom = String::from_utf8_lossy(&out.stdout);
    let key = "data-site-ready-ms=\"";
    let at = dom
        .find(key)
        .ok_or_else(|| anyhow!("{url}: the page's script did not run"))?;
    let rest = &dom[at + key.len()..];
    let end = rest.find('"').unwrap_or(rest.len());
    Ok(rest[..end].parse::<f64>()?)
}

/// A blank page whose script records the same moment: the browser's own floor.
pub(crate) fn blank_page(dir: &Path) -> Result<PathBuf> {
    std::fs::write(
        dir.join("blank.js"),
        "document.addEventListener('DOMContentLoaded', function () { document.documentElement.setAttribute('data-site-ready-ms', String(Math.round(performance.now()))); });\n",
    )?;
    let page = dir.join("blank.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Blank</title><script src=\"blank.js\" defer></script></head><body><p>Blank</p></body></html>\n",
    )?;
    Ok(page)
}
