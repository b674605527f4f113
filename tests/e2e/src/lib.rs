//! The end-to-end test crate has no library code; its tests are in `tests/e2e.rs`.
