//! Loading a table from empty: its indexes are dropped first and built again after the rows are in,
//! inside the same transaction. Building an index from all rows at once (one sort) costs much less
//! than keeping it ordered row by row, so large first versions load faster; a failed load rolls the
//! whole transaction back, indexes included. Only a table with no rows at all is loaded this way:
//! dropping an index locks the table until the commit, which nobody misses while it is empty.
//!
//! The two indexes that lead with `_vto`/`_ord` stay: rows arrive in `_ord` order with `_vto`
//! empty, so each new key goes to the rightmost leaf, which PostgreSQL appends to without a descent
//! (its B-tree "fastpath"); keeping them costs the server little while the client is the slower
//! side, and saves two index builds after the load.

use satudata_store::StoreResult;
use sqlx::PgConnection;

use crate::db_err;

/// Drop the indexes of `table` when it has no rows; returns the statements that create them again.
pub(super) async fn drop_indexes_if_empty(
    conn: &mut PgConnection,
    table: &str,
) -> StoreResult<Vec<String>> {
    let empty: bool = sqlx::query_scalar(&format!("SELECT NOT EXISTS (SELECT 1 FROM {table})"))
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)?;
    if !empty {
        return Ok(vec![]);
    }
    // Indexes behind constraints (none today) cannot be dropped alone: leave them.
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i \
         WHERE i.schemaname = current_schema() AND i.tablename = $1 \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
    )
    .bind(table)
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    let in_order = [format!("{table}_cur"), format!("{table}_ord")];
    let mut again = vec![];
    for (name, def) in rows.into_iter().filter(|(n, _)| !in_order.contains(n)) {
        // `name` is one of the index names satudata generated for this table (rows_<hex>_…).
        sqlx::query(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
        again.push(def);
    }
    Ok(again)
}

/// Create the indexes dropped by [`drop_indexes_if_empty`].
pub(super) async fn create_indexes(
    conn: &mut PgConnection,
    statements: &[String],
) -> StoreResult<()> {
    if statements.is_empty() {
        return Ok(());
    }
    // The server's own settings suffice: a million-row build took the same time with
    // `maintenance_work_mem` at 64 MB, 256 MB or 1 GB (docs/BENCHMARKS.md).
    for sql in statements {
        sqlx::query(sql).execute(&mut *conn).await.map_err(db_err)?;
    }
    Ok(())
}
