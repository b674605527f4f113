//! Shared helpers: temporary stores and a fixed clock.

use chrono::{TimeZone, Utc};
use city_core::api::{Context, Store};
use std::path::PathBuf;

pub(crate) fn ctx() -> Context {
    Context {
        actor: "tester".into(),
        now: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
    }
}

pub(crate) struct TempStore {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) store: Store,
}

impl TempStore {
    pub(crate) fn camden() -> TempStore {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(
            &dir.path().join("camden.ctstore"),
            "E09000007",
            "2026-27",
            &ctx(),
        )
        .unwrap();
        TempStore { dir, store }
    }

    pub(crate) fn path(&self) -> PathBuf {
        self.dir.path().join("camden.ctstore")
    }
}

/// The bytes of a store file after every connection to it has closed.
pub(crate) fn bytes(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}
