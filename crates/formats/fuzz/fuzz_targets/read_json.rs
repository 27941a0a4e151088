#![no_main]
//! The JSON and NDJSON readers: the first byte of the input picks which one.

mod common;
use satudata_formats::read::Format;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (format, rest) = match data.split_first() {
        Some((b, rest)) if b % 2 == 0 => (Format::Json, rest),
        Some((_, rest)) => (Format::Ndjson, rest),
        None => (Format::Json, data),
    };
    common::read_all(rest, Some(format));
});
