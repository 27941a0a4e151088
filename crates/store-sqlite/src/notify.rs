//! Notifications, usage counts and quality snapshots on SQLite.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use satudata_core::dataset::Access;
use satudata_core::notification::{Audience, NewNotification, Notification};
use satudata_core::{new_id, Id};
use satudata_store::governance::{MostUsed, UsageDelta, UsageTotals};
use satudata_store::{StoreError, StoreResult};
use sqlx::{Row as _, SqliteConnection};

use crate::{db_err, now, parse_opt_ts, parse_ts, ts, SqliteStore};

/// Deliver `n` inside a write transaction: one row per recipient, skipping users who already
/// have its dedupe key.
pub(crate) async fn notify_in(
    conn: &mut SqliteConnection,
    n: NewNotification,
    at: DateTime<Utc>,
) -> StoreResult<Vec<Notification>> {
    let mut users: BTreeSet<Id> = BTreeSet::new();
    for a in &n.audience {
        let ids: Vec<Id> = match a {
            Audience::User(id) => {
                sqlx::query_scalar("SELECT id FROM users WHERE id = ? AND disabled = 0")
                    .bind(*id)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(db_err)?
            }
            Audience::Role { role, organization } => sqlx::query_scalar(
                "SELECT DISTINCT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id \
                 WHERE m.role = ? AND (? IS NULL OR m.organization_id = ?) AND u.disabled = 0",
            )
            .bind(role.as_str())
            .bind(*organization)
            .bind(*organization)
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?,
        };
        users.extend(ids);
    }
    let mut out = vec![];
    for user_id in users {
        let id = new_id();
        let done = sqlx::query(
            "INSERT INTO notifications (id, user_id, kind, title, body, link, dedupe_key, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(user_id)
        .bind(&n.kind)
        .bind(&n.title)
        .bind(&n.body)
        .bind(&n.link)
        .bind(&n.dedupe_key)
        .bind(ts(at))
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 1 {
            out.push(Notification {
                id,
                user_id,
                kind: n.kind.clone(),
                title: n.title.clone(),
                body: n.body.clone(),
                link: n.link.clone(),
                created_at: at,
                read_at: None,
            });
        }
    }
    Ok(out)
}

impl SqliteStore {
    pub(crate) async fn notify_impl(&self, n: NewNotification) -> StoreResult<Vec<Notification>> {
        let mut tx = self.begin_write().await?;
        let out = notify_in(tx.conn(), n, now()).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub(crate) async fn list_notifications_impl(
        &self,
        user_id: Id,
        unread_only: bool,
        limit: u32,
    ) -> StoreResult<Vec<Notification>> {
        let rows = sqlx::query(
            "SELECT id, user_id, kind, title, body, link, created_at, read_at FROM notifications \
             WHERE user_id = ? AND (? = 0 OR read_at IS NULL) ORDER BY created_at DESC, id DESC LIMIT ?",
        )
        .bind(user_id)
        .bind(unread_only)
        .bind(i64::from(crate::page_limit(limit)))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(Notification {
                    id: r.try_get("id").map_err(db_err)?,
                    user_id: r.try_get("user_id").map_err(db_err)?,
                    kind: r.try_get("kind").map_err(db_err)?,
                    title: r.try_get("title").map_err(db_err)?,
                    body: r.try_get("body").map_err(db_err)?,
                    link: r.try_get("link").map_err(db_err)?,
                    created_at: parse_ts(&r.try_get::<String, _>("created_at").map_err(db_err)?)?,
                    read_at: parse_opt_ts(r.try_get("read_at").map_err(db_err)?)?,
                })
            })
            .collect()
    }

    pub(crate) async fn mark_notification_read_impl(&self, user_id: Id, id: Id) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?",
        )
        .bind(ts(now()))
        .bind(id)
        .bind(user_id)
        .execute(tx.conn())
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("notification {id}")));
        }
        tx.commit().await
    }

    pub(crate) async fn add_usage_impl(&self, counts: Vec<UsageDelta>) -> StoreResult<()> {
        if counts.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for c in counts {
            let downloads = i64::try_from(c.downloads).unwrap_or(i64::MAX);
            let api_calls = i64::try_from(c.api_calls).unwrap_or(i64::MAX);
            sqlx::query(
                "INSERT INTO usage_counts (dataset_id, day, n, downloads, api_calls) \
                 VALUES (?, ?, ?, ?, ?) \
                 ON CONFLICT (dataset_id, day) DO UPDATE SET n = n + excluded.n, \
                 downloads = downloads + excluded.downloads, \
                 api_calls = api_calls + excluded.api_calls",
            )
            .bind(c.dataset_id)
            .bind(c.day.to_string())
            .bind(downloads.saturating_add(api_calls))
            .bind(downloads)
            .bind(api_calls)
            .execute(tx.conn())
            .await
            .map_err(db_err)?;
        }
        tx.commit().await
    }

    pub(crate) async fn dataset_usage_impl(
        &self,
        dataset_id: Id,
        since: Option<NaiveDate>,
    ) -> StoreResult<UsageTotals> {
        let (downloads, api_calls): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(downloads), 0), COALESCE(SUM(api_calls), 0) FROM usage_counts \
             WHERE dataset_id = ? AND (? IS NULL OR day >= ?)",
        )
        .bind(dataset_id)
        .bind(since.map(|d| d.to_string()))
        .bind(since.map(|d| d.to_string()))
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(UsageTotals {
            downloads: downloads.max(0) as u64,
            api_calls: api_calls.max(0) as u64,
        })
    }

    pub(crate) async fn most_used_datasets_impl(
        &self,
        since: NaiveDate,
        access: &[Access],
        limit: u32,
    ) -> StoreResult<Vec<MostUsed>> {
        let levels: Vec<&str> = access.iter().map(|a| a.as_str()).collect();
        let levels = serde_json::to_string(&levels).unwrap_or_else(|_| "[]".into());
        let rows = sqlx::query(
            "SELECT d.id, d.slug, d.title, d.organization_id, u.downloads, u.api_calls \
             FROM (SELECT dataset_id, SUM(downloads) AS downloads, SUM(api_calls) AS api_calls, \
                          SUM(n) AS n \
                   FROM usage_counts WHERE day >= ? GROUP BY dataset_id) u \
             JOIN datasets d ON d.id = u.dataset_id \
             WHERE d.deleted_at IS NULL AND u.n > 0 \
               AND (json_array_length(?) = 0 OR d.access IN (SELECT value FROM json_each(?))) \
               AND EXISTS (SELECT 1 FROM resources r WHERE r.dataset_id = d.id \
                           AND r.deleted_at IS NULL AND (r.kind = 'file' OR EXISTS \
                           (SELECT 1 FROM versions v WHERE v.resource_id = r.id \
                            AND v.state = 'terbit'))) \
             ORDER BY u.n DESC, d.title, d.id LIMIT ?",
        )
        .bind(since.to_string())
        .bind(&levels)
        .bind(&levels)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(MostUsed {
                    dataset_id: r.try_get("id").map_err(db_err)?,
                    slug: r.try_get("slug").map_err(db_err)?,
                    title: r.try_get("title").map_err(db_err)?,
                    organization_id: r.try_get("organization_id").map_err(db_err)?,
                    downloads: r.try_get::<i64, _>("downloads").map_err(db_err)?.max(0) as u64,
                    api_calls: r.try_get::<i64, _>("api_calls").map_err(db_err)?.max(0) as u64,
                })
            })
            .collect()
    }

    pub(crate) async fn usage_since_impl(&self, since: NaiveDate) -> StoreResult<Vec<(Id, u64)>> {
        let rows: Vec<(Id, i64)> = sqlx::query_as(
            "SELECT dataset_id, SUM(n) FROM usage_counts WHERE day >= ? GROUP BY dataset_id",
        )
        .bind(since.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|(d, n)| (d, n.max(0) as u64))
            .collect())
    }

    pub(crate) async fn put_quality_snapshot_impl(
        &self,
        organization_id: Id,
        month: &str,
        score: f64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO quality_snapshots (organization_id, month, score) VALUES (?, ?, ?) \
             ON CONFLICT (organization_id, month) DO UPDATE SET score = excluded.score",
        )
        .bind(organization_id)
        .bind(month)
        .bind(score)
        .execute(tx.conn())
        .await
        .map_err(db_err)?;
        tx.commit().await
    }

    pub(crate) async fn quality_snapshots_impl(
        &self,
        organization_id: Id,
    ) -> StoreResult<Vec<(String, f64)>> {
        sqlx::query_as(
            "SELECT month, score FROM quality_snapshots WHERE organization_id = ? ORDER BY month",
        )
        .bind(organization_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)
    }
}
