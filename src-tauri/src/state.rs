//! What the app holds while it runs: the open store (if any) or why it could not be opened,
//! and the app's folder, where new stores are created and the list of recently opened stores
//! is kept (so the last return reopens on the next run).

use city_core::api::{Error, ErrorKind, Store, StoreInfo};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How many recently opened stores the start screen offers.
const RECENT: usize = 8;

/// The app's state, shared by every command.
pub struct AppState {
    pub(crate) store: Mutex<Option<Store>>,
    pub(crate) open_error: Mutex<Option<Error>>,
    /// The app's folder (`CITY_TOOLS_HOME`, else the user's data folder); `None` when there is
    /// no home folder to put it in.
    home: Option<PathBuf>,
}

fn poisoned() -> Error {
    Error::new(
        ErrorKind::Storage,
        "the store is unavailable after an earlier failure; restart the app",
    )
}

impl AppState {
    /// Opens the store at `path`, remembering the error to show if it cannot be opened. With
    /// no path, reopens the most recently used store, if there is one.
    pub fn open(path: Option<PathBuf>, home: Option<PathBuf>) -> AppState {
        let state = AppState {
            store: Mutex::new(None),
            open_error: Mutex::new(None),
            home,
        };
        let path = path.or_else(|| {
            state
                .recent()
                .into_iter()
                .map(|i| PathBuf::from(i.path))
                .find(|p| p.is_file())
        });
        if let Some(p) = path {
            match Store::open(&p) {
                Ok(mut store) => {
                    if let Ok(info) = store.info() {
                        state.remember(&info);
                    }
                    state.put(Some(store));
                }
                Err(e) => {
                    if let Ok(mut slot) = state.open_error.lock() {
                        *slot = Some(e);
                    }
                }
            }
        }
        state
    }

    /// No store open, and no app folder.
    pub fn empty() -> AppState {
        AppState {
            store: Mutex::new(None),
            open_error: Mutex::new(None),
            home: None,
        }
    }

    fn put(&self, store: Option<Store>) {
        if let Ok(mut slot) = self.store.lock() {
            *slot = store;
        }
    }

    /// Makes `store` the current store, forgetting any earlier failure to open one.
    pub(crate) fn switch_to(&self, mut store: Store) -> Result<StoreInfo, Error> {
        let info = store.info()?;
        *self.store.lock().map_err(|_| poisoned())? = Some(store);
        *self.open_error.lock().map_err(|_| poisoned())? = None;
        self.remember(&info);
        Ok(info)
    }

    /// Closes the current store.
    pub(crate) fn close(&self) -> Result<(), Error> {
        *self.store.lock().map_err(|_| poisoned())? = None;
        *self.open_error.lock().map_err(|_| poisoned())? = None;
        Ok(())
    }

    /// Where new stores are created (made on first use, readable by this user only).
    pub(crate) fn stores_dir(&self) -> Result<PathBuf, Error> {
        let home = self.home.as_ref().ok_or_else(|| {
            Error::new(
                ErrorKind::Io,
                "there is no home folder to keep returns in: set CITY_TOOLS_HOME",
            )
        })?;
        let dir = home.join("stores");
        create_private_dir(&dir).map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("could not create the folder {}: {e}", dir.display()),
            )
        })?;
        Ok(dir)
    }

    fn recent_file(&self) -> Option<PathBuf> {
        self.home.as_ref().map(|h| h.join("recent.json"))
    }

    /// Recently opened stores, newest first.
    pub(crate) fn recent(&self) -> Vec<StoreInfo> {
        self.recent_file()
            .and_then(|f| std::fs::read(f).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Puts `info` first in the recent list. Failing to write it loses only the convenience,
    /// so errors are ignored.
    pub(crate) fn remember(&self, info: &StoreInfo) {
        let (Some(home), Some(file)) = (self.home.as_ref(), self.recent_file()) else {
            return;
        };
        let mut list = self.recent();
        list.retain(|i| i.path != info.path);
        list.insert(0, info.clone());
        list.truncate(RECENT);
        if create_private_dir(home).is_err() {
            return;
        }
        if let Ok(json) = serde_json::to_vec_pretty(&list) {
            let tmp = file.with_extension("json.tmp");
            if std::fs::write(&tmp, json).is_ok() {
                let _ = std::fs::rename(&tmp, &file);
            }
        }
    }
}

/// Creates `dir` for this user only: mode 0700 on Unix. On Windows the app's folder is under
/// `%LOCALAPPDATA%`, whose access list (inherited from the user's profile) already admits only
/// the user, SYSTEM and administrators; key files inside get an owner-only list of their own.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// The store to open at start-up: `CITY_TOOLS_STORE`, else `--store PATH` (or `--store=PATH`).
pub fn store_path_from(env: Option<String>, args: &[String]) -> Option<PathBuf> {
    if let Some(p) = env.filter(|p| !p.trim().is_empty()) {
        return Some(PathBuf::from(p));
    }
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--store" {
            return it.next().map(PathBuf::from);
        }
        if let Some(p) = a.strip_prefix("--store=") {
            return Some(PathBuf::from(p));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_wins_over_arguments() {
        let args = vec![
            "city-tools".to_string(),
            "--store".into(),
            "a.ctstore".into(),
        ];
        assert_eq!(
            store_path_from(None, &args),
            Some(PathBuf::from("a.ctstore"))
        );
        assert_eq!(
            store_path_from(Some("b".into()), &args),
            Some(PathBuf::from("b"))
        );
        assert_eq!(
            store_path_from(None, &["x".into(), "--store=c".into()]),
            Some(PathBuf::from("c"))
        );
        assert_eq!(store_path_from(Some(" ".into()), &[]), None);
    }
}
