//! Running commands with timed banners, and the `dev` and `test` sequences.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The workspace root.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

thread_local! {
    static START: Instant = Instant::now();
}

/// Prints a step banner with the time since xtask started.
pub(crate) fn step(what: &str) {
    let secs = START.with(|s| s.elapsed().as_secs());
    println!("== [{secs:>4}s] {what}");
}

/// A command to run from the workspace root (or `dir`).
pub(crate) struct Cmd {
    inner: Command,
    shown: String,
}

impl Cmd {
    pub(crate) fn new(program: &str) -> Cmd {
        let mut inner = Command::new(program);
        inner.current_dir(root());
        Cmd {
            inner,
            shown: program.to_string(),
        }
    }
    pub(crate) fn arg(mut self, a: &str) -> Cmd {
        self.inner.arg(a);
        self.shown.push(' ');
        self.shown.push_str(a);
        self
    }
    pub(crate) fn args<S: AsRef<str>>(mut self, args: impl IntoIterator<Item = S>) -> Cmd {
        for a in args {
            self = self.arg(a.as_ref());
        }
        self
    }
    pub(crate) fn env(mut self, k: &str, v: impl AsRef<std::ffi::OsStr>) -> Cmd {
        self.inner.env(k, v);
        self
    }
    pub(crate) fn dir(mut self, d: &Path) -> Cmd {
        self.inner.current_dir(d);
        self
    }
}

/// Runs a command, failing with the command line if it fails.
pub(crate) fn run(mut c: Cmd) -> Result<(), String> {
    println!("   $ {}", c.shown);
    let status = c
        .inner
        .status()
        .map_err(|e| format!("could not start `{}`: {e}", c.shown))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", c.shown))
    }
}

fn has_display() -> bool {
    std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty())
}

pub(crate) fn build_ui() -> Result<(), String> {
    step("UI: build (vite)");
    run(Cmd::new("npm")
        .args(["run", "build"])
        .dir(&root().join("ui")))
}

pub(crate) fn dev(app_args: &[String]) -> Result<(), String> {
    crate::setup::all()?;
    build_ui()?;
    step("app: build");
    run(Cmd::new("cargo").args(["build", "--workspace", "--bins"]))?;
    let app = root().join("target/debug/city-tools");
    let extra: Vec<&str> = app_args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--")
        .collect();
    step("app: start");
    let app = app.to_string_lossy().into_owned();
    if has_display() {
        run(Cmd::new(&app).args(&extra))
    } else {
        println!("   (no DISPLAY: running the app under xvfb-run, so it is not visible)");
        run(Cmd::new("xvfb-run").args(["-a", &app]).args(&extra))
    }
}

/// Fuzzes each reader of untrusted files for `seconds` (the bundle reader, then the spreadsheet
/// importer; libFuzzer through cargo-fuzz; the sanitizer flags need RUSTC_BOOTSTRAP on the
/// pinned stable toolchain). New inputs go to target/, not the committed seed corpora.
fn fuzz(seconds: u32) -> Result<(), String> {
    for target in ["bundle_reader", "spreadsheet_import"] {
        step(&format!("fuzz {target} for {seconds} s"));
        let work = root().join("target/fuzz-corpus").join(target);
        std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
        let work = work.to_string_lossy().into_owned();
        let seeds = format!("fuzz/corpus/{target}");
        run(Cmd::new("cargo")
            .args(["fuzz", "run", "--fuzz-dir", "fuzz", target, &work, &seeds])
            .args([
                "--",
                &format!("-max_total_time={seconds}"),
                "-rss_limit_mb=2048",
                "-print_final_stats=1",
            ])
            .env("RUSTC_BOOTSTRAP", "1"))?;
    }
    Ok(())
}

/// Runs the end-to-end suite under Xvfb against the app binary `app` and the CLI `city` (the
/// build tree's, or the installed package's).
pub(crate) fn e2e(app: &Path, city: &Path) -> Result<(), String> {
    e2e_skipping(app, city, &[])
}

/// `e2e`, leaving out the tests whose names contain one of `skip`.
pub(crate) fn e2e_skipping(app: &Path, city: &Path, skip: &[&str]) -> Result<(), String> {
    let e2e = Cmd::new("timeout")
        .args(["900", "xvfb-run", "-a", "-s", "-screen 0 1280x900x24"])
        .args([
            "cargo",
            "test",
            "--workspace",
            "--locked",
            "--test",
            "e2e",
            "--",
            "--test-threads=1",
        ])
        .args(skip.iter().flat_map(|t| ["--skip", t]))
        .env("APP_BIN", app)
        .env("CITY_BIN", city);
    run(e2e)
}

pub(crate) fn test() -> Result<(), String> {
    crate::setup::all()?;
    let cargo = |args: &[&str]| Cmd::new("cargo").args(args);

    step("rustfmt");
    run(cargo(&["fmt", "--all", "--", "--check"]))?;

    step("UI: type check and IPC boundary");
    run(Cmd::new("npm")
        .args(["run", "check"])
        .dir(&root().join("ui")))?;
    build_ui()?;

    // Every cargo call selects --workspace, so features resolve once and nothing rebuilds.
    step("clippy");
    run(cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]))?;

    step("tests (unit and integration; no display needed)");
    run(cargo(&["test", "--workspace", "--locked"]))?;

    step("generated TypeScript types are up to date");
    run(Cmd::new("git").args(["diff", "--exit-code", "--", "ui/src/generated"]))?;
    let untracked = Command::new("git")
        .args([
            "ls-files",
            "--others",
            "--exclude-standard",
            "--",
            "ui/src/generated",
        ])
        .current_dir(root())
        .output()
        .map_err(|e| e.to_string())?;
    if !untracked.stdout.is_empty() {
        return Err(format!(
            "new generated types are not committed: {}",
            String::from_utf8_lossy(&untracked.stdout).trim()
        ));
    }

    fuzz(45)?;

    step("build the app and the CLI");
    run(cargo(&["build", "--workspace", "--locked", "--bins"]))?;

    step("end-to-end tests: the real app under Xvfb over WebDriver");
    let bin = root().join("target/debug");
    e2e(&bin.join("city-tools"), &bin.join("city"))?;

    step("the published site in headless Chromium over chromedriver (no display needed)");
    run(Cmd::new("timeout")
        .args([
            "600",
            "cargo",
            "test",
            "--workspace",
            "--locked",
            "--test",
            "site",
        ])
        .env("CITY_BIN", bin.join("city")))?;

    // The Linux packages (a release build), then the installed .deb tested as a user has it.
    crate::package::package()?;
    crate::package::test_installed()?;

    step("all checks passed; screenshots are in target/screenshots/");
    Ok(())
}
