//! The PostgreSQL implementation of satudata's [`Store`], for instances where several stateless
//! `satudata serve` nodes share one database.
//!
//! Connect with [`PostgresStore::connect`] (`postgres://user@host/db`) or
//! [`PostgresStore::connect_with`]; migrations from `migrations/` are applied at connect (sqlx
//! takes an advisory lock, so nodes starting together do not race).
//!
//! ## How it uses PostgreSQL
//! - Native types: `uuid`, `timestamptz`, `boolean`, `date`, `double precision`, `bigint`; metadata
//!   records keep their full form as `jsonb` beside the indexed columns queries filter on.
//! - **Sequence numbers in commit order.** An identity column alone hands out numbers at insert time,
//!   so a transaction that commits late could publish a number lower than one a reader has already
//!   passed, and a sync client would miss it. Every transaction therefore appends its change-log
//!   entries under one transaction-scoped advisory lock, taken as its *last* step (after all other
//!   row locks, so no deadlock), which makes numbers visible in commit order while holding the lock
//!   only for the short tail of each transaction.
//! - Versions of one resource are serialised by locking the resource row (`FOR UPDATE`): a second
//!   writer waits, then builds the next version on top of the first.
//! - Rows are written with `INSERT … SELECT FROM UNNEST($1::bigint[], …)`: one statement per
//!   batch of thousands of rows, each column bound as one typed array.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use satudata_core::dataset::{Change, Dataset, DatasetMeta, NewResource, Resource, Topic, Version};
use satudata_core::organization::{Organization, OrganizationMeta};
use satudata_core::review::ReviewState;
use satudata_core::row::{Row, RowPage, RowQuery};
use satudata_core::user::{ApiToken, Membership, NewUser, Role, Session, User};
use satudata_core::Id;
use satudata_store::{
    DatasetQuery, NewApiToken, NewVersion, OrgQuery, Page, RowSource, Store, StoreError,
    StoreResult,
};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool, Postgres};

mod audit;
mod boundaries;
mod catalog;
mod codelists;
mod governance;
mod jobs;
mod notify;
mod plan;
mod review;
mod rows;
mod search;
pub mod testing;
mod users;

/// The advisory lock key under which change-log entries are appended ("satudata" in ASCII).
const CHANGES_LOCK: i64 = 0x7361_7475_6461_7461;

/// The advisory lock key under which audit entries are appended ("sd-audit").
pub(crate) const AUDIT_LOCK: i64 = 0x7364_2d61_7564_6974;

/// The PostgreSQL store. Cheap to clone: clones share the pool.
#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore").finish_non_exhaustive()
    }
}

/// A transaction; dropping it without committing rolls back.
pub(crate) type Tx = sqlx::Transaction<'static, Postgres>;

impl PostgresStore {
    /// Connect to `url` (`postgres://user:password@host:port/database`) and apply the migrations.
    pub async fn connect(url: &str) -> StoreResult<PostgresStore> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Invalid(format!("URL PostgreSQL tidak sah: {e}")))?;
        Self::connect_with(options).await
    }

    /// Connect with explicit options and apply the migrations.
    pub async fn connect_with(options: PgConnectOptions) -> StoreResult<PostgresStore> {
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Backend(format!("cannot connect to PostgreSQL: {e}")))?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(format!("migrations failed: {e}")))?;
        Ok(PostgresStore { pool })
    }

    /// The connection pool (for diagnostics).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    pub(crate) async fn begin(&self) -> StoreResult<Tx> {
        self.pool.begin().await.map_err(db_err)
    }
}

// ---------- shared helpers ----------

/// Now, cut to microseconds (what `timestamptz` keeps), so returned and re-read records are equal.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Map a database error; unique violations become [`StoreError::Conflict`].
pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(d) = &e {
        if d.is_unique_violation() {
            return StoreError::Conflict(d.message().to_string());
        }
    }
    StoreError::Backend(e.to_string())
}

/// Map a database error, describing a unique violation with `conflict`.
pub(crate) fn db_err_or_conflict(e: sqlx::Error, conflict: impl FnOnce() -> String) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(conflict()),
        _ => db_err(e),
    }
}

pub(crate) fn json_err(e: serde_json::Error) -> StoreError {
    StoreError::Backend(format!("bad stored JSON: {e}"))
}

/// Escape `%`, `_` and `\` for an `ILIKE … ESCAPE '\'` substring pattern.
pub(crate) fn like_pattern(q: &str) -> String {
    let mut out = String::with_capacity(q.len() + 2);
    out.push('%');
    for c in q.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The page size asked for, 0 meaning the default of 100.
pub(crate) fn page_limit(limit: u32) -> u32 {
    if limit == 0 {
        100
    } else {
        limit
    }
}

/// Offsets beyond `i64::MAX` cannot exist; clamp instead of failing.
pub(crate) fn offset_i64(offset: u64) -> i64 {
    i64::try_from(offset).unwrap_or(i64::MAX)
}

/// Append one entry to the change log and return its sequence number. Call it as the last step of
/// a transaction, after every other row lock is held (see the crate docs).
pub(crate) async fn append_change(
    conn: &mut PgConnection,
    entity: &str,
    entity_id: Id,
    op: &str,
    actor: Option<Id>,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(CHANGES_LOCK)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO changes (entity, entity_id, op, actor, at) VALUES ($1, $2, $3, $4, $5) RETURNING seq",
    )
    .bind(entity)
    .bind(entity_id)
    .bind(op)
    .bind(actor)
    .bind(at)
    .fetch_one(conn)
    .await
    .map_err(db_err)?;
    Ok(seq)
}

/// Append a change for a record already written in this transaction and stamp its `seq`.
/// `table` is one of our own table names.
pub(crate) async fn stamp(
    conn: &mut PgConnection,
    table: &str,
    entity: &str,
    id: Id,
    op: &str,
    actor: Option<Id>,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    let seq = append_change(&mut *conn, entity, id, op, actor, at).await?;
    sqlx::query(&format!("UPDATE {table} SET seq = $1 WHERE id = $2"))
        .bind(seq)
        .bind(id)
        .execute(conn)
        .await
        .map_err(db_err)?;
    Ok(seq)
}

#[async_trait]
impl Store for PostgresStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn health(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn current_seq(&self) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0)::BIGINT FROM changes")
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)
    }

    async fn changes_since(&self, after: i64, limit: u32) -> StoreResult<Vec<Change>> {
        use sqlx::Row as _;
        let rows = sqlx::query(
            "SELECT seq, entity, entity_id, op, actor, at FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(i64::from(page_limit(limit)))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(Change {
                    seq: r.try_get("seq").map_err(db_err)?,
                    entity: r.try_get("entity").map_err(db_err)?,
                    entity_id: r.try_get("entity_id").map_err(db_err)?,
                    op: r.try_get("op").map_err(db_err)?,
                    actor: r.try_get("actor").map_err(db_err)?,
                    at: r.try_get("at").map_err(db_err)?,
                })
            })
            .collect()
    }

    async fn create_organization(
        &self,
        meta: OrganizationMeta,
        actor: Option<Id>,
    ) -> StoreResult<Organization> {
        self.create_organization_impl(meta, actor).await
    }

    async fn create_organizations(
        &self,
        metas: Vec<OrganizationMeta>,
        actor: Option<Id>,
    ) -> StoreResult<u64> {
        self.create_organizations_impl(metas, actor).await
    }

    async fn update_organization(
        &self,
        id: Id,
        meta: OrganizationMeta,
        actor: Option<Id>,
    ) -> StoreResult<Organization> {
        self.update_organization_impl(id, meta, actor).await
    }

    async fn get_organization(&self, id_or_slug: &str) -> StoreResult<Option<Organization>> {
        self.get_organization_impl(id_or_slug).await
    }

    async fn list_organizations(&self, query: &OrgQuery) -> StoreResult<Page<Organization>> {
        self.list_organizations_impl(query).await
    }

    async fn upsert_topic(&self, topic: Topic, actor: Option<Id>) -> StoreResult<Topic> {
        self.upsert_topic_impl(topic, actor).await
    }

    async fn list_topics(&self) -> StoreResult<Vec<Topic>> {
        self.list_topics_impl().await
    }

    async fn create_user(&self, new: NewUser, actor: Option<Id>) -> StoreResult<User> {
        self.create_user_impl(new, actor).await
    }

    async fn get_user(&self, id: Id) -> StoreResult<Option<User>> {
        self.get_user_impl(id).await
    }

    async fn get_user_by_username(&self, username: &str) -> StoreResult<Option<User>> {
        Ok(self.get_login_impl(username).await?.map(|(u, _)| u))
    }

    async fn get_login(&self, username: &str) -> StoreResult<Option<(User, String)>> {
        self.get_login_impl(username).await
    }

    async fn list_users(&self, limit: u32, offset: u64) -> StoreResult<Page<User>> {
        self.list_users_impl(limit, offset).await
    }

    async fn set_password_hash(
        &self,
        user_id: Id,
        hash: String,
        actor: Option<Id>,
    ) -> StoreResult<()> {
        self.set_password_hash_impl(user_id, hash, actor).await
    }

    async fn set_disabled(
        &self,
        user_id: Id,
        disabled: bool,
        actor: Option<Id>,
    ) -> StoreResult<()> {
        self.set_disabled_impl(user_id, disabled, actor).await
    }

    async fn set_membership(
        &self,
        user_id: Id,
        organization_id: Id,
        role: Option<Role>,
        actor: Option<Id>,
    ) -> StoreResult<Vec<Membership>> {
        self.set_membership_impl(user_id, organization_id, role, actor)
            .await
    }

    async fn create_token(&self, new: NewApiToken) -> StoreResult<ApiToken> {
        self.create_token_impl(new).await
    }

    async fn use_token(
        &self,
        secret_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(ApiToken, User)>> {
        self.use_token_impl(secret_hash, now).await
    }

    async fn list_tokens(&self, user_id: Id) -> StoreResult<Vec<ApiToken>> {
        self.list_tokens_impl(user_id).await
    }

    async fn revoke_token(&self, user_id: Id, token_id: Id) -> StoreResult<()> {
        self.revoke_token_impl(user_id, token_id).await
    }

    async fn create_session(&self, session: Session) -> StoreResult<()> {
        self.create_session_impl(session).await
    }

    async fn get_session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(Session, User)>> {
        self.get_session_impl(id_hash, now).await
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        self.delete_session_impl(id_hash).await
    }

    async fn create_dataset(&self, meta: DatasetMeta, actor: Option<Id>) -> StoreResult<Dataset> {
        self.create_dataset_impl(meta, actor).await
    }

    async fn update_dataset(
        &self,
        id: Id,
        meta: DatasetMeta,
        actor: Option<Id>,
    ) -> StoreResult<Dataset> {
        self.update_dataset_impl(id, meta, actor).await
    }

    async fn delete_dataset(&self, id: Id, actor: Option<Id>) -> StoreResult<()> {
        self.delete_dataset_impl(id, actor).await
    }

    async fn get_dataset(&self, id_or_slug: &str) -> StoreResult<Option<Dataset>> {
        self.get_dataset_impl(id_or_slug).await
    }

    async fn list_datasets(&self, query: &DatasetQuery) -> StoreResult<Page<Dataset>> {
        self.list_datasets_impl(query).await
    }

    async fn dataset_facets(
        &self,
        query: &DatasetQuery,
        facets: &[satudata_store::DatasetFacet],
        limit: u32,
    ) -> StoreResult<Vec<Vec<satudata_store::FacetCount>>> {
        self.dataset_facets_impl(query, facets, limit).await
    }

    async fn catalog_entries(&self) -> StoreResult<Vec<satudata_store::CatalogEntry>> {
        self.catalog_entries_impl().await
    }

    async fn create_resource(
        &self,
        dataset_id: Id,
        new: NewResource,
        actor: Option<Id>,
    ) -> StoreResult<Resource> {
        self.create_resource_impl(dataset_id, new, actor).await
    }

    async fn get_resource(&self, id: Id) -> StoreResult<Option<Resource>> {
        self.get_resource_impl(id).await
    }

    async fn list_resources(&self, dataset_id: Id) -> StoreResult<Vec<Resource>> {
        self.list_resources_impl(dataset_id).await
    }

    async fn delete_resource(&self, id: Id, actor: Option<Id>) -> StoreResult<()> {
        self.delete_resource_impl(id, actor).await
    }

    async fn create_version(
        &self,
        resource_id: Id,
        new: NewVersion,
        source: &mut dyn RowSource,
    ) -> StoreResult<Version> {
        self.create_version_impl(resource_id, new, source, ReviewState::Terbit)
            .await
    }

    async fn list_versions(&self, resource_id: Id) -> StoreResult<Vec<Version>> {
        self.list_versions_impl(resource_id).await
    }

    async fn get_version(&self, resource_id: Id, number: i32) -> StoreResult<Option<Version>> {
        self.get_version_impl(resource_id, number).await
    }

    async fn query_rows(&self, resource_id: Id, query: &RowQuery) -> StoreResult<RowPage> {
        self.query_rows_impl(resource_id, query).await
    }

    async fn stream_rows(
        &self,
        resource_id: Id,
        version: Option<i32>,
        sink: tokio::sync::mpsc::Sender<Vec<Row>>,
    ) -> StoreResult<u64> {
        self.stream_rows_impl(resource_id, version, sink).await
    }

    async fn latest_version(&self, resource_id: Id) -> StoreResult<Option<Version>> {
        self.latest_version_impl(resource_id).await
    }

    async fn aggregate_rows(
        &self,
        resource_id: Id,
        query: &satudata_core::aggregate::AggregateQuery,
    ) -> StoreResult<satudata_core::aggregate::AggregatePage> {
        self.aggregate_rows_impl(resource_id, query).await
    }

    async fn stream_csv(
        &self,
        resource_id: Id,
        query: &RowQuery,
        max: Option<u64>,
        sink: tokio::sync::mpsc::Sender<Vec<u8>>,
    ) -> StoreResult<u64> {
        self.stream_csv_impl(resource_id, query, max, sink).await
    }
}
