//! A throughput measurement both backends run the same way (ignored by default; run in release):
//! `create_version` of many 20-column rows, then filtered queries for one desa.
//!
//! ```text
//! cargo test --release -p satudata-store-sqlite --test throughput -- --ignored --nocapture
//! ```
//! `SATUDATA_BENCH_ROWS` sets the number of rows (default 1,000,000).

use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use satudata_core::dataset::{DatasetMeta, NewResource, ResourceKind};
use satudata_core::organization::{OrgKind, OrganizationMeta};
use satudata_core::region::Level;
use satudata_core::row::{Filter, FilterOp, Row, RowQuery};
use satudata_core::schema::{Field, FieldType, TableSchema};
use satudata_core::value::Value;
use satudata_store::{NewVersion, RowSource, Store};

/// Number of distinct desa codes in the generated data.
const DESA: i64 = 255;

/// The 20-field schema: desa code, year, two text breakdowns, 8 integers, 6 numbers, 2 texts.
pub fn schema() -> TableSchema {
    let mut desa = Field::new("kode_desa", FieldType::String);
    desa.region_level = Some(Level::Desa);
    let mut tahun = Field::new("tahun", FieldType::Year);
    tahun.period = true;
    let mut fields = vec![
        desa,
        tahun,
        Field::new("jenis_kelamin", FieldType::String),
        Field::new("kelompok_umur", FieldType::String),
    ];
    fields.extend((0..8).map(|i| Field::new(format!("jumlah_{i}"), FieldType::Integer)));
    fields.extend((0..6).map(|i| Field::new(format!("rasio_{i}"), FieldType::Number)));
    fields.extend((0..2).map(|i| Field::new(format!("keterangan_{i}"), FieldType::String)));
    TableSchema::new(fields)
}

fn desa_code(d: i64) -> String {
    format!("16.06.{:02}.{}", 1 + d % 15, 2001 + d / 15)
}

/// Row `i` of the generated table.
pub fn row(i: i64) -> Row {
    let d = i % DESA;
    let mut r = Vec::with_capacity(20);
    r.push(Value::Text(desa_code(d)));
    r.push(Value::Int(2000 + (i / DESA) % 25));
    r.push(Value::Text(if i % 2 == 0 { "L" } else { "P" }.to_string()));
    r.push(Value::Text(format!(
        "{}-{}",
        (i % 16) * 5,
        (i % 16) * 5 + 4
    )));
    for k in 0..8 {
        r.push(Value::Int((i * (k + 7)) % 100_003));
    }
    for k in 0..6 {
        r.push(Value::Num(((i * (k + 3)) % 10_007) as f64 / 7.0));
    }
    r.push(Value::Text(format!("keterangan baris {i}")));
    r.push(if i % 3 == 0 {
        Value::Null
    } else {
        Value::Text("sumber: survei".to_string())
    });
    r
}

/// Generates `total` rows in batches of 10,000, as an import reader would.
pub struct Generator {
    next: i64,
    total: i64,
}

impl Generator {
    pub fn new(total: i64) -> Generator {
        Generator { next: 0, total }
    }
}

#[async_trait]
impl RowSource for Generator {
    async fn next_batch(&mut self) -> Result<Option<Vec<Row>>, String> {
        if self.next >= self.total {
            return Ok(None);
        }
        let end = (self.next + 10_000).min(self.total);
        let batch = (self.next..end).map(row).collect();
        self.next = end;
        Ok(Some(batch))
    }
}

/// An organisation, a dataset and a table resource with [`schema`] (its region-code and period
/// fields get indexes of their own).
pub async fn bench_resource(store: &dyn Store) -> satudata_core::dataset::Resource {
    let org = store
        .create_organization(
            OrganizationMeta {
                slug: "bench".into(),
                name: "Bench".into(),
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
    let ds = store
        .create_dataset(DatasetMeta::new("Bench", "bench", org.id), None)
        .await
        .expect("dataset");
    store
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
        .expect("resource")
}

/// Run the measurement and print the figures.
pub async fn run(store: Arc<dyn Store>) {
    let rows: i64 = std::env::var("SATUDATA_BENCH_ROWS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let res = bench_resource(store.as_ref()).await;

    let t = Instant::now();
    let v1 = store
        .create_version(res.id, NewVersion::default(), &mut Generator::new(rows))
        .await
        .expect("v1");
    let secs = t.elapsed().as_secs_f64();
    println!(
        "[{}] create_version v1: {} rows x 20 columns in {:.2} s = {:.0} rows/s",
        store.backend(),
        v1.row_count,
        secs,
        rows as f64 / secs
    );

    for round in [
        "right after the import",
        "3 s later (background maintenance done)",
    ] {
        if round.starts_with('3') {
            tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        }
        let mut times = vec![];
        for k in 0..20 {
            let q = RowQuery {
                filters: vec![Filter {
                    field: "kode_desa".into(),
                    op: FilterOp::Eq,
                    values: vec![Value::Text(desa_code(k * 11 % DESA))],
                }],
                limit: 100,
                with_total: true,
                ..RowQuery::default()
            };
            let t = Instant::now();
            let page = store.query_rows(res.id, &q).await.expect("query");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(page.rows.len(), 100.min(page.total.unwrap_or(0) as usize));
        }
        times.sort_by(f64::total_cmp);
        println!(
            "[{}] query one desa (100 rows + total) on {} rows, {round}: median {:.2} ms, max {:.2} ms",
            store.backend(),
            rows,
            times[times.len() / 2],
            times[times.len() - 1]
        );
    }

    // A second version: 2 % of rows changed, 1 % removed, 1 % added.
    struct Changed {
        inner: Generator,
    }
    #[async_trait]
    impl RowSource for Changed {
        async fn next_batch(&mut self) -> Result<Option<Vec<Row>>, String> {
            Ok(self.inner.next_batch().await?.map(|batch| {
                batch
                    .into_iter()
                    .filter_map(|mut r| {
                        let Value::Int(j) = r[4] else { return Some(r) };
                        let i = j; // jumlah_0 = i * 7 % 100003: a cheap pseudo-random key
                        if i % 100 == 0 {
                            None
                        } else {
                            if i % 50 == 1 {
                                r[5] = Value::Int(-1);
                            }
                            Some(r)
                        }
                    })
                    .collect()
            }))
        }
    }
    let t = Instant::now();
    let v2 = store
        .create_version(
            res.id,
            NewVersion::default(),
            &mut Changed {
                inner: Generator::new(rows + rows / 100),
            },
        )
        .await
        .expect("v2");
    println!(
        "[{}] create_version v2: {} rows (+{} −{}) in {:.2} s",
        store.backend(),
        v2.row_count,
        v2.rows_added,
        v2.rows_removed,
        t.elapsed().as_secs_f64()
    );
}

/// Rows of the bulk-load check: more than one batch of the [`Generator`].
const BULK_ROWS: i64 = 25_000;

/// Load [`BULK_ROWS`] generated rows into `resource` (made by [`bench_resource`]) as its first
/// version — the bulk path: into an empty table, indexes rebuilt after — then the same rows again
/// as a second version (the staged path), and check that both read back exactly, through a filter
/// on the indexed region-code field. Backends run it on a multi-threaded runtime (the CLI's and
/// the server's) and compare the table's indexes before and after.
pub async fn load_twice_and_check(store: &dyn Store, resource: satudata_core::Id) {
    let v1 = store
        .create_version(
            resource,
            NewVersion::default(),
            &mut Generator::new(BULK_ROWS),
        )
        .await
        .expect("first version");
    assert_eq!((v1.row_count, v1.rows_added), (BULK_ROWS, BULK_ROWS));
    let v2 = store
        .create_version(
            resource,
            NewVersion::default(),
            &mut Generator::new(BULK_ROWS),
        )
        .await
        .expect("second version");
    assert_eq!((v2.rows_added, v2.rows_removed), (0, 0));
    assert_eq!(v2.checksum, v1.checksum);

    let desa = desa_code(7);
    let expected: Vec<Row> = (0..BULK_ROWS)
        .map(row)
        .filter(|r| r[0] == Value::Text(desa.clone()))
        .collect();
    let page = store
        .query_rows(
            resource,
            &RowQuery {
                filters: vec![Filter {
                    field: "kode_desa".into(),
                    op: FilterOp::Eq,
                    values: vec![Value::Text(desa)],
                }],
                limit: 1_000,
                with_total: true,
                ..RowQuery::default()
            },
        )
        .await
        .expect("query");
    assert_eq!(page.total, Some(expected.len() as u64));
    assert_eq!(page.rows, expected);
}

/// Rows the source of [`refused_load_changes_nothing`] offers: many batches.
const REFUSED_ROWS: i64 = 200_000;
/// The row the database refuses, long after the first batches were written and long before the
/// source is done.
const REFUSED_AT: i64 = 120_000;

/// The column and value of the row the database must refuse in [`refused_load_changes_nothing`]
/// (the backend's test arms a trigger on them): the `keterangan_0` text of row `REFUSED_AT`.
pub fn refused_row() -> (String, String) {
    (
        satudata_store::rowtable::column_name(18),
        format!("keterangan baris {REFUSED_AT}"),
    )
}

/// The database refuses a row in the middle of a first version (the backend's test arms a trigger
/// for [`refused_row`] first): the load must end with that error — not wait forever for a reader
/// that still has rows to give — and leave no version and no rows. `disarm` removes the trigger;
/// the same rows then load completely.
pub async fn refused_load_changes_nothing<F>(
    store: &dyn Store,
    resource: satudata_core::Id,
    disarm: F,
) where
    F: std::future::Future<Output = ()>,
{
    let seq = store.current_seq().await.expect("seq");
    let mut rows = Generator::new(REFUSED_ROWS);
    let attempt = store.create_version(resource, NewVersion::default(), &mut rows);
    let r = tokio::time::timeout(std::time::Duration::from_secs(120), attempt)
        .await
        .expect("the refused load ends instead of waiting for the row source");
    match r {
        Err(satudata_store::StoreError::Source(m)) => {
            panic!("the database refused the row, not the source: {m}")
        }
        Err(_) => {}
        Ok(v) => panic!(
            "the database refused a row, yet version {} was made",
            v.number
        ),
    }
    assert_nothing_written(store, resource, seq).await;

    disarm.await;
    let v1 = store
        .create_version(
            resource,
            NewVersion::default(),
            &mut Generator::new(REFUSED_ROWS),
        )
        .await
        .expect("the same rows once the database accepts them");
    assert_eq!((v1.number, v1.row_count), (1, REFUSED_ROWS));
}

/// A row source that gives `ready` a signal once it has handed out `signal_after` batches, then
/// keeps giving rows.
struct Signalling {
    rows: Generator,
    given: usize,
    signal_after: usize,
    ready: Option<tokio::sync::oneshot::Sender<()>>,
}

#[async_trait]
impl RowSource for Signalling {
    async fn next_batch(&mut self) -> Result<Option<Vec<Row>>, String> {
        self.given += 1;
        if self.given > self.signal_after {
            if let Some(ready) = self.ready.take() {
                let _ = ready.send(());
            }
        }
        self.rows.next_batch().await
    }
}

/// A first version whose load is abandoned midway (its future dropped, as when a request or a job
/// is cancelled) while rows are being written: nothing is left behind — no version, no change, no
/// rows — and the store takes the same rows completely right after.
pub async fn abandoned_load_changes_nothing(store: &dyn Store, resource: satudata_core::Id) {
    let seq = store.current_seq().await.expect("seq");
    let (ready, writing) = tokio::sync::oneshot::channel();
    let mut source = Signalling {
        rows: Generator::new(REFUSED_ROWS),
        given: 0,
        signal_after: 5,
        ready: Some(ready),
    };
    {
        let attempt = store.create_version(resource, NewVersion::default(), &mut source);
        tokio::select! {
            r = attempt => panic!("the load was to be abandoned, yet it ended: {:?}", r.map(|v| v.number)),
            _ = writing => {} // the attempt is dropped here, midway
        }
    }
    assert_nothing_written(store, resource, seq).await;
    let v1 = tokio::time::timeout(
        std::time::Duration::from_secs(120),
        store.create_version(
            resource,
            NewVersion::default(),
            &mut Generator::new(REFUSED_ROWS),
        ),
    )
    .await
    .expect("the store is free again")
    .expect("the same rows, loaded completely");
    assert_eq!((v1.number, v1.row_count), (1, REFUSED_ROWS));
}

/// After a failed or abandoned first load: `resource` has no version and no rows, and nothing was
/// recorded since `seq`.
async fn assert_nothing_written(store: &dyn Store, resource: satudata_core::Id, seq: i64) {
    assert!(store
        .list_versions(resource)
        .await
        .expect("list")
        .is_empty());
    assert_eq!(
        store.current_seq().await.expect("seq"),
        seq,
        "no change recorded"
    );
    let page = store
        .query_rows(
            resource,
            &RowQuery {
                with_total: true,
                ..RowQuery::default()
            },
        )
        .await
        .expect("query");
    assert_eq!((page.rows.len(), page.total), (0, Some(0)), "no rows");
}
