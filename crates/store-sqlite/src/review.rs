//! Pemeriksaan on SQLite: review states of versions, transitions with their log, the review queue,
//! the diff between versions and the pembina's metadata reviews.

use chrono::SubsecRound;
use satudata_core::dataset::DatasetMeta;
use satudata_core::review::{
    note_required, supersede, transition, MetadataReview, ReviewAction, ReviewEvent, ReviewNote,
    ReviewState, RowDiff,
};
use satudata_core::row::Row;
use satudata_core::user::Role;
use satudata_core::{new_id, Id};
use satudata_store::governance::{
    Applied, NewTransition, QueueItem, QueueQuery, SubmissionChecks, SubmissionRecord, VersionState,
};
use satudata_store::rowdiff::{pair_rows, Side};
use satudata_store::{Page, StoreError, StoreResult};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row as _, SqliteConnection};

use crate::rows::{columns, load_table, read_value};
use crate::{
    append_change, db_err, json_err, now, offset_i64, page_limit, parse_ts, ts, SqliteStore,
};

/// Rows read on each side of a diff at most (pairing happens within them).
const DIFF_CAP: i64 = 20_000;

fn parse<T: std::str::FromStr<Err = String>>(s: &str) -> StoreResult<T> {
    s.parse::<T>()
        .map_err(|e| StoreError::Backend(format!("bad stored value: {e}")))
}

const EVENT_COLS: &str =
    "id, dataset_id, resource_id, version, action, from_state, to_state, actor, role, at, note, notes";

fn event_from_row(r: &SqliteRow) -> StoreResult<ReviewEvent> {
    let role: Option<String> = r.try_get("role").map_err(db_err)?;
    let notes: String = r.try_get("notes").map_err(db_err)?;
    Ok(ReviewEvent {
        id: r.try_get("id").map_err(db_err)?,
        dataset_id: r.try_get("dataset_id").map_err(db_err)?,
        resource_id: r.try_get("resource_id").map_err(db_err)?,
        version: r.try_get("version").map_err(db_err)?,
        action: parse(&r.try_get::<String, _>("action").map_err(db_err)?)?,
        from: parse(&r.try_get::<String, _>("from_state").map_err(db_err)?)?,
        to: parse(&r.try_get::<String, _>("to_state").map_err(db_err)?)?,
        actor: r.try_get("actor").map_err(db_err)?,
        role: role.as_deref().map(parse::<Role>).transpose()?,
        at: parse_ts(&r.try_get::<String, _>("at").map_err(db_err)?)?,
        note: r.try_get("note").map_err(db_err)?,
        notes: serde_json::from_str::<Vec<ReviewNote>>(&notes).map_err(json_err)?,
    })
}

/// Insert one event row.
async fn insert_event(
    conn: &mut SqliteConnection,
    e: &ReviewEvent,
    checks: Option<&SubmissionChecks>,
    meta: Option<&DatasetMeta>,
) -> StoreResult<()> {
    let checks = checks
        .map(serde_json::to_string)
        .transpose()
        .map_err(json_err)?;
    let meta = meta
        .map(serde_json::to_string)
        .transpose()
        .map_err(json_err)?;
    sqlx::query(&format!(
        "INSERT INTO review_events ({EVENT_COLS}, checks, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(e.id)
    .bind(e.dataset_id)
    .bind(e.resource_id)
    .bind(e.version)
    .bind(e.action.as_str())
    .bind(e.from.as_str())
    .bind(e.to.as_str())
    .bind(e.actor)
    .bind(e.role.map(|r| r.as_str()))
    .bind(ts(e.at))
    .bind(&e.note)
    .bind(serde_json::to_string(&e.notes).map_err(json_err)?)
    .bind(checks)
    .bind(meta)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Move one version to `to` and record the change in the change log.
async fn set_state(
    conn: &mut SqliteConnection,
    version_id: Id,
    to: ReviewState,
    checks_passed: Option<bool>,
    actor: Option<Id>,
    at: chrono::DateTime<chrono::Utc>,
) -> StoreResult<()> {
    let seq = append_change(&mut *conn, "version", version_id, "update", actor, at).await?;
    sqlx::query(
        "UPDATE versions SET state = ?, state_at = ?, checks_passed = COALESCE(?, checks_passed), seq = ? WHERE id = ?",
    )
    .bind(to.as_str())
    .bind(ts(at))
    .bind(checks_passed)
    .bind(seq)
    .bind(version_id)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

impl SqliteStore {
    pub(crate) async fn version_states_impl(
        &self,
        resource_id: Id,
    ) -> StoreResult<Vec<VersionState>> {
        let rows = sqlx::query(
            "SELECT number, state, COALESCE(state_at, created_at) AS since, checks_passed \
             FROM versions WHERE resource_id = ? ORDER BY number DESC",
        )
        .bind(resource_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(VersionState {
                    number: r.try_get("number").map_err(db_err)?,
                    state: parse(&r.try_get::<String, _>("state").map_err(db_err)?)?,
                    state_at: parse_ts(&r.try_get::<String, _>("since").map_err(db_err)?)?,
                    checks_passed: r.try_get("checks_passed").map_err(db_err)?,
                })
            })
            .collect()
    }

    pub(crate) async fn latest_published_impl(&self, resource_id: Id) -> StoreResult<Option<i32>> {
        sqlx::query_scalar(
            "SELECT MAX(number) FROM versions WHERE resource_id = ? AND state = 'terbit'",
        )
        .bind(resource_id)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)
    }

    pub(crate) async fn apply_transition_impl(&self, t: NewTransition) -> StoreResult<Applied> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT v.id, v.state, r.dataset_id FROM versions v JOIN resources r ON r.id = v.resource_id \
             WHERE v.resource_id = ? AND v.number = ? AND r.deleted_at IS NULL",
        )
        .bind(t.resource_id)
        .bind(t.version)
        .fetch_optional(tx.conn())
        .await
        .map_err(db_err)?
        .ok_or_else(|| {
            StoreError::NotFound(format!("version {} of resource {}", t.version, t.resource_id))
        })?;
        let version_id: Id = row.try_get("id").map_err(db_err)?;
        let dataset_id: Id = row.try_get("dataset_id").map_err(db_err)?;
        let from: ReviewState = parse(&row.try_get::<String, _>("state").map_err(db_err)?)?;
        let to = transition(from, t.action, t.role).map_err(|e| StoreError::Conflict(e.0))?;
        if note_required(from, t.action) && t.note.trim().is_empty() && t.notes.is_empty() {
            return Err(StoreError::Invalid(
                "Catatan wajib diisi untuk tindakan ini.".to_string(),
            ));
        }
        let at = t.at.unwrap_or_else(now).trunc_subsecs(6);

        if matches!(t.action, ReviewAction::Submit | ReviewAction::Resubmit) {
            // One submission per table: older open versions are closed.
            let older: Vec<(Id, i32, String)> = sqlx::query_as(
                "SELECT id, number, state FROM versions WHERE resource_id = ? AND number < ? \
                 AND state IN ('draf', 'diajukan', 'dikembalikan', 'disetujui')",
            )
            .bind(t.resource_id)
            .bind(t.version)
            .fetch_all(tx.conn())
            .await
            .map_err(db_err)?;
            for (id, number, state) in older {
                let old: ReviewState = parse(&state)?;
                let Some(next) = supersede(old) else { continue };
                set_state(tx.conn(), id, next, None, t.actor, at).await?;
                let e = ReviewEvent {
                    id: new_id(),
                    dataset_id,
                    resource_id: t.resource_id,
                    version: number,
                    action: ReviewAction::Archive,
                    from: old,
                    to: next,
                    actor: t.actor,
                    role: Some(t.role),
                    at,
                    note: format!("Digantikan oleh versi {}.", t.version),
                    notes: vec![],
                };
                insert_event(tx.conn(), &e, None, None).await?;
            }
        }

        let checks_passed = t.checks.as_ref().map(|c| c.report.passed);
        set_state(tx.conn(), version_id, to, checks_passed, t.actor, at).await?;
        let event = ReviewEvent {
            id: new_id(),
            dataset_id,
            resource_id: t.resource_id,
            version: t.version,
            action: t.action,
            from,
            to,
            actor: t.actor,
            role: Some(t.role),
            at,
            note: t.note.trim().to_string(),
            notes: t.notes,
        };
        insert_event(tx.conn(), &event, t.checks.as_ref(), t.meta.as_ref()).await?;
        let mut notifications = vec![];
        for n in t.notify {
            notifications.extend(crate::notify::notify_in(tx.conn(), n, at).await?);
        }
        tx.commit().await?;
        Ok(Applied {
            event,
            notifications,
        })
    }

    pub(crate) async fn review_events_impl(
        &self,
        resource_id: Id,
        version: Option<i32>,
    ) -> StoreResult<Vec<ReviewEvent>> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLS} FROM review_events WHERE resource_id = ? AND (? IS NULL OR version = ?) \
             ORDER BY at, rowid"
        ))
        .bind(resource_id)
        .bind(version)
        .bind(version)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(event_from_row).collect()
    }

    pub(crate) async fn submission_record_impl(
        &self,
        resource_id: Id,
        version: i32,
    ) -> StoreResult<Option<SubmissionRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {EVENT_COLS}, checks, meta FROM review_events WHERE resource_id = ? AND version = ? \
             AND action IN ('submit', 'resubmit') ORDER BY at DESC, rowid DESC LIMIT 1"
        ))
        .bind(resource_id)
        .bind(version)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        let Some(r) = row else { return Ok(None) };
        let checks: Option<String> = r.try_get("checks").map_err(db_err)?;
        let meta: Option<String> = r.try_get("meta").map_err(db_err)?;
        Ok(Some(SubmissionRecord {
            event: event_from_row(&r)?,
            checks: checks
                .map(|c| serde_json::from_str(&c))
                .transpose()
                .map_err(json_err)?,
            meta: meta
                .map(|m| serde_json::from_str(&m))
                .transpose()
                .map_err(json_err)?,
        }))
    }

    pub(crate) async fn published_meta_impl(
        &self,
        resource_id: Id,
    ) -> StoreResult<Option<DatasetMeta>> {
        let meta: Option<Option<String>> = sqlx::query_scalar(
            "SELECT e.meta FROM review_events e WHERE e.resource_id = ? AND e.action = 'publish' \
             AND e.version = (SELECT MAX(number) FROM versions WHERE resource_id = ? AND state = 'terbit') \
             ORDER BY e.at DESC LIMIT 1",
        )
        .bind(resource_id)
        .bind(resource_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        meta.flatten()
            .map(|m| serde_json::from_str(&m))
            .transpose()
            .map_err(json_err)
    }

    pub(crate) async fn review_queue_impl(&self, q: &QueueQuery) -> StoreResult<Page<QueueItem>> {
        let states: Vec<&str> = if q.states.is_empty() {
            vec!["diajukan", "disetujui"]
        } else {
            q.states.iter().map(|s| s.as_str()).collect()
        };
        let marks = vec!["?"; states.len()].join(", ");
        let base = format!(
            "FROM versions v JOIN resources r ON r.id = v.resource_id JOIN datasets d ON d.id = r.dataset_id \
             JOIN organizations o ON o.id = d.organization_id \
             WHERE v.state IN ({marks}) AND r.deleted_at IS NULL AND d.deleted_at IS NULL \
             AND (? IS NULL OR d.organization_id = ?)"
        );
        let limit = page_limit(q.limit);
        let count_sql = format!("SELECT COUNT(*) {base}");
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for s in &states {
            count = count.bind(*s);
        }
        let total = count
            .bind(q.organization_id)
            .bind(q.organization_id)
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        let sql = format!(
            "SELECT d.id AS dataset_id, d.slug, d.title, o.id AS org_id, o.slug AS org_slug, o.name AS org_name, \
             v.resource_id, v.number, v.state, COALESCE(v.state_at, v.created_at) AS since, v.row_count, \
             v.rows_added, v.rows_removed, v.checks_passed {base} ORDER BY since, v.resource_id LIMIT ? OFFSET ?"
        );
        let mut query = sqlx::query(&sql);
        for s in &states {
            query = query.bind(*s);
        }
        let rows = query
            .bind(q.organization_id)
            .bind(q.organization_id)
            .bind(i64::from(limit))
            .bind(offset_i64(q.offset))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(QueueItem {
                    dataset_id: r.try_get("dataset_id").map_err(db_err)?,
                    dataset_slug: r.try_get("slug").map_err(db_err)?,
                    dataset_title: r.try_get("title").map_err(db_err)?,
                    organization_id: r.try_get("org_id").map_err(db_err)?,
                    organization_slug: r.try_get("org_slug").map_err(db_err)?,
                    organization_name: r.try_get("org_name").map_err(db_err)?,
                    resource_id: r.try_get("resource_id").map_err(db_err)?,
                    version: r.try_get("number").map_err(db_err)?,
                    state: parse(&r.try_get::<String, _>("state").map_err(db_err)?)?,
                    since: parse_ts(&r.try_get::<String, _>("since").map_err(db_err)?)?,
                    row_count: r.try_get("row_count").map_err(db_err)?,
                    rows_added: r.try_get("rows_added").map_err(db_err)?,
                    rows_removed: r.try_get("rows_removed").map_err(db_err)?,
                    checks_passed: r.try_get("checks_passed").map_err(db_err)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page {
            items,
            total: total as u64,
            limit,
            offset: q.offset,
        })
    }

    pub(crate) async fn review_counts_impl(&self) -> StoreResult<Vec<(Id, u64, u64)>> {
        let rows: Vec<(Id, i64, i64)> = sqlx::query_as(
            "SELECT dataset_id, SUM(action IN ('submit', 'resubmit')), SUM(action = 'return') \
             FROM review_events GROUP BY dataset_id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|(d, s, r)| (d, s.max(0) as u64, r.max(0) as u64))
            .collect())
    }

    pub(crate) async fn diff_versions_impl(
        &self,
        resource_id: Id,
        from: i32,
        to: i32,
        limit: u32,
    ) -> StoreResult<RowDiff> {
        let info = load_table(&self.pool, resource_id).await?;
        let latest: i32 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(number), 0) FROM versions WHERE resource_id = ?",
        )
        .bind(resource_id)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        if !(0 <= from && from < to && to <= latest) {
            return Err(StoreError::Invalid(format!(
                "Perbandingan versi {from} dengan {to} tidak dapat dibuat (versi yang ada: 1–{latest}, yang awal harus lebih kecil)."
            )));
        }
        let (from_v, to_v) = (i64::from(from), i64::from(to));
        let table = &info.table;
        let cols = columns(info.types.len());
        let sep = if info.types.is_empty() { "" } else { ", " };
        let added_where = "_vfrom > ? AND _vfrom <= ? AND (_vto IS NULL OR _vto > ?)";
        let removed_where = "_vfrom <= ? AND _vto IS NOT NULL AND _vto > ? AND _vto <= ?";
        let mut sides = vec![];
        for (wh, binds) in [
            (added_where, [from_v, to_v, to_v]),
            (removed_where, [from_v, from_v, to_v]),
        ] {
            let total: i64 =
                sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {wh}"))
                    .bind(binds[0])
                    .bind(binds[1])
                    .bind(binds[2])
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db_err)?;
            let rows = sqlx::query(&format!(
                "SELECT _hash{sep}{cols} FROM {table} WHERE {wh} ORDER BY _ord LIMIT ?"
            ))
            .bind(binds[0])
            .bind(binds[1])
            .bind(binds[2])
            .bind(DIFF_CAP)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
            let mut read = Vec::with_capacity(rows.len());
            for r in &rows {
                let h: Vec<u8> = r.try_get(0).map_err(db_err)?;
                let mut hash = [0u8; 16];
                if h.len() == 16 {
                    hash.copy_from_slice(&h);
                }
                let row = info
                    .types
                    .iter()
                    .enumerate()
                    .map(|(i, t)| read_value(r, i + 1, *t))
                    .collect::<StoreResult<Row>>()?;
                read.push((hash, row));
            }
            sides.push(Side {
                rows: read,
                total: total as u64,
            });
        }
        let removed = sides.pop().unwrap_or(Side {
            rows: vec![],
            total: 0,
        });
        let added = sides.pop().unwrap_or(Side {
            rows: vec![],
            total: 0,
        });
        Ok(pair_rows(
            &info.schema,
            from,
            to,
            added,
            removed,
            limit as usize,
        ))
    }

    pub(crate) async fn add_metadata_review_impl(
        &self,
        review: MetadataReview,
    ) -> StoreResult<MetadataReview> {
        let mut tx = self.begin_write().await?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM datasets WHERE id = ? AND deleted_at IS NULL")
                .bind(review.dataset_id)
                .fetch_optional(tx.conn())
                .await
                .map_err(db_err)?;
        if exists.is_none() {
            return Err(StoreError::NotFound(format!(
                "dataset {}",
                review.dataset_id
            )));
        }
        let review = MetadataReview {
            at: review.at.trunc_subsecs(6),
            ..review
        };
        sqlx::query(
            "INSERT INTO metadata_reviews (id, dataset_id, verdict, note, notes, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(review.id)
        .bind(review.dataset_id)
        .bind(review.verdict.as_str())
        .bind(&review.note)
        .bind(serde_json::to_string(&review.notes).map_err(json_err)?)
        .bind(review.actor)
        .bind(ts(review.at))
        .execute(tx.conn())
        .await
        .map_err(db_err)?;
        tx.commit().await?;
        Ok(review)
    }

    pub(crate) async fn metadata_reviews_impl(
        &self,
        dataset_id: Id,
    ) -> StoreResult<Vec<MetadataReview>> {
        let rows = sqlx::query(
            "SELECT id, dataset_id, verdict, note, notes, actor, at FROM metadata_reviews \
             WHERE dataset_id = ? ORDER BY at DESC, rowid DESC",
        )
        .bind(dataset_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let notes: String = r.try_get("notes").map_err(db_err)?;
                Ok(MetadataReview {
                    id: r.try_get("id").map_err(db_err)?,
                    dataset_id: r.try_get("dataset_id").map_err(db_err)?,
                    verdict: parse(&r.try_get::<String, _>("verdict").map_err(db_err)?)?,
                    note: r.try_get("note").map_err(db_err)?,
                    notes: serde_json::from_str(&notes).map_err(json_err)?,
                    actor: r.try_get("actor").map_err(db_err)?,
                    at: parse_ts(&r.try_get::<String, _>("at").map_err(db_err)?)?,
                })
            })
            .collect()
    }
}
