//! The demo instance: Kabupaten Musi Banyuasin (16.06) with realistic, synthetic data.
//!
//! [`seed`] fills a store with the regency's kecamatan and desa organisations, the walidata
//! (Diskominfo), the pembina (BPS), eighteen OPDs, twelve topics, 42 datasets with the national
//! Satu Data metadata and typed tables (2019–2024, by kecamatan or desa; some loaded in two or
//! three versions so that version history is real), and one user per role.
//!
//! - **Deterministic**: every value comes from a splitmix64 generator keyed by the dataset's slug,
//!   so every run, on every machine, loads the same rows (the version checksums are equal).
//! - **Idempotent and resumable**: each step skips what exists, and the walidata organisation is
//!   written last, so its presence marks a complete catalogue: a seeded store is recognised at once
//!   and nothing is written; a seed interrupted before that point is completed by the next one; and
//!   datasets a user deletes in the demo stay deleted. The five demo logins and their roles are
//!   checked (and restored if missing) on every call.
//! - **Labelled**: every dataset's description says [`DEMO_NOTE`]; contacts use `.example` domains.
//! - **Governed**: a Daftar Data for the current year with OPDs on time, late and missing, submissions
//!   waiting in the walidata's queue and one returned with notes ([`governance`]; relative to the day
//!   of the first seed).

use std::collections::HashMap;

use anyhow::{bail, Context};
use async_trait::async_trait;
use satudata_core::dataset::NewResource;
use satudata_core::dataset::ResourceKind;
use satudata_core::region::{Level, RegionCode, RegionKind, Regions};
use satudata_core::row::Row;
use satudata_core::user::NewUser;
use satudata_core::Id;
use satudata_store::bootstrap::{ensure_region_organizations, region_org_slug};
use satudata_store::{NewVersion, RowSource, Store};

pub mod boundaries;
mod datasets;
pub mod governance;
mod orgs;
mod profile;
mod rng;
mod spec;
#[cfg(test)]
mod tests;

pub use boundaries::{boundary_dirs, load_boundaries};
pub use orgs::{DemoUser, PEMBINA_SLUG, WALIDATA_SLUG};
pub use spec::DEMO_NOTE;

/// The home region of `satudata demo`: Kabupaten Musi Banyuasin.
pub const DEMO_HOME: &str = "16.06";

/// Name of the table resource of every demo dataset.
pub const TABLE_RESOURCE: &str = "data";

/// Rows per batch handed to [`Store::create_version`].
const BATCH: usize = 1_000;

/// The desa whose operator the `desa` user is, when the home region has it.
const DEMO_DESA: &str = "16.06.01.2001";

/// What the demo holds, and how to log in.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoSummary {
    /// Dotted code of the home region.
    pub home_code: String,
    /// "Kabupaten Musi Banyuasin".
    pub home_name: String,
    /// Organisations of the kecamatan.
    pub kecamatan_organizations: usize,
    /// Organisations of the desa and kelurahan.
    pub desa_organizations: usize,
    /// OPDs (besides the walidata and the pembina).
    pub opds: usize,
    /// Topics (kategori).
    pub topics: usize,
    /// Datasets, each with one typed table.
    pub datasets: usize,
    /// Versions over all tables.
    pub versions: usize,
    /// Rows in the latest versions of all tables.
    pub rows: u64,
    /// One login per role.
    pub users: Vec<DemoUser>,
    /// Whether this call wrote anything (false when the store was already seeded).
    pub seeded_now: bool,
}

impl DemoSummary {
    /// A few lines for the terminal: what is there and how to log in.
    pub fn describe(&self) -> String {
        let mut out = format!(
            "Demo {} ({}): {} kecamatan, {} desa/kelurahan, {} OPD, {} topik, {} dataset ({} versi, {} baris).\n\
             {DEMO_NOTE}\nMasuk sebagai:\n",
            self.home_name,
            self.home_code,
            self.kecamatan_organizations,
            self.desa_organizations,
            self.opds,
            self.topics,
            self.datasets,
            self.versions,
            self.rows
        );
        for u in &self.users {
            out.push_str(&format!(
                "  {:<9} kata sandi {:<20} ({}, {})\n",
                u.username,
                u.password,
                u.role.label_id(),
                u.organization
            ));
        }
        out
    }
}

/// Seed the demo into `store` for the kabupaten/kota `home` (the demo uses [`DEMO_HOME`]).
///
/// Deterministic and idempotent: a second call writes nothing and returns the same summary with
/// `seeded_now = false`. Takes a few seconds on SQLite, most of it hashing the five passwords.
pub async fn seed(store: &dyn Store, home: &RegionCode) -> anyhow::Result<DemoSummary> {
    let regions = Regions::get();
    let Some(home_region) = regions.by_code(home) else {
        bail!("kode wilayah {home} tidak dikenal");
    };
    if home_region.level != Level::Kabupaten {
        bail!(
            "demo memerlukan wilayah kabupaten/kota sebagai wilayah induk, bukan {} ({home})",
            home_region.level.label_id()
        );
    }
    let kab = home_region.display_name();
    let geo = profile::Geography::of(home);
    let specs = datasets::specs();

    // The desa operator works at Desa Sukarami in Musi Banyuasin, or the first desa elsewhere.
    let desa_region = regions
        .lookup(DEMO_DESA)
        .filter(|r| r.code.is_within(home))
        .or_else(|| {
            geo.desa
                .iter()
                .find(|a| a.kind == RegionKind::Desa)
                .or(geo.desa.first())
                .and_then(|a| regions.by_code(&a.code))
        })
        .context("wilayah induk tidak punya desa/kelurahan")?;
    let desa_slug = region_org_slug(desa_region);
    let users = orgs::users(&desa_slug, &desa_region.display_name());

    let mut summary = DemoSummary {
        home_code: home.dotted(),
        home_name: kab.clone(),
        kecamatan_organizations: geo.kecamatan.len(),
        desa_organizations: geo.desa.len(),
        opds: orgs::opd_count(),
        topics: orgs::topics().len(),
        datasets: specs.len(),
        versions: specs.iter().map(|s| usize::from(s.versions)).sum(),
        rows: specs.iter().map(|s| s.row_count(&geo) as u64).sum(),
        users: users.clone(),
        seeded_now: false,
    };

    let seq_before = store.current_seq().await?;
    // The walidata organisation is written last, so its presence means the catalogue is complete
    // (and a seed interrupted before it is resumed: every step skips what exists). Once it exists
    // the catalogue is never touched again, so datasets a user deletes in the demo stay deleted.
    if store.get_organization(WALIDATA_SLUG).await?.is_none() {
        seed_catalogue(store, home, &kab, &geo, &specs, &users).await?;
    }
    // The standard code lists (kode referensi), each only while the catalogue has no list of that
    // slug: a version the walidata published later is never overwritten.
    for list in satudata_core::codelist::standard() {
        if store.get_codelist(&list.slug, None).await?.is_none() {
            store
                .create_codelist(list, None)
                .await
                .context("membuat daftar kode referensi")?;
        }
    }
    // The demo logins are completed on every start (nothing is written when they are complete).
    for u in &users {
        let user_id = ensure_user(store, u).await?;
        let org = store
            .get_organization(&u.organization)
            .await?
            .with_context(|| format!("organisasi {} tidak ada", u.organization))?;
        ensure_role(store, user_id, org.id, u).await?;
    }
    // The Daftar Data of this year, with deliveries on time, late and missing (once).
    governance::seed(store, governance::today_wib())
        .await
        .context("membuat Daftar Data dan riwayat pemeriksaan demo")?;
    summary.seeded_now = store.current_seq().await? != seq_before;
    Ok(summary)
}

/// Organisations, topics, datasets and the user accounts, then the walidata organisation.
async fn seed_catalogue(
    store: &dyn Store,
    home: &RegionCode,
    kab: &str,
    geo: &profile::Geography,
    specs: &[spec::Spec],
    users: &[DemoUser],
) -> anyhow::Result<()> {
    let created = ensure_region_organizations(store, home)
        .await
        .context("membuat organisasi kecamatan dan desa")?;
    tracing::info!(created, "organisasi wilayah demo");

    let existing: Vec<String> = store
        .list_topics()
        .await?
        .into_iter()
        .map(|t| t.slug)
        .collect();
    for topic in orgs::topics() {
        if !existing.contains(&topic.slug) {
            store
                .upsert_topic(topic, None)
                .await
                .context("membuat topik")?;
        }
    }

    let (walidata, others): (Vec<_>, Vec<_>) = orgs::organizations(kab, &home.dotted())
        .into_iter()
        .partition(|m| m.slug == WALIDATA_SLUG);
    let other_slugs: Vec<String> = others.iter().map(|m| m.slug.clone()).collect();
    store
        .create_organizations(others, None)
        .await
        .context("membuat organisasi demo")?;
    let mut org_ids: HashMap<String, Id> = HashMap::new();
    for slug in &other_slugs {
        let org = store
            .get_organization(slug)
            .await?
            .with_context(|| format!("organisasi {slug} tidak ada setelah dibuat"))?;
        org_ids.insert(slug.clone(), org.id);
    }
    // The walidata's own datasets wait for it (created last).
    let walidata_datasets: Vec<&spec::Spec> =
        specs.iter().filter(|s| s.org == WALIDATA_SLUG).collect();

    // Accounts now (versions record who loaded them); their roles once every organisation exists.
    let mut user_ids: HashMap<String, Id> = HashMap::new();
    for u in users {
        user_ids.insert(u.username.clone(), ensure_user(store, u).await?);
    }

    let ctx = spec::MetaContext {
        kab: kab.to_string(),
        home_undotted: home.undotted().to_string(),
    };
    let loader = Loader {
        store,
        geo,
        ctx: &ctx,
        user_ids: &user_ids,
    };
    for (n, spec) in specs.iter().enumerate() {
        if spec.org == WALIDATA_SLUG {
            continue;
        }
        let org = *org_ids
            .get(spec.org)
            .with_context(|| format!("organisasi {} untuk dataset {}", spec.org, spec.slug))?;
        loader.load(n, spec, org).await?;
    }

    store
        .create_organizations(walidata, None)
        .await
        .context("membuat organisasi walidata")?;
    // Diskominfo's own datasets need its id, so they follow it (a crash in these milliseconds
    // would leave them out; the rest of the demo is complete by now).
    if !walidata_datasets.is_empty() {
        let org = store
            .get_organization(WALIDATA_SLUG)
            .await?
            .context("organisasi walidata tidak ada setelah dibuat")?;
        for (n, spec) in specs.iter().enumerate() {
            if spec.org == WALIDATA_SLUG {
                loader.load(n, spec, org.id).await?;
            }
        }
    }
    Ok(())
}

/// Loads datasets with what every dataset needs.
struct Loader<'a> {
    store: &'a dyn Store,
    geo: &'a profile::Geography,
    ctx: &'a spec::MetaContext,
    user_ids: &'a HashMap<String, Id>,
}

impl Loader<'_> {
    async fn load(&self, n: usize, spec: &spec::Spec, org: Id) -> anyhow::Result<()> {
        // The Dinkes operator uploads Dinkes data; for the other OPDs the walidata loads it.
        let actor = if spec.org == "dinkes" {
            "produsen"
        } else {
            "walidata"
        };
        ensure_dataset(
            self.store,
            spec,
            spec.meta(n, org, self.ctx),
            self.geo,
            self.user_ids.get(actor).copied(),
        )
        .await
        .with_context(|| format!("memuat dataset demo {}", spec.slug))
    }
}

/// Create the user's account if missing; returns its id.
async fn ensure_user(store: &dyn Store, u: &DemoUser) -> anyhow::Result<Id> {
    if let Some(user) = store.get_user_by_username(&u.username).await? {
        return Ok(user.id);
    }
    let password = u.password.clone();
    // argon2id costs tens of milliseconds of CPU: keep it off the async workers.
    let hash = tokio::task::spawn_blocking(move || satudata_auth::hash_password(&password))
        .await
        .context("hashing kata sandi demo")?;
    let user = store
        .create_user(
            NewUser {
                username: u.username.clone(),
                display_name: u.display_name.clone(),
                email: Some(format!("{}@musibanyuasin.example", u.username)),
                password_hash: hash,
            },
            None,
        )
        .await
        .with_context(|| format!("membuat pengguna {}", u.username))?;
    Ok(user.id)
}

/// Give the demo user their role in `org` unless they hold it.
async fn ensure_role(store: &dyn Store, user_id: Id, org: Id, u: &DemoUser) -> anyhow::Result<()> {
    let user = store
        .get_user(user_id)
        .await?
        .with_context(|| format!("pengguna {} tidak ada", u.username))?;
    if !user
        .memberships
        .iter()
        .any(|m| m.organization_id == org && m.role == u.role)
    {
        store
            .set_membership(user_id, org, Some(u.role), None)
            .await
            .with_context(|| format!("memberi peran {} kepada {}", u.role, u.username))?;
    }
    Ok(())
}

/// Create the dataset, its table and any missing versions.
async fn ensure_dataset(
    store: &dyn Store,
    spec: &spec::Spec,
    meta: satudata_core::dataset::DatasetMeta,
    geo: &profile::Geography,
    actor: Option<Id>,
) -> anyhow::Result<()> {
    let dataset = match store.get_dataset(spec.slug).await? {
        Some(d) => d,
        None => store.create_dataset(meta, actor).await?,
    };
    let existing = store
        .list_resources(dataset.id)
        .await?
        .into_iter()
        .find(|r| r.name == TABLE_RESOURCE);
    let resource = match existing {
        Some(r) => r,
        None => {
            store
                .create_resource(
                    dataset.id,
                    NewResource {
                        name: TABLE_RESOURCE.to_string(),
                        title: spec.title.to_string(),
                        description: format!("Tabel data {} ({DEMO_NOTE})", spec.title),
                        kind: ResourceKind::Table {
                            schema: spec.schema(),
                        },
                    },
                    actor,
                )
                .await?
        }
    };
    let have = store.list_versions(resource.id).await?.len();
    let planned = spec.versions_of(&spec.rows(geo));
    for (rows, summary) in planned.into_iter().skip(have) {
        let mut source = Batches::new(rows);
        store
            .create_version(resource.id, NewVersion { actor, summary }, &mut source)
            .await?;
    }
    Ok(())
}

/// Rows handed to the store [`BATCH`] at a time, as an import would.
struct Batches {
    rows: std::vec::IntoIter<Row>,
}

impl Batches {
    fn new(rows: Vec<Row>) -> Self {
        Batches {
            rows: rows.into_iter(),
        }
    }
}

#[async_trait]
impl RowSource for Batches {
    async fn next_batch(&mut self) -> Result<Option<Vec<Row>>, String> {
        let batch: Vec<Row> = self.rows.by_ref().take(BATCH).collect();
        Ok(if batch.is_empty() { None } else { Some(batch) })
    }
}
