//! Loading a table from empty: its indexes are dropped first and built again after the rows are in,
//! inside the same transaction. Building an index from all rows at once (one sort) costs much less
//! than keeping it ordered row by row, so large first versions load faster; a failed load rolls the
//! whole transaction back, indexes included.

use satudata_store::StoreResult;
use sqlx::SqliteConnection;

use crate::db_err;

/// Drop the indexes of `table`; returns the statements that create them again.
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
    Ok(again)
}

/// Create the indexes dropped by [`drop_indexes`].
pub(super) async fn create_indexes(
    conn: &mut SqliteConnection,
    statements: &[String],
) -> StoreResult<()> {
    if statements.is_empty() {
        return Ok(());
    }
    // The rows are in and the reader has finished: a second sorter thread and a larger cache let
    // each index be sorted in memory instead of in temporary files; the cache goes back to its
    // usual size afterwards (see `SqliteStore::tune`).
    for pragma in ["PRAGMA threads = 2", "PRAGMA cache_size = -65536"] {
        sqlx::query(pragma)
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
    }
    let mut result = Ok(());
    for sql in statements {
        result = sqlx::query(sql).execute(&mut *conn).await.map(|_| ());
        if result.is_err() {
            break;
        }
    }
    let restored = sqlx::query("PRAGMA cache_size = -32768")
        .execute(&mut *conn)
        .await;
    result.map_err(db_err)?;
    restored.map_err(db_err)?;
    Ok(())
}
