//! The background runner: claims queued jobs, runs them, keeps their lease alive and reports
//! progress, and stores how they ended. Several runners (on several nodes) may share one database:
//! claims are atomic and leases expire, so a job whose node died is taken up again.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use satudata_core::dataset::ResourceKind;
use satudata_core::region::RegionCode;
use satudata_files::FileStore;
use satudata_formats::read::{self, ReadOptions, SheetSelector, TableReader};
use satudata_formats::region_names::{CodeColumns, WithCodeColumns};
use satudata_formats::validate::ValidateOptions;
use satudata_store::jobs::{Job, JobEnd, JobLease, JobState};
use satudata_store::{NewVersion, Store, StoreError};
use tokio::io::AsyncWriteExt;

use crate::import::{import_table, ImportError, ImportTarget};

/// How the runner behaves.
#[derive(Debug, Clone)]
pub struct RunnerConfig {
    /// How long a claim lasts without renewal; a job whose node died waits this long at most.
    pub lease: Duration,
    /// How often the lease is renewed and progress written.
    pub heartbeat: Duration,
    /// How long to wait when the queue is empty.
    pub poll: Duration,
    /// The home region, for region-code checks.
    pub home_region: Option<RegionCode>,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        RunnerConfig {
            lease: Duration::from_secs(30),
            heartbeat: Duration::from_secs(2),
            poll: Duration::from_secs(1),
            home_region: None,
        }
    }
}

/// The job runner of one process.
#[derive(Clone)]
pub struct Runner {
    store: Arc<dyn Store>,
    files: FileStore,
    config: RunnerConfig,
    wake: Arc<tokio::sync::Notify>,
}

impl Runner {
    pub fn new(store: Arc<dyn Store>, files: FileStore, config: RunnerConfig) -> Runner {
        Runner {
            store,
            files,
            config,
            wake: Arc::new(tokio::sync::Notify::new()),
        }
    }

    /// Something to call when a job was queued, so the runner starts it without waiting for its poll.
    pub fn waker(&self) -> Arc<tokio::sync::Notify> {
        self.wake.clone()
    }

    /// Start the runner on the current runtime. `exclusive`: this process is the database's only
    /// runner (SQLite), so jobs left `running` are re-queued at once instead of after their lease.
    pub fn spawn(self, exclusive: bool) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            match self.store.requeue_jobs(!exclusive).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(jobs = n, "re-queued jobs left running by a stopped process")
                }
                Err(e) => tracing::warn!(error = %e, "cannot re-queue jobs"),
            }
            loop {
                match self.run_next().await {
                    Ok(true) => continue,
                    Ok(false) => {}
                    Err(e) => tracing::warn!(error = %e, "job runner: cannot claim a job"),
                }
                tokio::select! {
                    _ = tokio::time::sleep(self.config.poll) => {}
                    _ = self.wake.notified() => {}
                }
            }
        })
    }

    /// Claim and run one job; `Ok(false)` when the queue is empty.
    pub async fn run_next(&self) -> Result<bool, StoreError> {
        let Some(job) = self.store.claim_job(self.config.lease).await? else {
            return Ok(false);
        };
        let lease = JobLease {
            job_id: job.id,
            token: job.lease.unwrap_or_default(),
        };
        tracing::info!(job = %job.id, file = %job.filename, attempt = job.attempts, "job started");
        let rows = Arc::new(AtomicU64::new(0));
        let bytes = Arc::new(AtomicU64::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let heartbeat = tokio::spawn(heartbeat(
            self.store.clone(),
            lease,
            Progress {
                rows: rows.clone(),
                bytes: bytes.clone(),
            },
            cancel.clone(),
            self.config.clone(),
        ));
        let end = self.run(&job, lease, rows, bytes, cancel).await;
        heartbeat.abort();
        if let Some(end) = end {
            let state = end.state;
            match self.store.finish_job(lease, end).await {
                Ok(true) => tracing::info!(job = %job.id, state = state.as_str(), "job ended"),
                Ok(false) => tracing::info!(job = %job.id, "job was cancelled or taken over"),
                Err(e) => tracing::warn!(job = %job.id, error = %e, "cannot record the job's end"),
            }
        } else {
            tracing::info!(job = %job.id, "job done");
        }
        Ok(true)
    }

    /// Run the import; `None` when the store already marked the job done with its version.
    async fn run(
        &self,
        job: &Job,
        lease: JobLease,
        rows: Arc<AtomicU64>,
        bytes: Arc<AtomicU64>,
        cancel: Arc<AtomicBool>,
    ) -> Option<JobEnd> {
        let failed = |msg: String| {
            Some(JobEnd {
                state: JobState::Failed,
                report: None,
                error: Some(msg),
            })
        };
        if job.kind != "import" {
            return failed(format!("jenis pekerjaan tidak dikenal: {}", job.kind));
        }
        let resource = match self.store.get_resource(job.resource_id).await {
            Ok(Some(r)) => r,
            Ok(None) => return failed("sumber data sudah tidak ada".into()),
            Err(e) => return failed(format!("basis data: {e}")),
        };
        let ResourceKind::Table { schema } = resource.kind else {
            return failed("sumber data ini berkas lampiran, bukan tabel".into());
        };
        // Readers need a file they can seek in (workbooks): copy the upload to a temporary file.
        let ext = std::path::Path::new(&job.filename)
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| format!(".{}", e.to_ascii_lowercase()))
            .unwrap_or_default();
        let tmp = match self.download(&job.file_key, &ext).await {
            Ok(t) => t,
            Err(e) => return failed(format!("berkas unggahan tidak dapat dibaca: {e}")),
        };
        let path = tmp.path().to_path_buf();
        let read_opts = ReadOptions {
            sheet: job.options.get("sheet").and_then(|s| s.as_str()).map(|s| {
                match s.parse::<usize>() {
                    Ok(n) if n >= 1 => SheetSelector::Index(n - 1),
                    _ => SheetSelector::Name(s.to_string()),
                }
            }),
            bytes_read: Some(bytes),
            first_row: job.options.get("header_row").and_then(|r| r.as_u64()),
            ..ReadOptions::default()
        };
        // Region-code columns made from names, with the mapping the operator confirmed in the
        // upload wizard: kept in the job's options, so a re-run applies the same mapping.
        let code_columns = match job.options.get("regionCodes") {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => match serde_json::from_value::<CodeColumns>(v.clone()) {
                Ok(c) => Some(c),
                Err(e) => {
                    return failed(format!(
                        "pemetaan nama wilayah ke kode tidak dapat dibaca: {e}"
                    ))
                }
            },
        };
        let filename = job.filename.clone();
        let open = move || {
            let reader =
                read::open_path(&path, &read_opts).map_err(|e| format!("{filename}: {e}"))?;
            Ok(match code_columns {
                Some(c) => Box::new(WithCodeColumns::new(reader, c)) as Box<dyn TableReader>,
                None => reader,
            })
        };
        let opts = ValidateOptions {
            home_region: self.config.home_region,
            ..ValidateOptions::default()
        };
        let new = NewVersion {
            actor: job.created_by,
            summary: job
                .options
                .get("summary")
                .and_then(|s| s.as_str())
                .unwrap_or_default()
                .to_string(),
        };
        let counter = rows.clone();
        let outcome = import_table(
            self.store.as_ref(),
            job.resource_id,
            schema,
            open,
            opts,
            new,
            ImportTarget::Job(lease),
            move |n| counter.store(n, Ordering::Relaxed),
            cancel.clone(),
        )
        .await;
        drop(tmp);
        match outcome {
            Err(ImportError::Unusable(msg)) => Some(JobEnd {
                state: JobState::Done,
                report: Some(serde_json::json!({
                    "valid": false,
                    "unusable": msg,
                })),
                error: Some(msg),
            }),
            Err(ImportError::Internal(msg)) => failed(msg),
            Ok(o) => {
                let report = o.report_json();
                match o.version {
                    Ok(_) => None,
                    Err(StoreError::Source(_)) if !o.report.valid => Some(JobEnd {
                        state: JobState::Done,
                        report,
                        error: None,
                    }),
                    Err(e) if cancel.load(Ordering::Relaxed) => {
                        tracing::info!(job = %job.id, error = %e, "import stopped");
                        Some(JobEnd {
                            state: JobState::Cancelled,
                            report,
                            error: None,
                        })
                    }
                    Err(e) => Some(JobEnd {
                        state: JobState::Failed,
                        report,
                        error: Some(format!("versi baru tidak tersimpan: {e}")),
                    }),
                }
            }
        }
    }

    async fn download(&self, key: &str, ext: &str) -> Result<tempfile::NamedTempFile, String> {
        let tmp = tempfile::Builder::new()
            .prefix("satudata-upload-")
            .suffix(ext)
            .tempfile()
            .map_err(|e| e.to_string())?;
        let mut out = tokio::fs::File::create(tmp.path())
            .await
            .map_err(|e| e.to_string())?;
        let mut content = self.files.get(key).await.map_err(|e| e.to_string())?;
        while let Some(chunk) = content.next().await {
            let chunk = chunk.map_err(|e| e.to_string())?;
            out.write_all(&chunk).await.map_err(|e| e.to_string())?;
        }
        out.flush().await.map_err(|e| e.to_string())?;
        Ok(tmp)
    }
}

/// What a running import has done so far: rows checked, bytes of the file read.
struct Progress {
    rows: Arc<AtomicU64>,
    bytes: Arc<AtomicU64>,
}

/// Renew the lease and write progress until aborted; a job that is no longer ours (cancelled,
/// or taken over after a lost lease) is stopped through `cancel`.
async fn heartbeat(
    store: Arc<dyn Store>,
    lease: JobLease,
    progress: Progress,
    cancel: Arc<AtomicBool>,
    config: RunnerConfig,
) {
    loop {
        tokio::time::sleep(config.heartbeat).await;
        let n = progress.rows.load(Ordering::Relaxed) as i64;
        let bytes = i64::try_from(progress.bytes.load(Ordering::Relaxed)).ok();
        match store.job_progress(lease, n, bytes, config.lease).await {
            Ok(JobState::Running) => {}
            Ok(state) => {
                tracing::info!(job = %lease.job_id, state = state.as_str(), "stopping the job");
                cancel.store(true, Ordering::Relaxed);
                return;
            }
            Err(e) => tracing::warn!(job = %lease.job_id, error = %e, "cannot record progress"),
        }
    }
}
