//! CSV exports read straight from SQLite's C interface on a read-only connection of their own
//! (through `rusqlite`, linked to the same SQLite as sqlx): each cell is formatted from the value
//! SQLite holds, without copying it into an owned row first, which is what makes an export of a
//! million rows take seconds instead of minutes. One statement, one read transaction: the export is
//! a consistent snapshot however long the client takes, and memory holds one chunk at a time.

use std::io::Write;
use std::path::PathBuf;

use rusqlite::types::{Null, ValueRef};
use rusqlite::{Connection, OpenFlags};
use satudata_core::schema::StorageType;
use satudata_core::value::Value;
use satudata_store::{StoreError, StoreResult};

use super::DATETIME_FORMAT;

/// Bytes per chunk sent to the sink.
const CHUNK: usize = 128 * 1024;

fn err(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(format!("sqlite export: {e}"))
}

/// Run `sql` (its placeholders `?N` bound to `args`) on a new read-only connection to `path` and
/// send its rows as CSV records (columns of storage types `types`) in chunks to `sink`. Blocking:
/// run it on a blocking thread. Returns the number of rows sent.
pub(crate) fn csv_from_file(
    path: PathBuf,
    sql: String,
    args: Vec<Value>,
    types: Vec<StorageType>,
    sink: tokio::sync::mpsc::Sender<Vec<u8>>,
) -> StoreResult<u64> {
    let conn = Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(err)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(err)?;
    let mut stmt = conn.prepare(&sql).map_err(err)?;
    for (i, a) in args.into_iter().enumerate() {
        let i = i + 1;
        match a {
            Value::Null => stmt.raw_bind_parameter(i, Null),
            Value::Bool(b) => stmt.raw_bind_parameter(i, i64::from(b)),
            Value::Int(v) => stmt.raw_bind_parameter(i, v),
            Value::Num(v) => stmt.raw_bind_parameter(i, v),
            Value::Text(v) => stmt.raw_bind_parameter(i, v),
            Value::Date(d) => stmt.raw_bind_parameter(i, d.format("%Y-%m-%d").to_string()),
            Value::DateTime(d) => stmt.raw_bind_parameter(i, d.format(DATETIME_FORMAT).to_string()),
        }
        .map_err(err)?;
    }
    let mut rows = stmt.raw_query();
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + 4096);
    let mut n = 0u64;
    while let Some(row) = rows.next().map_err(err)? {
        for (j, t) in types.iter().enumerate() {
            if j > 0 {
                buf.push(b',');
            }
            match (row.get_ref(j).map_err(err)?, t) {
                (ValueRef::Null, _) => {}
                (ValueRef::Integer(v), StorageType::Boolean) => {
                    buf.extend_from_slice(if v != 0 { b"true" } else { b"false" })
                }
                (ValueRef::Integer(v), StorageType::Real) => number(&mut buf, v as f64),
                (ValueRef::Integer(v), _) => {
                    let _ = write!(buf, "{v}");
                }
                (ValueRef::Real(v), _) => number(&mut buf, v),
                // Stored date-times carry microseconds; exports show whole seconds.
                (ValueRef::Text(s), StorageType::DateTime) => {
                    buf.extend_from_slice(&s[..s.len().min(19)])
                }
                (ValueRef::Text(s), _) | (ValueRef::Blob(s), _) => text(&mut buf, s),
            }
        }
        buf.push(b'\n');
        n += 1;
        if buf.len() >= CHUNK {
            let full = std::mem::replace(&mut buf, Vec::with_capacity(CHUNK + 4096));
            if sink.blocking_send(full).is_err() {
                // The client went away.
                return Ok(n);
            }
        }
    }
    if !buf.is_empty() {
        let _ = sink.blocking_send(buf);
    }
    Ok(n)
}

/// A number as `Value::to_text` writes it.
fn number(buf: &mut Vec<u8>, v: f64) {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let _ = write!(buf, "{}", v as i64);
    } else {
        let _ = write!(buf, "{v}");
    }
}

/// Text, quoted (RFC 4180) when it holds `"`, `,` or a line break.
fn text(buf: &mut Vec<u8>, s: &[u8]) {
    if s.iter().any(|b| matches!(b, b'"' | b',' | b'\n' | b'\r')) {
        buf.push(b'"');
        for &b in s {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(s);
    }
}
