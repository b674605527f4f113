//! Which kind of store a file is — one organisation's (`borough`) or LOTI's (`central`) —
//! kept in `store_meta` under `role` and read only through [`Tx::role`].

use super::{StoreError, Tx};
use serde::{Deserialize, Serialize};

/// The `store_meta` key of the role.
pub(super) const META_KEY: &str = "role";

/// Which kind of store is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StoreRole {
    /// One organisation's returns.
    Borough,
    /// LOTI's central store of everyone's returns.
    Central,
}

impl StoreRole {
    /// The stable id stored and shown (`borough`, `central`).
    pub fn id(self) -> &'static str {
        match self {
            StoreRole::Borough => "borough",
            StoreRole::Central => "central",
        }
    }
}

impl Tx<'_> {
    /// The store's role; a store without one (none is made so) counts as a borough store.
    pub(crate) fn role(&self) -> Result<StoreRole, StoreError> {
        Ok(match self.meta(META_KEY)?.as_deref() {
            Some("central") => StoreRole::Central,
            _ => StoreRole::Borough,
        })
    }
}
