//! The Daftar Data on PostgreSQL: plan items, copying a year forward, and the facts kemutakhiran
//! is computed from.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use satudata_core::organization::OrgKind;
use satudata_core::plan::{PlanFacts, PlanItem, PlanItemMeta};
use satudata_core::{new_id, Id};
use satudata_store::governance::PlanQuery;
use satudata_store::{Page, StoreError, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row as _};

use crate::{db_err, json_err, now, offset_i64, page_limit, stamp, PostgresStore};

/// Check an item before writing: its own rules, then that what it points to exists.
async fn check_item(conn: &mut PgConnection, meta: &PlanItemMeta) -> StoreResult<()> {
    if let Err(problems) = meta.validate() {
        let text: Vec<String> = problems.into_iter().map(|p| p.message).collect();
        return Err(StoreError::Invalid(text.join(" ")));
    }
    let org: Option<i32> =
        sqlx::query_scalar("SELECT 1 FROM organizations WHERE id = $1 AND deleted_at IS NULL")
            .bind(meta.organization_id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?;
    if org.is_none() {
        return Err(StoreError::Invalid(format!(
            "organisasi {} tidak ada",
            meta.organization_id
        )));
    }
    if let Some(d) = meta.dataset_id {
        let ds: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM datasets WHERE id = $1 AND deleted_at IS NULL")
                .bind(d)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db_err)?;
        if ds.is_none() {
            return Err(StoreError::Invalid(format!("dataset {d} tidak ada")));
        }
    }
    Ok(())
}

/// Insert an item; its change-log entry is stamped by the caller at the end of the transaction.
async fn insert_item(
    conn: &mut PgConnection,
    meta: PlanItemMeta,
    at: DateTime<Utc>,
) -> StoreResult<PlanItem> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO plan_items (id, year, organization_id, title, dataset_id, due_update, due_release, \
         window_start, meta, created_at, updated_at, seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $10, 0)",
    )
    .bind(id)
    .bind(meta.year)
    .bind(meta.organization_id)
    .bind(meta.title.trim())
    .bind(meta.dataset_id)
    .bind(meta.due_update)
    .bind(meta.due_release)
    .bind(meta.window_start())
    .bind(serde_json::to_string(&meta).map_err(json_err)?)
    .bind(at)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(PlanItem {
        id,
        meta,
        created_at: at,
        updated_at: at,
        seq: 0,
    })
}

const ITEM_COLS: &str = "p.id, p.meta::text AS meta, p.created_at, p.updated_at, p.seq";

fn item_from_row(r: &PgRow) -> StoreResult<PlanItem> {
    let meta: String = r.try_get("meta").map_err(db_err)?;
    Ok(PlanItem {
        id: r.try_get("id").map_err(db_err)?,
        meta: serde_json::from_str(&meta).map_err(json_err)?,
        created_at: r.try_get("created_at").map_err(db_err)?,
        updated_at: r.try_get("updated_at").map_err(db_err)?,
        seq: r.try_get("seq").map_err(db_err)?,
    })
}

impl PostgresStore {
    pub(crate) async fn create_plan_item_impl(
        &self,
        meta: PlanItemMeta,
        actor: Option<Id>,
    ) -> StoreResult<PlanItem> {
        let mut tx = self.begin().await?;
        check_item(&mut tx, &meta).await?;
        let at = now();
        let mut item = insert_item(&mut tx, meta, at).await?;
        item.seq = stamp(
            &mut tx,
            "plan_items",
            "plan_item",
            item.id,
            "create",
            actor,
            at,
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(item)
    }

    pub(crate) async fn create_plan_items_impl(
        &self,
        metas: Vec<PlanItemMeta>,
        actor: Option<Id>,
    ) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        let at = now();
        let mut ids = vec![];
        for meta in metas {
            check_item(&mut tx, &meta).await?;
            ids.push(insert_item(&mut tx, meta, at).await?.id);
        }
        for id in &ids {
            stamp(&mut tx, "plan_items", "plan_item", *id, "create", actor, at).await?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(ids.len() as u64)
    }

    pub(crate) async fn update_plan_item_impl(
        &self,
        id: Id,
        meta: PlanItemMeta,
        actor: Option<Id>,
    ) -> StoreResult<PlanItem> {
        let mut tx = self.begin().await?;
        let created: Option<DateTime<Utc>> = sqlx::query_scalar(
            "SELECT created_at FROM plan_items WHERE id = $1 AND deleted_at IS NULL FOR UPDATE",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        let created = created.ok_or_else(|| StoreError::NotFound(format!("plan item {id}")))?;
        check_item(&mut tx, &meta).await?;
        let at = now();
        sqlx::query(
            "UPDATE plan_items SET year = $1, organization_id = $2, title = $3, dataset_id = $4, due_update = $5, \
             due_release = $6, window_start = $7, meta = $8::jsonb, updated_at = $9 WHERE id = $10",
        )
        .bind(meta.year)
        .bind(meta.organization_id)
        .bind(meta.title.trim())
        .bind(meta.dataset_id)
        .bind(meta.due_update)
        .bind(meta.due_release)
        .bind(meta.window_start())
        .bind(serde_json::to_string(&meta).map_err(json_err)?)
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let seq = stamp(&mut tx, "plan_items", "plan_item", id, "update", actor, at).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(PlanItem {
            id,
            meta,
            created_at: created,
            updated_at: at,
            seq,
        })
    }

    pub(crate) async fn delete_plan_item_impl(&self, id: Id, actor: Option<Id>) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let at = now();
        let done = sqlx::query(
            "UPDATE plan_items SET deleted_at = $1, updated_at = $1 WHERE id = $2 AND deleted_at IS NULL",
        )
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("plan item {id}")));
        }
        stamp(&mut tx, "plan_items", "plan_item", id, "delete", actor, at).await?;
        tx.commit().await.map_err(db_err)
    }

    pub(crate) async fn get_plan_item_impl(&self, id: Id) -> StoreResult<Option<PlanItem>> {
        let row = sqlx::query(&format!(
            "SELECT {ITEM_COLS} FROM plan_items p WHERE p.id = $1 AND p.deleted_at IS NULL"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.as_ref().map(item_from_row).transpose()
    }

    pub(crate) async fn list_plan_items_impl(&self, q: &PlanQuery) -> StoreResult<Page<PlanItem>> {
        let wh = "p.deleted_at IS NULL AND ($1::int IS NULL OR p.year = $1) \
                  AND ($2::uuid IS NULL OR p.organization_id = $2) AND ($3::uuid IS NULL OR p.dataset_id = $3)";
        let total: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM plan_items p WHERE {wh}"))
                .bind(q.year)
                .bind(q.organization_id)
                .bind(q.dataset_id)
                .fetch_one(&self.pool)
                .await
                .map_err(db_err)?;
        let limit = page_limit(q.limit);
        let rows = sqlx::query(&format!(
            "SELECT {ITEM_COLS} FROM plan_items p WHERE {wh} ORDER BY p.due_update, p.title, p.id LIMIT $4 OFFSET $5"
        ))
        .bind(q.year)
        .bind(q.organization_id)
        .bind(q.dataset_id)
        .bind(i64::from(limit))
        .bind(offset_i64(q.offset))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(Page {
            items: rows.iter().map(item_from_row).collect::<StoreResult<_>>()?,
            total: total as u64,
            limit,
            offset: q.offset,
        })
    }

    pub(crate) async fn copy_plan_forward_impl(
        &self,
        year: i32,
        actor: Option<Id>,
    ) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        let existing: Vec<(Id, String)> = sqlx::query_as(
            "SELECT organization_id, title FROM plan_items WHERE year = $1 AND deleted_at IS NULL",
        )
        .bind(year.saturating_add(1))
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        let mut seen: HashSet<(Id, String)> = existing.into_iter().collect();
        let metas: Vec<String> = sqlx::query_scalar(
            "SELECT meta::text FROM plan_items WHERE year = $1 AND deleted_at IS NULL ORDER BY due_update, title, id",
        )
        .bind(year)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        let at = now();
        let mut ids = vec![];
        for m in metas {
            let meta: PlanItemMeta = serde_json::from_str(&m).map_err(json_err)?;
            let next = meta.next_year();
            if !seen.insert((next.organization_id, next.title.trim().to_string())) {
                continue;
            }
            ids.push(insert_item(&mut tx, next, at).await?.id);
        }
        for id in &ids {
            stamp(&mut tx, "plan_items", "plan_item", *id, "create", actor, at).await?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(ids.len() as u64)
    }

    pub(crate) async fn plan_facts_impl(&self, year: Option<i32>) -> StoreResult<Vec<PlanFacts>> {
        // Submissions count from the start of the item's window (a date, taken as midnight UTC).
        let rows = sqlx::query(&format!(
            "SELECT {ITEM_COLS}, o.slug AS org_slug, o.name AS org_name, o.kind AS org_kind, o.region_code, \
             d.slug AS ds_slug, \
             (SELECT t.topic FROM dataset_topics t WHERE t.dataset_id = p.dataset_id ORDER BY t.topic LIMIT 1) AS topic, \
             (SELECT MIN(e.at) FROM review_events e WHERE e.dataset_id = p.dataset_id AND e.action = 'submit' \
                AND e.at >= (p.window_start::timestamp AT TIME ZONE 'UTC')) AS submitted, \
             (SELECT MIN(e.at) FROM review_events e WHERE e.dataset_id = p.dataset_id AND e.action = 'publish' \
                AND e.at >= (p.window_start::timestamp AT TIME ZONE 'UTC')) AS published \
             FROM plan_items p JOIN organizations o ON o.id = p.organization_id \
             LEFT JOIN datasets d ON d.id = p.dataset_id AND d.deleted_at IS NULL \
             WHERE p.deleted_at IS NULL AND ($1::int IS NULL OR p.year = $1) ORDER BY p.due_update, p.title, p.id"
        ))
        .bind(year)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let item = item_from_row(r)?;
                let kind: String = r.try_get("org_kind").map_err(db_err)?;
                let topic: Option<String> = r.try_get("topic").map_err(db_err)?;
                Ok(PlanFacts {
                    topic: topic.or_else(|| item.meta.topic.clone()),
                    item,
                    organization_slug: r.try_get("org_slug").map_err(db_err)?,
                    organization_name: r.try_get("org_name").map_err(db_err)?,
                    organization_kind: kind.parse::<OrgKind>().map_err(StoreError::Backend)?,
                    organization_region: r.try_get("region_code").map_err(db_err)?,
                    dataset_slug: r.try_get("ds_slug").map_err(db_err)?,
                    first_submitted: r.try_get("submitted").map_err(db_err)?,
                    first_published: r.try_get("published").map_err(db_err)?,
                })
            })
            .collect()
    }
}
