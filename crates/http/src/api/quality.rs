//! Quality scores (EPSS-aligned, see docs/QUALITY.md) per dataset and per OPD, with what to do to
//! raise them; monthly snapshots for the trend.

use std::collections::HashMap;

use axum::extract::State;
use axum::Json as JsonResponse;
use chrono::{Datelike, Duration};
use satudata_core::access::Action;
use satudata_core::dataset::{Access, Dataset, ResourceKind};
use satudata_core::organization::{OrgKind, Organization};
use satudata_core::plan::{item_status, Timeliness};
use satudata_core::quality::{combine, dataset_score, QualityInput, QualityScore, VersionFacts};
use satudata_core::review::ReviewState;
use satudata_core::Id;
use satudata_store::{DatasetQuery, OrgQuery};
use serde::Serialize;
use utoipa::ToSchema;

use super::plan::today_wib;
use super::{find_dataset, find_organization};
use crate::audit_trail::AuditTrail;
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::extract::Path;
use crate::state::AppState;

/// How many days of use count for the score.
const USAGE_DAYS: i64 = 90;

/// What every dataset's score needs from the whole instance, loaded once.
pub struct Context {
    reviews: HashMap<Id, (u64, u64)>,
    deliveries: HashMap<Id, Vec<Timeliness>>,
    usage: HashMap<Id, u64>,
}

impl Context {
    /// Load the review counts, the Daftar Data statuses and the usage counts.
    pub async fn load(state: &AppState) -> ApiResult<Context> {
        let today = today_wib();
        let reviews = state
            .store
            .review_counts()
            .await?
            .into_iter()
            .map(|(d, s, r)| (d, (s, r)))
            .collect();
        let mut deliveries: HashMap<Id, Vec<Timeliness>> = HashMap::new();
        for f in state.store.plan_facts(None).await? {
            let Some(d) = f.item.meta.dataset_id else {
                continue;
            };
            let s = item_status(&f, today);
            // Only what is due (or already sent) says anything about timeliness.
            if !matches!(s.status, Timeliness::BelumJatuhTempo { .. }) {
                deliveries.entry(d).or_default().push(s.status);
            }
        }
        let usage = state
            .store
            .usage_since(today - Duration::days(USAGE_DAYS))
            .await?
            .into_iter()
            .collect();
        Ok(Context {
            reviews,
            deliveries,
            usage,
        })
    }
}

/// The score of one dataset.
pub async fn dataset_quality(
    state: &AppState,
    ctx: &Context,
    d: &Dataset,
) -> ApiResult<QualityScore> {
    let resources = state.store.list_resources(d.id).await?;
    let table = resources
        .iter()
        .find(|r| matches!(r.kind, ResourceKind::Table { .. }));
    let files: Vec<String> = resources
        .iter()
        .filter_map(|r| match &r.kind {
            ResourceKind::File { media_type, .. } => Some(media_type.clone()),
            ResourceKind::Table { .. } => None,
        })
        .collect();
    let mut versions = vec![];
    let mut regions = None;
    if let Some(t) = table {
        let states = state.store.version_states(t.id).await?;
        let mut list = state.store.list_versions(t.id).await?;
        list.sort_by_key(|v| v.number);
        versions = list
            .iter()
            .map(|v| VersionFacts {
                state: states
                    .iter()
                    .find(|s| s.number == v.number)
                    .map(|s| s.state)
                    .unwrap_or(ReviewState::Terbit),
                row_count: v.row_count,
                rows_removed: v.rows_removed,
            })
            .collect();
        // The region tallies of the latest published version's submission, when it had one.
        if let Some(n) = state.store.latest_published(t.id).await? {
            regions = state
                .store
                .submission_record(t.id, n)
                .await?
                .and_then(|r| r.checks)
                .map(|c| c.regions);
        }
    }
    let schema = table.and_then(|t| match &t.kind {
        ResourceKind::Table { schema } => Some(schema),
        ResourceKind::File { .. } => None,
    });
    let (submissions, returns) = ctx.reviews.get(&d.id).copied().unwrap_or((0, 0));
    Ok(dataset_score(&QualityInput {
        meta: &d.meta,
        schema,
        file_formats: &files,
        regions: regions.as_deref(),
        deliveries: ctx.deliveries.get(&d.id).map(Vec::as_slice).unwrap_or(&[]),
        versions: &versions,
        submissions,
        returns,
        usage: Some(ctx.usage.get(&d.id).copied().unwrap_or(0)),
    }))
}

/// The datasets of an organisation the public may see the metadata of (closed ones are not
/// scored on public pages).
async fn org_datasets(state: &AppState, org: Id) -> ApiResult<Vec<Dataset>> {
    let page = state
        .store
        .list_datasets(&DatasetQuery {
            organization_id: Some(org),
            access: vec![Access::Terbuka, Access::Terbatas],
            limit: 1000,
            ..DatasetQuery::default()
        })
        .await?;
    Ok(page.items)
}

/// A dataset's score.
#[derive(Debug, Serialize, ToSchema)]
pub struct DatasetQuality {
    pub dataset: String,
    pub title: String,
    #[serde(flatten)]
    pub quality: QualityScore,
}

/// An organisation's score with its datasets and trend.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgQuality {
    pub organization: String,
    pub name: String,
    #[serde(flatten)]
    pub quality: QualityScore,
    pub datasets: Vec<DatasetQuality>,
    /// Monthly snapshots (`YYYY-MM`, score), oldest first.
    pub trend: Vec<(String, f64)>,
}

/// The score of one organisation.
pub async fn org_quality(
    state: &AppState,
    ctx: &Context,
    org: &Organization,
) -> ApiResult<OrgQuality> {
    let mut datasets = vec![];
    for d in org_datasets(state, org.id).await? {
        let q = dataset_quality(state, ctx, &d).await?;
        datasets.push(DatasetQuality {
            dataset: d.meta.slug,
            title: d.meta.title,
            quality: q,
        });
    }
    datasets.sort_by(|a, b| a.quality.score.total_cmp(&b.quality.score));
    let scores: Vec<&QualityScore> = datasets.iter().map(|d| &d.quality).collect();
    let quality = combine(&scores);
    Ok(OrgQuality {
        organization: org.meta.slug.clone(),
        name: org.meta.name.clone(),
        quality,
        datasets,
        trend: state.store.quality_snapshots(org.id).await?,
    })
}

/// One line of the overview.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgScore {
    pub organization: String,
    pub name: String,
    pub score: f64,
    pub predicate_label: String,
    pub datasets: usize,
}

/// Every producing organisation that has datasets, best first.
pub async fn overview(state: &AppState) -> ApiResult<Vec<OrgScore>> {
    let ctx = Context::load(state).await?;
    let mut out = vec![];
    for kind in [
        OrgKind::Opd,
        OrgKind::Walidata,
        OrgKind::Desa,
        OrgKind::Kelurahan,
    ] {
        let orgs = state
            .store
            .list_organizations(&OrgQuery {
                kind: Some(kind),
                limit: 1000,
                ..OrgQuery::default()
            })
            .await?;
        for o in orgs.items {
            if org_datasets(state, o.id).await?.is_empty() {
                continue;
            }
            let q = org_quality(state, &ctx, &o).await?;
            out.push(OrgScore {
                organization: q.organization,
                name: q.name,
                score: q.quality.score,
                predicate_label: q.quality.predicate_label,
                datasets: q.datasets.len(),
            });
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.name.cmp(&b.name)));
    Ok(out)
}

/// The overview.
#[derive(Debug, Serialize, ToSchema)]
pub struct Overview {
    pub items: Vec<OrgScore>,
}

/// Quality scores of every producing organisation (public; closed datasets are not counted).
#[utoipa::path(get, path = "/api/v1/quality/organizations", tag = super::tags::PLAN,
    responses((status = 200, body = Overview)))]
pub async fn organizations(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<JsonResponse<Overview>> {
    auth.allow(Action::ReadCatalogue)?;
    Ok(JsonResponse(Overview {
        items: overview(&state).await?,
    }))
}

/// One organisation's score: indicators, what to do to raise each, its datasets and its trend.
#[utoipa::path(get, path = "/api/v1/quality/organizations/{slug}", tag = super::tags::PLAN,
    params(("slug" = String, Path, description = "Organisation slug or id")),
    responses(
        (status = 200, body = OrgQuality),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn organization(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
) -> ApiResult<JsonResponse<OrgQuality>> {
    auth.allow(Action::ReadCatalogue)?;
    let org = find_organization(&state, &slug).await?;
    let ctx = Context::load(&state).await?;
    Ok(JsonResponse(org_quality(&state, &ctx, &org).await?))
}

/// One dataset's score.
#[utoipa::path(get, path = "/api/v1/quality/datasets/{slug}", tag = super::tags::PLAN,
    params(("slug" = String, Path, description = "Dataset slug or id")),
    responses(
        (status = 200, body = DatasetQuality),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn dataset(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
) -> ApiResult<JsonResponse<DatasetQuality>> {
    let d = find_dataset(&state, &slug).await?;
    auth.allow(Action::ReadMetadata {
        access: d.meta.access,
        organization: d.meta.organization_id,
    })?;
    let ctx = Context::load(&state).await?;
    let quality = dataset_quality(&state, &ctx, &d).await?;
    Ok(JsonResponse(DatasetQuality {
        dataset: d.meta.slug,
        title: d.meta.title,
        quality,
    }))
}

/// Record this month's score of every organisation; returns how many.
pub async fn record_snapshots(state: &AppState) -> ApiResult<usize> {
    let today = today_wib();
    let month = format!("{:04}-{:02}", today.year(), today.month());
    let mut n = 0;
    for s in overview(state).await? {
        let org = find_organization(state, &s.organization).await?;
        state
            .store
            .put_quality_snapshot(org.id, &month, s.score)
            .await?;
        n += 1;
    }
    Ok(n)
}

/// What a snapshot run recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct SnapshotOutcome {
    pub month: String,
    pub organizations: usize,
}

/// Record this month's score of every organisation (for the trend; meant for the daily run).
#[utoipa::path(post, path = "/api/v1/quality/snapshots", tag = super::tags::PLAN,
    security(("bearer" = [])),
    responses(
        (status = 200, body = SnapshotOutcome),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn snapshots(
    State(state): State<AppState>,
    auth: Auth,
    trail: AuditTrail,
) -> ApiResult<JsonResponse<SnapshotOutcome>> {
    auth.allow(Action::ManagePlan)?;
    let today = today_wib();
    let month = format!("{:04}-{:02}", today.year(), today.month());
    let n = record_snapshots(&state).await?;
    trail.note(
        "quality.snapshot",
        "organization",
        "",
        serde_json::json!({"month": month, "organizations": n}),
    );
    Ok(JsonResponse(SnapshotOutcome {
        month,
        organizations: n,
    }))
}
