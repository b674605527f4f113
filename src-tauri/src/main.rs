//! The `city-tools` desktop binary: starts the app built in `lib.rs`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    city_tools::run();
}
