//! [`JobStore`] for [`PostgresStore`]. Claims lock the chosen row with `FOR UPDATE SKIP LOCKED`, so
//! several `satudata serve` nodes on one database never claim the same job and never wait for each
//! other.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use satudata_core::dataset::Version;
use satudata_core::review::ReviewState;
use satudata_core::{new_id, Id};
use satudata_store::jobs::{Job, JobEnd, JobLease, JobQuery, JobState, NewJob, MAX_ATTEMPTS};
use satudata_store::{JobStore, NewVersion, Page, RowSource, StoreError, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row as _};

use crate::{db_err, json_err, now, offset_i64, page_limit, PostgresStore};

/// The job columns, JSON read as text.
const SELECT_COLS: &str = "id, kind, resource_id, file_key, filename, options::text AS options, state, \
    rows_processed, bytes_total, bytes_processed, report::text AS report, version, error, created_by, \
    created_at, started_at, finished_at, updated_at, attempts, lease, lease_until";

fn job_from_row(r: &PgRow) -> StoreResult<Job> {
    let state: String = r.try_get("state").map_err(db_err)?;
    let options: String = r.try_get("options").map_err(db_err)?;
    let report: Option<String> = r.try_get("report").map_err(db_err)?;
    Ok(Job {
        id: r.try_get("id").map_err(db_err)?,
        kind: r.try_get("kind").map_err(db_err)?,
        resource_id: r.try_get("resource_id").map_err(db_err)?,
        file_key: r.try_get("file_key").map_err(db_err)?,
        filename: r.try_get("filename").map_err(db_err)?,
        options: serde_json::from_str(&options).map_err(json_err)?,
        state: JobState::parse(&state)
            .ok_or_else(|| StoreError::Backend(format!("bad job state '{state}'")))?,
        rows_processed: r.try_get("rows_processed").map_err(db_err)?,
        bytes_total: r.try_get("bytes_total").map_err(db_err)?,
        bytes_processed: r.try_get("bytes_processed").map_err(db_err)?,
        report: report
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(json_err)?,
        version: r.try_get("version").map_err(db_err)?,
        error: r.try_get("error").map_err(db_err)?,
        created_by: r.try_get("created_by").map_err(db_err)?,
        created_at: r.try_get("created_at").map_err(db_err)?,
        started_at: r.try_get("started_at").map_err(db_err)?,
        finished_at: r.try_get("finished_at").map_err(db_err)?,
        updated_at: r.try_get("updated_at").map_err(db_err)?,
        attempts: r.try_get("attempts").map_err(db_err)?,
        lease: r.try_get("lease").map_err(db_err)?,
        lease_until: r.try_get("lease_until").map_err(db_err)?,
    })
}

fn until(at: DateTime<Utc>, lease_for: std::time::Duration) -> DateTime<Utc> {
    at + chrono::Duration::from_std(lease_for).unwrap_or(chrono::Duration::seconds(60))
}

async fn fetch_job(conn: &mut PgConnection, id: Id) -> StoreResult<Option<Job>> {
    sqlx::query(&format!("SELECT {SELECT_COLS} FROM jobs WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(job_from_row)
        .transpose()
}

/// Mark a leased, running job done with its version and report; inside the version's transaction.
/// `rows` is the version's row count: a job faster than the first progress tick would otherwise
/// end with 0 rows processed.
pub(crate) async fn complete_in_tx(
    conn: &mut PgConnection,
    lease: JobLease,
    version: i32,
    rows: i64,
    report: Option<serde_json::Value>,
) -> StoreResult<()> {
    let at = now();
    let report = report
        .map(|r| serde_json::to_string(&r))
        .transpose()
        .map_err(json_err)?;
    let done = sqlx::query(
        "UPDATE jobs SET state = 'done', version = $1, report = $2::jsonb, finished_at = $3, \
         updated_at = $4, rows_processed = GREATEST(rows_processed, $7), lease = NULL, \
         lease_until = NULL WHERE id = $5 AND lease = $6 AND state = 'running'",
    )
    .bind(version)
    .bind(report)
    .bind(at)
    .bind(at)
    .bind(lease.job_id)
    .bind(lease.token)
    .bind(rows)
    .execute(conn)
    .await
    .map_err(db_err)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(format!(
            "job {} is no longer held by this runner (cancelled or lease lost)",
            lease.job_id
        )));
    }
    Ok(())
}

#[async_trait]
impl JobStore for PostgresStore {
    async fn create_job(&self, new: NewJob) -> StoreResult<Job> {
        let id = new_id();
        let at = now();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO jobs (id, kind, resource_id, file_key, filename, options, state, bytes_total, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6::jsonb, 'queued', $7, $8, $9, $10)",
        )
        .bind(id)
        .bind(&new.kind)
        .bind(new.resource_id)
        .bind(&new.file_key)
        .bind(&new.filename)
        .bind(serde_json::to_string(&new.options).map_err(json_err)?)
        .bind(new.bytes_total)
        .bind(new.created_by)
        .bind(at)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let job = fetch_job(&mut tx, id).await?;
        tx.commit().await.map_err(db_err)?;
        job.ok_or_else(|| StoreError::Backend("job vanished".into()))
    }

    async fn get_job(&self, id: Id) -> StoreResult<Option<Job>> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        fetch_job(&mut conn, id).await
    }

    async fn import_job_for_version(
        &self,
        resource_id: Id,
        number: i32,
    ) -> StoreResult<Option<Job>> {
        sqlx::query(&format!(
            "SELECT {SELECT_COLS} FROM jobs WHERE resource_id = $1 AND version = $2 \
             AND state = 'done' ORDER BY created_at DESC LIMIT 1"
        ))
        .bind(resource_id)
        .bind(number)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(job_from_row)
        .transpose()
    }

    async fn list_jobs(&self, q: &JobQuery) -> StoreResult<Page<Job>> {
        let cond =
            "($1::uuid IS NULL OR resource_id = $1) AND ($2::uuid IS NULL OR created_by = $2)";
        let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM jobs WHERE {cond}"))
            .bind(q.resource_id)
            .bind(q.created_by)
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        let limit = page_limit(q.limit);
        let rows = sqlx::query(&format!(
            "SELECT {SELECT_COLS} FROM jobs WHERE {cond} ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
        ))
        .bind(q.resource_id)
        .bind(q.created_by)
        .bind(i64::from(limit))
        .bind(offset_i64(q.offset))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(Page {
            items: rows.iter().map(job_from_row).collect::<StoreResult<_>>()?,
            total: total as u64,
            limit,
            offset: q.offset,
        })
    }

    async fn claim_job(&self, lease_for: std::time::Duration) -> StoreResult<Option<Job>> {
        let at = now();
        let mut tx = self.begin().await?;
        loop {
            let row: Option<(Id, i32, String)> = sqlx::query_as(
                "SELECT id, attempts, state FROM jobs WHERE state = 'queued' \
                 OR (state = 'running' AND lease_until < $1) ORDER BY created_at, id LIMIT 1 \
                 FOR UPDATE SKIP LOCKED",
            )
            .bind(at)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
            let Some((id, attempts, state)) = row else {
                tx.commit().await.map_err(db_err)?;
                return Ok(None);
            };
            if state == "running" && attempts >= MAX_ATTEMPTS {
                // The job took its runner down every time: give it up instead of crashing forever.
                sqlx::query(
                    "UPDATE jobs SET state = 'failed', error = $1, finished_at = $2, updated_at = $3, \
                     lease = NULL, lease_until = NULL WHERE id = $4",
                )
                .bind(format!(
                    "Pekerjaan terhenti {attempts} kali sebelum selesai; tidak dicoba lagi."
                ))
                .bind(at)
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
                continue;
            }
            sqlx::query(
                "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease = $1, \
                 lease_until = $2, started_at = $3, updated_at = $4, rows_processed = 0, \
                 bytes_processed = NULL WHERE id = $5",
            )
            .bind(new_id())
            .bind(until(at, lease_for))
            .bind(at)
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            let job = fetch_job(&mut tx, id).await?;
            tx.commit().await.map_err(db_err)?;
            return Ok(job);
        }
    }

    async fn job_progress(
        &self,
        lease: JobLease,
        rows_processed: i64,
        bytes_processed: Option<i64>,
        lease_for: std::time::Duration,
    ) -> StoreResult<JobState> {
        let at = now();
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE jobs SET rows_processed = $1, bytes_processed = COALESCE($2, bytes_processed), \
             lease_until = $3, updated_at = $4 WHERE id = $5 AND lease = $6 AND state = 'running'",
        )
        .bind(rows_processed)
        .bind(bytes_processed)
        .bind(until(at, lease_for))
        .bind(at)
        .bind(lease.job_id)
        .bind(lease.token)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let job = fetch_job(&mut tx, lease.job_id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(match job {
            Some(j) if j.lease == Some(lease.token) => j.state,
            Some(j) if j.state == JobState::Running => JobState::Queued, // someone else holds it
            Some(j) => j.state,
            None => JobState::Cancelled,
        })
    }

    async fn finish_job(&self, lease: JobLease, end: JobEnd) -> StoreResult<bool> {
        let at = now();
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE jobs SET state = $1, report = $2::jsonb, error = $3, finished_at = $4, \
             updated_at = $5, lease = NULL, lease_until = NULL \
             WHERE id = $6 AND lease = $7 AND state = 'running'",
        )
        .bind(end.state.as_str())
        .bind(
            end.report
                .map(|r| serde_json::to_string(&r))
                .transpose()
                .map_err(json_err)?,
        )
        .bind(end.error)
        .bind(at)
        .bind(at)
        .bind(lease.job_id)
        .bind(lease.token)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn complete_import_job(
        &self,
        lease: JobLease,
        resource_id: Id,
        new: NewVersion,
        source: &mut dyn RowSource,
    ) -> StoreResult<Version> {
        self.create_version_for(resource_id, new, source, ReviewState::Draf, Some(lease))
            .await
    }

    async fn cancel_job(&self, id: Id) -> StoreResult<Job> {
        let at = now();
        let mut tx = self.begin().await?;
        // Lock the row so a runner finishing at the same moment waits and then sees it cancelled.
        sqlx::query("SELECT 1 FROM jobs WHERE id = $1 FOR UPDATE")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let job = fetch_job(&mut tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("job {id}")))?;
        if job.state.is_final() {
            return Err(StoreError::Conflict(format!(
                "pekerjaan sudah berakhir ({})",
                job.state.as_str()
            )));
        }
        sqlx::query(
            "UPDATE jobs SET state = 'cancelled', finished_at = $1, updated_at = $2, lease = NULL, \
             lease_until = NULL WHERE id = $3",
        )
        .bind(at)
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let job = fetch_job(&mut tx, id).await?;
        tx.commit().await.map_err(db_err)?;
        job.ok_or_else(|| StoreError::NotFound(format!("job {id}")))
    }

    async fn requeue_jobs(&self, expired_only: bool) -> StoreResult<u64> {
        let at = now();
        let mut tx = self.begin().await?;
        let n = sqlx::query(
            "UPDATE jobs SET state = 'queued', lease = NULL, lease_until = NULL, updated_at = $1 \
             WHERE state = 'running' AND (NOT $2 OR lease_until < $3) AND attempts < $4",
        )
        .bind(at)
        .bind(expired_only)
        .bind(at)
        .bind(MAX_ATTEMPTS)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?
        .rows_affected();
        tx.commit().await.map_err(db_err)?;
        Ok(n)
    }
}
