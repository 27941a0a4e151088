#![no_main]
//! Format detection and then whichever reader it picks (`read::detect_format` + `read::open_bytes`).

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = satudata_formats::read::detect_format(&data[..data.len().min(8192)], None);
    common::read_all(data, None);
});
