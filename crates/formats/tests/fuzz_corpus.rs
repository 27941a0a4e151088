//! Every file of the cargo-fuzz seed corpus (`fuzz/corpus/<target>/`, including the inputs fuzzing once
//! crashed on, named `regression-*`) goes through the same entry points as its fuzz target, in the
//! ordinary test run: no panic escapes, whatever the input. Fuzzing itself: docs/FUZZING.md.

use satudata_formats::cell::{date, number, region};
use satudata_formats::read::{detect_format, html::HtmlReader, open_bytes, Format, ReadOptions};
use satudata_formats::read::{Record, TableReader};

fn read_to_end(mut reader: Box<dyn TableReader>) {
    let mut rec = Record::new();
    for _ in 0..10_000 {
        match reader.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) | Err(_) => break,
        }
    }
}

fn read_as(data: &[u8], format: Option<Format>) {
    let opts = ReadOptions {
        format,
        ..Default::default()
    };
    if let Ok(reader) = open_bytes(data, &opts) {
        read_to_end(reader);
    }
}

fn run(target: &str, data: &[u8]) {
    let text = std::str::from_utf8(data).ok();
    match target {
        "read_csv" => read_as(data, Some(Format::Csv)),
        "read_sheet" => read_as(data, None),
        "read_any" => {
            let _ = detect_format(&data[..data.len().min(8192)], None);
            read_as(data, None);
        }
        "read_json" => {
            let (format, rest) = match data.split_first() {
                Some((b, rest)) if b % 2 == 0 => (Format::Json, rest),
                Some((_, rest)) => (Format::Ndjson, rest),
                None => (Format::Json, data),
            };
            read_as(rest, Some(format));
        }
        "read_html" => {
            if let Ok(r) = HtmlReader::from_bytes(data, &ReadOptions::default()) {
                read_to_end(Box::new(r));
            }
        }
        "parse_number" => {
            if let Some(s) = text {
                let _ = number::classify_number(s);
                for style in [
                    number::NumberStyle::Indonesian,
                    number::NumberStyle::English,
                ] {
                    let _ = number::parse_number(s, style);
                    let _ = number::parse_integer(s, Some(style));
                }
                let _ = number::parse_integer(s, None);
            }
        }
        "parse_date" => {
            if let Some(s) = text {
                let _ = date::parse_date(s);
                let _ = date::parse_yearmonth(s);
                let _ = date::parse_datetime(s);
            }
        }
        "parse_region" => {
            if let Some(s) = text {
                let _ = region::parse_region_code(s);
            }
        }
        other => panic!("fuzz/corpus/{other} has no target here: add it"),
    }
}

#[test]
fn seed_corpus_and_past_crashes_never_panic() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut files = 0;
    for target in std::fs::read_dir(&corpus).expect("fuzz/corpus") {
        let target = target.unwrap();
        let name = target.file_name().into_string().unwrap();
        for file in std::fs::read_dir(target.path()).unwrap() {
            let path = file.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| run(&name, &data));
            assert!(outcome.is_ok(), "{} panicked", path.display());
            files += 1;
        }
    }
    assert!(files >= 50, "only {files} seed files");
}
