//! Fuzz target: the spreadsheet reader (format detection, calamine's xlsx / xls / ods parsing,
//! merged cells, header and mapping suggestion) must refuse any input with an error, never
//! panic, hang or allocate without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(info) = city_core::api::inspect_spreadsheet_bytes("fuzz.xlsx", data) {
        let _ = city_core::api::default_import_request(&info);
    }
});
