//! Conformance cases of [`satudata_store::JobStore`]: queueing, atomic claims with leases,
//! progress, cancellation, re-queueing after a crash and exactly-once completion with a version.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use satudata_core::dataset::{DatasetMeta, NewResource, Resource, ResourceKind};
use satudata_core::organization::{OrgKind, OrganizationMeta};
use satudata_core::review::ReviewState;
use satudata_core::row::Row;
use satudata_core::schema::{Field, FieldType, TableSchema};
use satudata_core::value::Value;
use satudata_core::Id;
use satudata_store::jobs::{JobEnd, JobLease, JobQuery, JobState, NewJob};
use satudata_store::{NewVersion, RowSource, Store, StoreError};

async fn table(store: &Arc<dyn Store>) -> Resource {
    let org = store
        .create_organization(
            OrganizationMeta {
                slug: "dinas-jobs".into(),
                name: "Dinas Jobs".into(),
                acronym: None,
                kind: OrgKind::Opd,
                description: String::new(),
                region_code: None,
                parent_id: None,
                email: None,
                phone: None,
                address: None,
                website: None,
            },
            None,
        )
        .await
        .expect("org");
    let ds = store
        .create_dataset(DatasetMeta::new("Data jobs", "data-jobs", org.id), None)
        .await
        .expect("dataset");
    store
        .create_resource(
            ds.id,
            NewResource {
                name: "t".into(),
                title: "Tabel".into(),
                description: String::new(),
                kind: ResourceKind::Table {
                    schema: TableSchema::new(vec![
                        Field::new("kode", FieldType::String),
                        Field::new("jumlah", FieldType::Integer),
                    ]),
                },
            },
            None,
        )
        .await
        .expect("resource")
}

fn new_job(resource_id: Id, name: &str) -> NewJob {
    NewJob {
        kind: "import".into(),
        resource_id,
        file_key: format!("uploads/{name}"),
        filename: name.into(),
        options: serde_json::json!({"summary": name}),
        bytes_total: Some(1234),
        created_by: None,
    }
}

fn lease_of(job: &satudata_store::jobs::Job) -> JobLease {
    JobLease {
        job_id: job.id,
        token: job.lease.expect("a claimed job has a lease"),
    }
}

/// Rows with a report, as an import's source gives them.
struct ReportSource {
    rows: Option<Vec<Row>>,
}

#[async_trait]
impl RowSource for ReportSource {
    async fn next_batch(&mut self) -> Result<Option<Vec<Row>>, String> {
        Ok(self.rows.take())
    }
    fn report(&self) -> Option<serde_json::Value> {
        Some(serde_json::json!({"valid": true}))
    }
}

fn rows(n: i64) -> Vec<Row> {
    (0..n)
        .map(|i| vec![Value::Text(format!("k{i}")), Value::Int(i)])
        .collect()
}

const LEASE: Duration = Duration::from_secs(60);

/// Jobs are queued, claimed oldest first and once, report progress and end with a version.
pub async fn jobs_queue_claim_and_complete(store: Arc<dyn Store>) {
    let res = table(&store).await;
    assert!(store.claim_job(LEASE).await.expect("claim").is_none());
    let a = store.create_job(new_job(res.id, "a.csv")).await.expect("a");
    let b = store.create_job(new_job(res.id, "b.csv")).await.expect("b");
    assert_eq!(
        (a.state, a.attempts, a.rows_processed),
        (JobState::Queued, 0, 0)
    );
    assert_eq!(a.options["summary"], "a.csv");
    assert_eq!(a.bytes_total, Some(1234));
    assert_eq!(store.get_job(a.id).await.expect("get"), Some(a.clone()));

    let ca = store.claim_job(LEASE).await.expect("claim").expect("a job");
    assert_eq!((ca.id, ca.state, ca.attempts), (a.id, JobState::Running, 1));
    assert!(ca.started_at.is_some() && ca.lease_until.is_some());
    let cb = store.claim_job(LEASE).await.expect("claim").expect("b job");
    assert_eq!(cb.id, b.id, "a claimed job is not handed out twice");
    assert!(store.claim_job(LEASE).await.expect("claim").is_none());

    let state = store
        .job_progress(lease_of(&ca), 5000, Some(600), LEASE)
        .await
        .expect("progress");
    assert_eq!(state, JobState::Running);
    let seen = store.get_job(a.id).await.expect("get").expect("a");
    assert_eq!(
        (seen.rows_processed, seen.bytes_processed),
        (5000, Some(600))
    );

    let v = store
        .complete_import_job(
            lease_of(&ca),
            res.id,
            NewVersion::default(),
            &mut ReportSource {
                rows: Some(rows(10)),
            },
        )
        .await
        .expect("version");
    assert_eq!((v.number, v.row_count), (1, 10));
    let states = store.version_states(res.id).await.expect("states");
    assert_eq!(states[0].state, ReviewState::Draf, "imports make drafts");
    let done = store.get_job(a.id).await.expect("get").expect("a");
    assert_eq!((done.state, done.version), (JobState::Done, Some(1)));
    assert_eq!(done.report, Some(serde_json::json!({"valid": true})));
    // The review finds the job (and its report) by the version it made.
    let by_version = store
        .import_job_for_version(res.id, 1)
        .await
        .expect("by version")
        .expect("the job of version 1");
    assert_eq!(
        (by_version.id, by_version.report),
        (done.id, done.report.clone())
    );
    assert!(store
        .import_job_for_version(res.id, 2)
        .await
        .expect("by version")
        .is_none());
    assert!(done.finished_at.is_some() && done.lease.is_none());

    // Completing again with the same (now spent) lease writes nothing.
    let again = store
        .complete_import_job(
            lease_of(&ca),
            res.id,
            NewVersion::default(),
            &mut ReportSource {
                rows: Some(rows(3)),
            },
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(
        store.list_versions(res.id).await.expect("versions").len(),
        1
    );

    // b ends without a version (an invalid file): the report is kept.
    assert!(store
        .finish_job(
            lease_of(&cb),
            JobEnd {
                state: JobState::Done,
                report: Some(serde_json::json!({"valid": false})),
                error: None,
            },
        )
        .await
        .expect("finish"));
    let b = store.get_job(b.id).await.expect("get").expect("b");
    assert_eq!((b.state, b.version), (JobState::Done, None));
    assert_eq!(b.report, Some(serde_json::json!({"valid": false})));

    let page = store
        .list_jobs(&JobQuery {
            resource_id: Some(res.id),
            ..JobQuery::default()
        })
        .await
        .expect("list");
    assert_eq!(page.total, 2);
    assert_eq!(page.items[0].id, b.id, "newest first");
    let none = store
        .list_jobs(&JobQuery {
            resource_id: Some(satudata_core::new_id()),
            ..JobQuery::default()
        })
        .await
        .expect("list");
    assert_eq!(none.total, 0);

    // A job done before its first progress report still counts its rows.
    let c = store.create_job(new_job(res.id, "c.csv")).await.expect("c");
    let cc = store.claim_job(LEASE).await.expect("claim").expect("c job");
    assert_eq!(cc.id, c.id);
    store
        .complete_import_job(
            lease_of(&cc),
            res.id,
            NewVersion::default(),
            &mut ReportSource {
                rows: Some(rows(7)),
            },
        )
        .await
        .expect("version");
    let c = store.get_job(c.id).await.expect("get").expect("c");
    assert_eq!((c.state, c.rows_processed), (JobState::Done, 7));
}

/// A running job whose runner died is claimed again after its lease expires (or at once when
/// re-queued), and the dead runner's lease no longer counts.
pub async fn jobs_lease_expiry_and_requeue(store: Arc<dyn Store>) {
    let res = table(&store).await;
    let job = store
        .create_job(new_job(res.id, "x.csv"))
        .await
        .expect("job");
    let first = store
        .claim_job(Duration::from_millis(1))
        .await
        .expect("claim")
        .expect("job");
    tokio::time::sleep(Duration::from_millis(20)).await;
    let second = store
        .claim_job(LEASE)
        .await
        .expect("claim")
        .expect("expired");
    assert_eq!((second.id, second.attempts), (job.id, 2));
    assert_ne!(second.lease, first.lease);
    // The first runner lost its lease: its progress and its version are refused.
    let state = store
        .job_progress(lease_of(&first), 1, None, LEASE)
        .await
        .expect("progress");
    assert_ne!(state, JobState::Running);
    let stale = store
        .complete_import_job(
            lease_of(&first),
            res.id,
            NewVersion::default(),
            &mut ReportSource {
                rows: Some(rows(2)),
            },
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert!(store.list_versions(res.id).await.expect("list").is_empty());

    // A restart re-queues what was running.
    assert_eq!(
        store.requeue_jobs(true).await.expect("requeue"),
        0,
        "lease alive"
    );
    assert_eq!(store.requeue_jobs(false).await.expect("requeue"), 1);
    let third = store
        .claim_job(LEASE)
        .await
        .expect("claim")
        .expect("requeued");
    assert_eq!((third.id, third.attempts), (job.id, 3));

    // After the last attempt, a job whose runner died again is given up.
    store.requeue_jobs(false).await.expect("requeue");
    let j = store.get_job(job.id).await.expect("get").expect("job");
    assert_eq!(
        j.state,
        JobState::Running,
        "no more attempts: not re-queued"
    );
    let other = store.create_job(new_job(res.id, "y.csv")).await.expect("y");
    let _ = other;
    let lease = JobLease {
        job_id: job.id,
        token: third.lease.expect("lease"),
    };
    store
        .job_progress(lease, 0, None, Duration::from_millis(1))
        .await
        .expect("shorten lease");
    tokio::time::sleep(Duration::from_millis(20)).await;
    let next = store.claim_job(LEASE).await.expect("claim").expect("y");
    assert_eq!(next.filename, "y.csv");
    let j = store.get_job(job.id).await.expect("get").expect("job");
    assert_eq!(j.state, JobState::Failed);
    assert!(j.error.is_some());
}

/// Cancelling stops a queued job at once and a running one at its next progress report; a
/// cancelled job makes no version; an ended job cannot be cancelled.
pub async fn jobs_cancel(store: Arc<dyn Store>) {
    let res = table(&store).await;
    let q = store.create_job(new_job(res.id, "q.csv")).await.expect("q");
    assert_eq!(
        store.cancel_job(q.id).await.expect("cancel").state,
        JobState::Cancelled
    );
    assert!(store.claim_job(LEASE).await.expect("claim").is_none());
    assert!(matches!(
        store.cancel_job(q.id).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.cancel_job(satudata_core::new_id()).await,
        Err(StoreError::NotFound(_))
    ));

    let r = store.create_job(new_job(res.id, "r.csv")).await.expect("r");
    let claimed = store.claim_job(LEASE).await.expect("claim").expect("r");
    store.cancel_job(r.id).await.expect("cancel running");
    let state = store
        .job_progress(lease_of(&claimed), 10, None, LEASE)
        .await
        .expect("progress");
    assert_eq!(state, JobState::Cancelled);
    let v = store
        .complete_import_job(
            lease_of(&claimed),
            res.id,
            NewVersion::default(),
            &mut ReportSource {
                rows: Some(rows(2)),
            },
        )
        .await;
    assert!(matches!(v, Err(StoreError::Conflict(_))), "{v:?}");
    assert!(store.list_versions(res.id).await.expect("list").is_empty());
    assert!(!store
        .finish_job(
            lease_of(&claimed),
            JobEnd {
                state: JobState::Failed,
                report: None,
                error: Some("x".into()),
            },
        )
        .await
        .expect("finish"));
    assert_eq!(
        store.get_job(r.id).await.expect("get").expect("r").state,
        JobState::Cancelled
    );
}
