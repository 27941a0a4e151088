//! The store: one trait, [`Store`], with one implementation per database backend
//! (`satudata-store-sqlite`, `satudata-store-postgres`). The shared conformance suite in
//! `satudata-store-tests` runs against both, so both behave the same.
//!
//! ## Contract every backend keeps
//! - **Ids** are UUIDv7 minted by the caller or the store ([`satudata_core::new_id`]).
//! - **Sequence**: every change (create, update, tombstone) of an organisation, user, topic, dataset,
//!   resource or version appends one [`Change`] with the next server sequence number, in the same
//!   transaction as the change; the record's `seq` is that number.
//! - **Tombstones**: deletions set `deleted_at`; deleted records are not returned by get/list.
//! - **Typed rows**: each table resource has its own SQL table `rows_<resource id, 32 hex digits>`
//!   with one typed column `c<i>` per schema field (see [`satudata_core::schema::StorageType`]) plus
//!   `_ord` (upload order), `_hash` (16-byte row hash), `_vfrom` and `_vto` (the versions in which the row
//!   is present: `_vfrom <= v AND (_vto IS NULL OR _vto > v)`). A new version retires rows that are gone and
//!   adds rows that are new; unchanged rows are kept, so versions cost only their difference.
//! - **One transaction per version**: [`Store::create_version`] either creates the whole version or
//!   nothing, also when the row source fails midway or the process dies.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use satudata_core::aggregate::{AggregatePage, AggregateQuery};
use satudata_core::dataset::{
    Access, Change, Dataset, DatasetMeta, NewResource, Resource, Topic, Version,
};
use satudata_core::organization::{OrgKind, Organization, OrganizationMeta};
use satudata_core::row::{Row, RowPage, RowQuery};
use satudata_core::user::{ApiToken, Membership, NewUser, Role, Session, User};
use satudata_core::Id;

pub mod bootstrap;
pub mod boundaries;
pub mod checks;
pub mod codelists;
pub mod governance;
pub mod jobs;
pub mod rowdiff;
pub mod rowsql;
pub mod rowtable;
pub mod search;
mod source;
pub use boundaries::BoundaryStore;
pub use codelists::CodeListStore;
pub use governance::GovernanceStore;
pub use jobs::JobStore;
pub use search::{
    CatalogEntry, DatasetCondition, DatasetFacet, DatasetSort, DatasetSortField, FacetCount,
    MetaField,
};
pub use source::{ChannelRowSource, RowSource, VecRowSource};

/// Errors of the store. Messages are for logs (English); the HTTP layer turns kinds into answers.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist (or is a tombstone).
    #[error("not found: {0}")]
    NotFound(String),
    /// A unique name is taken, or the change conflicts with the current state.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The request is invalid (bad field, unknown column in a query, …). The message is in Bahasa Indonesia,
    /// meant for the user.
    #[error("invalid: {0}")]
    Invalid(String),
    /// The row source failed (e.g. a bad cell in an import). Nothing was written.
    #[error("row source: {0}")]
    Source(String),
    /// The database failed.
    #[error("database: {0}")]
    Backend(String),
}

/// Result of store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// A page of records.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// All matching records.
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
}

/// Filter for listing organisations.
#[derive(Debug, Clone, Default)]
pub struct OrgQuery {
    pub kind: Option<OrgKind>,
    /// Organisations whose region lies inside this dotted code.
    pub within_region: Option<String>,
    /// Case-insensitive substring of name or acronym.
    pub q: Option<String>,
    pub limit: u32,
    pub offset: u64,
}

/// Filter for listing datasets.
#[derive(Debug, Clone, Default)]
pub struct DatasetQuery {
    pub organization_id: Option<Id>,
    pub topic: Option<String>,
    pub tag: Option<String>,
    /// Only datasets whose access level is in this list; empty means any.
    pub access: Vec<Access>,
    /// Also show the datasets of these organisations whatever their access (a produsen sees their own).
    pub also_organizations: Vec<Id>,
    /// Case-insensitive substring of title or description (full-text search comes later).
    pub q: Option<String>,
    /// Only datasets changed after this sequence number.
    pub since_seq: Option<i64>,
    pub limit: u32,
    pub offset: u64,
    /// A further condition (catalogue search, CKAN `fq`); `None` means none.
    pub condition: Option<DatasetCondition>,
    /// Sort keys (the id breaks ties); empty means by title (or by `seq` with `since_seq`).
    pub sort: Vec<DatasetSort>,
}

/// What a new API token record holds (the secret itself never reaches the store).
#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub user_id: Id,
    pub name: String,
    /// SHA-256 of the secret, hex.
    pub secret_hash: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Metadata a caller gives for a new version.
#[derive(Debug, Clone, Default)]
pub struct NewVersion {
    pub actor: Option<Id>,
    /// Summary of the change; generated ("+N baris, −M baris") when empty.
    pub summary: String,
}

/// Everything satudata keeps, behind one trait (with the governance records of
/// [`GovernanceStore`], the jobs of [`JobStore`] and the code lists of [`CodeListStore`]). See the crate docs for the contract.
#[async_trait]
pub trait Store:
    GovernanceStore + JobStore + BoundaryStore + CodeListStore + Send + Sync + 'static
{
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Whether the database answers.
    async fn health(&self) -> StoreResult<()>;

    /// The highest server sequence number so far (0 on an empty store).
    async fn current_seq(&self) -> StoreResult<i64>;

    /// Changes with `seq > after`, oldest first, at most `limit`.
    async fn changes_since(&self, after: i64, limit: u32) -> StoreResult<Vec<Change>>;

    // ---- organisations ----

    /// Create an organisation; the slug must be unique ([`StoreError::Conflict`]).
    async fn create_organization(
        &self,
        meta: OrganizationMeta,
        actor: Option<Id>,
    ) -> StoreResult<Organization>;

    /// Create many organisations in one transaction (e.g. every desa of the home region); slugs that
    /// exist already are skipped. Returns how many were created.
    async fn create_organizations(
        &self,
        metas: Vec<OrganizationMeta>,
        actor: Option<Id>,
    ) -> StoreResult<u64>;

    async fn update_organization(
        &self,
        id: Id,
        meta: OrganizationMeta,
        actor: Option<Id>,
    ) -> StoreResult<Organization>;

    /// Get by id (as text) or slug.
    async fn get_organization(&self, id_or_slug: &str) -> StoreResult<Option<Organization>>;

    async fn list_organizations(&self, query: &OrgQuery) -> StoreResult<Page<Organization>>;

    // ---- topics ----

    /// Create the topic or update it if its slug exists.
    async fn upsert_topic(&self, topic: Topic, actor: Option<Id>) -> StoreResult<Topic>;

    async fn list_topics(&self) -> StoreResult<Vec<Topic>>;

    // ---- users, sessions, tokens ----

    /// Create a user; the username must be unique ([`StoreError::Conflict`]).
    async fn create_user(&self, new: NewUser, actor: Option<Id>) -> StoreResult<User>;

    async fn get_user(&self, id: Id) -> StoreResult<Option<User>>;

    async fn get_user_by_username(&self, username: &str) -> StoreResult<Option<User>>;

    /// The user and their argon2id password hash, for login.
    async fn get_login(&self, username: &str) -> StoreResult<Option<(User, String)>>;

    async fn list_users(&self, limit: u32, offset: u64) -> StoreResult<Page<User>>;

    async fn set_password_hash(
        &self,
        user_id: Id,
        hash: String,
        actor: Option<Id>,
    ) -> StoreResult<()>;

    async fn set_disabled(&self, user_id: Id, disabled: bool, actor: Option<Id>)
        -> StoreResult<()>;

    /// Give `role` in `organization_id` (`Some`) or take every role there (`None`).
    async fn set_membership(
        &self,
        user_id: Id,
        organization_id: Id,
        role: Option<Role>,
        actor: Option<Id>,
    ) -> StoreResult<Vec<Membership>>;

    async fn create_token(&self, new: NewApiToken) -> StoreResult<ApiToken>;

    /// Find an active (not revoked, not expired) token by the hash of its secret, with its user,
    /// and record its use.
    async fn use_token(
        &self,
        secret_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(ApiToken, User)>>;

    async fn list_tokens(&self, user_id: Id) -> StoreResult<Vec<ApiToken>>;

    /// Revoke a token of `user_id`; [`StoreError::NotFound`] if it is not theirs.
    async fn revoke_token(&self, user_id: Id, token_id: Id) -> StoreResult<()>;

    async fn create_session(&self, session: Session) -> StoreResult<()>;

    /// The session and its user if it exists and has not expired at `now`.
    async fn get_session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(Session, User)>>;

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;

    // ---- datasets ----

    /// Create a dataset; its slug must be unique ([`StoreError::Conflict`]).
    async fn create_dataset(&self, meta: DatasetMeta, actor: Option<Id>) -> StoreResult<Dataset>;

    async fn update_dataset(
        &self,
        id: Id,
        meta: DatasetMeta,
        actor: Option<Id>,
    ) -> StoreResult<Dataset>;

    /// Tombstone a dataset and its resources.
    async fn delete_dataset(&self, id: Id, actor: Option<Id>) -> StoreResult<()>;

    /// Get by id (as text) or slug.
    async fn get_dataset(&self, id_or_slug: &str) -> StoreResult<Option<Dataset>>;

    async fn list_datasets(&self, query: &DatasetQuery) -> StoreResult<Page<Dataset>>;

    /// Facet counts over the datasets `query` matches (ignoring its limit, offset and sort): for each
    /// of `facets`, the `limit` most frequent values, most frequent first, ties by value.
    ///
    /// The default pages through [`Store::list_datasets`]; backends answer with one SQL query per
    /// facet.
    async fn dataset_facets(
        &self,
        query: &DatasetQuery,
        facets: &[DatasetFacet],
        limit: u32,
    ) -> StoreResult<Vec<Vec<FacetCount>>> {
        let mut counts: Vec<std::collections::HashMap<String, u64>> =
            vec![Default::default(); facets.len()];
        let mut q = query.clone();
        q.limit = 1000;
        q.offset = 0;
        loop {
            let page = self.list_datasets(&q).await?;
            for d in &page.items {
                for (i, f) in facets.iter().enumerate() {
                    let values: Vec<String> = match f {
                        DatasetFacet::Organization => vec![d.meta.organization_id.to_string()],
                        DatasetFacet::Topic => d.meta.topics.clone(),
                        DatasetFacet::Tag => d.meta.tags.clone(),
                        DatasetFacet::License => vec![d.meta.license.clone()],
                        DatasetFacet::Access => vec![d.meta.access.as_str().to_string()],
                    };
                    for v in values {
                        *counts[i].entry(v).or_default() += 1;
                    }
                }
            }
            q.offset += page.items.len() as u64;
            if page.items.is_empty() || q.offset >= page.total {
                break;
            }
        }
        Ok(counts
            .into_iter()
            .map(|c| search::top_counts(c, limit))
            .collect())
    }

    /// Every live dataset with its last-change time and what resources it has, in one pass: what an
    /// in-memory catalogue index is built from. The default asks per dataset; backends answer with
    /// one query.
    async fn catalog_entries(&self) -> StoreResult<Vec<CatalogEntry>> {
        let mut out = vec![];
        let mut q = DatasetQuery {
            limit: 1000,
            ..DatasetQuery::default()
        };
        loop {
            let page = self.list_datasets(&q).await?;
            let n = page.items.len();
            for dataset in page.items {
                let mut modified = dataset.updated_at;
                let mut has_table = false;
                let mut file_types = vec![];
                for r in self.list_resources(dataset.id).await? {
                    modified = modified.max(r.updated_at);
                    match &r.kind {
                        satudata_core::dataset::ResourceKind::Table { .. } => {
                            has_table = true;
                            if let Some(v) = self.list_versions(r.id).await?.first() {
                                modified = modified.max(v.created_at);
                            }
                        }
                        satudata_core::dataset::ResourceKind::File { media_type, .. } => {
                            file_types.push(media_type.to_lowercase())
                        }
                    }
                }
                out.push(CatalogEntry {
                    dataset,
                    modified,
                    has_table,
                    file_types,
                });
            }
            q.offset += n as u64;
            if n == 0 || q.offset >= page.total {
                break;
            }
        }
        Ok(out)
    }

    // ---- resources ----

    /// Create a resource. A table resource gets its typed row table.
    async fn create_resource(
        &self,
        dataset_id: Id,
        new: NewResource,
        actor: Option<Id>,
    ) -> StoreResult<Resource>;

    async fn get_resource(&self, id: Id) -> StoreResult<Option<Resource>>;

    async fn list_resources(&self, dataset_id: Id) -> StoreResult<Vec<Resource>>;

    async fn delete_resource(&self, id: Id, actor: Option<Id>) -> StoreResult<()>;

    // ---- versions and rows ----

    /// Create the next version of a table resource from the rows of `source`, in one transaction,
    /// streaming (bounded memory). Rows must already be typed to the schema. The version is
    /// published at once (seeds, operator imports); uploads that need the walidata's review use
    /// [`GovernanceStore::create_draft_version`].
    async fn create_version(
        &self,
        resource_id: Id,
        new: NewVersion,
        source: &mut dyn RowSource,
    ) -> StoreResult<Version>;

    /// Versions of a resource, newest first.
    async fn list_versions(&self, resource_id: Id) -> StoreResult<Vec<Version>>;

    async fn get_version(&self, resource_id: Id, number: i32) -> StoreResult<Option<Version>>;

    /// Query the rows of one version (the latest *published* one when `query.version` is `None`;
    /// see [`governance`]).
    /// [`StoreError::Invalid`] names an unknown field; [`StoreError::NotFound`] a missing version.
    async fn query_rows(&self, resource_id: Id, query: &RowQuery) -> StoreResult<RowPage>;

    /// Stream every row of one version (the latest published one when `None`) in upload order, in
    /// batches, into `sink` (for exports).
    /// Returns the number of rows sent.
    async fn stream_rows(
        &self,
        resource_id: Id,
        version: Option<i32>,
        sink: tokio::sync::mpsc::Sender<Vec<Row>>,
    ) -> StoreResult<u64>;

    /// The version that row queries without a version read (the latest published one), if any;
    /// cheaper than [`Store::list_versions`]. Published versions never change, so its number and
    /// checksum identify the answer to any query over it (ETags).
    async fn latest_version(&self, resource_id: Id) -> StoreResult<Option<Version>> {
        Ok(self.list_versions(resource_id).await?.into_iter().next())
    }

    /// Group and aggregate the rows of one version (the latest when `query.version` is `None`):
    /// one row per group, group keys first. The query is checked by
    /// [`satudata_core::aggregate::plan`] (via [`rowtable::resolve_aggregate`]); what it refuses, such
    /// as a sum of percentages, is [`StoreError::Invalid`] with the reason. Backends answer with one
    /// SQL statement built by [`rowsql::SqlBuilder::aggregate`]; the default is for stores that cannot.
    async fn aggregate_rows(
        &self,
        resource_id: Id,
        query: &AggregateQuery,
    ) -> StoreResult<AggregatePage> {
        let _ = (resource_id, query);
        Err(StoreError::Backend(format!(
            "the {} store does not aggregate rows",
            self.backend()
        )))
    }

    /// Stream the rows `query` selects (its filters, `select`, sort, offset or cursor; at most
    /// `max` rows) as CSV records without a header: cells as [`rowsql::write_csv_cell`] writes them,
    /// `\n` after each record, sent in chunks of whole records. Returns the number of rows sent.
    /// Backends have the database write the text ([`rowsql::SqlBuilder::csv_line`]), so exports do
    /// not decode every cell; the default walks [`Store::query_rows`] with keyset cursors.
    async fn stream_csv(
        &self,
        resource_id: Id,
        query: &RowQuery,
        max: Option<u64>,
        sink: tokio::sync::mpsc::Sender<Vec<u8>>,
    ) -> StoreResult<u64> {
        let mut q = query.clone();
        q.with_total = false;
        let mut sent = 0u64;
        loop {
            let want = max.map_or(5000, |m| (m - sent).min(5000));
            if want == 0 {
                break;
            }
            q.limit = want as u32;
            let page = self.query_rows(resource_id, &q).await?;
            let mut buf = Vec::with_capacity(page.rows.len() * 64);
            for r in &page.rows {
                for (i, v) in r.iter().enumerate() {
                    if i > 0 {
                        buf.push(b',');
                    }
                    rowsql::write_csv_cell(&mut buf, v);
                }
                buf.push(b'\n');
            }
            sent += page.rows.len() as u64;
            if !buf.is_empty() && sink.send(buf).await.is_err() {
                break;
            }
            match page.next_cursor {
                Some(c) => {
                    q.after = Some(c);
                    q.offset = 0;
                }
                None => break,
            }
        }
        Ok(sent)
    }
}
