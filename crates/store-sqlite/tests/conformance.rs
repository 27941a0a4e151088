//! The shared conformance suite on SQLite: each case on a fresh database file in a temporary
//! directory (a file, not `:memory:`, so WAL and several connections are exercised).

use std::sync::Arc;

use satudata_store::Store;
use satudata_store_sqlite::SqliteStore;
use satudata_store_tests::{store_suite, Fixture};

async fn fresh() -> Fixture {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = SqliteStore::open(&dir.path().join("data").join("satudata.db"))
        .await
        .expect("open SQLite store");
    Fixture::with_guard(Arc::new(store) as Arc<dyn Store>, dir)
}

store_suite!(fresh());
