//! Throughput on PostgreSQL (ignored by default; see `satudata_store_tests::bench`).

use std::sync::Arc;

use satudata_store_postgres::testing::fresh_store;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run in release with --ignored --nocapture"]
async fn throughput() {
    let (store, _guard) = fresh_store().await.unwrap_or_else(|m| panic!("{m}"));
    satudata_store_tests::bench::run(Arc::new(store)).await;
}
