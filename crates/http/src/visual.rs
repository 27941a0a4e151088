//! Charts and maps of a table, rendered on the server (satudata-charts) from the aggregates of its
//! latest **published** version: [`table_chart`] (the chart that fits the table's shape, see
//! `satudata_charts::choose`), [`table_map`] (a choropleth by region when boundaries are loaded),
//! [`region_trend`] (a sparkline of one region's figures over the periods), and the downloads
//! `/dataset/{slug}/{table}/grafik.svg|png` and `peta.svg|png`.
//!
//! Published versions never change, so a visual is cached per (resource, version); maps also per
//! boundary generation (bumped when boundaries are loaded through this process). Access is checked
//! before the cache is read, and the downloads of data that is not *terbuka* are `private`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use satudata_charts::choose::{self, ChartKind, ChartPlan, Combine, Figure};
use satudata_charts::map::{choropleth, Place, Shape};
use satudata_charts::{ChartMeta, DataTable};
use satudata_core::aggregate::{AggFn, Aggregate, AggregateQuery, GroupBy};
use satudata_core::dataset::{Access, Dataset, Resource, ResourceKind, Version};
use satudata_core::region::{Level, RegionCode, Regions};
use satudata_core::row::{Filter, FilterOp};
use satudata_core::schema::TableSchema;
use satudata_core::value::Value;
use satudata_core::Id;

use crate::api::rows::allow_data;
use crate::auth::Auth;
use crate::dataapi::cache::{AnswerCache, Cacheable};
use crate::error::{ApiError, ApiResult};
use crate::extract::Path;
use crate::state::AppState;

/// Desa bars are rolled up to kecamatan above this many desa (when the measure adds up); the map
/// shows the desa.
pub const MAX_BARS: usize = 40;
/// Visuals kept in memory.
pub const VISUAL_ENTRIES: usize = 256;

/// A rendered chart or map of a table, with its alternatives.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Visual {
    /// `line`, `bars`, `stacked_bars` or `map`.
    pub kind: &'static str,
    /// The title (also the SVG's `<title>`).
    pub title: String,
    /// The SVG element, ready to inline in a page or serve as a file.
    pub svg: String,
    /// The same figures as a table, for an HTML `<table>` beside the chart.
    pub table: DataTable,
    /// Maps: places with a value but no boundary (not on the map; to list under it).
    pub missing: Vec<Place>,
    /// The published version the figures are from.
    pub version: i32,
    /// When that version was created.
    pub version_date: chrono::DateTime<chrono::Utc>,
    /// The chart plan (which fields, how combined).
    pub plan: ChartPlan,
}

impl Cacheable for Arc<Option<Visual>> {
    fn keep(&self) -> bool {
        self.as_ref()
            .as_ref()
            .is_none_or(|v| v.svg.len() <= 2 << 20)
    }
}

/// The cache of visuals, and the boundary generation maps are keyed by.
#[derive(Debug)]
pub struct VisualCache {
    cache: AnswerCache<Arc<Option<Visual>>>,
    boundaries: AtomicU64,
}

impl Default for VisualCache {
    fn default() -> Self {
        VisualCache {
            cache: AnswerCache::new(VISUAL_ENTRIES),
            boundaries: AtomicU64::new(0),
        }
    }
}

impl VisualCache {
    /// Forget maps drawn with the boundaries loaded so far (call after loading boundaries).
    pub fn boundaries_changed(&self) {
        self.boundaries.fetch_add(1, Ordering::SeqCst);
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Num(x) if x.is_finite() => Some(*x),
        _ => None,
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => "(kosong)".to_string(),
        Value::Bool(b) => if *b { "ya" } else { "tidak" }.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Num(x) => satudata_charts::fmt::value(*x),
        Value::Text(s) => s.clone(),
        Value::Date(d) => d.to_string(),
        Value::DateTime(d) => d.to_string(),
    }
}

/// The region's name without its kind ("Sekayu").
fn region_name(code: &str) -> String {
    RegionCode::parse(code)
        .ok()
        .and_then(|c| {
            Regions::get()
                .by_code(&c)
                .map(satudata_charts::geo::plain_name)
        })
        .unwrap_or_else(|| code.to_string())
}

fn level_word(level: Level) -> &'static str {
    match level {
        Level::Provinsi => "Provinsi",
        Level::Kabupaten => "Kabupaten/Kota",
        Level::Kecamatan => "Kecamatan",
        Level::Desa => "Desa/Kelurahan",
    }
}

fn aggregate_of(plan: &ChartPlan) -> Aggregate {
    match (plan.combine, &plan.measure) {
        (Combine::Sum, Some(m)) => Aggregate {
            func: AggFn::Sum,
            field: Some(m.clone()),
        },
        (Combine::Avg, Some(m)) => Aggregate {
            func: AggFn::Avg,
            field: Some(m.clone()),
        },
        _ => Aggregate {
            func: AggFn::Count,
            field: None,
        },
    }
}

fn schema_of(resource: &Resource) -> Option<&TableSchema> {
    match &resource.kind {
        ResourceKind::Table { schema } => Some(schema),
        ResourceKind::File { .. } => None,
    }
}

fn id_of(resource: &Resource, what: &str) -> String {
    let clean: String = resource
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{what}-{clean}")
}

/// The periods of the published version, ascending (empty without a period field).
async fn periods(
    state: &AppState,
    resource: Id,
    version: i32,
    schema: &TableSchema,
) -> ApiResult<(Option<String>, Vec<Value>)> {
    let Some(period) = schema.fields.iter().find(|f| f.period) else {
        return Ok((None, vec![]));
    };
    let page = state
        .store
        .aggregate_rows(
            resource,
            &AggregateQuery {
                version: Some(version),
                group_by: vec![GroupBy {
                    field: period.name.clone(),
                    level: None,
                }],
                aggregates: vec![Aggregate {
                    func: AggFn::Count,
                    field: None,
                }],
                limit: 10_000,
                ..AggregateQuery::default()
            },
        )
        .await?;
    let values = page
        .rows
        .into_iter()
        .filter_map(|r| r.into_iter().next().filter(|v| !v.is_null()))
        .collect();
    Ok((Some(period.name.clone()), values))
}

struct Prepared {
    version: Version,
    plan: ChartPlan,
    latest: Option<(String, Value)>,
}

async fn prepare(
    state: &AppState,
    dataset: &Dataset,
    resource: &Resource,
) -> ApiResult<Option<Prepared>> {
    let Some(schema) = schema_of(resource) else {
        return Ok(None);
    };
    let Some(version) = state.store.latest_version(resource.id).await? else {
        return Ok(None);
    };
    let (period_field, periods) = periods(state, resource.id, version.number, schema).await?;
    let Some(plan) = choose::plan(schema, dataset.meta.satuan.as_deref(), periods.len()) else {
        return Ok(None);
    };
    let latest = period_field.zip(periods.last().cloned());
    Ok(Some(Prepared {
        version,
        plan,
        latest,
    }))
}

/// The chart that fits the table (see `satudata_charts::choose`), from its latest published version;
/// `None` when it has no published data or nothing to chart. The caller checks access (this reads
/// the data).
pub async fn table_chart(
    state: &AppState,
    dataset: &Dataset,
    resource: &Resource,
) -> Result<Option<Visual>, ApiError> {
    let Some(version) = state.store.latest_version(resource.id).await? else {
        return Ok(None);
    };
    let key = format!(
        "chart:{}:{}:{}",
        resource.id, version.number, version.checksum
    );
    let v = state
        .data_api
        .visuals
        .cache
        .get_or_compute(&key, async {
            compute_chart(state, dataset, resource).await.map(Arc::new)
        })
        .await?;
    Ok(v.as_ref().clone())
}

async fn compute_chart(
    state: &AppState,
    dataset: &Dataset,
    resource: &Resource,
) -> ApiResult<Option<Visual>> {
    let Some(p) = prepare(state, dataset, resource).await? else {
        return Ok(None);
    };
    let plan = p.plan.clone();
    let mut query = AggregateQuery {
        version: Some(p.version.number),
        aggregates: vec![aggregate_of(&plan)],
        limit: 10_000,
        ..AggregateQuery::default()
    };
    let mut label_name;
    let mut title = plan.measure_title.clone();
    let mut region_labels = false;
    if plan.over_periods {
        let period = plan.period.clone().unwrap_or_default();
        query.group_by.push(GroupBy {
            field: period.clone(),
            level: None,
        });
        label_name = "Periode".to_string();
        if let Some(f) =
            schema_of(resource).and_then(|s| s.fields.iter().find(|f| f.name == period))
        {
            label_name = f.title.clone().unwrap_or_else(|| f.name.clone());
        }
        title.push_str(&format!(" menurut {}", label_name.to_lowercase()));
    } else if let Some((field, level)) = &plan.region {
        // Rolled up to kecamatan when there are too many desa and the figures add up.
        let mut at = *level;
        if *level == Level::Desa && plan.combine != Combine::Avg {
            let n = state
                .store
                .aggregate_rows(
                    resource.id,
                    &AggregateQuery {
                        version: Some(p.version.number),
                        group_by: vec![GroupBy {
                            field: field.clone(),
                            level: None,
                        }],
                        aggregates: vec![Aggregate {
                            func: AggFn::Count,
                            field: None,
                        }],
                        limit: 10_000,
                        ..AggregateQuery::default()
                    },
                )
                .await?
                .rows
                .len();
            if n > MAX_BARS {
                at = Level::Kecamatan;
            }
        }
        query.group_by.push(GroupBy {
            field: field.clone(),
            level: (at != *level).then_some(at),
        });
        label_name = level_word(at).to_string();
        region_labels = true;
        title.push_str(&format!(" menurut {}", label_name.to_lowercase()));
    } else if let Some(b) = &plan.breakdown {
        query.group_by.push(GroupBy {
            field: b.clone(),
            level: None,
        });
        label_name = b.clone();
        if let Some(f) = schema_of(resource).and_then(|s| s.fields.iter().find(|f| &f.name == b)) {
            label_name = f.title.clone().unwrap_or_else(|| f.name.clone());
        }
        title.push_str(&format!(" menurut {}", label_name.to_lowercase()));
    } else {
        return Ok(None);
    }
    // Bars by region or category are about the latest period.
    if !plan.over_periods {
        if let Some((field, value)) = &p.latest {
            query.filters.push(Filter {
                field: field.clone(),
                op: FilterOp::Eq,
                values: vec![value.clone()],
            });
            title.push_str(&format!(", {}", text(value)));
        }
    }
    let stacked_by = match plan.kind {
        ChartKind::StackedBars | ChartKind::Line => plan.breakdown.clone(),
        ChartKind::Bars => None,
    }
    .filter(|b| query.group_by.iter().all(|g| &g.field != b));
    if let Some(b) = &stacked_by {
        query.group_by.push(GroupBy {
            field: b.clone(),
            level: None,
        });
    }
    let page = state.store.aggregate_rows(resource.id, &query).await?;
    let value_col = query.group_by.len();
    let figures: Vec<Figure> = page
        .rows
        .iter()
        .map(|r| Figure {
            label: match r.first() {
                Some(Value::Text(code)) if region_labels => region_name(code),
                Some(v) => text(v),
                None => String::new(),
            },
            series: stacked_by.as_ref().and_then(|_| r.get(1)).map(text),
            value: r.get(value_col).and_then(number),
        })
        .collect();
    let data = choose::arrange(&figures);
    let kind = if stacked_by.is_none() && plan.kind == ChartKind::StackedBars {
        ChartKind::Bars
    } else {
        plan.kind
    };
    let meta = ChartMeta {
        id: id_of(resource, "grafik"),
        title: title.clone(),
        description: String::new(),
        unit: plan.unit.clone(),
        label_name,
    };
    let chart = choose::render(
        &ChartPlan {
            kind,
            ..plan.clone()
        },
        &meta,
        &data,
    );
    Ok(Some(Visual {
        kind: match kind {
            ChartKind::Line => "line",
            ChartKind::Bars => "bars",
            ChartKind::StackedBars => "stacked_bars",
        },
        title,
        svg: chart.svg,
        table: chart.table,
        missing: vec![],
        version: p.version.number,
        version_date: p.version.created_at,
        plan,
    }))
}

/// A choropleth of the table by region for the latest period, when the table has a region-code
/// field, one figure per region fits (see `satudata_charts::choose`) and boundaries of that level
/// are loaded; `None` otherwise. Places with a figure but no boundary are in [`Visual::missing`].
/// The caller checks access.
pub async fn table_map(
    state: &AppState,
    dataset: &Dataset,
    resource: &Resource,
) -> Result<Option<Visual>, ApiError> {
    let Some(version) = state.store.latest_version(resource.id).await? else {
        return Ok(None);
    };
    let generation = state.data_api.visuals.boundaries.load(Ordering::SeqCst);
    let key = format!(
        "map:{}:{}:{}:{generation}",
        resource.id, version.number, version.checksum
    );
    let v = state
        .data_api
        .visuals
        .cache
        .get_or_compute(&key, async {
            compute_map(state, dataset, resource).await.map(Arc::new)
        })
        .await?;
    Ok(v.as_ref().clone())
}

async fn compute_map(
    state: &AppState,
    dataset: &Dataset,
    resource: &Resource,
) -> ApiResult<Option<Visual>> {
    let Some(p) = prepare(state, dataset, resource).await? else {
        return Ok(None);
    };
    let plan = p.plan.clone();
    let Some((field, level)) = plan.region.clone().filter(|_| plan.map) else {
        return Ok(None);
    };
    let mut query = AggregateQuery {
        version: Some(p.version.number),
        group_by: vec![GroupBy {
            field: field.clone(),
            level: None,
        }],
        aggregates: vec![aggregate_of(&plan)],
        limit: 10_000,
        ..AggregateQuery::default()
    };
    let mut title = format!(
        "{} menurut {}",
        plan.measure_title,
        level_word(level).to_lowercase()
    );
    if let Some((pf, value)) = &p.latest {
        query.filters.push(Filter {
            field: pf.clone(),
            op: FilterOp::Eq,
            values: vec![value.clone()],
        });
        title.push_str(&format!(", {}", text(value)));
    }
    let page = state.store.aggregate_rows(resource.id, &query).await?;
    let places: Vec<Place> = page
        .rows
        .iter()
        .filter_map(|r| match r.first() {
            Some(Value::Text(code)) => Some(Place {
                code: code.clone(),
                name: region_name(code),
                value: r.get(1).and_then(number),
            }),
            _ => None,
        })
        .collect();
    // The boundaries of the areas the places lie in (their kabupaten, or provinsi).
    let mut areas: BTreeMap<String, ()> = BTreeMap::new();
    for pl in &places {
        if let Ok(c) = RegionCode::parse(&pl.code) {
            areas.insert(area_of(&c, level), ());
        }
    }
    let mut shapes = vec![];
    for area in areas.keys() {
        for b in state.store.list_boundaries(area, level, false).await? {
            if let Ok(geometry) = serde_json::from_str(&b.simplified) {
                shapes.push(Shape {
                    code: b.code,
                    name: b.name,
                    geometry,
                });
            }
        }
    }
    if shapes.is_empty() {
        return Ok(None);
    }
    let meta = ChartMeta {
        id: id_of(resource, "peta"),
        title: title.clone(),
        description: String::new(),
        unit: plan.unit.clone(),
        label_name: level_word(level).to_string(),
    };
    let map = choropleth(&meta, &shapes, &places);
    Ok(Some(Visual {
        kind: "map",
        title,
        svg: map.svg,
        table: map.table,
        missing: map.missing,
        version: p.version.number,
        version_date: p.version.created_at,
        plan,
    }))
}

/// A sparkline of one region's figures over the periods of a table (its latest published version),
/// for region pages: `(svg, periods, values)`; `None` when the table has no region or period field,
/// or no figures for the region. Figures of a region's parts are added up when the measure allows
/// (the kecamatan from its desa), else averaged. The caller checks access.
pub async fn region_trend(
    state: &AppState,
    dataset: &Dataset,
    resource: &Resource,
    region: &RegionCode,
) -> Result<Option<(String, Vec<String>, Vec<Option<f64>>)>, ApiError> {
    let Some(p) = prepare(state, dataset, resource).await? else {
        return Ok(None);
    };
    let (Some((field, level)), Some(period)) = (p.plan.region.clone(), p.plan.period.clone())
    else {
        return Ok(None);
    };
    if region.level() > level {
        return Ok(None);
    }
    let query = AggregateQuery {
        version: Some(p.version.number),
        filters: vec![Filter {
            field,
            op: FilterOp::Within,
            values: vec![Value::Text(region.dotted())],
        }],
        group_by: vec![GroupBy {
            field: period,
            level: None,
        }],
        aggregates: vec![aggregate_of(&p.plan)],
        limit: 10_000,
        ..AggregateQuery::default()
    };
    let page = state.store.aggregate_rows(resource.id, &query).await?;
    if page.rows.is_empty() {
        return Ok(None);
    }
    let labels: Vec<String> = page
        .rows
        .iter()
        .map(|r| r.first().map(text).unwrap_or_default())
        .collect();
    let values: Vec<Option<f64>> = page
        .rows
        .iter()
        .map(|r| r.get(1).and_then(number))
        .collect();
    let svg = satudata_charts::sparkline(
        &format!("tren-{}-{}", id_of(resource, "r"), region.undotted()),
        &format!(
            "Tren {} {}",
            p.plan.measure_title,
            region_name(&region.dotted())
        ),
        &labels,
        &values,
        p.plan.unit.as_deref(),
    );
    Ok(Some((svg, labels, values)))
}

/// The area whose boundaries a map of `level` shows for a place: its kabupaten (kecamatan and desa
/// maps), its provinsi (kabupaten maps), or everything.
fn area_of(code: &RegionCode, level: Level) -> String {
    let target = match level {
        Level::Desa | Level::Kecamatan => Level::Kabupaten,
        Level::Kabupaten => Level::Provinsi,
        Level::Provinsi => return String::new(),
    };
    let mut a = *code;
    while a.level() > target {
        match a.parent() {
            Some(p) => a = p,
            None => break,
        }
    }
    a.dotted()
}

// ---------- downloads ----------

async fn dataset_table_named(
    state: &AppState,
    auth: &Auth,
    slug: &str,
    table: &str,
) -> ApiResult<(Dataset, Resource)> {
    let dataset = crate::api::find_dataset(state, slug).await?;
    allow_data(auth, &dataset)?;
    let resource = state
        .store
        .list_resources(dataset.id)
        .await?
        .into_iter()
        .find(|r| r.name == table && matches!(r.kind, ResourceKind::Table { .. }))
        .ok_or_else(|| {
            ApiError::not_found(format!("Tabel '{table}' tidak ada di dataset '{slug}'."))
        })?;
    Ok((dataset, resource))
}

async fn infographic_png(
    state: &AppState,
    dataset: &Dataset,
    visual: &Visual,
) -> ApiResult<Vec<u8>> {
    let org = state
        .store
        .get_organization(&dataset.meta.organization_id.to_string())
        .await?
        .map(|o| o.meta.name)
        .unwrap_or_default();
    let info = satudata_charts::infographic::Infographic {
        title: dataset.meta.title.clone(),
        subtitle: visual.title.clone(),
        source: format!("Sumber: {org}"),
        date: format!(
            "Versi {}, {} · {}/dataset/{}",
            visual.version,
            visual.version_date.format("%d-%m-%Y"),
            state.config.base_url,
            dataset.meta.slug
        ),
        logo: state.config.instance_name.clone(),
    };
    let svg = satudata_charts::infographic::infographic("infografik", &visual.svg, &info);
    tokio::task::spawn_blocking(move || satudata_charts::png::render(&svg, 2.0))
        .await
        .map_err(|e| ApiError::internal(format!("PNG task: {e}")))?
        .map_err(|e| ApiError::internal(format!("PNG: {e}")))
}

async fn download(
    state: AppState,
    auth: Auth,
    trail: crate::audit_trail::AuditTrail,
    slug: String,
    table: String,
    map: bool,
    png: bool,
) -> ApiResult<Response> {
    let (dataset, resource) = dataset_table_named(&state, &auth, &slug, &table).await?;
    let what = if map { "peta" } else { "grafik" };
    crate::audit_trail::restricted_read(&trail, &dataset, &format!("{what} {table}"));
    let visual = if map {
        table_map(&state, &dataset, &resource).await?
    } else {
        table_chart(&state, &dataset, &resource).await?
    };
    let Some(visual) = visual else {
        return Err(ApiError::not_found(if map {
            format!("Tabel '{table}' belum punya peta: perlu kolom kode wilayah, data terbit dan batas wilayah yang sudah dimuat.")
        } else {
            format!("Tabel '{table}' belum punya grafik: belum ada versi terbit, atau tidak ada angka untuk digambar.")
        }));
    };
    let name = format!(
        "{}-{}-{what}-v{}",
        dataset.meta.slug, resource.name, visual.version
    );
    let cache = if dataset.meta.access == Access::Terbuka {
        "public, max-age=300"
    } else {
        "private, no-store"
    };
    let (body, mime, ext) = if png {
        (
            infographic_png(&state, &dataset, &visual).await?,
            "image/png",
            "png",
        )
    } else {
        (visual.svg.into_bytes(), "image/svg+xml", "svg")
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CACHE_CONTROL, cache.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}.{ext}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// `GET /dataset/{slug}/{table}/grafik.svg`: the table's chart.
pub async fn chart_svg(
    State(state): State<AppState>,
    auth: Auth,
    trail: crate::audit_trail::AuditTrail,
    Path((slug, table)): Path<(String, String)>,
) -> ApiResult<Response> {
    download(state, auth, trail, slug, table, false, false).await
}

/// `GET /dataset/{slug}/{table}/grafik.png`: the chart as an infographic (title, source, date).
pub async fn chart_png(
    State(state): State<AppState>,
    auth: Auth,
    trail: crate::audit_trail::AuditTrail,
    Path((slug, table)): Path<(String, String)>,
) -> ApiResult<Response> {
    download(state, auth, trail, slug, table, false, true).await
}

/// `GET /dataset/{slug}/{table}/peta.svg`: the table's choropleth map.
pub async fn map_svg(
    State(state): State<AppState>,
    auth: Auth,
    trail: crate::audit_trail::AuditTrail,
    Path((slug, table)): Path<(String, String)>,
) -> ApiResult<Response> {
    download(state, auth, trail, slug, table, true, false).await
}

/// `GET /dataset/{slug}/{table}/peta.png`: the map as an infographic.
pub async fn map_png(
    State(state): State<AppState>,
    auth: Auth,
    trail: crate::audit_trail::AuditTrail,
    Path((slug, table)): Path<(String, String)>,
) -> ApiResult<Response> {
    download(state, auth, trail, slug, table, true, true).await
}
