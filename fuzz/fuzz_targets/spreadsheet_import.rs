//! Fuzz target: the spreadsheet reader (format detection, calamine's xlsx / xls / ods parsing,
//! merged cells, header and mapping suggestion) must refuse any input with an error, never
//! panic out to its caller, hang or allocate without bound.
//!
//! calamine itself panics on some malformed files (e.g. compound-file sector tables that point
//! past the end). The importer catches those around calamine and reports a damaged file, which
//! is what the app sees; libFuzzer's panic hook would abort first, so panics raised inside
//! calamine are let through to that catch. A panic anywhere else is still a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::Once;

static HOOK: Once = Once::new();

fn tolerate_calamine_panics() {
    HOOK.call_once(|| {
        let abort_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_calamine = info
                .location()
                .is_some_and(|l| l.file().contains("/calamine-"));
            if !in_calamine {
                abort_hook(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    tolerate_calamine_panics();
    if let Ok(info) = city_core::api::inspect_spreadsheet_bytes("fuzz.xlsx", data) {
        let _ = city_core::api::default_import_request(&info);
    }
});
