//! A first version is loaded in bulk (one binary COPY, the region and period indexes dropped and
//! rebuilt): the rows read back exactly and the table keeps every index it had; a load the database
//! refuses midway, or one abandoned midway, changes nothing.

use satudata_store::rowtable::row_table_name;
use satudata_store_postgres::testing::fresh_store;
use satudata_store_postgres::PostgresStore;
use satudata_store_tests::bench::{
    abandoned_load_changes_nothing, bench_resource, load_twice_and_check,
    refused_load_changes_nothing, refused_row,
};

async fn indexes(store: &PostgresStore, table: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT indexname::text, indexdef FROM pg_indexes \
         WHERE schemaname = current_schema() AND tablename = $1 ORDER BY indexname",
    )
    .bind(table)
    .fetch_all(store.pool())
    .await
    .expect("indexes")
}

/// A fresh database with the benchmark's table resource: the database's guard (keep it alive),
/// the store, the resource, its row table and that table's indexes.
async fn fresh() -> (
    satudata_store_postgres::testing::TestDatabase,
    PostgresStore,
    satudata_core::dataset::Resource,
    String,
    Vec<(String, String)>,
) {
    let (store, guard) = fresh_store().await.unwrap_or_else(|m| panic!("{m}"));
    let resource = bench_resource(&store).await;
    let table = row_table_name(resource.id);
    let before = indexes(&store, &table).await;
    (guard, store, resource, table, before)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_loaded_version_reads_back_and_keeps_its_indexes() {
    let (_guard, store, resource, table, before) = fresh().await;
    assert_eq!(before.len(), 4, "{before:?}");
    load_twice_and_check(&store, resource.id).await;
    assert_eq!(indexes(&store, &table).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_the_database_refuses_midway_leaves_no_version_and_every_index() {
    let (_guard, store, resource, table, before) = fresh().await;
    let (column, value) = refused_row();
    // The refusal comes from the server in the middle of the one streamed COPY.
    sqlx::query(&format!(
        "CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
         IF NEW.{column} = '{value}' THEN RAISE EXCEPTION 'refused by the test'; END IF; \
         RETURN NEW; END $$"
    ))
    .execute(store.pool())
    .await
    .expect("function");
    sqlx::query(&format!(
        "CREATE TRIGGER refuse BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_row()"
    ))
    .execute(store.pool())
    .await
    .expect("trigger");
    let disarm = async {
        sqlx::query(&format!("DROP TRIGGER refuse ON {table}"))
            .execute(store.pool())
            .await
            .expect("drop trigger");
    };
    refused_load_changes_nothing(&store, resource.id, disarm).await;
    assert_eq!(indexes(&store, &table).await, before, "indexes rolled back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_abandoned_load_leaves_nothing_and_frees_the_store() {
    let (_guard, store, resource, table, before) = fresh().await;
    abandoned_load_changes_nothing(&store, resource.id).await;
    assert_eq!(indexes(&store, &table).await, before);
}
