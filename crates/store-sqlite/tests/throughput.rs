//! Throughput on SQLite (ignored by default; see `satudata_store_tests::bench`).

use std::sync::Arc;

use satudata_store_sqlite::SqliteStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run in release with --ignored --nocapture"]
async fn throughput() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = SqliteStore::open(&dir.path().join("bench.db"))
        .await
        .expect("open");
    satudata_store_tests::bench::run(Arc::new(store)).await;
}
