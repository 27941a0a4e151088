//! The Daftar Data over the API: plan items (read by everyone — the plan is public — written by
//! the walidata), copying a year forward, XLSX export and import, and the public release
//! calendar.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json as JsonResponse;
use chrono::{Datelike, NaiveDate, Utc};
use satudata_core::access::Action;
use satudata_core::dataset::{Periodicity, PresentationLevel};
use satudata_core::plan::{item_status, PlanItem, PlanItemMeta, ReferenceSource, Timeliness};
use satudata_core::Id;
use satudata_store::governance::PlanQuery;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::gov_xlsx::{self, Cell, Sheet};
use super::{clamp_limit, created, find_dataset, find_organization, DEFAULT_LIMIT, MAX_LIMIT};
use crate::audit_trail::AuditTrail;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem, ProblemItem};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// Today in Western Indonesia time (UTC+7): the day deadlines are counted in.
pub fn today_wib() -> NaiveDate {
    (Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// A plan item as written: the organisation and dataset by slug (or id).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PlanItemBody {
    pub year: i32,
    /// The producing organisation (OPD or desa), slug or id.
    pub organization: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Kode Daftar Data.
    #[serde(default)]
    pub kode: Option<String>,
    #[serde(default)]
    pub periodicity: Periodicity,
    #[serde(default)]
    pub level: Option<PresentationLevel>,
    /// Jadwal pemutakhiran.
    pub due_update: NaiveDate,
    /// Jadwal rilis.
    pub due_release: NaiveDate,
    /// Data prioritas.
    #[serde(default)]
    pub priority: bool,
    /// Sumber rujukan: rpjmd, sdgs, spm, provinsi, pusat, lainnya.
    #[serde(default)]
    pub sources: Vec<ReferenceSource>,
    /// The dataset delivering it (slug or id).
    #[serde(default)]
    pub dataset: Option<String>,
    /// Topic slug.
    #[serde(default)]
    pub topic: Option<String>,
}

/// A plan item as read, with the slugs of its organisation and dataset.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanItemView {
    #[serde(flatten)]
    pub item: PlanItem,
    pub organization: String,
    pub dataset: Option<String>,
}

/// A page of plan items.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanPage {
    pub items: Vec<PlanItemView>,
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
}

/// Filters of the Daftar Data.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanParams {
    /// The plan year.
    pub year: Option<i32>,
    /// Only this organisation (slug or id).
    pub organization: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// Resolves organisation and dataset slugs, each once.
#[derive(Default)]
struct Names {
    orgs: HashMap<Id, String>,
    datasets: HashMap<Id, Option<String>>,
}

impl Names {
    async fn view(&mut self, state: &AppState, item: PlanItem) -> ApiResult<PlanItemView> {
        let org = item.meta.organization_id;
        if let std::collections::hash_map::Entry::Vacant(e) = self.orgs.entry(org) {
            let slug = state
                .store
                .get_organization(&org.to_string())
                .await?
                .map(|o| o.meta.slug)
                .unwrap_or_else(|| org.to_string());
            e.insert(slug);
        }
        let dataset = match item.meta.dataset_id {
            None => None,
            Some(d) => {
                if let std::collections::hash_map::Entry::Vacant(e) = self.datasets.entry(d) {
                    let slug = state
                        .store
                        .get_dataset(&d.to_string())
                        .await?
                        .map(|x| x.meta.slug);
                    e.insert(slug);
                }
                self.datasets.get(&d).cloned().flatten()
            }
        };
        Ok(PlanItemView {
            organization: self.orgs.get(&org).cloned().unwrap_or_default(),
            dataset,
            item,
        })
    }
}

/// Turn a body into the stored form, naming every problem by field.
pub(crate) async fn resolve(state: &AppState, b: PlanItemBody) -> ApiResult<PlanItemMeta> {
    let org = find_organization(state, &b.organization)
        .await
        .map_err(|_| {
            ApiError::invalid_field(
                "organization",
                format!("Organisasi '{}' tidak ditemukan.", b.organization),
            )
        })?;
    let dataset_id = match b.dataset.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(slug) => Some(
            find_dataset(state, slug)
                .await
                .map_err(|_| {
                    ApiError::invalid_field("dataset", format!("Dataset '{slug}' tidak ditemukan."))
                })?
                .id,
        ),
        None => None,
    };
    let meta = PlanItemMeta {
        year: b.year,
        organization_id: org.id,
        title: b.title.trim().to_string(),
        description: b.description,
        kode: b.kode.filter(|k| !k.trim().is_empty()),
        periodicity: b.periodicity,
        level: b.level,
        due_update: b.due_update,
        due_release: b.due_release,
        priority: b.priority,
        sources: b.sources,
        dataset_id,
        topic: b.topic.filter(|t| !t.trim().is_empty()),
    };
    meta.validate().map_err(|problems| {
        ApiError::invalid(
            "Isian Daftar Data belum benar.",
            problems.into_iter().map(ProblemItem::from).collect(),
        )
    })?;
    Ok(meta)
}

/// The Daftar Data: planned datasets with their schedules, by year and organisation.
#[utoipa::path(get, path = "/api/v1/plan-items", tag = super::tags::PLAN, params(PlanParams),
    responses(
        (status = 200, body = PlanPage),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<PlanParams>,
) -> ApiResult<JsonResponse<PlanPage>> {
    list_page(&state, &auth, p).await.map(JsonResponse)
}

/// The Daftar Data by year and organisation (shared by the API and the workspace).
pub(crate) async fn list_page(state: &AppState, auth: &Auth, p: PlanParams) -> ApiResult<PlanPage> {
    auth.allow(Action::ReadCatalogue)?;
    let organization_id = match p.organization.as_deref().filter(|s| !s.is_empty()) {
        Some(slug) => Some(find_organization(state, slug).await?.id),
        None => None,
    };
    let page = state
        .store
        .list_plan_items(&PlanQuery {
            year: p.year,
            organization_id,
            dataset_id: None,
            limit: clamp_limit(p.limit, DEFAULT_LIMIT, MAX_LIMIT),
            offset: p.offset.unwrap_or(0),
        })
        .await?;
    let mut names = Names::default();
    let mut items = Vec::with_capacity(page.items.len());
    for i in page.items {
        items.push(names.view(state, i).await?);
    }
    Ok(PlanPage {
        items,
        total: page.total,
        limit: page.limit,
        offset: page.offset,
    })
}

/// One plan item.
#[utoipa::path(get, path = "/api/v1/plan-items/{id}", tag = super::tags::PLAN,
    params(("id" = String, Path, format = Uuid, description = "Plan item id")),
    responses(
        (status = 200, body = PlanItemView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Id>,
) -> ApiResult<JsonResponse<PlanItemView>> {
    auth.allow(Action::ReadCatalogue)?;
    let item = find_item(&state, id).await?;
    Ok(JsonResponse(Names::default().view(&state, item).await?))
}

pub(crate) async fn find_item(state: &AppState, id: Id) -> ApiResult<PlanItem> {
    state
        .store
        .get_plan_item(id)
        .await?
        .ok_or_else(|| ApiError::not_found("Butir Daftar Data itu tidak ada."))
}

/// Add a planned dataset (the walidata or admin).
#[utoipa::path(post, path = "/api/v1/plan-items", tag = super::tags::PLAN,
    request_body = PlanItemBody,
    security(("bearer" = [])),
    responses(
        (status = 201, body = PlanItemView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Json(body): Json<PlanItemBody>,
) -> ApiResult<Response> {
    let view = create_item(&state, &auth, body).await?;
    Ok(created(
        state.url(&format!("/api/v1/plan-items/{}", view.item.id)),
        view,
    ))
}

/// Change a planned dataset.
#[utoipa::path(put, path = "/api/v1/plan-items/{id}", tag = super::tags::PLAN,
    params(("id" = String, Path, format = Uuid, description = "Plan item id")),
    request_body = PlanItemBody,
    security(("bearer" = [])),
    responses(
        (status = 200, body = PlanItemView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Id>,
    Json(body): Json<PlanItemBody>,
) -> ApiResult<JsonResponse<PlanItemView>> {
    Ok(JsonResponse(update_item(&state, &auth, id, body).await?))
}

/// Add a plan item (shared by the API and the workspace).
pub(crate) async fn create_item(
    state: &AppState,
    auth: &Auth,
    body: PlanItemBody,
) -> ApiResult<PlanItemView> {
    auth.allow(Action::ManagePlan)?;
    let meta = resolve(state, body).await?;
    let item = state.store.create_plan_item(meta, auth.actor()).await?;
    Names::default().view(state, item).await
}

/// Change a plan item (shared by the API and the workspace).
pub(crate) async fn update_item(
    state: &AppState,
    auth: &Auth,
    id: Id,
    body: PlanItemBody,
) -> ApiResult<PlanItemView> {
    auth.allow(Action::ManagePlan)?;
    find_item(state, id).await?;
    let meta = resolve(state, body).await?;
    let item = state.store.update_plan_item(id, meta, auth.actor()).await?;
    Names::default().view(state, item).await
}

/// A plan item with its slugs, for reading.
pub(crate) async fn view_item(state: &AppState, item: PlanItem) -> ApiResult<PlanItemView> {
    Names::default().view(state, item).await
}

/// Remove a planned dataset (a tombstone: sync clients learn of it).
#[utoipa::path(delete, path = "/api/v1/plan-items/{id}", tag = super::tags::PLAN,
    params(("id" = String, Path, format = Uuid, description = "Plan item id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Id>,
) -> ApiResult<StatusCode> {
    auth.allow(Action::ManagePlan)?;
    state.store.delete_plan_item(id, auth.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which year to copy.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CopyForward {
    /// Items of this year are copied into the next year (2000–2199: the copies' year must stay a
    /// plan year).
    #[schema(minimum = 2000, maximum = 2199, example = 2026)]
    pub year: i32,
}

/// How many items were created.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub created: u64,
}

/// Copy a year's Daftar Data into the next year (dates a year later, dataset links kept; items
/// already there are skipped).
#[utoipa::path(post, path = "/api/v1/plan-items/copy-forward", tag = super::tags::PLAN,
    request_body = CopyForward,
    security(("bearer" = [])),
    responses(
        (status = 200, body = Created),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn copy_forward(
    State(state): State<AppState>,
    auth: Auth,
    Json(body): Json<CopyForward>,
) -> ApiResult<JsonResponse<Created>> {
    Ok(JsonResponse(Created {
        created: copy_year_forward(&state, &auth, body.year).await?,
    }))
}

/// Copy a year's Daftar Data into the next year (shared by the API and the workspace).
pub(crate) async fn copy_year_forward(state: &AppState, auth: &Auth, year: i32) -> ApiResult<u64> {
    auth.allow(Action::ManagePlan)?;
    if !(2000..=2199).contains(&year) {
        return Err(ApiError::invalid_field(
            "year",
            "Tahun yang disalin harus antara 2000 dan 2199 (salinannya menjadi Daftar Data tahun berikutnya, paling akhir 2200).",
        ));
    }
    Ok(state.store.copy_plan_forward(year, auth.actor()).await?)
}

/// The columns of the Daftar Data workbook, in order.
pub const COLUMNS: [&str; 14] = [
    "Tahun",
    "Kode Daftar Data",
    "Organisasi",
    "Nama Organisasi",
    "Judul Data",
    "Deskripsi",
    "Periodisitas",
    "Level Penyajian",
    "Jadwal Pemutakhiran",
    "Jadwal Rilis",
    "Prioritas",
    "Sumber Rujukan",
    "Dataset",
    "Topik",
];

/// Which year to export.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParam {
    /// The plan year (default: this year).
    pub year: Option<i32>,
}

/// The Daftar Data of a year as XLSX (the same columns the import reads).
#[utoipa::path(get, path = "/api/v1/plan-items/export.xlsx", tag = super::tags::PLAN, params(YearParam),
    responses((status = 200, description = "Workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<YearParam>,
) -> ApiResult<Response> {
    auth.allow(Action::ReadCatalogue)?;
    let year = p.year.unwrap_or_else(|| today_wib().year());
    let facts = state.store.plan_facts(Some(year)).await?;
    let rows = facts
        .into_iter()
        .map(|f| {
            let m = &f.item.meta;
            vec![
                Cell::Num(f64::from(m.year)),
                m.kode.clone().unwrap_or_default().into(),
                f.organization_slug.clone().into(),
                f.organization_name.clone().into(),
                m.title.clone().into(),
                m.description.clone().into(),
                m.periodicity.as_str().into(),
                m.level
                    .and_then(|l| serde_json::to_value(l).ok())
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
                    .into(),
                Cell::Date(m.due_update),
                Cell::Date(m.due_release),
                if m.priority { "Ya" } else { "Tidak" }.into(),
                m.sources
                    .iter()
                    .map(|s| s.label_id())
                    .collect::<Vec<_>>()
                    .join(", ")
                    .into(),
                f.dataset_slug.clone().unwrap_or_default().into(),
                m.topic.clone().unwrap_or_default().into(),
            ]
        })
        .collect();
    let bytes = gov_xlsx::workbook(&[Sheet {
        name: format!("Daftar Data {year}"),
        header: COLUMNS.iter().map(|c| c.to_string()).collect(),
        rows,
    }])
    .map_err(gov_xlsx::write_error)?;
    Ok(gov_xlsx::download(
        bytes,
        &format!("daftar-data-{year}.xlsx"),
    ))
}

fn parse_periodicity(s: &str) -> Result<Periodicity, String> {
    let t: String = s
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return Ok(Periodicity::default());
    }
    Periodicity::ALL
        .into_iter()
        .find(|p| p.as_str() == t)
        .ok_or_else(|| {
            format!(
                "Periodisitas '{s}' tidak dikenal (tahunan, semesteran, triwulanan, bulanan, …)."
            )
        })
}

fn parse_level(s: &str) -> Result<Option<PresentationLevel>, String> {
    let t = s.trim().to_lowercase();
    if t.is_empty() {
        return Ok(None);
    }
    serde_json::from_value(serde_json::Value::String(t))
        .map(Some)
        .map_err(|_| {
            format!("Level penyajian '{s}' tidak dikenal (kabupaten, kecamatan, desa, …).")
        })
}

/// Import a Daftar Data workbook (the export's columns; "Nama Organisasi" is ignored). Every row
/// is checked first; any problem answers 422 listing rows and columns, and nothing is written.
/// Otherwise every row is created in one transaction.
#[utoipa::path(post, path = "/api/v1/plan-items/import", tag = super::tags::PLAN,
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn import(
    State(state): State<AppState>,
    auth: Auth,
    trail: AuditTrail,
    body: Bytes,
) -> ApiResult<Response> {
    let created = import_workbook(&state, &auth, &trail, &body).await?;
    Ok((StatusCode::CREATED, JsonResponse(Created { created })).into_response())
}

/// Read a Daftar Data workbook and create every item, or none when a row is wrong (shared by the
/// API and the workspace); answers how many were created.
pub(crate) async fn import_workbook(
    state: &AppState,
    auth: &Auth,
    trail: &AuditTrail,
    body: &[u8],
) -> ApiResult<u64> {
    auth.allow(Action::ManagePlan)?;
    let rows = gov_xlsx::read_first_sheet(body).map_err(ApiError::bad_request)?;
    let Some((header, data)) = rows.split_first() else {
        return Err(ApiError::invalid("Lembar kerja kosong.", vec![]));
    };
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let mut problems = vec![];
    for required in [
        "Tahun",
        "Organisasi",
        "Judul Data",
        "Jadwal Pemutakhiran",
        "Jadwal Rilis",
    ] {
        if col(required).is_none() {
            problems.push(ProblemItem::new(
                required,
                format!("Kolom '{required}' tidak ada di baris judul."),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(
            "Kolom Daftar Data tidak lengkap.",
            problems,
        ));
    }
    let mut metas = vec![];
    for (i, row) in data.iter().enumerate() {
        let line = (i + 2) as u64;
        let get = |name: &str| {
            col(name)
                .and_then(|c| row.get(c))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut bad = |field: &str, message: String| {
            let mut p = ProblemItem::new(field, message);
            p.row = Some(line);
            p.value = Some(get(field));
            problems.push(p);
        };
        let year = get("Tahun").parse::<i32>();
        let due_update = gov_xlsx::parse_date(&get("Jadwal Pemutakhiran"));
        let due_release = gov_xlsx::parse_date(&get("Jadwal Rilis"));
        let periodicity = parse_periodicity(&get("Periodisitas"));
        let level = parse_level(&get("Level Penyajian"));
        let sources: Result<Vec<ReferenceSource>, String> = get("Sumber Rujukan")
            .split([',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::parse)
            .collect();
        let (
            Ok(year),
            Some(due_update),
            Some(due_release),
            Ok(periodicity),
            Ok(level),
            Ok(sources),
        ) = (
            &year,
            due_update,
            due_release,
            &periodicity,
            &level,
            &sources,
        )
        else {
            if year.is_err() {
                bad("Tahun", "Tahun harus angka, misalnya 2026.".into());
            }
            if due_update.is_none() {
                bad(
                    "Jadwal Pemutakhiran",
                    "Tanggal tidak terbaca (pakai 2026-03-31 atau 31/03/2026).".into(),
                );
            }
            if due_release.is_none() {
                bad(
                    "Jadwal Rilis",
                    "Tanggal tidak terbaca (pakai 2026-04-30 atau 30/04/2026).".into(),
                );
            }
            if let Err(e) = &periodicity {
                bad("Periodisitas", e.clone());
            }
            if let Err(e) = &level {
                bad("Level Penyajian", e.clone());
            }
            if let Err(e) = &sources {
                bad("Sumber Rujukan", e.clone());
            }
            continue;
        };
        let priority = matches!(
            get("Prioritas").to_lowercase().as_str(),
            "ya" | "y" | "1" | "true" | "prioritas"
        );
        let body = PlanItemBody {
            year: *year,
            organization: get("Organisasi"),
            title: get("Judul Data"),
            description: get("Deskripsi"),
            kode: Some(get("Kode Daftar Data")),
            periodicity: *periodicity,
            level: *level,
            due_update,
            due_release,
            priority,
            sources: sources.clone(),
            dataset: Some(get("Dataset")),
            topic: Some(get("Topik")),
        };
        match resolve(state, body).await {
            Ok(meta) => metas.push(meta),
            Err(e) => {
                for mut p in e.problem().errors {
                    p.row = Some(line);
                    problems.push(p);
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(
            format!(
                "{} masalah di berkas; tidak ada yang disimpan.",
                problems.len()
            ),
            problems,
        ));
    }
    let created = state.store.create_plan_items(metas, auth.actor()).await?;
    trail.note(
        "plan.import",
        "plan_item",
        "",
        serde_json::json!({"created": created}),
    );
    Ok(created)
}

/// One release of the calendar.
#[derive(Debug, Serialize, ToSchema)]
pub struct Release {
    pub due_release: NaiveDate,
    pub title: String,
    pub organization: String,
    pub organization_name: String,
    pub dataset: Option<String>,
    pub priority: bool,
    /// When it was published (in the item's window), if it was.
    pub published: Option<NaiveDate>,
    /// Against the jadwal rilis.
    pub release: Timeliness,
}

/// The release calendar of a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReleaseCalendar {
    pub year: i32,
    pub items: Vec<Release>,
}

/// The public release calendar (jadwal rilis) of a year's Daftar Data, in date order.
#[utoipa::path(get, path = "/api/v1/release-calendar", tag = super::tags::PLAN, params(YearParam),
    responses((status = 200, body = ReleaseCalendar)))]
pub async fn release_calendar(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<YearParam>,
) -> ApiResult<JsonResponse<ReleaseCalendar>> {
    auth.allow(Action::ReadCatalogue)?;
    Ok(JsonResponse(calendar(&state, p.year).await?))
}

/// The release calendar (shared with the page).
pub async fn calendar(state: &AppState, year: Option<i32>) -> ApiResult<ReleaseCalendar> {
    let today = today_wib();
    let year = year.unwrap_or(today.year());
    let mut items: Vec<Release> = state
        .store
        .plan_facts(Some(year))
        .await?
        .iter()
        .map(|f| {
            let s = item_status(f, today);
            Release {
                due_release: s.due_release,
                title: s.title,
                organization: s.organization,
                organization_name: s.organization_name,
                dataset: s.dataset,
                priority: s.priority,
                published: s.published,
                release: s.release,
            }
        })
        .collect();
    items.sort_by(|a, b| {
        a.due_release
            .cmp(&b.due_release)
            .then(a.title.cmp(&b.title))
    });
    Ok(ReleaseCalendar { year, items })
}
