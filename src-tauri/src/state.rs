//! What the app holds while it runs: the open store (if any), or why it could not be opened.

use city_core::api::{Error, Store};
use std::path::PathBuf;
use std::sync::Mutex;

/// The app's state, shared by every command.
pub struct AppState {
    pub(crate) store: Mutex<Option<Store>>,
    pub(crate) open_error: Option<Error>,
}

impl AppState {
    /// Opens the store at `path`, remembering the error to show if it cannot be opened.
    pub fn open(path: Option<PathBuf>) -> AppState {
        match path.map(|p| Store::open(&p)) {
            None => AppState::empty(),
            Some(Ok(store)) => AppState {
                store: Mutex::new(Some(store)),
                open_error: None,
            },
            Some(Err(e)) => AppState {
                store: Mutex::new(None),
                open_error: Some(e),
            },
        }
    }

    /// No store open.
    pub fn empty() -> AppState {
        AppState {
            store: Mutex::new(None),
            open_error: None,
        }
    }
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
