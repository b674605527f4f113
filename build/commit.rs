//! The git commit a build is made from, for `--version` and the *About* screen. Shared by the
//! build scripts of `city` and `city-tools` (`#[path]`-included, so it needs no crate).
//!
//! `CITY_BUILD_COMMIT` set in the environment wins (a build from a tarball can say where it
//! came from); else `git rev-parse` in the crate's folder; else `unknown` (no git, or not a
//! checkout). The script reruns when the checkout's HEAD moves.

use std::process::Command;

fn git(dir: &str, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// Sets `CITY_BUILD_COMMIT` for the crate being built.
pub(crate) fn emit() {
    println!("cargo:rerun-if-env-changed=CITY_BUILD_COMMIT");
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let commit = match std::env::var("CITY_BUILD_COMMIT") {
        Ok(c) if !c.trim().is_empty() => c.trim().to_string(),
        _ => {
            for file in ["HEAD", "logs/HEAD"] {
                let path = git(
                    &dir,
                    &["rev-parse", "--path-format=absolute", "--git-path", file],
                );
                if let Some(p) = path.filter(|p| std::path::Path::new(p).exists()) {
                    println!("cargo:rerun-if-changed={p}");
                }
            }
            git(&dir, &["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into())
        }
    };
    println!("cargo:rustc-env=CITY_BUILD_COMMIT={commit}");
}
