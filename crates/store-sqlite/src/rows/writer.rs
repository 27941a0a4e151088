//! Writing a version's rows: straight through SQLite's C interface, on the connection of the write
//! transaction.
//!
//! `sqlx` sends every statement and every bound value to its worker thread as boxed arguments; for
//! a million rows of twenty-odd cells that is tens of millions of small allocations and hand-offs,
//! and it was most of an import's time. Here the transaction's connection is locked for us
//! ([`SqliteConnection::lock_handle`]: sqlx's worker does not touch it meanwhile), wrapped in a
//! non-owning `rusqlite` connection, and each row is bound to one prepared INSERT and stepped, with
//! the cells borrowed from the row (see docs/decisions/0012-sqlite-bulk-writes.md). The rows are in
//! the same transaction as everything else the version writes, so a failure still rolls back all.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rusqlite::types::Null;
use satudata_core::value::Value;
use satudata_store::rowtable::PreparedRow;
use satudata_store::{StoreError, StoreResult};
use sqlx::SqliteConnection;

use super::{columns, DATETIME_FORMAT};
use crate::db_err;

fn err(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(format!("sqlite write: {e}"))
}

/// Writes prepared rows into one table with one prepared single-row INSERT.
pub(super) struct RowWriter {
    /// `INSERT INTO t (key, _hash[, _vfrom], c0, …) VALUES (?, …)`
    sql: String,
    /// The `_vfrom` of every row, when the table has that column.
    vfrom: Option<i64>,
}

impl RowWriter {
    /// A writer into `table`, keyed by `key_column`, with `ncols` value columns `c0…`; `vfrom` is
    /// bound to every row's `_vfrom` when given.
    pub(super) fn new(table: &str, key_column: &str, vfrom: Option<i64>, ncols: usize) -> Self {
        let extra = if vfrom.is_some() { 3 } else { 2 };
        let sql = format!(
            "INSERT INTO {table} ({key_column}, _hash{}{}{}) VALUES ({})",
            if vfrom.is_some() { ", _vfrom" } else { "" },
            if ncols > 0 { ", " } else { "" },
            columns(ncols),
            vec!["?"; ncols + extra].join(", ")
        );
        RowWriter { sql, vfrom }
    }

    /// Insert `rows` on `conn` (inside its open transaction).
    pub(super) async fn write(
        &self,
        conn: &mut SqliteConnection,
        rows: Vec<PreparedRow>,
    ) -> StoreResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut handle = conn.lock_handle().await.map_err(db_err)?;
        let raw = handle.as_raw_handle();
        run_blocking(|| {
            // SAFETY: `raw` is the live connection of `handle`, which stays locked (sqlx's worker
            // leaves the connection alone) until after this closure returns; `from_handle` does not
            // take ownership, so dropping the wrapper neither closes the connection nor touches
            // its transaction. Only statements prepared here are finalised when it drops.
            let db = unsafe { rusqlite::Connection::from_handle(raw.as_ptr()) }.map_err(err)?;
            let mut stmt = db.prepare(&self.sql).map_err(err)?;
            let mut text = String::with_capacity(32);
            for (key, hash, row) in &rows {
                stmt.raw_bind_parameter(1, key).map_err(err)?;
                stmt.raw_bind_parameter(2, &hash[..]).map_err(err)?;
                let mut at = 3;
                if let Some(v) = self.vfrom {
                    stmt.raw_bind_parameter(3, v).map_err(err)?;
                    at = 4;
                }
                for (i, v) in row.iter().enumerate() {
                    let i = at + i;
                    match v {
                        Value::Null => stmt.raw_bind_parameter(i, Null),
                        Value::Bool(b) => stmt.raw_bind_parameter(i, i64::from(*b)),
                        Value::Int(n) => stmt.raw_bind_parameter(i, n),
                        Value::Num(n) => stmt.raw_bind_parameter(i, n),
                        Value::Text(s) => stmt.raw_bind_parameter(i, s.as_str()),
                        Value::Date(d) => {
                            write_date(&mut text, *d);
                            stmt.raw_bind_parameter(i, text.as_str())
                        }
                        Value::DateTime(d) => {
                            write_datetime(&mut text, *d);
                            stmt.raw_bind_parameter(i, text.as_str())
                        }
                    }
                    .map_err(err)?;
                }
                stmt.raw_execute().map_err(err)?;
            }
            Ok(())
        })
    }
}

/// Run blocking work from async code: on a multi-threaded runtime the worker hands its other tasks
/// to another thread first; on a single-threaded one (tests) it simply runs.
fn run_blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
        _ => f(),
    }
}

/// `d` as stored (`%Y-%m-%d`), written without chrono's format machinery for the usual years.
fn write_date(out: &mut String, d: NaiveDate) {
    use std::fmt::Write;
    out.clear();
    if (0..=9999).contains(&d.year()) {
        let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
    } else {
        let _ = write!(out, "{}", d.format("%Y-%m-%d"));
    }
}

/// `d` as stored ([`DATETIME_FORMAT`]: `%Y-%m-%dT%H:%M:%S%.6f`).
fn write_datetime(out: &mut String, d: NaiveDateTime) {
    use std::fmt::Write;
    // chrono writes a leap second (nanoseconds ≥ 1e9) as second 60: leave that to chrono.
    if (0..=9999).contains(&d.year()) && d.nanosecond() < 1_000_000_000 {
        write_date(out, d.date());
        let _ = write!(
            out,
            "T{:02}:{:02}:{:02}.{:06}",
            d.hour(),
            d.minute(),
            d.second(),
            d.nanosecond() / 1_000
        );
    } else {
        out.clear();
        let _ = write!(out, "{}", d.format(DATETIME_FORMAT));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let mut s = String::new();
        for (y, m, d) in [(2024, 12, 31), (1, 1, 1), (999, 2, 3), (9999, 12, 31)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            write_date(&mut s, date);
            assert_eq!(s, date.format("%Y-%m-%d").to_string());
            for (h, mi, se, micro) in [(0, 0, 0, 0), (23, 59, 59, 999_999), (7, 5, 3, 120)] {
                let t = date.and_hms_micro_opt(h, mi, se, micro).unwrap();
                write_datetime(&mut s, t);
                assert_eq!(s, t.format(DATETIME_FORMAT).to_string());
            }
        }
        for y in [-44, 10000] {
            let date = NaiveDate::from_ymd_opt(y, 3, 15).unwrap();
            write_date(&mut s, date);
            assert_eq!(s, date.format("%Y-%m-%d").to_string());
            let t = date.and_hms_opt(1, 2, 3).unwrap();
            write_datetime(&mut s, t);
            assert_eq!(s, t.format(DATETIME_FORMAT).to_string());
        }
    }
}
