//! The shared conformance suite on PostgreSQL: each case on a fresh database
//! `satudata_test_<uuid>` on `SATUDATA_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), dropped afterwards. An unreachable server fails
//! every case with a message saying how to start it.

use std::sync::Arc;

use satudata_store::Store;
use satudata_store_postgres::testing::fresh_store;
use satudata_store_tests::{store_suite, Fixture};

async fn fresh() -> Fixture {
    match fresh_store().await {
        Ok((store, guard)) => Fixture::with_guard(Arc::new(store) as Arc<dyn Store>, guard),
        Err(message) => panic!("{message}"),
    }
}

store_suite!(fresh());
