//! Versions and the typed rows of table resources.

use chrono::{NaiveDate, NaiveDateTime};
use satudata_core::dataset::{ResourceKind, Version};
use satudata_core::review::ReviewState;
use satudata_core::row::Row;
use satudata_core::schema::{StorageType, TableSchema};
use satudata_core::value::Value;
use satudata_core::{new_id, Id};
use satudata_store::rowtable::{
    column_name, default_summary, plan_merge, prepare_rows, row_table_name, MergeTables, ORD_GAP,
};
use satudata_store::{NewVersion, RowSource, StoreError, StoreResult};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Row as _, Sqlite, SqliteConnection, SqliteExecutor};

use crate::{append_change, db_err, json_err, now, parse_ts, ts, SqliteStore};

// Row queries, keyset paging and aggregates (a child module: it shares this one's helpers).
mod bulk;
mod export;
mod query;
mod writer;

use writer::RowWriter;

/// SQLite allows at most this many bound parameters in one statement.
const MAX_BINDS: usize = 32766;
/// Rows per batch sent by `stream_rows`.
const STREAM_BATCH: i64 = 1000;

/// The stored text form of a date-time cell: fixed width, so text order is time order.
const DATETIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6f";

type Q<'q> = sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>>;

/// What a table resource's rows look like.
pub(crate) struct TableInfo {
    pub(crate) schema: TableSchema,
    pub(crate) types: Vec<StorageType>,
    pub(crate) table: String,
}

pub(crate) async fn load_table<'e>(
    ex: impl SqliteExecutor<'e>,
    resource_id: Id,
) -> StoreResult<TableInfo> {
    let body: Option<String> =
        sqlx::query_scalar("SELECT body FROM resources WHERE id = ? AND deleted_at IS NULL")
            .bind(resource_id)
            .fetch_optional(ex)
            .await
            .map_err(db_err)?;
    let body = body.ok_or_else(|| StoreError::NotFound(format!("resource {resource_id}")))?;
    match serde_json::from_str::<ResourceKind>(&body).map_err(json_err)? {
        ResourceKind::Table { schema } => Ok(TableInfo {
            types: schema.fields.iter().map(|f| f.storage_type()).collect(),
            schema,
            table: row_table_name(resource_id),
        }),
        ResourceKind::File { .. } => Err(StoreError::Invalid(
            "Sumber daya ini berupa berkas, bukan tabel; tidak punya baris data.".to_string(),
        )),
    }
}

fn bind_value(q: Q<'_>, v: Value) -> Q<'_> {
    match v {
        Value::Null => q.bind(None::<i64>),
        Value::Bool(b) => q.bind(i64::from(b)),
        Value::Int(i) => q.bind(i),
        Value::Num(n) => q.bind(n),
        Value::Text(s) => q.bind(s),
        Value::Date(d) => q.bind(d.format("%Y-%m-%d").to_string()),
        Value::DateTime(d) => q.bind(d.format(DATETIME_FORMAT).to_string()),
    }
}

pub(crate) fn read_value(r: &SqliteRow, idx: usize, t: StorageType) -> StoreResult<Value> {
    let bad = |s: &str| StoreError::Backend(format!("bad stored cell '{s}'"));
    Ok(match t {
        StorageType::Integer => r
            .try_get::<Option<i64>, _>(idx)
            .map_err(db_err)?
            .map(Value::Int),
        StorageType::Real => r
            .try_get::<Option<f64>, _>(idx)
            .map_err(db_err)?
            .map(Value::Num),
        StorageType::Text => r
            .try_get::<Option<String>, _>(idx)
            .map_err(db_err)?
            .map(Value::Text),
        StorageType::Boolean => r
            .try_get::<Option<i64>, _>(idx)
            .map_err(db_err)?
            .map(|b| Value::Bool(b != 0)),
        StorageType::Date => match r.try_get::<Option<String>, _>(idx).map_err(db_err)? {
            None => None,
            Some(s) => Some(Value::Date(
                NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| bad(&s))?,
            )),
        },
        StorageType::DateTime => match r.try_get::<Option<String>, _>(idx).map_err(db_err)? {
            None => None,
            Some(s) => Some(Value::DateTime(
                NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S%.f").map_err(|_| bad(&s))?,
            )),
        },
    }
    .unwrap_or(Value::Null))
}

fn version_from_row(r: &SqliteRow) -> StoreResult<Version> {
    Ok(Version {
        id: r.try_get("id").map_err(db_err)?,
        resource_id: r.try_get("resource_id").map_err(db_err)?,
        number: r.try_get("number").map_err(db_err)?,
        created_by: r.try_get("created_by").map_err(db_err)?,
        created_at: parse_ts(&r.try_get::<String, _>("created_at").map_err(db_err)?)?,
        row_count: r.try_get("row_count").map_err(db_err)?,
        rows_added: r.try_get("rows_added").map_err(db_err)?,
        rows_removed: r.try_get("rows_removed").map_err(db_err)?,
        checksum: r.try_get("checksum").map_err(db_err)?,
        summary: r.try_get("summary").map_err(db_err)?,
        seq: r.try_get("seq").map_err(db_err)?,
    })
}

const VERSION_COLS: &str =
    "id, resource_id, number, created_by, created_at, row_count, rows_added, rows_removed, checksum, summary, seq";

pub(crate) fn columns(n: usize) -> String {
    (0..n).map(column_name).collect::<Vec<_>>().join(", ")
}

/// Insert `(a, b)` integer pairs (or single integers when `b` is `None`) into a temp table.
async fn insert_ints(
    conn: &mut SqliteConnection,
    table: &str,
    cols: &str,
    rows: &[(i64, Option<i64>)],
) -> StoreResult<()> {
    let width = if rows.first().is_some_and(|r| r.1.is_some()) {
        2
    } else {
        1
    };
    let one = if width == 2 { "(?, ?)" } else { "(?)" };
    for chunk in rows.chunks(MAX_BINDS / width) {
        let sql = format!(
            "INSERT INTO {table} ({cols}) VALUES {}",
            vec![one; chunk.len()].join(",")
        );
        let mut q = sqlx::query(&sql);
        for (a, b) in chunk {
            q = q.bind(*a);
            if let Some(b) = b {
                q = q.bind(*b);
            }
        }
        q.execute(&mut *conn).await.map_err(db_err)?;
    }
    Ok(())
}

/// A merge's working tables: `temp._match`, `temp._keep`, `temp._neword` (see `merge_staged`).
struct MergeTemp<'c>(&'c mut SqliteConnection);

#[async_trait::async_trait]
impl MergeTables for MergeTemp<'_> {
    async fn matches_after(&mut self, after: i64, limit: usize) -> StoreResult<Vec<(i64, i64)>> {
        sqlx::query_as("SELECT pos, ord FROM temp._match WHERE pos > ? ORDER BY pos LIMIT ?")
            .bind(after)
            .bind(limit as i64)
            .fetch_all(&mut *self.0)
            .await
            .map_err(db_err)
    }

    async fn keep(&mut self, ords: &[i64]) -> StoreResult<()> {
        let rows: Vec<(i64, Option<i64>)> = ords.iter().map(|o| (*o, None)).collect();
        insert_ints(self.0, "temp._keep", "ord", &rows).await
    }

    async fn number(&mut self, rows: &[(i64, i64)]) -> StoreResult<()> {
        let rows: Vec<(i64, Option<i64>)> = rows.iter().map(|(p, o)| (*p, Some(*o))).collect();
        insert_ints(self.0, "temp._neword", "pos, ord", &rows).await
    }
}

impl SqliteStore {
    /// The version to read: the latest published one when `None` (0 when there is none), else it
    /// must exist (whatever its review state). Also whether it is the latest version of all, whose
    /// rows are exactly those with `_vto IS NULL`.
    async fn resolve_version(
        &self,
        resource_id: Id,
        version: Option<i32>,
    ) -> StoreResult<(i32, bool)> {
        let (latest, published): (i32, i32) = sqlx::query_as(
            "SELECT COALESCE(MAX(number), 0), COALESCE(MAX(CASE WHEN state = 'terbit' THEN number END), 0) \
             FROM versions WHERE resource_id = ?",
        )
        .bind(resource_id)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        match version {
            None => Ok((published, published == latest)),
            Some(v) if v >= 1 && v <= latest => Ok((v, v == latest)),
            Some(v) => Err(StoreError::NotFound(format!(
                "version {v} of resource {resource_id}"
            ))),
        }
    }

    pub(crate) async fn create_version_impl(
        &self,
        resource_id: Id,
        new: NewVersion,
        source: &mut dyn RowSource,
        state: ReviewState,
    ) -> StoreResult<Version> {
        self.create_version_for(resource_id, new, source, state, None)
            .await
    }

    /// [`Self::create_version_impl`], also marking the leased import `job` done in the same
    /// transaction (so a job re-run after a crash cannot make a second version).
    pub(crate) async fn create_version_for(
        &self,
        resource_id: Id,
        new: NewVersion,
        source: &mut dyn RowSource,
        state: ReviewState,
        job: Option<satudata_store::jobs::JobLease>,
    ) -> StoreResult<Version> {
        let mut tx = self.begin_write().await?;
        let info = load_table(tx.conn(), resource_id).await?;
        let table = &info.table;
        let ncols = info.types.len();
        let number: i32 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE resource_id = ?",
        )
        .bind(resource_id)
        .fetch_one(tx.conn())
        .await
        .map_err(db_err)?;
        let vnum = i64::from(number);
        let prev_count: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE _vto IS NULL"))
                .fetch_one(tx.conn())
                .await
                .map_err(db_err)?;

        // With no rows before, rows go straight into the table; otherwise into a staging table first,
        // to be compared with the previous version.
        let staged = prev_count > 0;
        // Into an empty table, rows go in without indexes, which are built once at the end.
        let indexes = if staged {
            bulk::small_cache(tx.conn()).await?;
            vec![]
        } else {
            bulk::drop_indexes(tx.conn(), table).await?
        };
        let writer = if staged {
            for t in ["_stage", "_match", "_keep", "_neword"] {
                sqlx::query(&format!("DROP TABLE IF EXISTS temp.{t}"))
                    .execute(tx.conn())
                    .await
                    .map_err(db_err)?;
            }
            let mut ddl = "CREATE TEMP TABLE _stage (pos INTEGER PRIMARY KEY, _hash BLOB NOT NULL"
                .to_string();
            for i in 0..ncols {
                ddl.push_str(&format!(", {}", column_name(i)));
            }
            ddl.push(')');
            sqlx::query(&ddl).execute(tx.conn()).await.map_err(db_err)?;
            RowWriter::new("temp._stage", "pos", None, ncols)
        } else {
            RowWriter::new(table, "_ord", Some(vnum), ncols)
        };

        // The source reads and checks on threads of its own; here a batch is normalised and hashed
        // while the writer's thread inserts the one before (see `writer`).
        let (sink, batches) = tokio::sync::mpsc::channel(2);
        let key = |pos: i64| {
            if staged {
                Some(pos)
            } else {
                pos.checked_mul(ORD_GAP)
            }
        };
        let produce = prepare_rows(source, &info.schema, key, sink);
        // `write_all` owns `batches`: a failed write drops it, and the producer stops.
        let consume = writer.write_all(tx.conn(), batches);
        let (produced, consumed) = tokio::join!(produce, consume);
        let loaded = match (produced, consumed) {
            (Ok(done), Ok(())) => bulk::create_indexes(tx.conn(), &indexes)
                .await
                .map(|()| done),
            (Err(e), _) | (_, Err(e)) => Err(e),
        };
        // The merge with the previous version runs with the load's small cache too.
        let merged = match loaded {
            Ok((n, checksum)) if staged => self
                .merge_staged(&mut tx, table, ncols, vnum, n, prev_count)
                .await
                .map(|counts| (n, checksum, counts)),
            Ok((n, checksum)) => Ok((n, checksum, (n, 0))),
            Err(e) => Err(e),
        };
        // Whatever happened, the pooled connection gets its usual cache back.
        let restored = bulk::end_load(tx.conn()).await;
        let (n, checksum, (added, removed)) = merged?;
        restored?;

        let id = new_id();
        let at = now();
        let summary = if new.summary.trim().is_empty() {
            default_summary(added, removed)
        } else {
            new.summary
        };
        let seq = append_change(tx.conn(), "version", id, "create", new.actor, at).await?;
        let version = Version {
            id,
            resource_id,
            number,
            created_by: new.actor,
            created_at: at,
            row_count: n,
            rows_added: added,
            rows_removed: removed,
            checksum,
            summary,
            seq,
        };
        sqlx::query(&format!(
            "INSERT INTO versions ({VERSION_COLS}, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(version.id)
        .bind(version.resource_id)
        .bind(version.number)
        .bind(version.created_by)
        .bind(ts(version.created_at))
        .bind(version.row_count)
        .bind(version.rows_added)
        .bind(version.rows_removed)
        .bind(&version.checksum)
        .bind(&version.summary)
        .bind(version.seq)
        .bind(state.as_str())
        .execute(tx.conn())
        .await
        .map_err(db_err)?;
        if let Some(lease) = job {
            crate::jobs::complete_in_tx(
                tx.conn(),
                lease,
                number,
                version.row_count,
                source.report(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(version)
    }

    /// Compare the staged upload with the current rows: keep unchanged rows that fit the new order,
    /// retire the others, insert the new ones. Returns `(rows_added, rows_removed)`.
    async fn merge_staged(
        &self,
        tx: &mut crate::WriteTx,
        table: &str,
        ncols: usize,
        vnum: i64,
        n: i64,
        prev_count: i64,
    ) -> StoreResult<(i64, i64)> {
        // Pair the k-th occurrence of a content in the upload with its k-th occurrence before, so
        // that duplicate identical rows are counted and kept one by one. The pairs go to a table
        // (on disk, like the stage) and are planned page by page: memory stays bounded whatever
        // the size of the table.
        for ddl in [
            "CREATE TEMP TABLE _match (pos INTEGER PRIMARY KEY, ord INTEGER NOT NULL)",
            "CREATE TEMP TABLE _keep (ord INTEGER PRIMARY KEY)",
            "CREATE TEMP TABLE _neword (pos INTEGER PRIMARY KEY, ord INTEGER NOT NULL)",
        ] {
            sqlx::query(ddl).execute(tx.conn()).await.map_err(db_err)?;
        }
        let unchanged = sqlx::query(&format!(
            "INSERT INTO temp._match (pos, ord) SELECT s.pos, o._ord FROM \
             (SELECT pos, _hash, ROW_NUMBER() OVER (PARTITION BY _hash ORDER BY pos) AS k FROM temp._stage) s \
             JOIN (SELECT _ord, _hash, ROW_NUMBER() OVER (PARTITION BY _hash ORDER BY _ord) AS k \
                   FROM {table} WHERE _vto IS NULL) o \
             ON o._hash = s._hash AND o.k = s.k ORDER BY s.pos"
        ))
        .execute(tx.conn())
        .await
        .map_err(db_err)?
        .rows_affected() as i64;

        plan_merge(&mut MergeTemp(tx.conn()), n).await?;

        sqlx::query(&format!(
            "UPDATE {table} SET _vto = ? WHERE _vto IS NULL AND _ord NOT IN (SELECT ord FROM temp._keep)"
        ))
        .bind(vnum)
        .execute(tx.conn())
        .await
        .map_err(db_err)?;
        let cols = columns(ncols);
        let (sep, scols) = if ncols > 0 {
            (
                ", ",
                (0..ncols)
                    .map(|i| format!("s.{}", column_name(i)))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        } else {
            ("", String::new())
        };
        sqlx::query(&format!(
            "INSERT INTO {table} (_ord, _hash, _vfrom{sep}{cols}) \
             SELECT w.ord, s._hash, ?{sep}{scols} FROM temp._stage s JOIN temp._neword w ON w.pos = s.pos ORDER BY s.pos"
        ))
        .bind(vnum)
        .execute(tx.conn())
        .await
        .map_err(db_err)?;
        for t in ["_stage", "_match", "_keep", "_neword"] {
            sqlx::query(&format!("DROP TABLE temp.{t}"))
                .execute(tx.conn())
                .await
                .map_err(db_err)?;
        }
        Ok((n - unchanged, prev_count - unchanged))
    }

    pub(crate) async fn list_versions_impl(&self, resource_id: Id) -> StoreResult<Vec<Version>> {
        let rows = sqlx::query(&format!(
            "SELECT {VERSION_COLS} FROM versions WHERE resource_id = ? ORDER BY number DESC"
        ))
        .bind(resource_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(version_from_row).collect()
    }

    pub(crate) async fn get_version_impl(
        &self,
        resource_id: Id,
        number: i32,
    ) -> StoreResult<Option<Version>> {
        let row = sqlx::query(&format!(
            "SELECT {VERSION_COLS} FROM versions WHERE resource_id = ? AND number = ?"
        ))
        .bind(resource_id)
        .bind(number)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.as_ref().map(version_from_row).transpose()
    }

    pub(crate) async fn stream_rows_impl(
        &self,
        resource_id: Id,
        version: Option<i32>,
        sink: tokio::sync::mpsc::Sender<Vec<Row>>,
    ) -> StoreResult<u64> {
        let info = load_table(&self.pool, resource_id).await?;
        let (version, latest) = self.resolve_version(resource_id, version).await?;
        if version == 0 {
            return Ok(0);
        }
        let table = &info.table;
        let vcond = if latest {
            "_vto IS NULL"
        } else {
            "_vfrom <= ? AND (_vto IS NULL OR _vto > ?)"
        };
        let sql = format!(
            "SELECT _ord, {} FROM {table} WHERE {vcond} AND _ord > ? ORDER BY _ord LIMIT ?",
            columns(info.types.len())
        );
        let mut last = i64::MIN;
        let mut sent = 0u64;
        loop {
            // Keyset paging: each batch is its own short read, so no connection is held while the
            // consumer is slow.
            let mut q = sqlx::query(&sql);
            if !latest {
                q = q.bind(i64::from(version)).bind(i64::from(version));
            }
            let rows = q
                .bind(last)
                .bind(STREAM_BATCH)
                .fetch_all(&self.pool)
                .await
                .map_err(db_err)?;
            if rows.is_empty() {
                break;
            }
            let mut batch = Vec::with_capacity(rows.len());
            for r in &rows {
                last = r.try_get(0).map_err(db_err)?;
                batch.push(
                    info.types
                        .iter()
                        .enumerate()
                        .map(|(i, t)| read_value(r, i + 1, *t))
                        .collect::<StoreResult<Row>>()?,
                );
            }
            let len = batch.len() as u64;
            if sink.send(batch).await.is_err() {
                // The consumer went away (e.g. the download was cancelled): nothing more to do.
                break;
            }
            sent += len;
            if (rows.len() as i64) < STREAM_BATCH {
                break;
            }
        }
        Ok(sent)
    }
}
