//! Fuzz target: the bundle reader (ZIP container, signature grammar, signed header) must refuse
//! any input with an error, never panic, hang or allocate without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = city_core::api::inspect_bundle_bytes("fuzz.ctbundle", data);
});
