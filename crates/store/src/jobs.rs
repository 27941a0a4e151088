//! Background jobs (today: imports of uploaded files), kept in the database so that they survive a
//! restart and so that several `satudata serve` nodes on one PostgreSQL share the work.
//!
//! Contract every backend keeps:
//! - **Claiming** ([`JobStore::claim_job`]) is atomic: two runners never hold the same job at once
//!   (SQLite: the writer lock; PostgreSQL: `FOR UPDATE SKIP LOCKED`). A claimed job carries a
//!   **lease** (a fresh token and an expiry); the runner renews it with [`JobStore::job_progress`].
//!   A `running` job whose lease expired (its node died) is claimable again, with `attempts` + 1.
//! - **Exactly once**: [`JobStore::complete_import_job`] creates the draft version *and* marks the
//!   job done in one transaction, and only while the caller still holds the lease and the job was
//!   not cancelled; so a job re-run after a crash never yields a second version.
//! - Every change checks the lease token: a runner that lost its lease changes nothing.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use satudata_core::dataset::Version;
use satudata_core::Id;
use serde::{Deserialize, Serialize};

use crate::{NewVersion, Page, RowSource, StoreResult};

/// How many times a job is started before a crash-looping job is given up.
pub const MAX_ATTEMPTS: i32 = 3;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<JobState> {
        Some(match s {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "done" => JobState::Done,
            "failed" => JobState::Failed,
            "cancelled" => JobState::Cancelled,
            _ => return None,
        })
    }

    /// Whether the job will not change any more.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            JobState::Done | JobState::Failed | JobState::Cancelled
        )
    }
}

/// A job record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: Id,
    /// What to do; today always `import`.
    pub kind: String,
    pub resource_id: Id,
    /// The uploaded file's key in the file store.
    pub file_key: String,
    /// The file's name as uploaded (its extension picks the reader).
    pub filename: String,
    /// Options of the job (e.g. `{"sheet": "…", "summary": "…"}`).
    pub options: serde_json::Value,
    pub state: JobState,
    pub rows_processed: i64,
    pub bytes_total: Option<i64>,
    pub bytes_processed: Option<i64>,
    /// The validation report (also when the file was not valid).
    pub report: Option<serde_json::Value>,
    /// The draft version the job created.
    pub version: Option<i32>,
    /// Why the job failed (Bahasa Indonesia, for the user).
    pub error: Option<String>,
    pub created_by: Option<Id>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// How many times a runner claimed it.
    pub attempts: i32,
    /// The current lease's token (internal: runners pass it back).
    #[serde(skip)]
    pub lease: Option<Id>,
    pub lease_until: Option<DateTime<Utc>>,
}

/// What a new job holds.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub resource_id: Id,
    pub file_key: String,
    pub filename: String,
    pub options: serde_json::Value,
    pub bytes_total: Option<i64>,
    pub created_by: Option<Id>,
}

/// Filter for listing jobs (newest first).
#[derive(Debug, Clone, Default)]
pub struct JobQuery {
    pub resource_id: Option<Id>,
    pub created_by: Option<Id>,
    pub limit: u32,
    pub offset: u64,
}

/// The lease a runner holds on a claimed job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobLease {
    pub job_id: Id,
    pub token: Id,
}

/// How a job ended without a version.
#[derive(Debug, Clone)]
pub struct JobEnd {
    /// `Done` (e.g. the file was invalid: nothing imported, the report says why) or `Failed`.
    pub state: JobState,
    pub report: Option<serde_json::Value>,
    pub error: Option<String>,
}

/// Jobs; see the module docs for the contract.
#[async_trait]
pub trait JobStore: Send + Sync {
    /// Queue a new job.
    async fn create_job(&self, new: NewJob) -> StoreResult<Job>;

    async fn get_job(&self, id: Id) -> StoreResult<Option<Job>>;

    /// The import job that created version `number` of `resource_id` (done, with its report), if
    /// the version came from an upload.
    async fn import_job_for_version(
        &self,
        resource_id: Id,
        number: i32,
    ) -> StoreResult<Option<Job>>;

    /// Jobs matching `q`, newest first.
    async fn list_jobs(&self, q: &JobQuery) -> StoreResult<Page<Job>>;

    /// Take the oldest queued job (or a running one whose lease expired) and lease it for
    /// `lease_for`. A job whose lease expired after [`MAX_ATTEMPTS`] starts is marked failed instead.
    async fn claim_job(&self, lease_for: std::time::Duration) -> StoreResult<Option<Job>>;

    /// Record progress and renew the lease. Returns the job's state: anything but `Running` (it was
    /// cancelled, or the lease was lost to another runner) tells the runner to stop.
    async fn job_progress(
        &self,
        lease: JobLease,
        rows_processed: i64,
        bytes_processed: Option<i64>,
        lease_for: std::time::Duration,
    ) -> StoreResult<JobState>;

    /// End a job without a version. Returns `false` (and changes nothing) if the lease was lost.
    async fn finish_job(&self, lease: JobLease, end: JobEnd) -> StoreResult<bool>;

    /// Create the next version of `resource_id` as a draf from `source` and mark the job done with
    /// it and with the source's [`RowSource::report`], in one transaction. Fails with
    /// [`crate::StoreError::Conflict`] (writing nothing) if the lease was lost or the job cancelled.
    async fn complete_import_job(
        &self,
        lease: JobLease,
        resource_id: Id,
        new: NewVersion,
        source: &mut dyn RowSource,
    ) -> StoreResult<Version>;

    /// Cancel a queued or running job (a running one stops at its next progress report).
    /// [`crate::StoreError::Conflict`] if it has already ended.
    async fn cancel_job(&self, id: Id) -> StoreResult<Job>;

    /// Put `running` jobs back in the queue: all of them (`expired_only = false`, at the start of a
    /// process that is the only runner, e.g. on SQLite) or those whose lease expired. Returns how many.
    async fn requeue_jobs(&self, expired_only: bool) -> StoreResult<u64>;
}
