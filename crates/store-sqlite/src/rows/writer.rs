//! Writing a version's rows: straight through SQLite's C interface, on the connection of the write
//! transaction, from a thread of its own.
//!
//! `sqlx` sends every statement and every bound value to its worker thread as boxed arguments; for
//! a million rows of twenty-odd cells that is tens of millions of small allocations and hand-offs,
//! and it was most of an import's time. Here the transaction's connection is locked for us
//! ([`SqliteConnection::lock_handle`]: sqlx's worker does not touch it meanwhile) and a writer thread
//! binds each row to one prepared INSERT and steps it, the text cells bound in place
//! (`SQLITE_STATIC`: SQLite reads them during the step instead of copying them first). On its own
//! thread the inserts run beside the normalising and hashing of the next batch, which happen on
//! the async task (see docs/decisions/0012-sqlite-bulk-writes.md). The rows are in the same
//! transaction as everything else the version writes, so a failure still rolls back all.

use std::ffi::{c_char, c_int, CStr};
use std::ptr::NonNull;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rusqlite::ffi;
use satudata_core::value::Value;
use satudata_store::rowtable::PreparedRow;
use satudata_store::{StoreError, StoreResult};
use sqlx::SqliteConnection;
use tokio::sync::{mpsc, oneshot};

use super::{columns, DATETIME_FORMAT};
use crate::db_err;

/// Batches handed to the writer thread ahead of the one it is inserting.
const AHEAD: usize = 1;

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

    /// Insert every batch received from `batches` on `conn` (inside its open transaction). On a
    /// failure `batches` is dropped, which tells the producer to stop.
    pub(super) async fn write_all(
        &self,
        conn: &mut SqliteConnection,
        mut batches: mpsc::Receiver<Vec<PreparedRow>>,
    ) -> StoreResult<()> {
        // Declared before the thread's guard, so dropped after it: the connection stays locked
        // until the thread has let go of it, even when this future is dropped midway.
        let mut handle = conn.lock_handle().await.map_err(db_err)?;
        let db = Handle(handle.as_raw_handle());
        let (to_thread, from_async) = mpsc::channel::<Vec<PreparedRow>>(AHEAD);
        let (result_tx, result_rx) = oneshot::channel();
        let (sql, vfrom) = (self.sql.clone(), self.vfrom);
        let thread = std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let db = db;
                // The statement is finalised inside `insert_all`, before the result is sent.
                let _ = result_tx.send(insert_all(db.0, &sql, vfrom, from_async));
            })
            .map_err(|e| StoreError::Backend(format!("sqlite writer thread: {e}")))?;
        let mut guard = WriterThread {
            to_thread: Some(to_thread),
            thread: Some(thread),
        };
        while let Some(batch) = batches.recv().await {
            let Some(to_thread) = &guard.to_thread else {
                break;
            };
            if to_thread.send(batch).await.is_err() {
                break; // the thread stopped on an error, which it reports below
            }
        }
        drop(batches);
        guard.to_thread = None; // no more batches: the thread finishes and reports
        let result = result_rx
            .await
            .unwrap_or_else(|_| Err(StoreError::Backend("sqlite writer thread died".into())));
        drop(guard);
        result
    }
}

/// The connection's raw handle, moved to the writer thread. SQLite connections may be used from
/// any thread as long as two threads never use one at once; sqlx keeps its worker off it while
/// `lock_handle`'s guard lives, and [`WriterThread`] keeps that guard alive until the thread ends.
struct Handle(NonNull<ffi::sqlite3>);

// SAFETY: see above — the handle is used by one thread at a time.
unsafe impl Send for Handle {}

/// The writer thread, seen from the async side. Dropping it closes the thread's input and waits
/// for it to end (after at most the batch in hand), so the connection is never used by the thread
/// after its lock is released.
struct WriterThread {
    to_thread: Option<mpsc::Sender<Vec<PreparedRow>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for WriterThread {
    fn drop(&mut self) {
        self.to_thread = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A prepared statement on a borrowed connection, finalised when dropped.
struct Statement {
    db: *mut ffi::sqlite3,
    stmt: *mut ffi::sqlite3_stmt,
}

impl Statement {
    fn prepare(db: *mut ffi::sqlite3, sql: &str) -> StoreResult<Statement> {
        let mut stmt = std::ptr::null_mut();
        let len = c_int::try_from(sql.len())
            .map_err(|_| StoreError::Backend("sqlite write: statement too long".into()))?;
        // SAFETY: `db` is a live connection used by this thread only (see `Handle`); `sql` is
        // valid for `len` bytes.
        let rc = unsafe {
            ffi::sqlite3_prepare_v2(
                db,
                sql.as_ptr().cast::<c_char>(),
                len,
                &mut stmt,
                std::ptr::null_mut(),
            )
        };
        let prepared = Statement { db, stmt };
        if rc != ffi::SQLITE_OK {
            return Err(prepared.error(rc));
        }
        Ok(prepared)
    }

    /// SQLite's message for the last failure on the connection.
    fn error(&self, rc: c_int) -> StoreError {
        // SAFETY: `sqlite3_errmsg` returns a NUL-terminated string owned by the connection, valid
        // until the next call on it; it is copied at once.
        let msg = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.db)) };
        StoreError::Backend(format!(
            "sqlite write: {} (code {rc})",
            msg.to_string_lossy()
        ))
    }

    fn check(&self, rc: c_int) -> StoreResult<()> {
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.error(rc))
        }
    }

    /// Bind `text` to parameter `i` without copying: SQLite reads the bytes during the next step.
    /// It keeps the pointer until the parameter is bound again (a reset does not clear bindings),
    /// so a stale pointer is left after the last row; it is never read, since every row binds
    /// every parameter before its step and finalising reads no bindings.
    ///
    /// # Safety
    /// `text` must outlive the next `step` of this statement.
    unsafe fn bind_text_static(&self, i: c_int, text: &[u8]) -> c_int {
        let Ok(len) = c_int::try_from(text.len()) else {
            return ffi::SQLITE_TOOBIG;
        };
        // SQLITE_STATIC is the null destructor: SQLite neither copies nor frees the bytes.
        unsafe { ffi::sqlite3_bind_text(self.stmt, i, text.as_ptr().cast(), len, None) }
    }

    /// Bind `bytes` to parameter `i`, copied by SQLite.
    fn bind_blob(&self, i: c_int, bytes: &[u8]) -> c_int {
        // SAFETY: `stmt` is live; SQLITE_TRANSIENT makes SQLite copy the bytes before returning.
        unsafe {
            ffi::sqlite3_bind_blob(
                self.stmt,
                i,
                bytes.as_ptr().cast(),
                bytes.len() as c_int,
                ffi::SQLITE_TRANSIENT(),
            )
        }
    }

    fn bind_i64(&self, i: c_int, v: i64) -> c_int {
        // SAFETY: `stmt` is live.
        unsafe { ffi::sqlite3_bind_int64(self.stmt, i, v) }
    }

    fn bind_f64(&self, i: c_int, v: f64) -> c_int {
        // SAFETY: `stmt` is live.
        unsafe { ffi::sqlite3_bind_double(self.stmt, i, v) }
    }

    fn bind_null(&self, i: c_int) -> c_int {
        // SAFETY: `stmt` is live.
        unsafe { ffi::sqlite3_bind_null(self.stmt, i) }
    }

    /// Run the bound INSERT and make the statement ready for the next row.
    fn execute(&self) -> StoreResult<()> {
        // SAFETY: `stmt` is live.
        let rc = unsafe { ffi::sqlite3_step(self.stmt) };
        // SAFETY: as above; resetting also ends the statement's use of statically bound text.
        let reset = unsafe { ffi::sqlite3_reset(self.stmt) };
        if rc != ffi::SQLITE_DONE {
            return Err(self.error(if reset != ffi::SQLITE_OK { reset } else { rc }));
        }
        Ok(())
    }
}

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: finalising a statement prepared here (or null) once.
        unsafe {
            ffi::sqlite3_finalize(self.stmt);
        }
    }
}

/// The writer thread's work: insert every batch from `batches` until it closes or a row fails.
fn insert_all(
    db: NonNull<ffi::sqlite3>,
    sql: &str,
    vfrom: Option<i64>,
    mut batches: mpsc::Receiver<Vec<PreparedRow>>,
) -> StoreResult<()> {
    let stmt = Statement::prepare(db.as_ptr(), sql)?;
    let mut text = String::with_capacity(32);
    while let Some(rows) = batches.blocking_recv() {
        for (key, hash, row) in &rows {
            stmt.check(stmt.bind_i64(1, *key))?;
            stmt.check(stmt.bind_blob(2, &hash[..]))?;
            let mut at = 3;
            if let Some(v) = vfrom {
                stmt.check(stmt.bind_i64(3, v))?;
                at = 4;
            }
            // Date texts are written into `text`, which must live until the step: such cells
            // are bound as copies, so that one buffer serves them all.
            for (i, v) in row.iter().enumerate() {
                let i = at + i as c_int;
                let rc = match v {
                    Value::Null => stmt.bind_null(i),
                    Value::Bool(b) => stmt.bind_i64(i, i64::from(*b)),
                    Value::Int(n) => stmt.bind_i64(i, *n),
                    Value::Num(n) => stmt.bind_f64(i, *n),
                    // SAFETY: the cell lives in `rows`, untouched until after the step below.
                    Value::Text(s) => unsafe { stmt.bind_text_static(i, s.as_bytes()) },
                    Value::Date(d) => {
                        write_date(&mut text, *d);
                        bind_text_copy(&stmt, i, &text)
                    }
                    Value::DateTime(d) => {
                        write_datetime(&mut text, *d);
                        bind_text_copy(&stmt, i, &text)
                    }
                };
                stmt.check(rc)?;
            }
            stmt.execute()?;
        }
    }
    Ok(())
}

/// Bind `text` to parameter `i`, copied by SQLite (for text in a reused buffer).
fn bind_text_copy(stmt: &Statement, i: c_int, text: &str) -> c_int {
    let Ok(len) = c_int::try_from(text.len()) else {
        return ffi::SQLITE_TOOBIG;
    };
    // SAFETY: `stmt` is live; SQLITE_TRANSIENT makes SQLite copy the bytes before returning.
    unsafe {
        ffi::sqlite3_bind_text(
            stmt.stmt,
            i,
            text.as_ptr().cast(),
            len,
            ffi::SQLITE_TRANSIENT(),
        )
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
