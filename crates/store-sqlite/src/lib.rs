//! The embedded SQLite implementation of satudata's [`Store`] — the default backend.
//!
//! Open a store with [`SqliteStore::open`] (a file, created with its directory when missing) or
//! [`SqliteStore::open_url`] (`sqlite://path` or `sqlite::memory:`). Migrations from
//! `migrations/` are applied at open.
//!
//! ## How it uses SQLite
//! - WAL journal, `synchronous=NORMAL`, foreign keys on, a busy timeout: readers never wait for the
//!   writer, and a crash loses at most the last transactions, never consistency.
//! - 16 KiB pages in a new store (ADR 0013): bulk loads, index builds and checkpoints move a
//!   quarter of the pages.
//! - One writer at a time: every write transaction takes an in-process lock and starts with
//!   `BEGIN IMMEDIATE`, so a transaction never has to be retried halfway (a deferred transaction that
//!   reads first can fail with `SQLITE_BUSY` when it later writes).
//! - Ids are 16-byte BLOBs; times are fixed-width UTC text (`2024-12-31T08:30:00.000000Z`), so text
//!   order is time order and comparisons in SQL are correct.
//! - Each table resource has a typed table `rows_<32 hex>` (see the `satudata-store` crate docs and
//!   [`satudata_store::rowtable`]).

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
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
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection, SqlitePool};

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
mod users;

/// How long a connection waits for a lock held by another process before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The SQLite store. Cheap to clone: clones share the pool and the writer lock.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// Serialises write transactions of this process (see the crate docs).
    write_lock: Arc<tokio::sync::Mutex<()>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

/// A write transaction holding the writer lock; dropping it without [`WriteTx::commit`] rolls back.
pub(crate) struct WriteTx {
    // Field order matters: the transaction is rolled back before the lock is released.
    tx: sqlx::Transaction<'static, Sqlite>,
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl WriteTx {
    pub(crate) fn conn(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }

    pub(crate) async fn commit(self) -> StoreResult<()> {
        self.tx.commit().await.map_err(db_err)
    }
}

impl SqliteStore {
    /// Open (creating when missing, with its parent directory) the database file at `path`,
    /// and apply the migrations.
    pub async fn open(path: &Path) -> StoreResult<SqliteStore> {
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    StoreError::Backend(format!("cannot create directory {}: {e}", dir.display()))
                })?;
            }
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .connect_with(Self::tune(options))
            .await
            .map_err(|e| StoreError::Backend(format!("cannot open {}: {e}", path.display())))?;
        Self::from_pool(pool).await
    }

    /// Open a store from a URL: `sqlite://PATH`, `sqlite:PATH` or `sqlite::memory:` (a private
    /// in-memory database, gone when the store is dropped; for tests).
    pub async fn open_url(url: &str) -> StoreResult<SqliteStore> {
        let url = url.trim();
        if url == "sqlite::memory:" || url == "sqlite://:memory:" {
            let options = SqliteConnectOptions::from_str("sqlite::memory:").map_err(db_err)?;
            // One connection that never closes: each connection would be a database of its own.
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(Self::tune(options))
                .await
                .map_err(db_err)?;
            return Self::from_pool(pool).await;
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| StoreError::Invalid(format!("URL basis data SQLite tidak dikenal: '{url}' (contoh: sqlite://data/satudata.db)")))?;
        if path.is_empty() || path.contains('?') {
            return Err(StoreError::Invalid(format!(
                "URL basis data SQLite tidak sah: '{url}' (contoh: sqlite://data/satudata.db)"
            )));
        }
        Self::open(Path::new(path)).await
    }

    fn tune(options: SqliteConnectOptions) -> SqliteConnectOptions {
        options
            // New stores get 16 KiB pages (SQLite's default is 4 KiB; an existing store keeps its
            // own): a million-row import took 8 % less time, as every page of the table and its
            // indexes goes through the WAL, the index builds and the checkpoint as one frame
            // (ADR 0013). Set before anything else: it applies only to a new database file.
            .page_size(16384)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // Large imports touch many index pages; 32 MiB per connection at most, used only when needed.
            .pragma("cache_size", "-32768")
            .pragma("temp_store", "FILE")
    }

    async fn from_pool(pool: SqlitePool) -> StoreResult<SqliteStore> {
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(format!("migrations failed: {e}")))?;
        Ok(SqliteStore {
            pool,
            write_lock: Arc::new(tokio::sync::Mutex::new(())),
        })
    }

    /// The connection pool (for diagnostics and backups).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Start a write transaction (see the crate docs).
    pub(crate) async fn begin_write(&self) -> StoreResult<WriteTx> {
        let guard = self.write_lock.clone().lock_owned().await;
        let tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(db_err)?;
        Ok(WriteTx { tx, _guard: guard })
    }
}

// ---------- shared helpers ----------

/// Now, cut to microseconds (what is stored), so that returned and re-read records are equal.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// The stored text form of a time.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub(crate) fn opt_ts(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(ts)
}

pub(crate) fn parse_ts(s: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| StoreError::Backend(format!("bad stored time '{s}': {e}")))
}

pub(crate) fn parse_opt_ts(s: Option<String>) -> StoreResult<Option<DateTime<Utc>>> {
    s.as_deref().map(parse_ts).transpose()
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

/// Escape `%`, `_` and `\` for a `LIKE … ESCAPE '\'` substring pattern.
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

/// Append one entry to the change log and return its sequence number.
pub(crate) async fn append_change(
    conn: &mut SqliteConnection,
    entity: &str,
    entity_id: Id,
    op: &str,
    actor: Option<Id>,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO changes (entity, entity_id, op, actor, at) VALUES (?, ?, ?, ?, ?) RETURNING seq",
    )
    .bind(entity)
    .bind(entity_id)
    .bind(op)
    .bind(actor)
    .bind(ts(at))
    .fetch_one(conn)
    .await
    .map_err(db_err)?;
    Ok(seq)
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn health(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn current_seq(&self) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM changes")
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)
    }

    async fn changes_since(&self, after: i64, limit: u32) -> StoreResult<Vec<Change>> {
        use sqlx::Row as _;
        let rows = sqlx::query(
            "SELECT seq, entity, entity_id, op, actor, at FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
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
                    at: parse_ts(&r.try_get::<String, _>("at").map_err(db_err)?)?,
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
