//! The `city-tools` desktop binary: starts the app built in `lib.rs`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// The allocator every City Tools binary uses (see the workspace manifest).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    city_tools::run();
}
