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

/// The 5.6 KB .xls on which calamine 0.38 allocated 2 GB (a sector chain that loops; docs/FUZZING.md,
/// finding 2) is refused before calamine sees it, as a corrupt file with the reason.
#[test]
fn looping_cfb_chain_is_refused_before_calamine() {
    let data = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fuzz/corpus/read_sheet/regression-calamine-cfb-loop-2GB.xls"
    ))
    .expect("seed");
    assert!(!satudata_formats::read::cfb_guard::chains_are_finite(&data));
    let err = match open_bytes(&data, &ReadOptions::default()) {
        Ok(_) => panic!("opened a corrupt .xls"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("berputar"), "{err}");
}

/// The 6 KB .xls whose cell records sit at column 40,000 and row 65,535, on which calamine 0.38
/// allocated 135 GB for one sheet (docs/FUZZING.md, finding 3), is refused before calamine sees it,
/// with the cell's position in the message.
#[test]
fn far_cell_positions_are_refused_before_calamine() {
    let data = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fuzz/corpus/read_sheet/regression-calamine-xls-cell-position-135GB.xls"
    ))
    .expect("seed");
    // The container itself is sound: the cells are the problem.
    assert!(satudata_formats::read::cfb_guard::chains_are_finite(&data));
    let refusal = satudata_formats::read::xls_guard::check(&data).unwrap_err();
    assert!(
        matches!(
            refusal,
            satudata_formats::read::xls_guard::XlsRefusal::CellOutOfRange { .. }
        ),
        "{refusal:?}"
    );
    let err = match open_bytes(&data, &ReadOptions::default()) {
        Ok(_) => panic!("opened an .xls with a cell past column IV"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("di luar batas format .xls"), "{err}");
    assert!(err.contains("Corrupt XLS file"), "{err}");
}

/// Real .xls workbooks (frictionless-py fixtures, BPS-style files, the sample data) pass both guards
/// and open.
#[test]
fn real_xls_files_pass_the_cfb_and_cell_guards() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");
    let mut n = 0;
    let mut dirs = vec![
        std::path::PathBuf::from(root).join("conformance"),
        std::path::PathBuf::from(root).join("sample-data"),
    ];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("skipped: {} is missing", dir.display());
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().and_then(|x| x.to_str()) != Some("xls") {
                continue;
            }
            let data = std::fs::read(&path).unwrap();
            if !data.starts_with(b"\xD0\xCF\x11\xE0") {
                continue; // BPS HTML tables saved as .xls
            }
            assert!(
                satudata_formats::read::cfb_guard::chains_are_finite(&data),
                "{}",
                path.display()
            );
            assert_eq!(
                satudata_formats::read::xls_guard::check(&data),
                Ok(()),
                "{}",
                path.display()
            );
            assert!(
                open_bytes(&data, &ReadOptions::default()).is_ok(),
                "{}",
                path.display()
            );
            n += 1;
        }
    }
    if std::path::Path::new(root).exists() {
        assert!(n >= 5, "only {n} .xls files");
    }
}
