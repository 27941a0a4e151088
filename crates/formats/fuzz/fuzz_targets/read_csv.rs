#![no_main]
//! The CSV reader (encoding and delimiter sniffing, blank-line numbering, quoted fields).

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::read_all(data, Some(satudata_formats::read::Format::Csv));
});
