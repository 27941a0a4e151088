//! Throughput of `validate` against the `csv` crate merely reading the same file, in the same run.
//!
//! `cargo run --release -p satudata-formats --example bench_validate -- FILE SCHEMA [validate|read|both] [typed]`
//! prints rows/s of each and the ratio; peak memory (VmHWM) of the process at the end. Validation
//! runs as `satudata validate` does (the report only, no typed values); with `typed`, as an importer
//! does (every valid row's typed values handed out).

use std::time::Instant;

use satudata_core::schema::TableSchema;
use satudata_formats::read::{open_path, ReadOptions};
use satudata_formats::validate::{ValidateOptions, Validator};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let file = args
        .next()
        .expect("usage: bench_validate FILE SCHEMA [validate|read|both]");
    let schema_path = args.next().expect("schema");
    let mode = args.next().unwrap_or_else(|| "both".into());
    let typed = args.next().as_deref() == Some("typed");
    let schema: TableSchema =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).expect("read schema"))
            .expect("parse schema");
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;

    let mut read_rate = None;
    let mut string_rate = None;
    if mode != "validate" {
        let t = Instant::now();
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(true)
            .from_path(&file)
            .expect("open");
        let mut rec = csv::ByteRecord::new();
        let mut n = 0u64;
        while rdr.read_byte_record(&mut rec).expect("read") {
            n += 1;
        }
        let s = t.elapsed().as_secs_f64();
        let rate = n as f64 / s;
        println!(
            "csv crate read (ByteRecord):   {n} rows in {s:.2}s = {rate:.0} rows/s ({:.0} MB/s)",
            size / s
        );
        read_rate = Some(rate);
        // The same with UTF-8 checked text records, as a program reading text would.
        let t = Instant::now();
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(true)
            .from_path(&file)
            .expect("open");
        let mut rec = csv::StringRecord::new();
        let mut n = 0u64;
        while rdr.read_record(&mut rec).expect("read") {
            n += 1;
        }
        let s = t.elapsed().as_secs_f64();
        let rate = n as f64 / s;
        println!(
            "csv crate read (StringRecord): {n} rows in {s:.2}s = {rate:.0} rows/s ({:.0} MB/s)",
            size / s
        );
        string_rate = Some(rate);
    }
    if mode != "read" {
        // The embedded region registry is built once per process; report it apart from the rows.
        let t = Instant::now();
        satudata_formats::cell::region::code_exists((16, 2));
        println!(
            "region registry loaded in {:.3}s (once per process)",
            t.elapsed().as_secs_f64()
        );
        let t = Instant::now();
        let reader = open_path(file.as_ref(), &ReadOptions::default()).expect("open");
        let opts = ValidateOptions {
            typed_values: typed,
            ..ValidateOptions::default()
        };
        let mut v = Validator::new(reader, &schema, &opts).expect("validate");
        let mut typed_rows = 0u64;
        while v.next_row() {
            if v.row().is_some() {
                typed_rows += 1;
            }
        }
        let report = v.finish();
        let s = t.elapsed().as_secs_f64();
        let rate = report.stats.rows as f64 / s;
        println!(
            "satudata validate: {} rows in {s:.2}s = {rate:.0} rows/s ({:.0} MB/s); valid={} errors={} typed rows={typed_rows}",
            report.stats.rows,
            size / s,
            report.valid,
            report.stats.errors
        );
        if !report.valid {
            for e in report.errors.iter().take(5) {
                println!(
                    "  {} row {:?} field {:?} {:?}: {}",
                    e.kind, e.row_number, e.field_name, e.cell, e.message
                );
            }
        }
        if let Some(r) = read_rate {
            println!("ratio validate / ByteRecord read: {:.0}%", 100.0 * rate / r);
        }
        if let Some(r) = string_rate {
            println!(
                "ratio validate / StringRecord read: {:.0}%",
                100.0 * rate / r
            );
        }
    }
    println!("peak RSS: {:.1} MB", peak_rss_mb());
}
