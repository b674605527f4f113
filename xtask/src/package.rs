//! `cargo xtask package`: the Linux packages (.deb and .rpm) built by the Tauri bundler, with
//! the `city` command line inside, checked by lintian and rpmlint; and `cargo xtask
//! test-installed`: the .deb installed on this machine, the end-to-end suite run against the
//! installed app, the package removed, and the user's files checked to be still there.

use crate::changelog;
use crate::steps::{Cmd, root, run, step};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Debian/RPM package's name (the app's binary name, `/usr/bin/city-tools`).
const PACKAGE: &str = "city-tools";
/// The maintainer line of the Debian changelog.
const MAINTAINER: &str = "City Tools contributors <city-tools@users.noreply.github.com>";

/// The workspace's version (`[workspace.package] version`, which xtask takes too).
pub(crate) fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

fn bundle_dir() -> PathBuf {
    root().join("target/release/bundle")
}

/// The one file in `dir` whose name contains the version and ends with `ext`.
fn built(dir: &Path, ext: &str) -> Result<PathBuf, String> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            name.is_some_and(|n| n.ends_with(ext) && n.contains(version()))
        })
        .collect();
    found.sort();
    found
        .pop()
        .ok_or_else(|| format!("no {ext} for version {} in {}", version(), dir.display()))
}

/// The .deb that `cargo xtask package` made.
pub(crate) fn deb() -> Result<PathBuf, String> {
    built(&bundle_dir().join("deb"), ".deb")
}

fn rpm() -> Result<PathBuf, String> {
    built(&bundle_dir().join("rpm"), ".rpm")
}

/// Writes the Debian changelog made from CHANGELOG.md where `tauri.linux.conf.json` takes it.
fn write_changelog() -> Result<(), String> {
    let md = std::fs::read_to_string(root().join("CHANGELOG.md"))
        .map_err(|e| format!("CHANGELOG.md: {e}"))?;
    let text = changelog::debian(
        &md,
        &changelog::Package {
            name: PACKAGE,
            maintainer: MAINTAINER,
            version: version(),
        },
    )?;
    let dir = root().join("target/package");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("changelog"), text).map_err(|e| e.to_string())
}

/// Builds both packages and lints them.
pub(crate) fn package() -> Result<(), String> {
    crate::setup::for_package()?;
    crate::steps::build_ui()?;
    write_changelog()?;
    step("the city command line (release build)");
    run(Cmd::new("cargo").args(["build", "--release", "--locked", "-p", "city-cli"]))?;
    step("the app, and its .deb and .rpm (Tauri bundler; release build)");
    let _ = std::fs::remove_dir_all(bundle_dir());
    let tauri = root().join("ui/node_modules/.bin/tauri");
    run(Cmd::new(&tauri.to_string_lossy())
        .args(["build", "--ci", "--bundles", "deb,rpm", "--", "--locked"])
        .env("CI", "true"))?;
    let (deb, rpm) = (deb()?, rpm()?);
    lint(&deb, &rpm)?;
    step(&format!(
        "packages:\n   {}\n   {}",
        deb.display(),
        rpm.display()
    ));
    Ok(())
}

/// lintian on the .deb and rpmlint on the .rpm; any warning or error fails. Each accepted
/// finding is overridden, with its reason, in `src-tauri/packaging/`.
fn lint(deb: &Path, rpm: &Path) -> Result<(), String> {
    step("lintian on the .deb");
    let out = Command::new("lintian")
        .args([
            "--fail-on",
            "error,warning",
            "--display-info",
            "--show-overrides",
        ])
        .arg(deb)
        .output()
        .map_err(|e| format!("could not start lintian: {e}"))?;
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    print!("{text}");
    let report = root().join("target/package/lintian.txt");
    let _ = std::fs::write(&report, &text);
    if !out.status.success() {
        return Err(format!(
            "lintian found problems (also in {})",
            report.display()
        ));
    }
    step("rpmlint on the .rpm");
    run(Cmd::new("rpmlint")
        .args([
            "--strict",
            "--rpmlintrc",
            "src-tauri/packaging/city-tools.rpmlintrc",
        ])
        .arg(&rpm.to_string_lossy()))
}

fn as_root(args: &[&str]) -> Cmd {
    let root_user = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let c = if root_user {
        Cmd::new(args[0])
    } else {
        Cmd::new("sudo").arg(args[0])
    };
    c.args(&args[1..]).env("DEBIAN_FRONTEND", "noninteractive")
}

fn output(program: &str, args: &[&str], env: &[(&str, &Path)]) -> Result<String, String> {
    let mut c = Command::new(program);
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c
        .output()
        .map_err(|e| format!("could not start {program}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{program} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Installs the .deb, runs the end-to-end suite against `/usr/bin/city-tools`, checks
/// `city --version`, removes the package and checks the user's files survived.
pub(crate) fn test_installed() -> Result<(), String> {
    let deb = deb().map_err(|e| format!("{e}: run cargo xtask package first"))?;
    step(&format!("install {}", deb.display()));
    run(as_root(&[
        "apt-get",
        "install",
        "-y",
        "-qq",
        &deb.to_string_lossy(),
    ]))?;
    let result = check_installed();
    step("remove the package");
    let removed = run(as_root(&["apt-get", "remove", "-y", "-qq", PACKAGE]));
    let (user, store, key) = result?;
    removed?;
    for gone in ["/usr/bin/city-tools", "/usr/bin/city"] {
        if Path::new(gone).exists() {
            return Err(format!("{gone} is still there after apt-get remove"));
        }
    }
    for kept in [&store, &key] {
        if !kept.is_file() {
            return Err(format!(
                "{} was lost when the package was removed",
                kept.display()
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&user);
    step("the installed app passed; removing it kept the user's store and key");
    Ok(())
}

/// With the package installed: version, user files, the e2e suite. Returns the user's home,
/// store and key file (made with the installed `city`, in the app's folder of that home).
fn check_installed() -> Result<(PathBuf, PathBuf, PathBuf), String> {
    let city = Path::new("/usr/bin/city");
    let app = Path::new("/usr/bin/city-tools");
    if !app.is_file() {
        return Err("the package did not install /usr/bin/city-tools".into());
    }
    let said = output(&city.to_string_lossy(), &["--version"], &[])?;
    let expected = format!("city {} (commit ", version());
    if !said.starts_with(&expected) {
        return Err(format!(
            "installed city --version says {said:?}, expected {expected}…"
        ));
    }
    step(&format!("installed: {}", said.trim()));

    // A user's own files, made by the installed tools where the app keeps them.
    let user = root().join("target/installed-user");
    let _ = std::fs::remove_dir_all(&user);
    let folder = user.join(".local/share/city-tools/stores");
    std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
    let store = folder.join("camden.ctstore");
    let key = user.join("camden.key");
    let env = [("HOME", user.as_path())];
    output(
        "/usr/bin/city",
        &[
            "create",
            "--org",
            "E09000007",
            "--cycle",
            "2026-27",
            "--store",
            &store.to_string_lossy(),
        ],
        &env,
    )?;
    let public = user.join("camden.pub");
    let mut c = Command::new(city);
    c.args(["key", "generate", "--secret"])
        .arg(&key)
        .arg("--public")
        .arg(&public)
        .env("HOME", &user)
        .env("CITY_PASSPHRASE", "installed test passphrase");
    let out = c.output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "city key generate: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }

    step("end-to-end tests against the installed app (/usr/bin/city-tools)");
    crate::steps::e2e(app, city)?;
    Ok((user, store, key))
}
