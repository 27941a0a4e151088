//! A first version is loaded in bulk (indexes dropped, rows written through SQLite's C interface,
//! indexes rebuilt): on the multi-threaded runtime the CLI and the server use, the rows read back
//! exactly and the table keeps every index it had.

use satudata_store::rowtable::row_table_name;
use satudata_store_sqlite::SqliteStore;
use satudata_store_tests::bench::{bench_resource, load_twice_and_check};

async fn indexes(store: &SqliteStore, table: &str) -> Vec<(String, Option<String>)> {
    sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name",
    )
    .bind(table)
    .fetch_all(store.pool())
    .await
    .expect("indexes")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_loaded_version_reads_back_and_keeps_its_indexes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("satudata.db"))
        .await
        .expect("open");
    let resource = bench_resource(&store).await;
    let table = row_table_name(resource.id);
    let before = indexes(&store, &table).await;
    assert_eq!(before.len(), 4, "{before:?}");
    load_twice_and_check(&store, resource.id).await;
    assert_eq!(indexes(&store, &table).await, before);
}
