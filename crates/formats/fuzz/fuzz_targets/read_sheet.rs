#![no_main]
//! Workbooks through `read::open_bytes`: XLSX, ODS (zip) and XLS (OLE), format detected from content.

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::read_all(data, None);
});
