//! Loading a table from empty: its indexes are dropped first and built again after the rows are in,
//! inside the same transaction. Building an index from all rows at once (one sort) costs much less
//! than keeping it ordered row by row, so large first versions load faster; a failed load rolls the
//! whole transaction back, indexes included.

use satudata_store::StoreResult;
use sqlx::SqliteConnection;

use crate::db_err;

/// The page cache while rows are appended to a table without indexes: appending touches only the
/// right edge of the table's B-tree and full pages go to the WAL anyway, so a small cache costs
/// nothing and keeps the import's peak memory down while the validator holds its key tables.
const LOAD_CACHE: &str = "PRAGMA cache_size = -8192";
/// The usual cache (as `SqliteStore::tune` sets it).
const USUAL_CACHE: &str = "PRAGMA cache_size = -32768";

/// Drop the indexes of `table` and shrink the cache for the load ([`end_load`] restores it);
/// returns the statements that create the indexes again.
pub(super) async fn drop_indexes(
    conn: &mut SqliteConnection,
    table: &str,
) -> StoreResult<Vec<String>> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?")
            .bind(table)
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?;
    let mut again = vec![];
    for (name, sql) in rows {
        // Indexes SQLite makes itself (for constraints) have no SQL and cannot be dropped.
        let Some(sql) = sql else { continue };
        // `name` is one of the index names satudata generated for this table (rows_<hex>_…).
        sqlx::query(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
        again.push(sql);
    }
    sqlx::query(LOAD_CACHE)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(again)
}

/// The load is over (or failed): the usual cache again.
pub(super) async fn end_load(conn: &mut SqliteConnection) -> StoreResult<()> {
    sqlx::query(USUAL_CACHE)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Create the indexes dropped by [`drop_indexes`].
pub(super) async fn create_indexes(
    conn: &mut SqliteConnection,
    statements: &[String],
) -> StoreResult<()> {
    if statements.is_empty() {
        return Ok(());
    }
    // One sorter thread and the usual 32 MiB cache (see `SqliteStore::tune`): the sorter keeps up
    // to a cache's worth of keys in memory per thread, and neither more threads nor a larger cache
    // made the builds faster (a million rows: 3.3–3.9 s for the four indexes with 0 or 2 helper
    // threads and 32, 64 or 128 MiB) while each raised the peak memory of a large import (30 million
    // rows: 220 MB with two helper threads).
    sqlx::query("PRAGMA threads = 0")
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    for sql in statements {
        sqlx::query(sql).execute(&mut *conn).await.map_err(db_err)?;
    }
    Ok(())
}
