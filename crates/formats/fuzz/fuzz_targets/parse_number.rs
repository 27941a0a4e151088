#![no_main]
//! Indonesian and English numbers: classification, parsing in both styles, integers.

use satudata_formats::cell::number::{classify_number, parse_integer, parse_number, NumberStyle};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = classify_number(s);
        for style in [NumberStyle::Indonesian, NumberStyle::English] {
            let _ = parse_number(s, style);
            let _ = parse_integer(s, Some(style));
        }
        let _ = parse_integer(s, None);
    }
});
