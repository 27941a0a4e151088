//! The shared conformance suite on SQLite, twice: on a database file in a temporary directory
//! (WAL, several connections), and on `sqlite::memory:` (one connection that all work shares).

use std::sync::Arc;

use satudata_store::Store;
use satudata_store_sqlite::SqliteStore;
use satudata_store_tests::{store_suite, Fixture};

async fn file() -> Fixture {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = SqliteStore::open(&dir.path().join("data").join("satudata.db"))
        .await
        .expect("open SQLite store");
    Fixture::with_guard(Arc::new(store) as Arc<dyn Store>, dir)
}

async fn memory() -> Fixture {
    let store = SqliteStore::open_url("sqlite::memory:")
        .await
        .expect("open in-memory SQLite store");
    Fixture::from(Arc::new(store) as Arc<dyn Store>)
}

store_suite!(file());

mod in_memory {
    use super::*;
    store_suite!(memory());
}

#[tokio::test]
async fn open_url_forms() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("a").join("b.db");
    let url = format!("sqlite://{}", path.display());
    let store = SqliteStore::open_url(&url).await.expect("sqlite://PATH");
    store.health().await.expect("health");
    assert!(path.exists(), "file and directories created");
    drop(store);
    // Reopening applies no migration twice and keeps the data.
    let again = SqliteStore::open(&path).await.expect("reopen");
    assert_eq!(again.current_seq().await.expect("seq"), 0);
    for bad in ["postgres://x", "sqlite://", "sqlite://x.db?mode=ro"] {
        assert!(
            matches!(
                SqliteStore::open_url(bad).await,
                Err(satudata_store::StoreError::Invalid(_))
            ),
            "{bad} is refused"
        );
    }
    // Two in-memory stores are two databases.
    let a = SqliteStore::open_url("sqlite::memory:")
        .await
        .expect("memory");
    let b = SqliteStore::open_url("sqlite::memory:")
        .await
        .expect("memory");
    a.upsert_topic(
        satudata_core::dataset::Topic {
            slug: "kesehatan".into(),
            name: "Kesehatan".into(),
            name_en: None,
            description: String::new(),
        },
        None,
    )
    .await
    .expect("topic");
    assert_eq!(a.list_topics().await.expect("list").len(), 1);
    assert!(b.list_topics().await.expect("list").is_empty());
}
