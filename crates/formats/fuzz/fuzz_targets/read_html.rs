#![no_main]
//! BPS's HTML ".xls" tables: row and column spans, encodings (`read::html::HtmlReader::from_bytes`).

use satudata_formats::read::{html::HtmlReader, ReadOptions, Record, TableReader};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(mut reader) = HtmlReader::from_bytes(data, &ReadOptions::default()) {
        let mut rec = Record::new();
        for _ in 0..10_000 {
            match reader.read_record(&mut rec) {
                Ok(true) => {}
                Ok(false) | Err(_) => break,
            }
        }
    }
});
