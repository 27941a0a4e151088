//! CSV export of a 1,000,000-row table (issue 5: ≥ 100 MB/s with bounded memory), on SQLite, over
//! a real socket.
//!
//! ```text
//! cargo run --release -p satudata-http --example csv_export [-- ROWS]
//! ```
//! The table (20 columns: desa code, year, two breakdowns, 8 integers, 6 numbers, 2 texts) is
//! generated once into `target/bench-csv-export-N.db` and reused. The table download
//! (`/dataset/SLUG/tabel.csv`, plain and `?bom=1`) and the data API's CSV of the same rows are each
//! read to the end three times; the best rates and the process's peak RSS are printed.

use std::sync::Arc;
use std::time::Instant;

use satudata_core::dataset::{DatasetMeta, NewResource, ResourceKind};
use satudata_core::organization::{OrgKind, OrganizationMeta};
use satudata_core::region::{Level, RegionCode};
use satudata_core::row::Row;
use satudata_core::schema::{Field, FieldType, TableSchema};
use satudata_core::value::Value;
use satudata_http::{AppState, HttpConfig};
use satudata_store::{ChannelRowSource, NewVersion, Store};
use satudata_store_sqlite::SqliteStore;

fn schema() -> TableSchema {
    let mut desa = Field::new("kode_desa", FieldType::String);
    desa.region_level = Some(Level::Desa);
    let mut fields = vec![
        desa,
        Field::new("tahun", FieldType::Year),
        Field::new("jenis_kelamin", FieldType::String),
        Field::new("kelompok_umur", FieldType::String),
    ];
    fields.extend((0..8).map(|i| Field::new(format!("jumlah_{i}"), FieldType::Integer)));
    fields.extend((0..6).map(|i| Field::new(format!("rasio_{i}"), FieldType::Number)));
    fields.extend((0..2).map(|i| Field::new(format!("keterangan_{i}"), FieldType::String)));
    TableSchema::new(fields)
}

fn row(i: i64) -> Row {
    let mut r = vec![
        Value::Text(format!("16.06.{:02}.{}", 1 + i % 15, 2001 + (i / 15) % 17)),
        Value::Int(2015 + i % 10),
        Value::Text(if i % 2 == 0 { "laki-laki" } else { "perempuan" }.into()),
        Value::Text(format!("{}-{}", (i % 16) * 5, (i % 16) * 5 + 4)),
    ];
    r.extend((0..8).map(|k| Value::Int((i * 7 + k * 13) % 100_000)));
    r.extend((0..6).map(|k| Value::Num(((i * 31 + k * 17) % 10_000) as f64 / 100.0)));
    r.push(Value::Text(format!("catatan baris {i}")));
    r.push(Value::Text("sumber: registrasi desa".into()));
    r
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: i64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let path = std::path::PathBuf::from(format!("target/bench-csv-export-{n}.db"));
    let fresh = !path.exists();
    let store = Arc::new(SqliteStore::open(&path).await.expect("open store"));
    if fresh {
        eprintln!("generating {n} rows into {}", path.display());
        let org = store
            .create_organization(
                OrganizationMeta {
                    slug: "dinas".into(),
                    name: "Dinas".into(),
                    acronym: None,
                    kind: OrgKind::Opd,
                    description: String::new(),
                    region_code: None,
                    parent_id: None,
                    email: None,
                    phone: None,
                    address: None,
                    website: None,
                },
                None,
            )
            .await
            .expect("org");
        let d = store
            .create_dataset(
                DatasetMeta::new("Penduduk per desa", "penduduk-desa", org.id),
                None,
            )
            .await
            .expect("dataset");
        let r = store
            .create_resource(
                d.id,
                NewResource {
                    name: "tabel".into(),
                    title: "Tabel".into(),
                    description: String::new(),
                    kind: ResourceKind::Table { schema: schema() },
                },
                None,
            )
            .await
            .expect("resource");
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        tokio::spawn(async move {
            for start in (0..n).step_by(10_000) {
                let batch: Vec<Row> = (start..(start + 10_000).min(n)).map(row).collect();
                if tx.send(Ok(batch)).await.is_err() {
                    break;
                }
            }
        });
        let t = Instant::now();
        store
            .create_version(r.id, NewVersion::default(), &mut ChannelRowSource::new(rx))
            .await
            .expect("version");
        eprintln!("  written in {:.1} s", t.elapsed().as_secs_f64());
    }
    // The store's part alone: reading the rows in upload order, without writing anything.
    let dataset = store
        .get_dataset("penduduk-desa")
        .await
        .expect("dataset")
        .expect("dataset exists");
    let resource = store.list_resources(dataset.id).await.expect("resources")[0].id;
    let t = Instant::now();
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let reader = tokio::spawn({
        let store = store.clone();
        async move { store.stream_rows(resource, None, tx).await }
    });
    let mut rows = 0usize;
    while let Some(batch) = rx.recv().await {
        rows += batch.len();
    }
    reader.await.expect("join").expect("stream");
    let stream_secs = t.elapsed().as_secs_f64();
    eprintln!("  Store::stream_rows alone: {rows} rows in {stream_secs:.2} s");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let state = AppState::new(
        store.clone(),
        HttpConfig {
            home_region: RegionCode::parse("16.06").expect("code"),
            instance_name: "Bench".into(),
            base_url: base.clone(),
            secure_cookies: false,
        },
    );
    tokio::spawn(satudata_http::serve(
        listener,
        state,
        std::future::pending(),
    ));
    let client = reqwest::Client::new();
    let rss_before = peak_rss_mib();
    // The table download (plain and with the BOM for Excel) and, for comparison, the data API's
    // CSV of the same rows; each read to the end three times, the best rate kept.
    let mut bytes = 0u64;
    let mut rates = vec![];
    for (label, path) in [
        (
            "`/dataset/SLUG/tabel.csv`",
            "/dataset/penduduk-desa/tabel.csv",
        ),
        (
            "`/dataset/SLUG/tabel.csv?bom=1`",
            "/dataset/penduduk-desa/tabel.csv?bom=1",
        ),
        (
            "`/api/v1/datasets/SLUG/rows?format=csv`",
            "/api/v1/datasets/penduduk-desa/rows?format=csv",
        ),
    ] {
        let mut best = 0.0f64;
        for _ in 0..3 {
            let t = Instant::now();
            let mut res = client
                .get(format!("{base}{path}"))
                .send()
                .await
                .expect("request");
            if !res.status().is_success() {
                eprintln!("  {path}: {}", res.status());
                break;
            }
            bytes = 0;
            while let Some(chunk) = res.chunk().await.expect("chunk") {
                bytes += chunk.len() as u64;
            }
            let secs = t.elapsed().as_secs_f64();
            best = best.max(bytes as f64 / 1e6 / secs);
            eprintln!("  {path}: {:.1} MB in {secs:.2} s", bytes as f64 / 1e6);
        }
        rates.push(format!("{label} {best:.0} MB/s"));
    }
    println!(
        "| CSV export, {n} rows × 20 columns (SQLite, uncompressed) | {:.0} MB | {} | stream_rows alone {:.0} rows/s | peak RSS {:.0} MiB (before the downloads {:.0} MiB) |",
        bytes as f64 / 1e6,
        rates.join("; "),
        n as f64 / stream_secs,
        peak_rss_mib(),
        rss_before
    );
}
