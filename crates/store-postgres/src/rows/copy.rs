//! Writing rows with binary `COPY … FROM STDIN`: rows are encoded once, in PostgreSQL's binary
//! tuple format, and streamed to the server, which reads them without parsing text or building
//! arrays (the fastest way into PostgreSQL; the statement has no values in it, only the generated
//! table and column names). One `COPY` carries every row of a version: the server stores one chunk
//! while the next is encoded, instead of both sides taking turns once per statement.

use chrono::{NaiveDate, NaiveDateTime};
use satudata_core::row::Row;
use satudata_core::schema::StorageType;
use satudata_core::value::Value;
use satudata_store::rowtable::{column_name, PreparedRow};
use satudata_store::{StoreError, StoreResult};
use sqlx::PgConnection;

use crate::db_err;

/// Bytes of encoded rows sent to the server at a time.
const SEND_BYTES: usize = 1 << 20;

/// The binary COPY signature, flags and header extension length.
const HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";

/// PostgreSQL's epoch for dates and timestamps.
fn pg_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default()
}

/// Encodes rows in the binary COPY format; [`CopyWriter::write_all`] streams them in one `COPY`.
pub(super) struct CopyWriter {
    sql: String,
    buf: Vec<u8>,
    types: Vec<StorageType>,
    vfrom: Option<i32>,
}

impl CopyWriter {
    /// Rows for `table`: `key_column`, `_hash`, `_vfrom` when given, then the columns of `types`.
    pub(super) fn new(
        table: &str,
        key_column: &str,
        vfrom: Option<i32>,
        types: &[StorageType],
    ) -> CopyWriter {
        let mut cols = vec![key_column.to_string(), "_hash".to_string()];
        if vfrom.is_some() {
            cols.push("_vfrom".to_string());
        }
        cols.extend((0..types.len()).map(column_name));
        CopyWriter {
            sql: format!(
                "COPY {table} ({}) FROM STDIN (FORMAT binary)",
                cols.join(", ")
            ),
            buf: Vec::with_capacity(SEND_BYTES + (64 << 10)),
            types: types.to_vec(),
            vfrom,
        }
    }

    /// Write every row received from `batches` with one `COPY` on `conn`. A failure leaves the
    /// `COPY` aborted (the caller's transaction then rolls back) and drops `batches`, which tells
    /// the sender to stop.
    pub(super) async fn write_all(
        &mut self,
        conn: &mut PgConnection,
        mut batches: tokio::sync::mpsc::Receiver<Vec<PreparedRow>>,
    ) -> StoreResult<()> {
        let mut copy = conn.copy_in_raw(&self.sql).await.map_err(db_err)?;
        self.buf.clear();
        self.buf.extend_from_slice(HEADER);
        while let Some(batch) = batches.recv().await {
            for (key, hash, row) in batch {
                self.encode(key, hash, row)?;
            }
            if self.buf.len() >= SEND_BYTES {
                copy.send(self.buf.as_slice()).await.map_err(db_err)?;
                self.buf.clear();
            }
        }
        self.buf.extend_from_slice(&(-1i16).to_be_bytes());
        copy.send(self.buf.as_slice()).await.map_err(db_err)?;
        self.buf.clear();
        copy.finish().await.map_err(db_err)?;
        Ok(())
    }

    fn field(&mut self, bytes: &[u8]) {
        self.buf
            .extend_from_slice(&(bytes.len() as i32).to_be_bytes());
        self.buf.extend_from_slice(bytes);
    }

    /// Append one row (values already normalised to the column types).
    fn encode(&mut self, key: i64, hash: [u8; 16], row: Row) -> StoreResult<()> {
        let n = 2 + usize::from(self.vfrom.is_some()) + self.types.len();
        self.buf.extend_from_slice(&(n as i16).to_be_bytes());
        self.field(&key.to_be_bytes());
        self.field(&hash);
        if let Some(v) = self.vfrom {
            self.field(&v.to_be_bytes());
        }
        for (i, v) in row.into_iter().enumerate() {
            match (v, self.types[i]) {
                (Value::Null, _) => self.buf.extend_from_slice(&(-1i32).to_be_bytes()),
                (Value::Int(x), StorageType::Integer) => self.field(&x.to_be_bytes()),
                (Value::Num(x), StorageType::Real) => self.field(&x.to_bits().to_be_bytes()),
                (Value::Text(s), StorageType::Text) => self.field(s.as_bytes()),
                (Value::Bool(b), StorageType::Boolean) => self.field(&[u8::from(b)]),
                (Value::Date(d), StorageType::Date) => {
                    let days = (d - pg_epoch()).num_days() as i32;
                    self.field(&days.to_be_bytes())
                }
                (Value::DateTime(t), StorageType::DateTime) => {
                    let micros = micros_since_epoch(t)?;
                    self.field(&micros.to_be_bytes())
                }
                (v, t) => {
                    return Err(StoreError::Backend(format!(
                        "value {v:?} does not fit a {t:?} column"
                    )))
                }
            }
        }
        Ok(())
    }
}

fn micros_since_epoch(t: NaiveDateTime) -> StoreResult<i64> {
    let base = pg_epoch().and_hms_opt(0, 0, 0).unwrap_or_default();
    (t - base)
        .num_microseconds()
        .ok_or_else(|| StoreError::Invalid(format!("tanggal dan jam {t} di luar jangkauan")))
}
