//! Catalogue search on SQLite: [`DatasetCondition`] compiled to SQL over the `datasets` table
//! (alias `d`), sort keys, and facet counts.

use std::ops::Bound;

use satudata_store::{
    DatasetCondition, DatasetFacet, DatasetQuery, DatasetSort, DatasetSortField, FacetCount,
    StoreResult,
};
use sqlx::Row as _;

use crate::catalog::{bind_args, Arg};
use crate::{db_err, like_pattern, ts, SqliteStore};

fn range(
    col: &str,
    from: &Bound<chrono::DateTime<chrono::Utc>>,
    to: &Bound<chrono::DateTime<chrono::Utc>>,
    args: &mut Vec<Arg>,
) -> String {
    let mut parts = vec![format!("{col} IS NOT NULL")];
    match from {
        Bound::Included(t) => {
            parts.push(format!("{col} >= ?"));
            args.push(Arg::Text(ts(*t)));
        }
        Bound::Excluded(t) => {
            parts.push(format!("{col} > ?"));
            args.push(Arg::Text(ts(*t)));
        }
        Bound::Unbounded => {}
    }
    match to {
        Bound::Included(t) => {
            parts.push(format!("{col} <= ?"));
            args.push(Arg::Text(ts(*t)));
        }
        Bound::Excluded(t) => {
            parts.push(format!("{col} < ?"));
            args.push(Arg::Text(ts(*t)));
        }
        Bound::Unbounded => {}
    }
    format!("({})", parts.join(" AND "))
}

/// The SQL of a condition; its parameters are appended to `args` in order.
pub(crate) fn condition_sql(c: &DatasetCondition, args: &mut Vec<Arg>) -> String {
    use DatasetCondition as C;
    match c {
        C::All => "1".into(),
        C::And(cs) if cs.is_empty() => "1".into(),
        C::Or(cs) if cs.is_empty() => "0".into(),
        C::And(cs) => format!(
            "({})",
            cs.iter()
                .map(|c| condition_sql(c, args))
                .collect::<Vec<_>>()
                .join(" AND ")
        ),
        C::Or(cs) => format!(
            "({})",
            cs.iter()
                .map(|c| condition_sql(c, args))
                .collect::<Vec<_>>()
                .join(" OR ")
        ),
        C::Not(c) => format!("NOT {}", condition_sql(c, args)),
        C::Organization(id) => {
            args.push(Arg::Id(*id));
            "d.organization_id = ?".into()
        }
        C::Topic(t) => {
            args.push(Arg::Text(t.clone()));
            "d.id IN (SELECT dataset_id FROM dataset_topics WHERE topic = ?)".into()
        }
        C::Tag(t) => {
            args.push(Arg::Text(t.clone()));
            "d.id IN (SELECT dataset_id FROM dataset_tags WHERE tag = ?)".into()
        }
        C::Access(a) => {
            args.push(Arg::Text(a.as_str().into()));
            "d.access = ?".into()
        }
        C::Slug(s) => {
            args.push(Arg::Text(s.clone()));
            "d.slug = ?".into()
        }
        C::Id(id) => {
            args.push(Arg::Id(*id));
            "d.id = ?".into()
        }
        C::License(ids) if ids.is_empty() => "0".into(),
        C::License(ids) => {
            for i in ids {
                args.push(Arg::Text(i.to_lowercase()));
            }
            format!(
                "lower(json_extract(d.meta, '$.license')) IN ({})",
                vec!["?"; ids.len()].join(", ")
            )
        }
        C::Meta { field, value } => {
            args.push(Arg::Text(value.clone()));
            format!(
                "CAST(json_extract(d.meta, '$.{}') AS TEXT) = ?",
                field.key()
            )
        }
        C::Modified(from, to) => range("d.modified_at", from, to, args),
        C::Created(from, to) => range("d.created_at", from, to, args),
        C::HasTable => {
            "d.id IN (SELECT dataset_id FROM resources WHERE kind = 'table' AND deleted_at IS NULL)"
                .into()
        }
        C::HasFile(types) if types.is_empty() => {
            "d.id IN (SELECT dataset_id FROM resources WHERE kind = 'file' AND deleted_at IS NULL)"
                .into()
        }
        C::HasFile(types) => {
            for t in types {
                args.push(Arg::Text(t.to_lowercase()));
            }
            format!(
                "d.id IN (SELECT dataset_id FROM resources WHERE kind = 'file' AND deleted_at IS NULL \
                 AND lower(json_extract(body, '$.media_type')) IN ({}))",
                vec!["?"; types.len()].join(", ")
            )
        }
        C::Text(t) => {
            let p = like_pattern(t.trim());
            args.push(Arg::Text(p.clone()));
            args.push(Arg::Text(p.clone()));
            args.push(Arg::Text(p));
            "(d.title LIKE ? ESCAPE '\\' OR d.description LIKE ? ESCAPE '\\' OR \
             d.id IN (SELECT dataset_id FROM dataset_tags WHERE tag LIKE ? ESCAPE '\\'))"
                .into()
        }
    }
}

/// The ORDER BY of sort keys (the id breaks ties).
pub(crate) fn order_sql(sort: &[DatasetSort]) -> String {
    let mut keys: Vec<String> = sort
        .iter()
        .map(|s| {
            let col = match s.field {
                DatasetSortField::Title => "lower(d.title)",
                DatasetSortField::Slug => "d.slug",
                DatasetSortField::Modified => "d.modified_at",
                DatasetSortField::Created => "d.created_at",
                DatasetSortField::Id => "d.id",
            };
            format!("{col} {}", if s.descending { "DESC" } else { "ASC" })
        })
        .collect();
    keys.push("d.id".into());
    keys.join(", ")
}

impl SqliteStore {
    pub(crate) async fn dataset_facets_impl(
        &self,
        query: &DatasetQuery,
        facets: &[DatasetFacet],
        limit: u32,
    ) -> StoreResult<Vec<Vec<FacetCount>>> {
        let (wh, args) = self.dataset_where(query);
        let mut out = Vec::with_capacity(facets.len());
        for f in facets {
            let (value, from) = match f {
                DatasetFacet::Organization => {
                    ("lower(hex(d.organization_id))", "datasets d".to_string())
                }
                DatasetFacet::Access => ("d.access", "datasets d".to_string()),
                DatasetFacet::License => (
                    "json_extract(d.meta, '$.license')",
                    "datasets d".to_string(),
                ),
                DatasetFacet::Topic => (
                    "x.topic",
                    "dataset_topics x JOIN datasets d ON d.id = x.dataset_id".to_string(),
                ),
                DatasetFacet::Tag => (
                    "x.tag",
                    "dataset_tags x JOIN datasets d ON d.id = x.dataset_id".to_string(),
                ),
            };
            let mut a = args.clone();
            a.push(Arg::Int(i64::from(limit)));
            let rows = bind_args(
                sqlx::query(&format!(
                    "SELECT {value} AS v, COUNT(*) AS n FROM {from} WHERE {wh} GROUP BY v ORDER BY n DESC, v LIMIT ?"
                )),
                &a,
            )
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
            let mut counts = Vec::with_capacity(rows.len());
            for r in rows {
                let v: Option<String> = r.try_get(0).map_err(db_err)?;
                let n: i64 = r.try_get(1).map_err(db_err)?;
                let Some(mut v) = v else { continue };
                if *f == DatasetFacet::Organization {
                    v = uuid::Uuid::parse_str(&v)
                        .map(|u| u.to_string())
                        .unwrap_or(v);
                }
                counts.push(FacetCount {
                    value: v,
                    count: n as u64,
                });
            }
            out.push(counts);
        }
        Ok(out)
    }
}

impl SqliteStore {
    /// Every live dataset with its last-change time and resources, in one query.
    pub(crate) async fn catalog_entries_impl(
        &self,
    ) -> StoreResult<Vec<satudata_store::CatalogEntry>> {
        let rows = sqlx::query(
            "SELECT d.id, d.meta, d.created_at, d.updated_at, d.seq, COALESCE(d.modified_at, d.updated_at) AS modified, \
             EXISTS (SELECT 1 FROM resources r WHERE r.dataset_id = d.id AND r.kind = 'table' AND r.deleted_at IS NULL) AS has_table, \
             (SELECT group_concat(lower(json_extract(r.body, '$.media_type')), char(10)) FROM resources r \
              WHERE r.dataset_id = d.id AND r.kind = 'file' AND r.deleted_at IS NULL) AS file_types \
             FROM datasets d WHERE d.deleted_at IS NULL",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let types: Option<String> = r.try_get("file_types").map_err(db_err)?;
                Ok(satudata_store::CatalogEntry {
                    dataset: crate::catalog::dataset_from_row(r)?,
                    modified: crate::parse_ts(
                        &r.try_get::<String, _>("modified").map_err(db_err)?,
                    )?,
                    has_table: r.try_get::<bool, _>("has_table").map_err(db_err)?,
                    file_types: types
                        .map(|t| t.split('\n').map(str::to_string).collect())
                        .unwrap_or_default(),
                })
            })
            .collect()
    }
}
