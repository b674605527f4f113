//! City Tools core: the domain of the annual London technology return, its local store,
//! completeness and carry-forward. It builds and tests without Tauri or a display.
//!
//! [`api`] is the only public module; everything else is an implementation detail that front
//! ends must not reach into.

mod analysis;
pub mod api;
mod bundle;
mod domain;
mod export;
mod files;
mod import;
mod progress;
mod publish;
mod sheet_layout;
mod store;
