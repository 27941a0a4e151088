//! Loading a table from empty: its indexes are dropped first and built again after the rows are in,
//! inside the same transaction. Building an index from all rows at once (one sort) costs much less
//! than keeping it ordered row by row, so large first versions load faster; a failed load rolls the
//! whole transaction back, indexes included.

use satudata_store::StoreResult;
use sqlx::SqliteConnection;

use crate::db_err;

/// The page cache while rows are appended and the indexes are built, which also bounds the index
/// sorter: SQLite sorts up to a cache's worth of keys in memory, then merges sorted runs from a
/// temporary file. Appending touches only the right edge of the table's B-tree and full pages go to
/// the WAL anyway, and with one sorter thread the builds of a million rows took as long with 8 MiB
/// as with 32–128 MiB (1.4 s for a region-code index either way), while on 30 million rows the larger
/// cache and sorter put the import over its memory budget.
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
    small_cache(conn).await?;
    Ok(again)
}

/// Shrink the cache for a load or a merge ([`end_load`] restores it). It also bounds SQLite's
/// sorters, each of which keeps up to a cache's worth of keys in memory: the merge of a second
/// version sorts the upload and the previous rows by content and the pairs by position — with
/// the usual cache three such sorts took a million-row merge to 193 MB.
pub(super) async fn small_cache(conn: &mut SqliteConnection) -> StoreResult<()> {
    sqlx::query(LOAD_CACHE)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// The load and the index builds, or the merge, are over (or failed): the usual cache again, and no sorter
/// helpers (other statements on this pooled connection sort with its usual, larger cache).
pub(super) async fn end_load(conn: &mut SqliteConnection) -> StoreResult<()> {
    for pragma in [USUAL_CACHE, "PRAGMA threads = 0"] {
        sqlx::query(pragma)
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
    }
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
    // Two helper threads for the sorter, with the load's small cache (see `LOAD_CACHE`): the sorter
    // keeps up to a cache's worth of keys in memory per thread, so this costs 16 MiB more at most,
    // and by now the reader and validator are done, so both cores are free. A million rows, runs
    // alternated on one machine (docs/BENCHMARKS.md, sixth session): the four builds took 2.6–3.4 s
    // with two helpers against 3.7–4.4 s with none. (Under load, with other builds on the cores,
    // helpers had made no difference; with the 32 MiB cache they took a 30-million-row import to
    // 220 MB.)
    sqlx::query("PRAGMA threads = 2")
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    for sql in statements {
        sqlx::query(sql).execute(&mut *conn).await.map_err(db_err)?;
    }
    Ok(())
}
