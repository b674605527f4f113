//! Progress of long work (imports, exports, merges, the site), reported through a callback:
//! a type of its own at the crate root, so that the writers and readers that report it need
//! nothing from `api`.

use serde::Serialize;

/// Progress of long work, reported through a callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Progress {
    pub stage: String,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}
