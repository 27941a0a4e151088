#![no_main]
//! Region codes in every written form (dots, floats like `3201.0`).

use satudata_formats::cell::region::parse_region_code;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = parse_region_code(s);
    }
});
