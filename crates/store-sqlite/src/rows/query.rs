//! Row queries (filters, `select`, sort, offset and keyset paging) and aggregates, with the SQL of
//! [`satudata_store::rowsql`] so that they mean the same as on PostgreSQL.

use satudata_core::aggregate::{AggregatePage, AggregateQuery};
use satudata_core::dataset::Version;
use satudata_core::row::{Cursor, Row, RowPage, RowQuery};
use satudata_core::value::Value;
use satudata_core::Id;
use satudata_store::rowsql::{row_order, Dialect, SqlBuilder};

use satudata_store::rowtable::{column_name, resolve_aggregate, resolve_query};
use satudata_store::StoreResult;
use sqlx::Row as _;

use super::{bind_value, load_table, read_value};
use crate::{db_err, offset_i64, SqliteStore};

/// Rows per batch of a CSV export (one statement, one value of joined lines, per batch).
const CSV_BATCH: u64 = 5000;

impl SqliteStore {
    pub(crate) async fn query_rows_impl(
        &self,
        resource_id: Id,
        query: &RowQuery,
    ) -> StoreResult<RowPage> {
        let info = load_table(&self.pool, resource_id).await?;
        let resolved = resolve_query(query, &info.schema)?;
        let (version, latest) = self.resolve_version(resource_id, query.version).await?;
        let fields: Vec<String> = resolved
            .select
            .iter()
            .map(|i| info.schema.fields[*i].name.clone())
            .collect();
        let empty = |total| RowPage {
            version,
            fields: fields.clone(),
            rows: vec![],
            total,
            limit: query.limit,
            offset: query.offset,
            next_cursor: None,
        };
        if version == 0 {
            return Ok(empty(query.with_total.then_some(0)));
        }
        let table = &info.table;
        let mut b = SqlBuilder::new(Dialect::Sqlite);
        let mut wh = vec![b.version_cond(version, latest)];
        for f in &resolved.filters {
            wh.push(b.filter(f));
        }
        // The total counts every row matching the filters, wherever the page starts.
        let count_sql = format!("SELECT COUNT(*) FROM {table} WHERE {}", wh.join(" AND "));
        let count_args = b.args.clone();
        if let Some(c) = &resolved.after {
            wh.push(b.keyset(&resolved.sort, c));
        }
        let limit = b.bind(Value::Int(i64::from(query.limit)));
        let offset = b.bind(Value::Int(offset_i64(query.offset)));
        let mut cols = vec!["_ord".to_string()];
        cols.extend(resolved.sort.iter().map(|(i, _)| column_name(*i)));
        cols.extend(resolved.select.iter().map(|i| column_name(*i)));
        let sql = format!(
            "SELECT {} FROM {table} WHERE {} ORDER BY {} LIMIT {limit} OFFSET {offset}",
            cols.join(", "),
            wh.join(" AND "),
            row_order(&resolved.sort)
        );
        let mut q = sqlx::query(&sql);
        for a in b.args {
            q = bind_value(q, a);
        }
        // The count and the page are independent reads: run them side by side.
        let count = async {
            if !query.with_total {
                return Ok(None);
            }
            let mut q = sqlx::query(&count_sql);
            for a in count_args {
                q = bind_value(q, a);
            }
            let n: i64 = q
                .fetch_one(&self.pool)
                .await
                .map_err(db_err)?
                .try_get(0)
                .map_err(db_err)?;
            StoreResult::Ok(Some(n as u64))
        };
        let (rows, total) = tokio::join!(q.fetch_all(&self.pool), count);
        let rows = rows.map_err(db_err)?;
        let total = total?;
        let nsort = resolved.sort.len();
        let mut out = Vec::with_capacity(rows.len());
        let mut next_cursor = None;
        for (k, r) in rows.iter().enumerate() {
            let row = resolved
                .select
                .iter()
                .enumerate()
                .map(|(j, i)| read_value(r, 1 + nsort + j, info.types[*i]))
                .collect::<StoreResult<Row>>()?;
            out.push(row);
            if k + 1 == rows.len() && rows.len() as u64 == u64::from(query.limit) {
                let keys = resolved
                    .sort
                    .iter()
                    .enumerate()
                    .map(|(j, (i, _))| read_value(r, 1 + j, info.types[*i]))
                    .collect::<StoreResult<Vec<Value>>>()?;
                next_cursor = Some(Cursor {
                    keys,
                    ord: r.try_get(0).map_err(db_err)?,
                });
            }
        }
        Ok(RowPage {
            version,
            fields,
            rows: out,
            total,
            limit: query.limit,
            offset: query.offset,
            next_cursor,
        })
    }

    pub(crate) async fn aggregate_rows_impl(
        &self,
        resource_id: Id,
        query: &AggregateQuery,
    ) -> StoreResult<AggregatePage> {
        let info = load_table(&self.pool, resource_id).await?;
        let agg = resolve_aggregate(query, &info.schema)?;
        let (version, latest) = self.resolve_version(resource_id, query.version).await?;
        let mut page = AggregatePage {
            version,
            columns: agg.columns.clone(),
            rows: vec![],
            notes: agg.notes.clone(),
            limit: query.limit,
            offset: query.offset,
        };
        if version == 0 {
            return Ok(page);
        }
        let mut b = SqlBuilder::new(Dialect::Sqlite);
        let mut wh = vec![b.version_cond(version, latest)];
        for f in &agg.filters {
            wh.push(b.filter(f));
        }
        let sql = b.aggregate(
            &info.table,
            &wh.join(" AND "),
            &agg,
            &info.types,
            query.limit,
            query.offset,
        );
        let mut q = sqlx::query(&sql);
        for a in b.args {
            q = bind_value(q, a);
        }
        let rows = q.fetch_all(&self.pool).await.map_err(db_err)?;
        page.rows = rows
            .iter()
            .map(|r| {
                agg.out_types
                    .iter()
                    .enumerate()
                    .map(|(i, t)| read_value(r, i, *t))
                    .collect::<StoreResult<Row>>()
            })
            .collect::<StoreResult<Vec<Row>>>()?;
        Ok(page)
    }

    pub(crate) async fn stream_csv_impl(
        &self,
        resource_id: Id,
        query: &RowQuery,
        max: Option<u64>,
        sink: tokio::sync::mpsc::Sender<Vec<u8>>,
    ) -> StoreResult<u64> {
        let info = load_table(&self.pool, resource_id).await?;
        let resolved = resolve_query(query, &info.schema)?;
        let (version, latest) = self.resolve_version(resource_id, query.version).await?;
        if version == 0 {
            return Ok(0);
        }
        let table = &info.table;
        if let Some(path) = self.database_file().await? {
            // A file: read it straight from SQLite on a connection of the export's own.
            let mut b = SqlBuilder::new(Dialect::Sqlite);
            // The exact range of the version resolved here, not `_vto IS NULL`: the export's
            // connection must read this version even if a newer one is published meanwhile.
            let mut wh = vec![b.version_cond(version, false)];
            for f in &resolved.filters {
                wh.push(b.filter(f));
            }
            if let Some(c) = &resolved.after {
                wh.push(b.keyset(&resolved.sort, c));
            }
            let lim = b.bind(Value::Int(
                max.map_or(-1, |m| i64::try_from(m).unwrap_or(i64::MAX)),
            ));
            let off = b.bind(Value::Int(offset_i64(query.offset)));
            let cols: Vec<String> = resolved.select.iter().map(|i| column_name(*i)).collect();
            let sql = format!(
                "SELECT {} FROM {table} WHERE {} ORDER BY {} LIMIT {lim} OFFSET {off}",
                cols.join(", "),
                wh.join(" AND "),
                row_order(&resolved.sort)
            );
            let types = resolved.select.iter().map(|i| info.types[*i]).collect();
            let args = b.args;
            return tokio::task::spawn_blocking(move || {
                super::export::csv_from_file(path, sql, args, types, sink)
            })
            .await
            .map_err(|e| satudata_store::StoreError::Backend(format!("export task: {e}")))?;
        }
        let line = SqlBuilder::new(Dialect::Sqlite).csv_line(&info.types, &resolved.select);
        let mut after = resolved.after.clone();
        let mut offset = query.offset;
        let mut sent = 0u64;
        loop {
            let want = max.map_or(CSV_BATCH, |m| (m - sent).min(CSV_BATCH));
            if want == 0 {
                break;
            }
            let mut b = SqlBuilder::new(Dialect::Sqlite);
            let mut wh = vec![b.version_cond(version, latest)];
            for f in &resolved.filters {
                wh.push(b.filter(f));
            }
            if let Some(c) = &after {
                wh.push(b.keyset(&resolved.sort, c));
            }
            let lim = b.bind(Value::Int(want as i64));
            let off = b.bind(Value::Int(offset_i64(offset)));
            let wh = wh.join(" AND ");
            let (n, mut buf, next) = if resolved.sort.is_empty() {
                // In upload order: one value per batch, the lines joined by the database.
                let sql = format!(
                    "SELECT MAX(_ord), COUNT(*), {} FROM \
                     (SELECT _ord, {line} AS line FROM {table} WHERE {wh} ORDER BY _ord LIMIT {lim} OFFSET {off}) AS b",
                    b.concat_lines("line")
                );
                let mut q = sqlx::query(&sql);
                for a in b.args {
                    q = bind_value(q, a);
                }
                let r = q.fetch_one(&self.pool).await.map_err(db_err)?;
                let n: i64 = r.try_get(1).map_err(db_err)?;
                let text: Option<String> = r.try_get(2).map_err(db_err)?;
                let last: Option<i64> = r.try_get(0).map_err(db_err)?;
                (
                    n as u64,
                    text.unwrap_or_default().into_bytes(),
                    last.map(|ord| Cursor { keys: vec![], ord }),
                )
            } else {
                let mut cols = vec!["_ord".to_string()];
                cols.extend(resolved.sort.iter().map(|(i, _)| column_name(*i)));
                cols.push(line.clone());
                let sql = format!(
                    "SELECT {} FROM {table} WHERE {wh} ORDER BY {} LIMIT {lim} OFFSET {off}",
                    cols.join(", "),
                    row_order(&resolved.sort)
                );
                let mut q = sqlx::query(&sql);
                for a in b.args {
                    q = bind_value(q, a);
                }
                let rows = q.fetch_all(&self.pool).await.map_err(db_err)?;
                let nsort = resolved.sort.len();
                let mut buf = Vec::with_capacity(rows.len() * 128);
                for r in &rows {
                    let text: String = r.try_get(1 + nsort).map_err(db_err)?;
                    buf.extend_from_slice(text.as_bytes());
                    buf.push(b'\n');
                }
                buf.pop();
                let next = match rows.last() {
                    Some(r) => Some(Cursor {
                        keys: resolved
                            .sort
                            .iter()
                            .enumerate()
                            .map(|(j, (i, _))| read_value(r, 1 + j, info.types[*i]))
                            .collect::<StoreResult<Vec<Value>>>()?,
                        ord: r.try_get(0).map_err(db_err)?,
                    }),
                    None => None,
                };
                (rows.len() as u64, buf, next)
            };
            if n == 0 {
                break;
            }
            buf.push(b'\n');
            sent += n;
            if sink.send(buf).await.is_err() {
                // The client went away.
                break;
            }
            if n < want {
                break;
            }
            after = next;
            offset = 0;
        }
        Ok(sent)
    }

    /// The file of the main database (`None` for an in-memory store).
    async fn database_file(&self) -> StoreResult<Option<std::path::PathBuf>> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as("PRAGMA database_list")
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .find(|(_, name, _)| name == "main")
            .map(|(_, _, file)| file)
            .filter(|f| !f.is_empty())
            .map(std::path::PathBuf::from))
    }

    pub(crate) async fn latest_version_impl(
        &self,
        resource_id: Id,
    ) -> StoreResult<Option<Version>> {
        let (number, _) = self.resolve_version(resource_id, None).await?;
        if number == 0 {
            return Ok(None);
        }
        self.get_version_impl(resource_id, number).await
    }
}
