//! Where the app keeps its files (new stores, the recent-returns list): the choice of folder
//! for each platform, as pure functions of the environment, so every platform's rule is tested
//! on any machine.
//!
//! `CITY_TOOLS_HOME` always wins. Otherwise the platform's convention for per-user application
//! data that stays on this computer:
//! - Linux and other Unix: `$XDG_DATA_HOME/city-tools` (only an absolute `XDG_DATA_HOME`
//!   counts, as the XDG Base Directory spec says), else `~/.local/share/city-tools`;
//! - Windows: `%LOCALAPPDATA%\LOTI\City Tools` (else `%USERPROFILE%\AppData\Local\…`) — local,
//!   not roaming: SQLite files and private keys must not be copied about by roaming profiles,
//!   and a folder of our own under `LOTI` is never the installer's folder, so uninstalling can
//!   never take the user's returns with it;
//! - macOS: `~/Library/Application Support/uk.london.loti.citytools` (the bundle identifier,
//!   as Apple recommends and Tauri's own resolver does).

use std::ffi::OsString;
use std::path::PathBuf;

/// The bundle identifier (`tauri.conf.json`), the macOS folder's name.
pub(crate) const IDENTIFIER: &str = "uk.london.loti.citytools";

/// The platforms whose conventions the app follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Linux,
    Windows,
    MacOs,
}

impl Platform {
    /// The platform this build runs on (other Unix systems follow Linux's XDG rule).
    pub fn current() -> Platform {
        if cfg!(windows) {
            Platform::Windows
        } else if cfg!(target_os = "macos") {
            Platform::MacOs
        } else {
            Platform::Linux
        }
    }
}

/// The app's folder on `platform`, reading variables through `var` (`std::env::var_os` in the
/// app; a table in tests). `None` when the environment names no folder at all.
pub fn app_folder(platform: Platform, var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let set = |name: &str| var(name).filter(|v| !v.to_string_lossy().trim().is_empty());
    if let Some(home) = set("CITY_TOOLS_HOME") {
        return Some(PathBuf::from(home));
    }
    match platform {
        Platform::Linux => set("XDG_DATA_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| set("HOME").map(|h| PathBuf::from(h).join(".local").join("share")))
            .map(|d| d.join("city-tools")),
        Platform::Windows => set("LOCALAPPDATA")
            .map(PathBuf::from)
            .or_else(|| set("USERPROFILE").map(|h| PathBuf::from(h).join("AppData").join("Local")))
            .map(|d| d.join("LOTI").join("City Tools")),
        Platform::MacOs => set("HOME").map(|h| {
            PathBuf::from(h)
                .join("Library")
                .join("Application Support")
                .join(IDENTIFIER)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn city_tools_home_wins_on_every_platform() {
        for p in [Platform::Linux, Platform::Windows, Platform::MacOs] {
            let e = [
                ("CITY_TOOLS_HOME", "/data/ct"),
                ("HOME", "/home/a"),
                ("XDG_DATA_HOME", "/x"),
                ("LOCALAPPDATA", "C:\\Users\\a\\AppData\\Local"),
            ];
            assert_eq!(app_folder(p, env(&e)), Some(PathBuf::from("/data/ct")));
            // An empty CITY_TOOLS_HOME is as good as unset.
            let e = [("CITY_TOOLS_HOME", " "), ("HOME", "/home/a")];
            assert_ne!(app_folder(p, env(&e)), Some(PathBuf::from(" ")));
        }
    }

    #[test]
    fn linux_follows_xdg() {
        let l = Platform::Linux;
        assert_eq!(
            app_folder(l, env(&[("XDG_DATA_HOME", "/x"), ("HOME", "/home/a")])),
            Some(PathBuf::from("/x/city-tools"))
        );
        assert_eq!(
            app_folder(l, env(&[("HOME", "/home/a")])),
            Some(PathBuf::from("/home/a/.local/share/city-tools"))
        );
        // A relative XDG_DATA_HOME is invalid by the spec and ignored.
        assert_eq!(
            app_folder(l, env(&[("XDG_DATA_HOME", "rel"), ("HOME", "/home/a")])),
            Some(PathBuf::from("/home/a/.local/share/city-tools"))
        );
        assert_eq!(app_folder(l, env(&[("XDG_DATA_HOME", "")])), None);
        assert_eq!(app_folder(l, env(&[])), None);
    }

    #[test]
    fn windows_uses_local_app_data() {
        let w = Platform::Windows;
        let local = "C:\\Users\\a\\AppData\\Local";
        assert_eq!(
            app_folder(w, env(&[("LOCALAPPDATA", local), ("HOME", "/ignored")])),
            Some(PathBuf::from(local).join("LOTI").join("City Tools"))
        );
        assert_eq!(
            app_folder(w, env(&[("USERPROFILE", "C:\\Users\\a")])),
            Some(
                PathBuf::from("C:\\Users\\a")
                    .join("AppData")
                    .join("Local")
                    .join("LOTI")
                    .join("City Tools")
            )
        );
        // HOME and XDG are not Windows conventions.
        assert_eq!(
            app_folder(w, env(&[("HOME", "/h"), ("XDG_DATA_HOME", "/x")])),
            None
        );
    }

    #[test]
    fn macos_uses_application_support() {
        let m = Platform::MacOs;
        assert_eq!(
            app_folder(m, env(&[("HOME", "/Users/a"), ("XDG_DATA_HOME", "/x")])),
            Some(PathBuf::from(
                "/Users/a/Library/Application Support/uk.london.loti.citytools"
            ))
        );
        assert_eq!(app_folder(m, env(&[])), None);
    }

    #[test]
    fn the_identifier_is_the_bundles() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        assert_eq!(conf["identifier"], IDENTIFIER);
    }

    #[test]
    fn this_platform_is_known() {
        #[cfg(target_os = "linux")]
        assert_eq!(Platform::current(), Platform::Linux);
    }
}
