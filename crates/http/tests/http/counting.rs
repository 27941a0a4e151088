//! A Store wrapper that counts the calls of every method that changes state, so tests can prove
//! that GET requests change nothing (whatever the backend), and that can pretend the database is
//! down.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use satudata_core::dataset::{Change, Dataset, DatasetMeta, NewResource, Resource, Topic, Version};
use satudata_core::organization::{Organization, OrganizationMeta};
use satudata_core::row::{Row, RowPage, RowQuery};
use satudata_core::user::{ApiToken, Membership, NewUser, Role, Session, User};
use satudata_core::Id;
use satudata_core::{plan, review};
use satudata_store::governance as gov;
use satudata_store::jobs;
use satudata_store::{
    DatasetQuery, NewApiToken, NewVersion, OrgQuery, Page, RowSource, Store, StoreError,
    StoreResult,
};

pub struct CountingStore {
    inner: Arc<dyn Store>,
    writes: Mutex<BTreeMap<&'static str, u64>>,
    pub down: AtomicBool,
}

impl CountingStore {
    pub fn new(inner: Arc<dyn Store>) -> Self {
        CountingStore {
            inner,
            writes: Mutex::new(BTreeMap::new()),
            down: AtomicBool::new(false),
        }
    }

    fn count(&self, method: &'static str) {
        *self.writes.lock().unwrap().entry(method).or_default() += 1;
    }

    /// How often each state-changing method was called.
    pub fn writes(&self) -> BTreeMap<&'static str, u64> {
        self.writes.lock().unwrap().clone()
    }
}

#[async_trait]
impl Store for CountingStore {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }
    async fn health(&self) -> StoreResult<()> {
        if self.down.load(Ordering::SeqCst) {
            return Err(StoreError::Backend("pretend: connection refused".into()));
        }
        self.inner.health().await
    }
    async fn current_seq(&self) -> StoreResult<i64> {
        self.inner.current_seq().await
    }
    async fn changes_since(&self, after: i64, limit: u32) -> StoreResult<Vec<Change>> {
        self.inner.changes_since(after, limit).await
    }
    async fn create_organization(
        &self,
        meta: OrganizationMeta,
        actor: Option<Id>,
    ) -> StoreResult<Organization> {
        self.count("create_organization");
        self.inner.create_organization(meta, actor).await
    }
    async fn create_organizations(
        &self,
        metas: Vec<OrganizationMeta>,
        actor: Option<Id>,
    ) -> StoreResult<u64> {
        self.count("create_organizations");
        self.inner.create_organizations(metas, actor).await
    }
    async fn update_organization(
        &self,
        id: Id,
        meta: OrganizationMeta,
        actor: Option<Id>,
    ) -> StoreResult<Organization> {
        self.count("update_organization");
        self.inner.update_organization(id, meta, actor).await
    }
    async fn get_organization(&self, id_or_slug: &str) -> StoreResult<Option<Organization>> {
        self.inner.get_organization(id_or_slug).await
    }
    async fn list_organizations(&self, query: &OrgQuery) -> StoreResult<Page<Organization>> {
        self.inner.list_organizations(query).await
    }
    async fn upsert_topic(&self, topic: Topic, actor: Option<Id>) -> StoreResult<Topic> {
        self.count("upsert_topic");
        self.inner.upsert_topic(topic, actor).await
    }
    async fn list_topics(&self) -> StoreResult<Vec<Topic>> {
        self.inner.list_topics().await
    }
    async fn create_user(&self, new: NewUser, actor: Option<Id>) -> StoreResult<User> {
        self.count("create_user");
        self.inner.create_user(new, actor).await
    }
    async fn get_user(&self, id: Id) -> StoreResult<Option<User>> {
        self.inner.get_user(id).await
    }
    async fn get_user_by_username(&self, username: &str) -> StoreResult<Option<User>> {
        self.inner.get_user_by_username(username).await
    }
    async fn get_login(&self, username: &str) -> StoreResult<Option<(User, String)>> {
        self.inner.get_login(username).await
    }
    async fn list_users(&self, limit: u32, offset: u64) -> StoreResult<Page<User>> {
        self.inner.list_users(limit, offset).await
    }
    async fn set_password_hash(
        &self,
        user_id: Id,
        hash: String,
        actor: Option<Id>,
    ) -> StoreResult<()> {
        self.count("set_password_hash");
        self.inner.set_password_hash(user_id, hash, actor).await
    }
    async fn set_disabled(
        &self,
        user_id: Id,
        disabled: bool,
        actor: Option<Id>,
    ) -> StoreResult<()> {
        self.count("set_disabled");
        self.inner.set_disabled(user_id, disabled, actor).await
    }
    async fn set_membership(
        &self,
        user_id: Id,
        organization_id: Id,
        role: Option<Role>,
        actor: Option<Id>,
    ) -> StoreResult<Vec<Membership>> {
        self.count("set_membership");
        self.inner
            .set_membership(user_id, organization_id, role, actor)
            .await
    }
    async fn create_token(&self, new: NewApiToken) -> StoreResult<ApiToken> {
        self.count("create_token");
        self.inner.create_token(new).await
    }
    async fn use_token(
        &self,
        secret_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(ApiToken, User)>> {
        // Records last use: expected on any authenticated request, GET included.
        self.inner.use_token(secret_hash, now).await
    }
    async fn list_tokens(&self, user_id: Id) -> StoreResult<Vec<ApiToken>> {
        self.inner.list_tokens(user_id).await
    }
    async fn revoke_token(&self, user_id: Id, token_id: Id) -> StoreResult<()> {
        self.count("revoke_token");
        self.inner.revoke_token(user_id, token_id).await
    }
    async fn create_session(&self, session: Session) -> StoreResult<()> {
        self.count("create_session");
        self.inner.create_session(session).await
    }
    async fn get_session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(Session, User)>> {
        self.inner.get_session(id_hash, now).await
    }
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        self.count("delete_session");
        self.inner.delete_session(id_hash).await
    }
    async fn create_dataset(&self, meta: DatasetMeta, actor: Option<Id>) -> StoreResult<Dataset> {
        self.count("create_dataset");
        self.inner.create_dataset(meta, actor).await
    }
    async fn update_dataset(
        &self,
        id: Id,
        meta: DatasetMeta,
        actor: Option<Id>,
    ) -> StoreResult<Dataset> {
        self.count("update_dataset");
        self.inner.update_dataset(id, meta, actor).await
    }
    async fn delete_dataset(&self, id: Id, actor: Option<Id>) -> StoreResult<()> {
        self.count("delete_dataset");
        self.inner.delete_dataset(id, actor).await
    }
    async fn get_dataset(&self, id_or_slug: &str) -> StoreResult<Option<Dataset>> {
        self.inner.get_dataset(id_or_slug).await
    }
    async fn list_datasets(&self, query: &DatasetQuery) -> StoreResult<Page<Dataset>> {
        self.inner.list_datasets(query).await
    }
    async fn create_resource(
        &self,
        dataset_id: Id,
        new: NewResource,
        actor: Option<Id>,
    ) -> StoreResult<Resource> {
        self.count("create_resource");
        self.inner.create_resource(dataset_id, new, actor).await
    }
    async fn get_resource(&self, id: Id) -> StoreResult<Option<Resource>> {
        self.inner.get_resource(id).await
    }
    async fn list_resources(&self, dataset_id: Id) -> StoreResult<Vec<Resource>> {
        self.inner.list_resources(dataset_id).await
    }
    async fn delete_resource(&self, id: Id, actor: Option<Id>) -> StoreResult<()> {
        self.count("delete_resource");
        self.inner.delete_resource(id, actor).await
    }
    async fn create_version(
        &self,
        resource_id: Id,
        new: NewVersion,
        source: &mut dyn RowSource,
    ) -> StoreResult<Version> {
        self.count("create_version");
        self.inner.create_version(resource_id, new, source).await
    }
    async fn list_versions(&self, resource_id: Id) -> StoreResult<Vec<Version>> {
        self.inner.list_versions(resource_id).await
    }
    async fn get_version(&self, resource_id: Id, number: i32) -> StoreResult<Option<Version>> {
        self.inner.get_version(resource_id, number).await
    }
    async fn query_rows(&self, resource_id: Id, query: &RowQuery) -> StoreResult<RowPage> {
        self.inner.query_rows(resource_id, query).await
    }
    async fn stream_rows(
        &self,
        resource_id: Id,
        version: Option<i32>,
        sink: tokio::sync::mpsc::Sender<Vec<Row>>,
    ) -> StoreResult<u64> {
        self.inner.stream_rows(resource_id, version, sink).await
    }
    async fn latest_version(&self, resource_id: Id) -> StoreResult<Option<Version>> {
        self.inner.latest_version(resource_id).await
    }
    async fn aggregate_rows(
        &self,
        resource_id: Id,
        query: &satudata_core::aggregate::AggregateQuery,
    ) -> StoreResult<satudata_core::aggregate::AggregatePage> {
        self.inner.aggregate_rows(resource_id, query).await
    }
    async fn stream_csv(
        &self,
        resource_id: Id,
        query: &RowQuery,
        max: Option<u64>,
        sink: tokio::sync::mpsc::Sender<Vec<u8>>,
    ) -> StoreResult<u64> {
        self.inner.stream_csv(resource_id, query, max, sink).await
    }
}

/// Governance records. Audit appends and usage counts are not counted as writes: they record who
/// read what (restricted reads are audited, and reads are counted for the quality score), which
/// is the point of them and not a change of the data a GET could be abused for.
#[async_trait]
impl satudata_store::GovernanceStore for CountingStore {
    async fn create_draft_version(
        &self,
        resource_id: Id,
        new: NewVersion,
        source: &mut dyn RowSource,
    ) -> StoreResult<Version> {
        self.count("create_draft_version");
        self.inner
            .create_draft_version(resource_id, new, source)
            .await
    }
    async fn version_states(&self, resource_id: Id) -> StoreResult<Vec<gov::VersionState>> {
        self.inner.version_states(resource_id).await
    }
    async fn latest_published(&self, resource_id: Id) -> StoreResult<Option<i32>> {
        self.inner.latest_published(resource_id).await
    }
    async fn apply_transition(&self, t: gov::NewTransition) -> StoreResult<gov::Applied> {
        self.count("apply_transition");
        self.inner.apply_transition(t).await
    }
    async fn review_events(
        &self,
        resource_id: Id,
        version: Option<i32>,
    ) -> StoreResult<Vec<review::ReviewEvent>> {
        self.inner.review_events(resource_id, version).await
    }
    async fn submission_record(
        &self,
        resource_id: Id,
        version: i32,
    ) -> StoreResult<Option<gov::SubmissionRecord>> {
        self.inner.submission_record(resource_id, version).await
    }
    async fn published_meta(&self, resource_id: Id) -> StoreResult<Option<DatasetMeta>> {
        self.inner.published_meta(resource_id).await
    }
    async fn review_queue(&self, q: &gov::QueueQuery) -> StoreResult<Page<gov::QueueItem>> {
        self.inner.review_queue(q).await
    }
    async fn review_counts(&self) -> StoreResult<Vec<(Id, u64, u64)>> {
        self.inner.review_counts().await
    }
    async fn diff_versions(
        &self,
        resource_id: Id,
        from: i32,
        to: i32,
        limit: u32,
    ) -> StoreResult<review::RowDiff> {
        self.inner.diff_versions(resource_id, from, to, limit).await
    }
    async fn add_metadata_review(
        &self,
        r: review::MetadataReview,
    ) -> StoreResult<review::MetadataReview> {
        self.count("add_metadata_review");
        self.inner.add_metadata_review(r).await
    }
    async fn metadata_reviews(&self, dataset_id: Id) -> StoreResult<Vec<review::MetadataReview>> {
        self.inner.metadata_reviews(dataset_id).await
    }
    async fn create_plan_item(
        &self,
        meta: plan::PlanItemMeta,
        actor: Option<Id>,
    ) -> StoreResult<plan::PlanItem> {
        self.count("create_plan_item");
        self.inner.create_plan_item(meta, actor).await
    }
    async fn create_plan_items(
        &self,
        metas: Vec<plan::PlanItemMeta>,
        actor: Option<Id>,
    ) -> StoreResult<u64> {
        self.count("create_plan_items");
        self.inner.create_plan_items(metas, actor).await
    }
    async fn update_plan_item(
        &self,
        id: Id,
        meta: plan::PlanItemMeta,
        actor: Option<Id>,
    ) -> StoreResult<plan::PlanItem> {
        self.count("update_plan_item");
        self.inner.update_plan_item(id, meta, actor).await
    }
    async fn delete_plan_item(&self, id: Id, actor: Option<Id>) -> StoreResult<()> {
        self.count("delete_plan_item");
        self.inner.delete_plan_item(id, actor).await
    }
    async fn get_plan_item(&self, id: Id) -> StoreResult<Option<plan::PlanItem>> {
        self.inner.get_plan_item(id).await
    }
    async fn list_plan_items(&self, q: &gov::PlanQuery) -> StoreResult<Page<plan::PlanItem>> {
        self.inner.list_plan_items(q).await
    }
    async fn copy_plan_forward(&self, year: i32, actor: Option<Id>) -> StoreResult<u64> {
        self.count("copy_plan_forward");
        self.inner.copy_plan_forward(year, actor).await
    }
    async fn plan_facts(&self, year: Option<i32>) -> StoreResult<Vec<plan::PlanFacts>> {
        self.inner.plan_facts(year).await
    }
    async fn notify(
        &self,
        n: satudata_core::notification::NewNotification,
    ) -> StoreResult<Vec<satudata_core::notification::Notification>> {
        self.count("notify");
        self.inner.notify(n).await
    }
    async fn list_notifications(
        &self,
        user_id: Id,
        unread_only: bool,
        limit: u32,
    ) -> StoreResult<Vec<satudata_core::notification::Notification>> {
        self.inner
            .list_notifications(user_id, unread_only, limit)
            .await
    }
    async fn mark_notification_read(&self, user_id: Id, id: Id) -> StoreResult<()> {
        self.count("mark_notification_read");
        self.inner.mark_notification_read(user_id, id).await
    }
    async fn add_usage(
        &self,
        counts: Vec<satudata_store::governance::UsageDelta>,
    ) -> StoreResult<()> {
        // Not counted as a write: usage counters are telemetry that GETs are meant to feed (the
        // flusher writes them every few seconds), not state a GET changes.
        self.inner.add_usage(counts).await
    }
    async fn dataset_usage(
        &self,
        dataset_id: Id,
        since: Option<chrono::NaiveDate>,
    ) -> StoreResult<satudata_store::governance::UsageTotals> {
        self.inner.dataset_usage(dataset_id, since).await
    }
    async fn most_used_datasets(
        &self,
        since: chrono::NaiveDate,
        access: &[satudata_core::dataset::Access],
        limit: u32,
    ) -> StoreResult<Vec<satudata_store::governance::MostUsed>> {
        self.inner.most_used_datasets(since, access, limit).await
    }
    async fn usage_since(&self, since: chrono::NaiveDate) -> StoreResult<Vec<(Id, u64)>> {
        self.inner.usage_since(since).await
    }
    async fn put_quality_snapshot(&self, org: Id, month: &str, score: f64) -> StoreResult<()> {
        self.count("put_quality_snapshot");
        self.inner.put_quality_snapshot(org, month, score).await
    }
    async fn quality_snapshots(&self, org: Id) -> StoreResult<Vec<(String, f64)>> {
        self.inner.quality_snapshots(org).await
    }
    async fn append_audit(
        &self,
        record: satudata_core::audit::AuditRecord,
    ) -> StoreResult<satudata_core::audit::AuditEntry> {
        self.inner.append_audit(record).await
    }
    async fn list_audit(
        &self,
        q: &gov::AuditQuery,
    ) -> StoreResult<Page<satudata_core::audit::AuditEntry>> {
        self.inner.list_audit(q).await
    }
    async fn verify_audit(&self) -> StoreResult<gov::AuditVerification> {
        self.inner.verify_audit().await
    }
}

/// Jobs: queueing, claiming, progress and completion are writes.
#[async_trait]
impl satudata_store::jobs::JobStore for CountingStore {
    async fn create_job(&self, new: jobs::NewJob) -> StoreResult<jobs::Job> {
        self.count("create_job");
        self.inner.create_job(new).await
    }
    async fn get_job(&self, id: Id) -> StoreResult<Option<jobs::Job>> {
        self.inner.get_job(id).await
    }
    async fn import_job_for_version(
        &self,
        resource_id: Id,
        number: i32,
    ) -> StoreResult<Option<jobs::Job>> {
        self.inner.import_job_for_version(resource_id, number).await
    }
    async fn list_jobs(&self, q: &jobs::JobQuery) -> StoreResult<satudata_store::Page<jobs::Job>> {
        self.inner.list_jobs(q).await
    }
    async fn claim_job(&self, lease_for: std::time::Duration) -> StoreResult<Option<jobs::Job>> {
        self.count("claim_job");
        self.inner.claim_job(lease_for).await
    }
    async fn job_progress(
        &self,
        lease: jobs::JobLease,
        rows_processed: i64,
        bytes_processed: Option<i64>,
        lease_for: std::time::Duration,
    ) -> StoreResult<jobs::JobState> {
        self.count("job_progress");
        self.inner
            .job_progress(lease, rows_processed, bytes_processed, lease_for)
            .await
    }
    async fn finish_job(&self, lease: jobs::JobLease, end: jobs::JobEnd) -> StoreResult<bool> {
        self.count("finish_job");
        self.inner.finish_job(lease, end).await
    }
    async fn complete_import_job(
        &self,
        lease: jobs::JobLease,
        resource_id: Id,
        new: NewVersion,
        source: &mut dyn RowSource,
    ) -> StoreResult<Version> {
        self.count("complete_import_job");
        self.inner
            .complete_import_job(lease, resource_id, new, source)
            .await
    }
    async fn cancel_job(&self, id: Id) -> StoreResult<jobs::Job> {
        self.count("cancel_job");
        self.inner.cancel_job(id).await
    }
    async fn requeue_jobs(&self, expired_only: bool) -> StoreResult<u64> {
        self.count("requeue_jobs");
        self.inner.requeue_jobs(expired_only).await
    }
}

#[async_trait]
impl satudata_store::BoundaryStore for CountingStore {
    async fn put_boundaries(
        &self,
        items: &[satudata_store::boundaries::NewBoundary],
        source: &str,
        actor: Option<Id>,
    ) -> StoreResult<u64> {
        self.count("put_boundaries");
        self.inner.put_boundaries(items, source, actor).await
    }
    async fn get_boundary(
        &self,
        code: &str,
    ) -> StoreResult<Option<satudata_store::boundaries::Boundary>> {
        self.inner.get_boundary(code).await
    }
    async fn list_boundaries(
        &self,
        within: &str,
        level: satudata_core::region::Level,
        full: bool,
    ) -> StoreResult<Vec<satudata_store::boundaries::Boundary>> {
        self.inner.list_boundaries(within, level, full).await
    }
}

/// Code lists: saving a version is a write.
#[async_trait]
impl satudata_store::CodeListStore for CountingStore {
    async fn create_codelist(
        &self,
        meta: satudata_core::codelist::CodeListMeta,
        actor: Option<Id>,
    ) -> StoreResult<satudata_core::codelist::CodeList> {
        self.count("create_codelist");
        self.inner.create_codelist(meta, actor).await
    }
    async fn get_codelist(
        &self,
        slug: &str,
        version: Option<i32>,
    ) -> StoreResult<Option<satudata_core::codelist::CodeList>> {
        self.inner.get_codelist(slug, version).await
    }
    async fn list_codelists(&self) -> StoreResult<Vec<satudata_core::codelist::CodeList>> {
        self.inner.list_codelists().await
    }
    async fn codelist_versions(&self, slug: &str) -> StoreResult<Vec<i32>> {
        self.inner.codelist_versions(slug).await
    }
}
