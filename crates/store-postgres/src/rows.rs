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
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{PgConnection, PgExecutor, Postgres, Row as _};

use crate::catalog::sql_type;
use crate::{db_err, json_err, now, stamp, PostgresStore};

// Row queries, keyset paging and aggregates (a child module: it shares this one's helpers).
// Binary COPY of new rows; dropping and rebuilding indexes around a load into an empty table.
mod bulk;
mod copy;
mod query;

/// Rows per batch sent by `stream_rows`.
const STREAM_BATCH: i64 = 1000;

type Q<'q> = sqlx::query::Query<'q, Postgres, PgArguments>;

/// What a table resource's rows look like.
pub(crate) struct TableInfo {
    pub(crate) schema: TableSchema,
    pub(crate) types: Vec<StorageType>,
    pub(crate) table: String,
}

fn table_info(resource_id: Id, body: Option<String>) -> StoreResult<TableInfo> {
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

pub(crate) async fn load_table<'e>(
    ex: impl PgExecutor<'e>,
    resource_id: Id,
    lock: bool,
) -> StoreResult<TableInfo> {
    let sql = if lock {
        "SELECT body::text FROM resources WHERE id = $1 AND deleted_at IS NULL FOR UPDATE"
    } else {
        "SELECT body::text FROM resources WHERE id = $1 AND deleted_at IS NULL"
    };
    let body: Option<String> = sqlx::query_scalar(sql)
        .bind(resource_id)
        .fetch_optional(ex)
        .await
        .map_err(db_err)?;
    table_info(resource_id, body)
}

fn bind_value(q: Q<'_>, v: Value) -> Q<'_> {
    match v {
        Value::Null => q.bind(None::<String>),
        Value::Bool(b) => q.bind(b),
        Value::Int(i) => q.bind(i),
        Value::Num(n) => q.bind(n),
        Value::Text(s) => q.bind(s),
        Value::Date(d) => q.bind(d),
        Value::DateTime(d) => q.bind(d),
    }
}

pub(crate) fn read_value(r: &PgRow, idx: usize, t: StorageType) -> StoreResult<Value> {
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
            .try_get::<Option<bool>, _>(idx)
            .map_err(db_err)?
            .map(Value::Bool),
        StorageType::Date => r
            .try_get::<Option<NaiveDate>, _>(idx)
            .map_err(db_err)?
            .map(Value::Date),
        StorageType::DateTime => r
            .try_get::<Option<NaiveDateTime>, _>(idx)
            .map_err(db_err)?
            .map(Value::DateTime),
    }
    .unwrap_or(Value::Null))
}

fn version_from_row(r: &PgRow) -> StoreResult<Version> {
    Ok(Version {
        id: r.try_get("id").map_err(db_err)?,
        resource_id: r.try_get("resource_id").map_err(db_err)?,
        number: r.try_get("number").map_err(db_err)?,
        created_by: r.try_get("created_by").map_err(db_err)?,
        created_at: r.try_get("created_at").map_err(db_err)?,
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

impl PostgresStore {
    /// The version to read: the latest published one when `None` (0 when there is none), else it
    /// must exist (whatever its review state). Also whether it is the latest version of all, whose
    /// rows are exactly those with `_vto IS NULL`.
    async fn resolve_version(
        &self,
        resource_id: Id,
        version: Option<i32>,
    ) -> StoreResult<(i32, bool)> {
        let (latest, published): (i32, i32) = sqlx::query_as(
            "SELECT COALESCE(MAX(number), 0), COALESCE(MAX(number) FILTER (WHERE state = 'terbit'), 0) \
             FROM versions WHERE resource_id = $1",
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
        let mut tx = self.begin().await?;
        // Locking the resource row makes a concurrent writer of the same resource wait for us.
        let info = load_table(&mut *tx, resource_id, true).await?;
        let table = &info.table;
        let ncols = info.types.len();
        let number: i32 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE resource_id = $1",
        )
        .bind(resource_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        let prev_count: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE _vto IS NULL"))
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?;

        // With no rows before, rows go straight into the table; otherwise into a staging table first,
        // to be compared with the previous version.
        let staged = prev_count > 0;
        let indexes = if staged {
            vec![]
        } else {
            bulk::drop_indexes_if_empty(&mut tx, table).await?
        };
        let mut writer = if staged {
            let mut ddl =
                "CREATE TEMP TABLE _stage (pos BIGINT NOT NULL, _hash BYTEA NOT NULL".to_string();
            for (i, t) in info.types.iter().enumerate() {
                ddl.push_str(&format!(", {} {}", column_name(i), sql_type(*t)));
            }
            ddl.push_str(") ON COMMIT DROP");
            sqlx::query(&ddl).execute(&mut *tx).await.map_err(db_err)?;
            copy::CopyWriter::new("_stage", "pos", None, &info.types)
        } else {
            copy::CopyWriter::new(table, "_ord", Some(number), &info.types)
        };

        // Reading, checking and hashing the next batch overlaps with PostgreSQL storing the previous one.
        let (sink, batches) = tokio::sync::mpsc::channel(2);
        let key = |pos: i64| {
            if staged {
                Some(pos)
            } else {
                pos.checked_mul(ORD_GAP)
            }
        };
        let produce = prepare_rows(source, &info.schema, key, sink);
        let conn: &mut PgConnection = &mut tx;
        let consume = writer.write_all(conn, batches);
        let (produced, consumed) = tokio::join!(produce, consume);
        let (n, checksum) = produced?;
        consumed?;
        bulk::create_indexes(&mut tx, &indexes).await?;

        let (added, removed) = if staged {
            merge_staged(&mut tx, table, ncols, number, n, prev_count).await?
        } else {
            (n, 0)
        };

        let id = new_id();
        let at = now();
        let summary = if new.summary.trim().is_empty() {
            default_summary(added, removed)
        } else {
            new.summary
        };
        sqlx::query(&format!(
            "INSERT INTO versions ({VERSION_COLS}, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11)"
        ))
        .bind(id)
        .bind(resource_id)
        .bind(number)
        .bind(new.actor)
        .bind(at)
        .bind(n)
        .bind(added)
        .bind(removed)
        .bind(&checksum)
        .bind(&summary)
        .bind(state.as_str())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let seq = stamp(&mut tx, "versions", "version", id, "create", new.actor, at).await?;
        if let Some(lease) = job {
            crate::jobs::complete_in_tx(&mut tx, lease, number, n, source.report()).await?;
        }
        tx.commit().await.map_err(db_err)?;
        if n + prev_count >= 10_000 {
            // Fresh statistics and visibility map in the background: without them the planner guesses
            // after a large import, and counts read the heap instead of the index alone.
            let pool = self.pool.clone();
            let sql = format!("VACUUM (ANALYZE) {table}");
            tokio::spawn(async move {
                let _ = sqlx::query(&sql).execute(&pool).await;
            });
        }
        Ok(Version {
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
        })
    }

    pub(crate) async fn list_versions_impl(&self, resource_id: Id) -> StoreResult<Vec<Version>> {
        let rows = sqlx::query(&format!(
            "SELECT {VERSION_COLS} FROM versions WHERE resource_id = $1 ORDER BY number DESC"
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
            "SELECT {VERSION_COLS} FROM versions WHERE resource_id = $1 AND number = $2"
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
        let info = load_table(&self.pool, resource_id, false).await?;
        let (version, latest) = self.resolve_version(resource_id, version).await?;
        if version == 0 {
            return Ok(0);
        }
        let table = &info.table;
        let vcond = if latest {
            "_vto IS NULL AND $1::int IS NOT NULL"
        } else {
            "_vfrom <= $1 AND (_vto IS NULL OR _vto > $1)"
        };
        let sql = format!(
            "SELECT _ord, {} FROM {table} WHERE {vcond} AND _ord > $2 ORDER BY _ord LIMIT $3",
            columns(info.types.len())
        );
        let mut last = i64::MIN;
        let mut sent = 0u64;
        loop {
            // Keyset paging: each batch is its own short read, so no connection is held while the
            // consumer is slow.
            let rows = sqlx::query(&sql)
                .bind(version)
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

/// A merge's working tables: `_match`, `_keep`, `_neword` (see `merge_staged`).
struct MergeTemp<'c>(&'c mut PgConnection);

#[async_trait::async_trait]
impl MergeTables for MergeTemp<'_> {
    async fn matches_after(&mut self, after: i64, limit: usize) -> StoreResult<Vec<(i64, i64)>> {
        sqlx::query_as("SELECT pos, ord FROM _match WHERE pos > $1 ORDER BY pos LIMIT $2")
            .bind(after)
            .bind(limit as i64)
            .fetch_all(&mut *self.0)
            .await
            .map_err(db_err)
    }

    async fn keep(&mut self, ords: &[i64]) -> StoreResult<()> {
        sqlx::query("INSERT INTO _keep (ord) SELECT UNNEST($1::bigint[])")
            .bind(ords)
            .execute(&mut *self.0)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn number(&mut self, rows: &[(i64, i64)]) -> StoreResult<()> {
        let (pos, ord): (Vec<i64>, Vec<i64>) = rows.iter().copied().unzip();
        sqlx::query(
            "INSERT INTO _neword (pos, ord) SELECT * FROM UNNEST($1::bigint[], $2::bigint[])",
        )
        .bind(pos)
        .bind(ord)
        .execute(&mut *self.0)
        .await
        .map_err(db_err)?;
        Ok(())
    }
}

/// Compare the staged upload with the current rows: keep unchanged rows that fit the new order,
/// retire the others, insert the new ones. Returns `(rows_added, rows_removed)`.
async fn merge_staged(
    conn: &mut PgConnection,
    table: &str,
    ncols: usize,
    number: i32,
    n: i64,
    prev_count: i64,
) -> StoreResult<(i64, i64)> {
    sqlx::query("ANALYZE _stage")
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    // Pair the k-th occurrence of a content in the upload with its k-th occurrence before, so that
    // duplicate identical rows are counted and kept one by one. The pairs go to a table and are
    // planned page by page: memory stays bounded whatever the size of the table. (In position
    // order, so that its key grows at the right edge: unordered, the insert of a million pairs
    // took 3.8 s instead of 2.2 s.)
    for ddl in [
        "CREATE TEMP TABLE _match (pos BIGINT PRIMARY KEY, ord BIGINT NOT NULL) ON COMMIT DROP",
        "CREATE TEMP TABLE _keep (ord BIGINT PRIMARY KEY) ON COMMIT DROP",
        "CREATE TEMP TABLE _neword (pos BIGINT NOT NULL, ord BIGINT NOT NULL) ON COMMIT DROP",
    ] {
        sqlx::query(ddl).execute(&mut *conn).await.map_err(db_err)?;
    }
    let unchanged = sqlx::query(&format!(
        "INSERT INTO _match (pos, ord) SELECT s.pos, o._ord FROM \
         (SELECT pos, _hash, ROW_NUMBER() OVER (PARTITION BY _hash ORDER BY pos) AS k FROM _stage) s \
         JOIN (SELECT _ord, _hash, ROW_NUMBER() OVER (PARTITION BY _hash ORDER BY _ord) AS k \
               FROM {table} WHERE _vto IS NULL) o \
         ON o._hash = s._hash AND o.k = s.k ORDER BY s.pos"
    ))
    .execute(&mut *conn)
    .await
    .map_err(db_err)?
    .rows_affected() as i64;
    plan_merge(&mut MergeTemp(&mut *conn), n).await?;
    sqlx::query("ANALYZE _keep")
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    sqlx::query("ANALYZE _neword")
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;

    sqlx::query(&format!(
        "UPDATE {table} t SET _vto = $1 WHERE t._vto IS NULL \
         AND NOT EXISTS (SELECT 1 FROM _keep k WHERE k.ord = t._ord)"
    ))
    .bind(number)
    .execute(&mut *conn)
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
         SELECT w.ord, s._hash, $1{sep}{scols} FROM _stage s JOIN _neword w ON w.pos = s.pos ORDER BY s.pos"
    ))
    .bind(number)
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok((n - unchanged, prev_count - unchanged))
}
