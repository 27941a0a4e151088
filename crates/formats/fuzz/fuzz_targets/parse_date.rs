#![no_main]
//! Indonesian dates, year-months and datetimes.

use satudata_formats::cell::date::{parse_date, parse_datetime, parse_yearmonth};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = parse_date(s);
        let _ = parse_yearmonth(s);
        let _ = parse_datetime(s);
    }
});
