//! Catalogue search on PostgreSQL: [`DatasetCondition`] compiled to SQL over the `datasets` table
//! (alias `d`), sort keys, and facet counts.

use std::ops::Bound;

use chrono::{DateTime, Utc};
use satudata_store::{
    DatasetCondition, DatasetFacet, DatasetQuery, DatasetSort, DatasetSortField, FacetCount,
    StoreResult,
};
use sqlx::Row as _;

use crate::catalog::{Arg, Args};
use crate::{db_err, like_pattern, PostgresStore};

fn range(
    col: &str,
    from: &Bound<DateTime<Utc>>,
    to: &Bound<DateTime<Utc>>,
    args: &mut Args,
) -> String {
    let mut parts = vec![format!("{col} IS NOT NULL")];
    match from {
        Bound::Included(t) => parts.push(format!("{col} >= {}", args.push(Arg::Time(*t)))),
        Bound::Excluded(t) => parts.push(format!("{col} > {}", args.push(Arg::Time(*t)))),
        Bound::Unbounded => {}
    }
    match to {
        Bound::Included(t) => parts.push(format!("{col} <= {}", args.push(Arg::Time(*t)))),
        Bound::Excluded(t) => parts.push(format!("{col} < {}", args.push(Arg::Time(*t)))),
        Bound::Unbounded => {}
    }
    format!("({})", parts.join(" AND "))
}

/// The SQL of a condition, its binds pushed onto `args`.
pub(crate) fn condition_sql(c: &DatasetCondition, args: &mut Args) -> String {
    use DatasetCondition as C;
    match c {
        C::All => "TRUE".into(),
        C::And(cs) if cs.is_empty() => "TRUE".into(),
        C::Or(cs) if cs.is_empty() => "FALSE".into(),
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
        C::Organization(id) => format!("d.organization_id = {}", args.push(Arg::Id(*id))),
        C::Topic(t) => format!(
            "d.id IN (SELECT dataset_id FROM dataset_topics WHERE topic = {})",
            args.push(Arg::Text(t.clone()))
        ),
        C::Tag(t) => format!(
            "d.id IN (SELECT dataset_id FROM dataset_tags WHERE tag = {})",
            args.push(Arg::Text(t.clone()))
        ),
        C::Access(a) => format!("d.access = {}", args.push(Arg::Text(a.as_str().into()))),
        C::Slug(s) => format!("d.slug = {}", args.push(Arg::Text(s.clone()))),
        C::Id(id) => format!("d.id = {}", args.push(Arg::Id(*id))),
        C::License(ids) => format!(
            "lower(d.meta->>'license') = ANY({}::text[])",
            args.push(Arg::Texts(ids.iter().map(|i| i.to_lowercase()).collect()))
        ),
        C::Meta { field, value } => format!(
            "(d.meta->>'{}') = {}",
            field.key(),
            args.push(Arg::Text(value.clone()))
        ),
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
        C::HasFile(types) => format!(
            "d.id IN (SELECT dataset_id FROM resources WHERE kind = 'file' AND deleted_at IS NULL \
             AND lower(body->>'media_type') = ANY({}::text[]))",
            args.push(Arg::Texts(types.iter().map(|t| t.to_lowercase()).collect()))
        ),
        C::Text(t) => {
            let p = args.push(Arg::Text(like_pattern(t.trim())));
            format!(
                "(d.title ILIKE {p} ESCAPE '\\' OR d.description ILIKE {p} ESCAPE '\\' OR \
                 d.id IN (SELECT dataset_id FROM dataset_tags WHERE tag ILIKE {p} ESCAPE '\\'))"
            )
        }
    }
}

/// The ORDER BY of sort keys (the id breaks ties).
pub(crate) fn order_sql(sort: &[DatasetSort]) -> String {
    let mut keys: Vec<String> = sort
        .iter()
        .map(|s| {
            let col = match s.field {
                DatasetSortField::Title => "lower(d.title) COLLATE \"C\"",
                DatasetSortField::Slug => "d.slug COLLATE \"C\"",
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

impl PostgresStore {
    pub(crate) async fn dataset_facets_impl(
        &self,
        query: &DatasetQuery,
        facets: &[DatasetFacet],
        limit: u32,
    ) -> StoreResult<Vec<Vec<FacetCount>>> {
        let mut out = Vec::with_capacity(facets.len());
        for f in facets {
            let (mut wh, mut args) = self.dataset_where(query);
            let (value, from) = match f {
                DatasetFacet::Organization => ("d.organization_id::text", "datasets d"),
                DatasetFacet::Access => ("d.access", "datasets d"),
                DatasetFacet::License => ("d.meta->>'license'", "datasets d"),
                DatasetFacet::Topic => (
                    "x.topic",
                    "dataset_topics x JOIN datasets d ON d.id = x.dataset_id",
                ),
                DatasetFacet::Tag => (
                    "x.tag",
                    "dataset_tags x JOIN datasets d ON d.id = x.dataset_id",
                ),
            };
            let l = args.push(Arg::Int(i64::from(limit)));
            wh = format!(
                "SELECT v, n FROM (SELECT {value} AS v, COUNT(*) AS n FROM {from} WHERE {wh} GROUP BY 1) t \
                 ORDER BY n DESC, v COLLATE \"C\" LIMIT {l}"
            );
            let rows = args
                .bind(sqlx::query(&wh))
                .fetch_all(&self.pool)
                .await
                .map_err(db_err)?;
            let mut counts = Vec::with_capacity(rows.len());
            for r in rows {
                let v: Option<String> = r.try_get(0).map_err(db_err)?;
                let n: i64 = r.try_get(1).map_err(db_err)?;
                if let Some(v) = v {
                    counts.push(FacetCount {
                        value: v,
                        count: n as u64,
                    });
                }
            }
            out.push(counts);
        }
        Ok(out)
    }
}

impl PostgresStore {
    /// Every live dataset with its last-change time and resources, in one query.
    pub(crate) async fn catalog_entries_impl(
        &self,
    ) -> StoreResult<Vec<satudata_store::CatalogEntry>> {
        let rows = sqlx::query(
            "SELECT d.id, d.meta::text AS meta, d.created_at, d.updated_at, d.seq, \
             COALESCE(d.modified_at, d.updated_at) AS modified, \
             EXISTS (SELECT 1 FROM resources r WHERE r.dataset_id = d.id AND r.kind = 'table' AND r.deleted_at IS NULL) AS has_table, \
             ARRAY(SELECT lower(r.body->>'media_type') FROM resources r \
                   WHERE r.dataset_id = d.id AND r.kind = 'file' AND r.deleted_at IS NULL) AS file_types \
             FROM datasets d WHERE d.deleted_at IS NULL",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(satudata_store::CatalogEntry {
                    dataset: crate::catalog::dataset_from_row(r)?,
                    modified: r.try_get("modified").map_err(db_err)?,
                    has_table: r.try_get("has_table").map_err(db_err)?,
                    file_types: r.try_get::<Vec<String>, _>("file_types").map_err(db_err)?,
                })
            })
            .collect()
    }
}
