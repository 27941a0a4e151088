//! What the store keeps for governance: review states and transitions of versions, the Daftar
//! Data, notifications, usage counts, quality snapshots and the audit log.
//!
//! [`GovernanceStore`] is a supertrait of [`crate::Store`], so every backend implements it and
//! every `dyn Store` offers it. Contract, beside the crate's:
//! - **Review state**: every version has one ([`ReviewState`]). [`crate::Store::create_version`]
//!   creates *published* versions (seeds, operator imports); [`GovernanceStore::create_draft_version`]
//!   creates drafts (uploads that go through pemeriksaan). Reading rows with `version: None` means
//!   the latest **published** version; a draft is read only by naming its number.
//! - **Transitions** are checked again with [`satudata_core::review::transition`] inside the
//!   transaction that applies them, with the version locked, so concurrent reviewers cannot race;
//!   the event, its notes, the check report, the metadata snapshot, the superseding of older open
//!   versions, the notifications and the change-log entry are one transaction.
//! - **Audit log**: append-only; entries are appended one at a time under a lock (SQLite: the
//!   writer lock; PostgreSQL: a transaction-scoped advisory lock), so the hash chain never forks.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use satudata_core::audit::{AuditEntry, AuditRecord, ChainBreak};
use satudata_core::checks::{CheckReport, RegionTally};
use satudata_core::dataset::{DatasetMeta, Version};
use satudata_core::notification::{NewNotification, Notification};
use satudata_core::plan::{PlanFacts, PlanItem, PlanItemMeta};
use satudata_core::review::{
    MetadataReview, ReviewAction, ReviewEvent, ReviewNote, ReviewState, RowDiff,
};
use satudata_core::user::Role;
use satudata_core::Id;
use serde::{Deserialize, Serialize};

use crate::{NewVersion, Page, RowSource, StoreResult};

/// The review state of one version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionState {
    pub number: i32,
    pub state: ReviewState,
    /// When the state last changed (the creation time for versions never moved).
    pub state_at: DateTime<Utc>,
    /// Whether the automatic checks passed at the last submission (`None`: never checked).
    pub checks_passed: Option<bool>,
}

/// Uses of one dataset on one day, to add to the counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageDelta {
    pub dataset_id: Id,
    pub day: NaiveDate,
    /// File and table downloads (`/dataset/SLUG/…`, Data Packages, `rows?format=csv`, …).
    pub downloads: u64,
    /// Data API calls (rows, aggregates, CKAN `datastore_search`).
    pub api_calls: u64,
}

/// Downloads and API calls of a dataset over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageTotals {
    pub downloads: u64,
    pub api_calls: u64,
}

impl UsageTotals {
    /// Every use.
    pub fn total(&self) -> u64 {
        self.downloads + self.api_calls
    }
}

/// One dataset of the "most used" list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MostUsed {
    pub dataset_id: Id,
    pub slug: String,
    pub title: String,
    pub organization_id: Id,
    pub downloads: u64,
    pub api_calls: u64,
}

/// What the automatic checks found at a submission, kept with the event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmissionChecks {
    pub report: CheckReport,
    /// The region columns' tallies the Kode Referensi check used.
    #[serde(default)]
    pub regions: Vec<RegionTally>,
}

/// A transition to apply.
#[derive(Debug, Clone)]
pub struct NewTransition {
    pub resource_id: Id,
    pub version: i32,
    pub action: ReviewAction,
    pub actor: Option<Id>,
    /// The role the actor acts in (checked with the workflow).
    pub role: Role,
    pub note: String,
    pub notes: Vec<ReviewNote>,
    /// For submissions: the automatic checks and the metadata as submitted.
    pub checks: Option<SubmissionChecks>,
    pub meta: Option<DatasetMeta>,
    /// Notifications to deliver in the same transaction.
    pub notify: Vec<NewNotification>,
    /// When (`None`: now). Only seeds and tests set it.
    pub at: Option<DateTime<Utc>>,
}

impl NewTransition {
    /// A transition with no note, checks or notifications, now.
    pub fn new(
        resource_id: Id,
        version: i32,
        action: ReviewAction,
        actor: Option<Id>,
        role: Role,
    ) -> Self {
        NewTransition {
            resource_id,
            version,
            action,
            actor,
            role,
            note: String::new(),
            notes: vec![],
            checks: None,
            meta: None,
            notify: vec![],
            at: None,
        }
    }
}

/// What a transition did: the event, and the notifications it delivered (to mail copies).
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub event: ReviewEvent,
    pub notifications: Vec<Notification>,
}

/// The latest submission record of a version: its checks and the metadata as submitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmissionRecord {
    pub event: ReviewEvent,
    pub checks: Option<SubmissionChecks>,
    pub meta: Option<DatasetMeta>,
}

/// Filter of the review queue.
#[derive(Debug, Clone, Default)]
pub struct QueueQuery {
    /// Only these states (default: diajukan and disetujui).
    pub states: Vec<ReviewState>,
    pub organization_id: Option<Id>,
    pub limit: u32,
    pub offset: u64,
}

/// One entry of the review queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub dataset_id: Id,
    pub dataset_slug: String,
    pub dataset_title: String,
    pub organization_id: Id,
    pub organization_slug: String,
    pub organization_name: String,
    pub resource_id: Id,
    pub version: i32,
    pub state: ReviewState,
    /// When it entered this state (for diajukan: when it was submitted).
    pub since: DateTime<Utc>,
    pub row_count: i64,
    pub rows_added: i64,
    pub rows_removed: i64,
    pub checks_passed: Option<bool>,
}

/// Filter of the Daftar Data.
#[derive(Debug, Clone, Default)]
pub struct PlanQuery {
    pub year: Option<i32>,
    pub organization_id: Option<Id>,
    pub dataset_id: Option<Id>,
    pub limit: u32,
    pub offset: u64,
}

/// Filter of the audit log.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor_name: Option<String>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Only entries after this sequence number (for export in pages).
    pub after_seq: Option<i64>,
    pub limit: u32,
    pub offset: u64,
}

/// The outcome of checking the whole audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditVerification {
    /// Entries that verified (before the break, if any).
    pub verified: u64,
    /// The last verified entry.
    pub head_seq: i64,
    pub head_hash: String,
    /// The first broken entry.
    pub broken: Option<ChainBreak>,
}

/// Governance records; see the module docs for the contract.
#[async_trait]
pub trait GovernanceStore: Send + Sync {
    // ---- versions under review ----

    /// Create the next version of a table resource as a **draf** (same streaming and
    /// all-or-nothing contract as [`crate::Store::create_version`]).
    async fn create_draft_version(
        &self,
        resource_id: Id,
        new: NewVersion,
        source: &mut dyn RowSource,
    ) -> StoreResult<Version>;

    /// The review state of every version of a resource, newest first.
    async fn version_states(&self, resource_id: Id) -> StoreResult<Vec<VersionState>>;

    /// The number of the latest published version, if any.
    async fn latest_published(&self, resource_id: Id) -> StoreResult<Option<i32>>;

    /// Apply a transition (see the module docs). [`crate::StoreError::NotFound`] for a missing
    /// version; [`crate::StoreError::Conflict`] when the workflow does not allow it now.
    async fn apply_transition(&self, t: NewTransition) -> StoreResult<Applied>;

    /// Every transition of a resource (of one version when given), oldest first.
    async fn review_events(
        &self,
        resource_id: Id,
        version: Option<i32>,
    ) -> StoreResult<Vec<ReviewEvent>>;

    /// The latest submission (ajukan or ajukan ulang) of a version, with its checks and snapshot.
    async fn submission_record(
        &self,
        resource_id: Id,
        version: i32,
    ) -> StoreResult<Option<SubmissionRecord>>;

    /// The metadata snapshot taken when the latest published version of a resource was published.
    async fn published_meta(&self, resource_id: Id) -> StoreResult<Option<DatasetMeta>>;

    /// Versions waiting for the walidata, oldest first.
    async fn review_queue(&self, q: &QueueQuery) -> StoreResult<Page<QueueItem>>;

    /// Counts of submissions (ajukan, ajukan ulang) and returns per dataset, for the quality score.
    async fn review_counts(&self) -> StoreResult<Vec<(Id, u64, u64)>>;

    /// The rows added, removed and changed from version `from` (0: nothing) to version `to`.
    async fn diff_versions(
        &self,
        resource_id: Id,
        from: i32,
        to: i32,
        limit: u32,
    ) -> StoreResult<RowDiff>;

    /// Record the pembina's review of a dataset's metadata.
    async fn add_metadata_review(&self, review: MetadataReview) -> StoreResult<MetadataReview>;

    /// The metadata reviews of a dataset, newest first.
    async fn metadata_reviews(&self, dataset_id: Id) -> StoreResult<Vec<MetadataReview>>;

    // ---- Daftar Data ----

    async fn create_plan_item(
        &self,
        meta: PlanItemMeta,
        actor: Option<Id>,
    ) -> StoreResult<PlanItem>;

    /// Create many items in one transaction (import, demo). Returns how many.
    async fn create_plan_items(
        &self,
        metas: Vec<PlanItemMeta>,
        actor: Option<Id>,
    ) -> StoreResult<u64>;

    async fn update_plan_item(
        &self,
        id: Id,
        meta: PlanItemMeta,
        actor: Option<Id>,
    ) -> StoreResult<PlanItem>;

    /// Tombstone an item.
    async fn delete_plan_item(&self, id: Id, actor: Option<Id>) -> StoreResult<()>;

    async fn get_plan_item(&self, id: Id) -> StoreResult<Option<PlanItem>>;

    /// Items ordered by jadwal pemutakhiran, then title.
    async fn list_plan_items(&self, q: &PlanQuery) -> StoreResult<Page<PlanItem>>;

    /// Copy the items of `year` into `year + 1` (dates a year later, dataset links kept), in one
    /// transaction, skipping items whose organisation and title already exist there. Returns how
    /// many were created.
    async fn copy_plan_forward(&self, year: i32, actor: Option<Id>) -> StoreResult<u64>;

    /// Every item of `year` (all years when `None`) with what kemutakhiran needs.
    async fn plan_facts(&self, year: Option<i32>) -> StoreResult<Vec<PlanFacts>>;

    // ---- notifications ----

    /// Deliver a notification to its audience (skipping users who already got its dedupe key);
    /// returns what was created, with the recipients.
    async fn notify(&self, n: NewNotification) -> StoreResult<Vec<Notification>>;

    /// A user's notifications, newest first.
    async fn list_notifications(
        &self,
        user_id: Id,
        unread_only: bool,
        limit: u32,
    ) -> StoreResult<Vec<Notification>>;

    /// Mark a user's notification read; [`crate::StoreError::NotFound`] if it is not theirs.
    async fn mark_notification_read(&self, user_id: Id, id: Id) -> StoreResult<()>;

    // ---- usage and quality snapshots ----

    /// Add counted uses (downloads and API calls) per dataset and day, in one transaction; a day
    /// already counted is added to.
    async fn add_usage(&self, counts: Vec<UsageDelta>) -> StoreResult<()>;

    /// Uses (downloads and API calls together) per dataset since `since` (inclusive).
    async fn usage_since(&self, since: NaiveDate) -> StoreResult<Vec<(Id, u64)>>;

    /// One dataset's downloads and API calls since `since` (inclusive; `None`: ever).
    async fn dataset_usage(
        &self,
        dataset_id: Id,
        since: Option<NaiveDate>,
    ) -> StoreResult<UsageTotals>;

    /// The most used **published** datasets since `since` (inclusive), most uses first (ties by
    /// title): live datasets of the given access levels (empty: any) with at least one published
    /// version, or only file attachments, and at least one use in the period. For the home page's
    /// "paling banyak dimanfaatkan" list.
    async fn most_used_datasets(
        &self,
        since: NaiveDate,
        access: &[satudata_core::dataset::Access],
        limit: u32,
    ) -> StoreResult<Vec<MostUsed>>;

    /// Keep an organisation's score for a month (`YYYY-MM`), replacing an earlier one.
    async fn put_quality_snapshot(
        &self,
        organization_id: Id,
        month: &str,
        score: f64,
    ) -> StoreResult<()>;

    /// An organisation's monthly scores, oldest first.
    async fn quality_snapshots(&self, organization_id: Id) -> StoreResult<Vec<(String, f64)>>;

    // ---- audit log ----

    /// Append an entry (see the module docs).
    async fn append_audit(&self, record: AuditRecord) -> StoreResult<AuditEntry>;

    /// Entries matching `q`, newest first.
    async fn list_audit(&self, q: &AuditQuery) -> StoreResult<Page<AuditEntry>>;

    /// Check the whole chain, oldest first, in batches (bounded memory).
    async fn verify_audit(&self) -> StoreResult<AuditVerification>;
}
