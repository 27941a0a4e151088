//! Loads the data API benchmark table (bench/data_api.sh): the deterministic 20-column table of
//! `satudata_store_tests::bench` into a satudata SQLite store (an open dataset `bench`), and the very
//! same rows into a plain SQLite file (table `bench`, an index on `kode_desa`) for Datasette.
//!
//! ```text
//! cargo run --release -p satudata-store-sqlite --example data_api_bench -- DATA_DIR PLAIN.db [ROWS]
//! ```

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use satudata_core::dataset::{Access, DatasetMeta, NewResource, ResourceKind};
use satudata_core::organization::{OrgKind, OrganizationMeta};
use satudata_core::schema::StorageType;
use satudata_core::value::Value;
use satudata_store::{NewVersion, Store};
use satudata_store_sqlite::SqliteStore;
use satudata_store_tests::bench::{row, schema, Generator};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let data_dir = PathBuf::from(args.next().expect("DATA_DIR"));
    let plain = PathBuf::from(args.next().expect("PLAIN.db"));
    let rows: i64 = args.next().map_or(1_000_000, |n| n.parse().expect("ROWS"));

    // satudata: the store `satudata serve --data-dir DATA_DIR` opens.
    std::fs::create_dir_all(&data_dir).expect("data dir");
    let store = Arc::new(
        SqliteStore::open(&data_dir.join("satudata.db"))
            .await
            .expect("open store"),
    );
    let org = store
        .create_organization(
            OrganizationMeta {
                slug: "bench".into(),
                name: "Bench".into(),
                acronym: None,
                kind: OrgKind::Opd,
                description: String::new(),
                region_code: Some("16.06".into()),
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
    let mut meta = DatasetMeta::new("Bench", "bench", org.id);
    meta.access = Access::Terbuka;
    let ds = store.create_dataset(meta, None).await.expect("dataset");
    let res = store
        .create_resource(
            ds.id,
            NewResource {
                name: "bench".into(),
                title: "Bench".into(),
                description: String::new(),
                kind: ResourceKind::Table { schema: schema() },
            },
            None,
        )
        .await
        .expect("resource");
    let t = Instant::now();
    let v = store
        .create_version(res.id, NewVersion::default(), &mut Generator::new(rows))
        .await
        .expect("version");
    eprintln!(
        "satudata: {} rows in {:.1} s",
        v.row_count,
        t.elapsed().as_secs_f64()
    );
    drop(store);

    // The same rows in a plain SQLite table, as someone would give Datasette.
    let _ = std::fs::remove_file(&plain);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(&plain)
                .create_if_missing(true),
        )
        .await
        .expect("plain db");
    let s = schema();
    let cols: Vec<String> = s
        .fields
        .iter()
        .map(|f| {
            let t = match f.storage_type() {
                StorageType::Integer => "INTEGER",
                StorageType::Real => "REAL",
                _ => "TEXT",
            };
            format!("{} {t}", f.name)
        })
        .collect();
    sqlx::query(&format!("CREATE TABLE bench ({})", cols.join(", ")))
        .execute(&pool)
        .await
        .expect("create");
    let t = Instant::now();
    let mut tx = pool.begin().await.expect("begin");
    let per = 1000usize;
    let one = format!("({})", vec!["?"; s.fields.len()].join(","));
    let names: Vec<&str> = s.fields.iter().map(|f| f.name.as_str()).collect();
    let mut i = 0i64;
    while i < rows {
        let n = per.min((rows - i) as usize);
        let sql = format!(
            "INSERT INTO bench ({}) VALUES {}",
            names.join(","),
            vec![one.as_str(); n].join(",")
        );
        let mut q = sqlx::query(&sql);
        for k in 0..n as i64 {
            for v in row(i + k) {
                q = match v {
                    Value::Null => q.bind(None::<i64>),
                    Value::Int(x) => q.bind(x),
                    Value::Num(x) => q.bind(x),
                    Value::Text(x) => q.bind(x),
                    other => q.bind(other.to_text()),
                };
            }
        }
        q.execute(&mut *tx).await.expect("insert");
        i += n as i64;
    }
    tx.commit().await.expect("commit");
    sqlx::query("CREATE INDEX bench_kode_desa ON bench (kode_desa)")
        .execute(&pool)
        .await
        .expect("index");
    sqlx::query("ANALYZE")
        .execute(&pool)
        .await
        .expect("analyze");
    eprintln!(
        "plain SQLite: {rows} rows in {:.1} s",
        t.elapsed().as_secs_f64()
    );
}
