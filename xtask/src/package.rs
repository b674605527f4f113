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

/// Where the packages and the files made for them go.
fn out_dir() -> PathBuf {
    root().join("target/package")
}

/// The .deb that `cargo xtask package` made (Debian's file name).
pub(crate) fn deb() -> PathBuf {
    out_dir().join(format!("{PACKAGE}_{}_amd64.deb", version()))
}

/// The .rpm that `cargo xtask package` made (RPM's file name).
fn rpm() -> PathBuf {
    out_dir().join(format!("{PACKAGE}-{}-1.x86_64.rpm", version()))
}

/// The one file in `dir` ending with `ext` that the bundler made for this version.
fn bundled(dir: &Path, ext: &str) -> Result<PathBuf, String> {
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

/// `gzip -9n` of `from` into `to` (no name or time stamp inside, as Debian wants).
fn gzip(from: &Path, to: &Path) -> Result<(), String> {
    let out = Command::new("gzip")
        .args(["-9n", "-c"])
        .arg(from)
        .output()
        .map_err(|e| format!("could not start gzip: {e}"))?;
    if !out.status.success() {
        return Err(format!("gzip {} failed", from.display()));
    }
    std::fs::write(to, out.stdout).map_err(|e| format!("{}: {e}", to.display()))
}

/// The files `tauri.linux.conf.json` puts in the packages that are made, not committed: the
/// Debian changelog from CHANGELOG.md, and the manual pages, compressed.
fn write_package_files() -> Result<(), String> {
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
    let dir = out_dir();
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("changelog"), text).map_err(|e| e.to_string())?;
    gzip(&dir.join("changelog"), &dir.join("changelog.gz"))?;
    for page in ["city.1", "city-tools.1"] {
        gzip(
            &root().join("src-tauri/packaging").join(page),
            &dir.join(format!("{page}.gz")),
        )?;
    }
    Ok(())
}

/// The Debian packages a binary's shared libraries come from (`dpkg-shlibdeps`), so the .deb's
/// declared dependencies can be checked against what the binaries really link.
fn needed_packages(binaries: &[PathBuf]) -> Result<Vec<String>, String> {
    let work = out_dir().join("shlibdeps");
    std::fs::create_dir_all(work.join("debian")).map_err(|e| e.to_string())?;
    std::fs::write(
        work.join("debian/control"),
        "Source: city-tools\n\nPackage: city-tools\nArchitecture: any\n",
    )
    .map_err(|e| e.to_string())?;
    let mut c = Command::new("dpkg-shlibdeps");
    c.arg("-O").current_dir(&work);
    for b in binaries {
        c.arg(format!("-e{}", b.display()));
    }
    let out = c
        .output()
        .map_err(|e| format!("could not start dpkg-shlibdeps: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let deps = text
        .lines()
        .find_map(|l| l.strip_prefix("shlibs:Depends="))
        .ok_or_else(|| {
            format!(
                "dpkg-shlibdeps said nothing: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        })?;
    Ok(package_names(deps))
}

/// `libc6 (>= 2.34), libgtk-3-0` → `["libc6", "libgtk-3-0"]`.
fn package_names(depends: &str) -> Vec<String> {
    depends
        .split(',')
        .filter_map(|d| d.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// Builds both packages and lints them.
pub(crate) fn package() -> Result<(), String> {
    crate::setup::for_package()?;
    crate::steps::build_ui()?;
    write_package_files()?;
    step("the city command line (release build)");
    run(Cmd::new("cargo").args(["build", "--release", "--locked", "-p", "city-cli"]))?;
    step("the app, and its .deb and .rpm (Tauri bundler; release build)");
    let _ = std::fs::remove_dir_all(bundle_dir());
    let tauri = root().join("ui/node_modules/.bin/tauri");
    run(Cmd::new(&tauri.to_string_lossy())
        .args(["build", "--ci", "--bundles", "deb,rpm", "--", "--locked"])
        .env("CI", "true"))?;
    let (deb, rpm) = (deb(), rpm());
    std::fs::copy(bundled(&bundle_dir().join("deb"), ".deb")?, &deb).map_err(|e| e.to_string())?;
    std::fs::copy(bundled(&bundle_dir().join("rpm"), ".rpm")?, &rpm).map_err(|e| e.to_string())?;

    step("the .deb declares every library package the binaries link");
    let release = root().join("target/release");
    let needed = needed_packages(&[release.join("city-tools"), release.join("city")])?;
    let declared = package_names(&output(
        "dpkg-deb",
        &["--field", &deb.to_string_lossy(), "Depends"],
        &[],
    )?);
    let missing: Vec<&String> = needed.iter().filter(|n| !declared.contains(n)).collect();
    if !missing.is_empty() {
        return Err(format!(
            "the .deb does not depend on {missing:?}: add them to bundle.linux.deb.depends in src-tauri/tauri.linux.conf.json"
        ));
    }
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
    let report = out_dir().join("lintian.txt");
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
    let deb = deb();
    if !deb.is_file() {
        return Err(format!(
            "no {}: run cargo xtask package first",
            deb.display()
        ));
    }
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
    crate::steps::e2e_skipping(app, city, &[])?;
    Ok((user, store, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependency_lists_are_read_as_package_names() {
        assert_eq!(
            package_names("libc6 (>= 2.34), libgtk-3-0 (>= 3.21.5),libsoup-3.0-0"),
            ["libc6", "libgtk-3-0", "libsoup-3.0-0"]
        );
    }

    #[test]
    fn packages_have_their_formats_file_names() {
        let v = version();
        assert!(deb().ends_with(format!("city-tools_{v}_amd64.deb")));
        assert!(rpm().ends_with(format!("city-tools-{v}-1.x86_64.rpm")));
    }
}
