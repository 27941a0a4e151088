//! [`JobStore`] for [`SqliteStore`]. Claims take the writer lock (`BEGIN IMMEDIATE`), so two runners
//! of one database never claim the same job.
//!
//! An import holds SQLite's only write transaction for its whole length, so while it runs its
//! progress and a cancel request cannot be written: they are kept in this process's memory
//! ([`LIVE`], [`CANCELS`]) and read back by [`JobStore::get_job`] and the runner. That is exact
//! because a SQLite database has a single `satudata serve` process.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use satudata_core::dataset::Version;
use satudata_core::review::ReviewState;
use satudata_core::{new_id, Id};
use satudata_store::jobs::{Job, JobEnd, JobLease, JobQuery, JobState, NewJob, MAX_ATTEMPTS};
use satudata_store::{JobStore, NewVersion, Page, RowSource, StoreError, StoreResult};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row as _, SqliteConnection};

use crate::{
    db_err, json_err, now, offset_i64, page_limit, parse_opt_ts, parse_ts, ts, SqliteStore,
};

/// Rows and bytes processed by running jobs of this process, newer than what the table may hold.
#[allow(clippy::type_complexity)]
static LIVE: std::sync::LazyLock<
    std::sync::Mutex<std::collections::HashMap<Id, (i64, Option<i64>)>>,
> = std::sync::LazyLock::new(Default::default);
/// Running jobs asked to stop while the writer was busy.
static CANCELS: std::sync::LazyLock<std::sync::Mutex<std::collections::HashSet<Id>>> =
    std::sync::LazyLock::new(Default::default);

fn overlay(mut job: Job) -> Job {
    if job.state == JobState::Running {
        if let Some((n, bytes)) = LIVE.lock().ok().and_then(|m| m.get(&job.id).copied()) {
            job.rows_processed = job.rows_processed.max(n);
            if bytes > job.bytes_processed {
                job.bytes_processed = bytes;
            }
        }
        if CANCELS.lock().is_ok_and(|c| c.contains(&job.id)) {
            job.state = JobState::Cancelled;
        }
    }
    job
}

fn forget(id: Id) {
    if let Ok(mut m) = LIVE.lock() {
        m.remove(&id);
    }
    if let Ok(mut c) = CANCELS.lock() {
        c.remove(&id);
    }
}

const COLS: &str = "id, kind, resource_id, file_key, filename, options, state, rows_processed, \
    bytes_total, bytes_processed, report, version, error, created_by, created_at, started_at, \
    finished_at, updated_at, attempts, lease, lease_until";

fn job_from_row(r: &SqliteRow) -> StoreResult<Job> {
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
        created_at: parse_ts(&r.try_get::<String, _>("created_at").map_err(db_err)?)?,
        started_at: parse_opt_ts(r.try_get("started_at").map_err(db_err)?)?,
        finished_at: parse_opt_ts(r.try_get("finished_at").map_err(db_err)?)?,
        updated_at: parse_ts(&r.try_get::<String, _>("updated_at").map_err(db_err)?)?,
        attempts: r.try_get("attempts").map_err(db_err)?,
        lease: r.try_get("lease").map_err(db_err)?,
        lease_until: parse_opt_ts(r.try_get("lease_until").map_err(db_err)?)?,
    })
}

fn until(at: DateTime<Utc>, lease_for: std::time::Duration) -> DateTime<Utc> {
    at + chrono::Duration::from_std(lease_for).unwrap_or(chrono::Duration::seconds(60))
}

async fn fetch_job(conn: &mut SqliteConnection, id: Id) -> StoreResult<Option<Job>> {
    sqlx::query(&format!("SELECT {COLS} FROM jobs WHERE id = ?"))
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
    conn: &mut SqliteConnection,
    lease: JobLease,
    version: i32,
    rows: i64,
    report: Option<serde_json::Value>,
) -> StoreResult<()> {
    let at = ts(now());
    let report = report
        .map(|r| serde_json::to_string(&r))
        .transpose()
        .map_err(json_err)?;
    let done = sqlx::query(
        "UPDATE jobs SET state = 'done', version = ?, report = ?, finished_at = ?, updated_at = ?, \
         rows_processed = MAX(rows_processed, ?), lease = NULL, lease_until = NULL \
         WHERE id = ? AND lease = ? AND state = 'running'",
    )
    .bind(version)
    .bind(report)
    .bind(&at)
    .bind(&at)
    .bind(rows)
    .bind(lease.job_id)
    .bind(lease.token)
    .execute(conn)
    .await
    .map_err(db_err)?;
    if done.rows_affected() == 0 || CANCELS.lock().is_ok_and(|c| c.contains(&lease.job_id)) {
        return Err(StoreError::Conflict(format!(
            "job {} is no longer held by this runner (cancelled or lease lost)",
            lease.job_id
        )));
    }
    forget(lease.job_id);
    Ok(())
}

#[async_trait]
impl JobStore for SqliteStore {
    async fn create_job(&self, new: NewJob) -> StoreResult<Job> {
        let id = new_id();
        let at = ts(now());
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO jobs (id, kind, resource_id, file_key, filename, options, state, bytes_total, \
             created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(&new.kind)
        .bind(new.resource_id)
        .bind(&new.file_key)
        .bind(&new.filename)
        .bind(serde_json::to_string(&new.options).map_err(json_err)?)
        .bind(new.bytes_total)
        .bind(new.created_by)
        .bind(&at)
        .bind(&at)
        .execute(tx.conn())
        .await
        .map_err(db_err)?;
        let job = fetch_job(tx.conn(), id).await?;
        tx.commit().await?;
        job.ok_or_else(|| StoreError::Backend("job vanished".into()))
    }

    async fn get_job(&self, id: Id) -> StoreResult<Option<Job>> {
        let mut conn = self.pool().acquire().await.map_err(db_err)?;
        Ok(fetch_job(&mut conn, id).await?.map(overlay))
    }

    async fn import_job_for_version(
        &self,
        resource_id: Id,
        number: i32,
    ) -> StoreResult<Option<Job>> {
        sqlx::query(&format!(
            "SELECT {COLS} FROM jobs WHERE resource_id = ? AND version = ? AND state = 'done' \
             ORDER BY created_at DESC LIMIT 1"
        ))
        .bind(resource_id)
        .bind(number)
        .fetch_optional(self.pool())
        .await
        .map_err(db_err)?
        .as_ref()
        .map(job_from_row)
        .transpose()
    }

    async fn list_jobs(&self, q: &JobQuery) -> StoreResult<Page<Job>> {
        let cond = "(? IS NULL OR resource_id = ?) AND (? IS NULL OR created_by = ?)";
        let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM jobs WHERE {cond}"))
            .bind(q.resource_id)
            .bind(q.resource_id)
            .bind(q.created_by)
            .bind(q.created_by)
            .fetch_one(self.pool())
            .await
            .map_err(db_err)?;
        let limit = page_limit(q.limit);
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM jobs WHERE {cond} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
        ))
        .bind(q.resource_id)
        .bind(q.resource_id)
        .bind(q.created_by)
        .bind(q.created_by)
        .bind(i64::from(limit))
        .bind(offset_i64(q.offset))
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        Ok(Page {
            items: rows
                .iter()
                .map(|r| job_from_row(r).map(overlay))
                .collect::<StoreResult<_>>()?,
            total: total as u64,
            limit,
            offset: q.offset,
        })
    }

    async fn claim_job(&self, lease_for: std::time::Duration) -> StoreResult<Option<Job>> {
        let at = now();
        let mut tx = self.begin_write().await?;
        loop {
            let row: Option<(Id, i32, String)> = sqlx::query_as(
                "SELECT id, attempts, state FROM jobs WHERE state = 'queued' \
                 OR (state = 'running' AND lease_until < ?) ORDER BY created_at, id LIMIT 1",
            )
            .bind(ts(at))
            .fetch_optional(tx.conn())
            .await
            .map_err(db_err)?;
            let Some((id, attempts, state)) = row else {
                tx.commit().await?;
                return Ok(None);
            };
            if state == "running" && attempts >= MAX_ATTEMPTS {
                // The job took its runner down every time: give it up instead of crashing forever.
                sqlx::query(
                    "UPDATE jobs SET state = 'failed', error = ?, finished_at = ?, updated_at = ?, \
                     lease = NULL, lease_until = NULL WHERE id = ?",
                )
                .bind(format!(
                    "Pekerjaan terhenti {attempts} kali sebelum selesai; tidak dicoba lagi."
                ))
                .bind(ts(at))
                .bind(ts(at))
                .bind(id)
                .execute(tx.conn())
                .await
                .map_err(db_err)?;
                continue;
            }
            sqlx::query(
                "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease = ?, lease_until = ?, \
                 started_at = ?, updated_at = ?, rows_processed = 0, bytes_processed = NULL WHERE id = ?",
            )
            .bind(new_id())
            .bind(ts(until(at, lease_for)))
            .bind(ts(at))
            .bind(ts(at))
            .bind(id)
            .execute(tx.conn())
            .await
            .map_err(db_err)?;
            let job = fetch_job(tx.conn(), id).await?;
            tx.commit().await?;
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
        if let Ok(mut m) = LIVE.lock() {
            m.insert(lease.job_id, (rows_processed, bytes_processed));
        }
        if CANCELS.lock().is_ok_and(|c| c.contains(&lease.job_id)) {
            return Ok(JobState::Cancelled);
        }
        // While the import's own transaction holds the writer, the progress stays in memory.
        let Ok(guard) = self.write_lock.clone().try_lock_owned() else {
            return Ok(JobState::Running);
        };
        drop(guard);
        let at = now();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE jobs SET rows_processed = ?, bytes_processed = COALESCE(?, bytes_processed), \
             lease_until = ?, updated_at = ? WHERE id = ? AND lease = ? AND state = 'running'",
        )
        .bind(rows_processed)
        .bind(bytes_processed)
        .bind(ts(until(at, lease_for)))
        .bind(ts(at))
        .bind(lease.job_id)
        .bind(lease.token)
        .execute(tx.conn())
        .await
        .map_err(db_err)?;
        let job = fetch_job(tx.conn(), lease.job_id).await?;
        tx.commit().await?;
        Ok(match job {
            Some(j) if j.lease == Some(lease.token) => j.state,
            Some(j) if j.state == JobState::Running => JobState::Queued, // someone else holds it
            Some(j) => j.state,
            None => JobState::Cancelled,
        })
    }

    async fn finish_job(&self, lease: JobLease, end: JobEnd) -> StoreResult<bool> {
        let at = ts(now());
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE jobs SET state = ?, report = ?, error = ?, finished_at = ?, updated_at = ?, \
             lease = NULL, lease_until = NULL WHERE id = ? AND lease = ? AND state = 'running'",
        )
        .bind(end.state.as_str())
        .bind(
            end.report
                .map(|r| serde_json::to_string(&r))
                .transpose()
                .map_err(json_err)?,
        )
        .bind(end.error)
        .bind(&at)
        .bind(&at)
        .bind(lease.job_id)
        .bind(lease.token)
        .execute(tx.conn())
        .await
        .map_err(db_err)?;
        tx.commit().await?;
        forget(lease.job_id);
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
        if self.write_lock.try_lock().is_err() {
            // The writer may be the job's own import: do not wait for it to end.
            let job = self
                .get_job(id)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("job {id}")))?;
            if job.state == JobState::Running {
                if let Ok(mut c) = CANCELS.lock() {
                    c.insert(id);
                }
                return Ok(overlay(job));
            }
        }
        let at = ts(now());
        let mut tx = self.begin_write().await?;
        let job = fetch_job(tx.conn(), id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("job {id}")))?;
        if job.state.is_final() {
            return Err(StoreError::Conflict(format!(
                "pekerjaan sudah berakhir ({})",
                job.state.as_str()
            )));
        }
        sqlx::query(
            "UPDATE jobs SET state = 'cancelled', finished_at = ?, updated_at = ?, lease = NULL, \
             lease_until = NULL WHERE id = ?",
        )
        .bind(&at)
        .bind(&at)
        .bind(id)
        .execute(tx.conn())
        .await
        .map_err(db_err)?;
        let job = fetch_job(tx.conn(), id).await?;
        tx.commit().await?;
        job.ok_or_else(|| StoreError::NotFound(format!("job {id}")))
    }

    async fn requeue_jobs(&self, expired_only: bool) -> StoreResult<u64> {
        let at = ts(now());
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE jobs SET state = 'queued', lease = NULL, lease_until = NULL, updated_at = ? \
             WHERE state = 'running' AND (? = 0 OR lease_until < ?) AND attempts < ?",
        )
        .bind(&at)
        .bind(expired_only)
        .bind(&at)
        .bind(MAX_ATTEMPTS)
        .execute(tx.conn())
        .await
        .map_err(db_err)?
        .rows_affected();
        tx.commit().await?;
        Ok(n)
    }
}
