//! [`GovernanceStore`] for [`PostgresStore`]: each method delegates to the module that does the work
//! (`review`, `plan`, `notify`, `audit`).

use async_trait::async_trait;
use chrono::NaiveDate;
use satudata_core::audit::{AuditEntry, AuditRecord};
use satudata_core::dataset::{DatasetMeta, Version};
use satudata_core::notification::{NewNotification, Notification};
use satudata_core::plan::{PlanFacts, PlanItem, PlanItemMeta};
use satudata_core::review::{MetadataReview, ReviewEvent, ReviewState, RowDiff};
use satudata_core::Id;
use satudata_store::governance::{
    Applied, AuditQuery, AuditVerification, NewTransition, PlanQuery, QueueItem, QueueQuery,
    SubmissionRecord, VersionState,
};
use satudata_store::{GovernanceStore, NewVersion, Page, RowSource, StoreResult};

use crate::PostgresStore;

#[async_trait]
impl GovernanceStore for PostgresStore {
    async fn create_draft_version(
        &self,
        resource_id: Id,
        new: NewVersion,
        source: &mut dyn RowSource,
    ) -> StoreResult<Version> {
        self.create_version_impl(resource_id, new, source, ReviewState::Draf)
            .await
    }

    async fn version_states(&self, resource_id: Id) -> StoreResult<Vec<VersionState>> {
        self.version_states_impl(resource_id).await
    }

    async fn latest_published(&self, resource_id: Id) -> StoreResult<Option<i32>> {
        self.latest_published_impl(resource_id).await
    }

    async fn apply_transition(&self, t: NewTransition) -> StoreResult<Applied> {
        self.apply_transition_impl(t).await
    }

    async fn review_events(
        &self,
        resource_id: Id,
        version: Option<i32>,
    ) -> StoreResult<Vec<ReviewEvent>> {
        self.review_events_impl(resource_id, version).await
    }

    async fn submission_record(
        &self,
        resource_id: Id,
        version: i32,
    ) -> StoreResult<Option<SubmissionRecord>> {
        self.submission_record_impl(resource_id, version).await
    }

    async fn published_meta(&self, resource_id: Id) -> StoreResult<Option<DatasetMeta>> {
        self.published_meta_impl(resource_id).await
    }

    async fn review_queue(&self, q: &QueueQuery) -> StoreResult<Page<QueueItem>> {
        self.review_queue_impl(q).await
    }

    async fn review_counts(&self) -> StoreResult<Vec<(Id, u64, u64)>> {
        self.review_counts_impl().await
    }

    async fn diff_versions(
        &self,
        resource_id: Id,
        from: i32,
        to: i32,
        limit: u32,
    ) -> StoreResult<RowDiff> {
        self.diff_versions_impl(resource_id, from, to, limit).await
    }

    async fn add_metadata_review(&self, review: MetadataReview) -> StoreResult<MetadataReview> {
        self.add_metadata_review_impl(review).await
    }

    async fn metadata_reviews(&self, dataset_id: Id) -> StoreResult<Vec<MetadataReview>> {
        self.metadata_reviews_impl(dataset_id).await
    }

    async fn create_plan_item(
        &self,
        meta: PlanItemMeta,
        actor: Option<Id>,
    ) -> StoreResult<PlanItem> {
        self.create_plan_item_impl(meta, actor).await
    }

    async fn create_plan_items(
        &self,
        metas: Vec<PlanItemMeta>,
        actor: Option<Id>,
    ) -> StoreResult<u64> {
        self.create_plan_items_impl(metas, actor).await
    }

    async fn update_plan_item(
        &self,
        id: Id,
        meta: PlanItemMeta,
        actor: Option<Id>,
    ) -> StoreResult<PlanItem> {
        self.update_plan_item_impl(id, meta, actor).await
    }

    async fn delete_plan_item(&self, id: Id, actor: Option<Id>) -> StoreResult<()> {
        self.delete_plan_item_impl(id, actor).await
    }

    async fn get_plan_item(&self, id: Id) -> StoreResult<Option<PlanItem>> {
        self.get_plan_item_impl(id).await
    }

    async fn list_plan_items(&self, q: &PlanQuery) -> StoreResult<Page<PlanItem>> {
        self.list_plan_items_impl(q).await
    }

    async fn copy_plan_forward(&self, year: i32, actor: Option<Id>) -> StoreResult<u64> {
        self.copy_plan_forward_impl(year, actor).await
    }

    async fn plan_facts(&self, year: Option<i32>) -> StoreResult<Vec<PlanFacts>> {
        self.plan_facts_impl(year).await
    }

    async fn notify(&self, n: NewNotification) -> StoreResult<Vec<Notification>> {
        self.notify_impl(n).await
    }

    async fn list_notifications(
        &self,
        user_id: Id,
        unread_only: bool,
        limit: u32,
    ) -> StoreResult<Vec<Notification>> {
        self.list_notifications_impl(user_id, unread_only, limit)
            .await
    }

    async fn mark_notification_read(&self, user_id: Id, id: Id) -> StoreResult<()> {
        self.mark_notification_read_impl(user_id, id).await
    }

    async fn add_usage(
        &self,
        counts: Vec<satudata_store::governance::UsageDelta>,
    ) -> StoreResult<()> {
        self.add_usage_impl(counts).await
    }

    async fn dataset_usage(
        &self,
        dataset_id: Id,
        since: Option<NaiveDate>,
    ) -> StoreResult<satudata_store::governance::UsageTotals> {
        self.dataset_usage_impl(dataset_id, since).await
    }

    async fn most_used_datasets(
        &self,
        since: NaiveDate,
        access: &[satudata_core::dataset::Access],
        limit: u32,
    ) -> StoreResult<Vec<satudata_store::governance::MostUsed>> {
        self.most_used_datasets_impl(since, access, limit).await
    }

    async fn usage_since(&self, since: NaiveDate) -> StoreResult<Vec<(Id, u64)>> {
        self.usage_since_impl(since).await
    }

    async fn put_quality_snapshot(
        &self,
        organization_id: Id,
        month: &str,
        score: f64,
    ) -> StoreResult<()> {
        self.put_quality_snapshot_impl(organization_id, month, score)
            .await
    }

    async fn quality_snapshots(&self, organization_id: Id) -> StoreResult<Vec<(String, f64)>> {
        self.quality_snapshots_impl(organization_id).await
    }

    async fn append_audit(&self, record: AuditRecord) -> StoreResult<AuditEntry> {
        self.append_audit_impl(record).await
    }

    async fn list_audit(&self, q: &AuditQuery) -> StoreResult<Page<AuditEntry>> {
        self.list_audit_impl(q).await
    }

    async fn verify_audit(&self) -> StoreResult<AuditVerification> {
        self.verify_audit_impl().await
    }
}
