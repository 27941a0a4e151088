//! A first version is loaded in bulk (indexes dropped, rows written through SQLite's C interface,
//! indexes rebuilt): on the multi-threaded runtime the CLI and the server use, the rows read back
//! exactly and the table keeps every index it had; a load the database refuses midway, or one abandoned midway, changes nothing.
//! New stores get 16 KiB pages; older stores keep theirs.

use satudata_store::rowtable::row_table_name;
use satudata_store_sqlite::SqliteStore;
use satudata_store_tests::bench::{
    abandoned_load_changes_nothing, bench_resource, load_twice_and_check,
    refused_load_changes_nothing, refused_row,
};

async fn indexes(store: &SqliteStore, table: &str) -> Vec<(String, Option<String>)> {
    sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name",
    )
    .bind(table)
    .fetch_all(store.pool())
    .await
    .expect("indexes")
}

/// A store in a new file with the benchmark's table resource: the temporary directory (keep it
/// alive), the store, the resource, its row table and that table's indexes.
async fn fresh() -> (
    tempfile::TempDir,
    SqliteStore,
    satudata_core::dataset::Resource,
    String,
    Vec<(String, Option<String>)>,
) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("satudata.db"))
        .await
        .expect("open");
    let resource = bench_resource(&store).await;
    let table = row_table_name(resource.id);
    let before = indexes(&store, &table).await;
    (dir, store, resource, table, before)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_loaded_version_reads_back_and_keeps_its_indexes() {
    let (_dir, store, resource, table, before) = fresh().await;
    assert_eq!(before.len(), 4, "{before:?}");
    load_twice_and_check(&store, resource.id).await;
    assert_eq!(indexes(&store, &table).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_the_database_refuses_midway_leaves_no_version_and_every_index() {
    let (_dir, store, resource, table, before) = fresh().await;
    let (column, value) = refused_row();
    // The refusal comes from inside SQLite while the C-interface writer steps its INSERT.
    sqlx::query(&format!(
        "CREATE TRIGGER refuse BEFORE INSERT ON {table} WHEN NEW.{column} = '{value}' \
         BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    ))
    .execute(store.pool())
    .await
    .expect("trigger");
    let disarm = async {
        sqlx::query("DROP TRIGGER refuse")
            .execute(store.pool())
            .await
            .expect("drop trigger");
    };
    refused_load_changes_nothing(&store, resource.id, disarm).await;
    assert_eq!(indexes(&store, &table).await, before, "indexes rolled back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_abandoned_load_leaves_nothing_and_frees_the_store() {
    let (_dir, store, resource, table, before) = fresh().await;
    abandoned_load_changes_nothing(&store, resource.id).await;
    assert_eq!(indexes(&store, &table).await, before);
}

async fn page_size(store: &SqliteStore) -> i64 {
    sqlx::query_scalar("PRAGMA page_size")
        .fetch_one(store.pool())
        .await
        .expect("page size")
}

/// A new store gets 16 KiB pages (ADR 0013); a store made with SQLite's default 4 KiB pages (by an
/// earlier satudata) keeps them, and loads and reads as before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_stores_get_16_kib_pages_and_older_stores_keep_theirs() {
    let (_dir, store, resource, _, _) = fresh().await;
    assert_eq!(page_size(&store).await, 16384);
    load_twice_and_check(&store, resource.id).await;

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("lama.db");
    {
        // An older store: created with the default page size, in WAL mode.
        let old = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .page_size(4096)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
        let pool = sqlx::SqlitePool::connect_with(old)
            .await
            .expect("old store");
        sqlx::query("CREATE TABLE earlier (x)")
            .execute(&pool)
            .await
            .expect("write");
        pool.close().await;
    }
    let store = SqliteStore::open(&path)
        .await
        .expect("open the older store");
    assert_eq!(page_size(&store).await, 4096);
    let resource = bench_resource(&store).await;
    load_twice_and_check(&store, resource.id).await;
}
