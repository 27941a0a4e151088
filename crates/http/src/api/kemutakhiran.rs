//! Kemutakhiran: for every item of the Daftar Data — due, submitted, published, late by N days —
//! rolled up by OPD, by desa, by topic and by month; an XLSX export; and the reminder run that
//! notifies producers before and after their due dates (in the app, and by e-mail when SMTP is
//! configured).

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use axum::Json as JsonResponse;
use chrono::{Datelike, NaiveDate};
use satudata_core::access::Action;
use satudata_core::notification::{Audience, NewNotification};
use satudata_core::organization::OrgKind;
use satudata_core::plan::{by_month, item_status, rollup, totals, Counts, ItemStatus, Timeliness};
use satudata_core::user::Role;
use satudata_store::OrgQuery;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::gov_xlsx::{self, Cell, Sheet};
use super::plan::today_wib;
use crate::audit_trail::AuditTrail;
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::extract::{Json, Query};
use crate::state::AppState;

/// Counts for one organisation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgCounts {
    pub organization: String,
    pub name: String,
    pub kind: OrgKind,
    #[serde(flatten)]
    pub counts: Counts,
    /// Share of due items sent on time, in percent.
    pub on_time_percent: Option<f64>,
}

/// Counts under one key (a topic, a month, a kecamatan).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KeyCounts {
    pub key: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// The kemutakhiran of a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct Report {
    pub year: i32,
    /// The day statuses are computed for (WIB).
    pub today: NaiveDate,
    pub totals: Counts,
    /// Every OPD (and the walidata), with or without plan items.
    pub by_organization: Vec<OrgCounts>,
    /// Desa and kelurahan with plan items.
    pub by_desa: Vec<OrgCounts>,
    /// Desa plan items by kecamatan (region code).
    pub by_kecamatan: Vec<KeyCounts>,
    pub by_topic: Vec<KeyCounts>,
    /// By the month of the jadwal pemutakhiran (`YYYY-MM`): the trend over time.
    pub by_month: Vec<KeyCounts>,
    /// Every item (absent with `rincian=false`).
    pub items: Option<Vec<ItemStatus>>,
}

/// Which year, and whether to list every item.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// The plan year (default: this year).
    pub year: Option<i32>,
    /// `false` leaves out the list of items (default `true`).
    pub rincian: Option<bool>,
}

fn keyed(map: BTreeMap<String, Counts>) -> Vec<KeyCounts> {
    map.into_iter()
        .map(|(key, counts)| KeyCounts { key, counts })
        .collect()
}

/// Every organisation of `kind`, by name.
async fn organizations(state: &AppState, kind: OrgKind) -> ApiResult<Vec<(String, String)>> {
    let mut out = vec![];
    let mut offset = 0;
    loop {
        let page = state
            .store
            .list_organizations(&OrgQuery {
                kind: Some(kind),
                limit: 1000,
                offset,
                ..OrgQuery::default()
            })
            .await?;
        let n = page.items.len() as u64;
        out.extend(page.items.into_iter().map(|o| (o.meta.slug, o.meta.name)));
        offset += n;
        if n == 0 || offset >= page.total {
            return Ok(out);
        }
    }
}

/// The report of `year` on `today` (shared with the public page).
pub async fn report(
    state: &AppState,
    year: i32,
    today: NaiveDate,
    with_items: bool,
) -> ApiResult<Report> {
    let facts = state.store.plan_facts(Some(year)).await?;
    let statuses: Vec<ItemStatus> = facts.iter().map(|f| item_status(f, today)).collect();
    let by_org = rollup(&statuses, |s| Some(s.organization.clone()));
    let names: BTreeMap<&str, (&str, OrgKind)> = statuses
        .iter()
        .map(|s| {
            (
                s.organization.as_str(),
                (s.organization_name.as_str(), s.organization_kind),
            )
        })
        .collect();
    let org_counts = |slug: &str, name: &str, kind: OrgKind| {
        let counts = by_org.get(slug).copied().unwrap_or_default();
        OrgCounts {
            organization: slug.to_string(),
            name: name.to_string(),
            kind,
            on_time_percent: counts.on_time_percent(),
            counts,
        }
    };
    // Every OPD is listed, also one with nothing planned: that is a finding too.
    let mut by_organization = vec![];
    for kind in [OrgKind::Opd, OrgKind::Walidata] {
        for (slug, name) in organizations(state, kind).await? {
            by_organization.push(org_counts(&slug, &name, kind));
        }
    }
    for (slug, (name, kind)) in &names {
        if !matches!(kind, OrgKind::Desa | OrgKind::Kelurahan)
            && !by_organization.iter().any(|o| o.organization == *slug)
        {
            by_organization.push(org_counts(slug, name, *kind));
        }
    }
    by_organization.sort_by(|a, b| a.name.cmp(&b.name));
    let mut by_desa: Vec<OrgCounts> = names
        .iter()
        .filter(|(_, (_, k))| matches!(k, OrgKind::Desa | OrgKind::Kelurahan))
        .map(|(slug, (name, kind))| org_counts(slug, name, *kind))
        .collect();
    by_desa.sort_by(|a, b| a.name.cmp(&b.name));
    let desa_items: Vec<ItemStatus> = statuses
        .iter()
        .filter(|s| matches!(s.organization_kind, OrgKind::Desa | OrgKind::Kelurahan))
        .cloned()
        .collect();
    let regions = facts
        .into_iter()
        .map(|f| (f.item.id, f.organization_region))
        .collect::<BTreeMap<_, _>>();
    let by_kecamatan = rollup(&desa_items, |s| {
        regions
            .get(&s.item_id)
            .cloned()
            .flatten()
            .map(|code| code.split('.').take(3).collect::<Vec<_>>().join("."))
    });
    Ok(Report {
        year,
        today,
        totals: totals(&statuses),
        by_organization,
        by_desa,
        by_kecamatan: keyed(by_kecamatan),
        by_topic: keyed(rollup(&statuses, |s| {
            Some(
                s.topic
                    .clone()
                    .unwrap_or_else(|| "(tanpa topik)".to_string()),
            )
        })),
        by_month: keyed(by_month(&statuses)),
        items: with_items.then_some(statuses),
    })
}

/// The kemutakhiran dashboard: every plan item of a year with its status (belum jatuh tempo,
/// tepat waktu, terlambat N hari, belum dikirim), rolled up by OPD, desa, kecamatan, topic and
/// month. Public: who publishes on time is for everyone to see.
#[utoipa::path(get, path = "/api/v1/kemutakhiran", tag = super::tags::PLAN, params(ReportParams),
    responses((status = 200, body = Report)))]
pub async fn dashboard(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<ReportParams>,
) -> ApiResult<JsonResponse<Report>> {
    auth.allow(Action::ReadCatalogue)?;
    let today = today_wib();
    let year = p.year.unwrap_or(today.year());
    Ok(JsonResponse(
        report(&state, year, today, p.rincian.unwrap_or(true)).await?,
    ))
}

fn counts_cells(c: &Counts) -> Vec<Cell> {
    [
        c.total,
        c.on_time,
        c.late,
        c.late_unsent,
        c.pending,
        c.published,
    ]
    .into_iter()
    .map(|n| Cell::Num(n as f64))
    .collect()
}

const COUNT_HEADERS: [&str; 6] = [
    "Jumlah rencana",
    "Tepat waktu",
    "Terlambat",
    "Belum dikirim & terlambat",
    "Belum jatuh tempo",
    "Terbit",
];

/// The kemutakhiran of a year as XLSX: a sheet per rollup and the items.
#[utoipa::path(get, path = "/api/v1/kemutakhiran/export.xlsx", tag = super::tags::PLAN, params(ReportParams),
    responses((status = 200, description = "Workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<ReportParams>,
) -> ApiResult<Response> {
    auth.allow(Action::ReadCatalogue)?;
    let today = today_wib();
    let year = p.year.unwrap_or(today.year());
    let r = report(&state, year, today, true).await?;
    let org_sheet = |name: &str, rows: &[OrgCounts]| Sheet {
        name: name.to_string(),
        header: ["Organisasi", "Nama"]
            .into_iter()
            .chain(COUNT_HEADERS)
            .chain(["% tepat waktu"])
            .map(String::from)
            .collect(),
        rows: rows
            .iter()
            .map(|o| {
                let mut row: Vec<Cell> = vec![o.organization.clone().into(), o.name.clone().into()];
                row.extend(counts_cells(&o.counts));
                row.push(o.on_time_percent.map(Cell::Num).unwrap_or(Cell::Empty));
                row
            })
            .collect(),
    };
    let key_sheet = |name: &str, key: &str, rows: &[KeyCounts]| Sheet {
        name: name.to_string(),
        header: [key]
            .into_iter()
            .chain(COUNT_HEADERS)
            .map(String::from)
            .collect(),
        rows: rows
            .iter()
            .map(|k| {
                let mut row: Vec<Cell> = vec![k.key.clone().into()];
                row.extend(counts_cells(&k.counts));
                row
            })
            .collect(),
    };
    let items = r.items.as_deref().unwrap_or(&[]);
    let item_sheet = Sheet {
        name: "Rincian".into(),
        header: [
            "Organisasi",
            "Judul Data",
            "Dataset",
            "Prioritas",
            "Jadwal Pemutakhiran",
            "Dikirim",
            "Status",
            "Terlambat (hari)",
            "Jadwal Rilis",
            "Terbit",
            "Status Rilis",
        ]
        .into_iter()
        .map(String::from)
        .collect(),
        rows: items
            .iter()
            .map(|s| {
                let late = match s.status {
                    Timeliness::Terlambat { days } | Timeliness::BelumDikirimTerlambat { days } => {
                        Cell::Num(days as f64)
                    }
                    _ => Cell::Empty,
                };
                vec![
                    s.organization_name.clone().into(),
                    s.title.clone().into(),
                    s.dataset.clone().unwrap_or_default().into(),
                    if s.priority { "Ya" } else { "Tidak" }.into(),
                    Cell::Date(s.due_update),
                    s.submitted.into(),
                    s.status.label_id().into(),
                    late,
                    Cell::Date(s.due_release),
                    s.published.into(),
                    s.release.label_id().into(),
                ]
            })
            .collect(),
    };
    let bytes = gov_xlsx::workbook(&[
        org_sheet("Per OPD", &r.by_organization),
        org_sheet("Per desa", &r.by_desa),
        key_sheet("Per topik", "Topik", &r.by_topic),
        key_sheet("Per bulan", "Bulan", &r.by_month),
        item_sheet,
    ])
    .map_err(gov_xlsx::write_error)?;
    Ok(gov_xlsx::download(
        bytes,
        &format!("kemutakhiran-{year}.xlsx"),
    ))
}

/// Options of a reminder run.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ReminderRequest {
    /// Remind this many days before the jadwal pemutakhiran (default 7).
    #[serde(default)]
    pub days_before: Option<i64>,
}

/// What a reminder run did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReminderOutcome {
    /// In-app notifications created (a reminder is not repeated: once before the due date, then
    /// once a week while overdue).
    pub notifications: usize,
    /// E-mails sent (0 without SMTP).
    pub emails: usize,
}

/// Reminders for every organisation whose plan items are due soon or overdue and not sent yet.
/// Safe to run daily (by cron or by hand): repeated runs do not repeat reminders.
pub async fn run_reminders(
    state: &AppState,
    today: NaiveDate,
    days_before: i64,
) -> ApiResult<ReminderOutcome> {
    let facts = state.store.plan_facts(Some(today.year())).await?;
    let mut created = vec![];
    for f in &facts {
        let s = item_status(f, today);
        let (kind, key, title) = match s.status {
            Timeliness::BelumJatuhTempo { days_left } if days_left <= days_before => (
                "reminder.before",
                format!("reminder:before:{}", s.item_id),
                format!("Jadwal pemutakhiran {} hari lagi: {}", days_left, s.title),
            ),
            Timeliness::BelumDikirimTerlambat { days } => (
                "reminder.after",
                // Once a week while overdue.
                format!("reminder:after:{}:{}", s.item_id, days / 7),
                format!("Terlambat {} hari: {}", days, s.title),
            ),
            _ => continue,
        };
        let n = NewNotification {
            kind: kind.into(),
            title,
            body: format!(
                "Daftar Data {}: \"{}\" dijadwalkan dimutakhirkan paling lambat {}. Unggah dan ajukan datanya kepada walidata.",
                s.year, s.title, s.due_update
            ),
            link: Some("/kemutakhiran".into()),
            audience: vec![Audience::Role {
                role: Role::Produsen,
                organization: Some(f.item.meta.organization_id),
            }],
            dedupe_key: Some(key),
        };
        created.extend(state.store.notify(n).await?);
    }
    let emails = crate::mail::deliver(state, &created).await;
    Ok(ReminderOutcome {
        notifications: created.len(),
        emails,
    })
}

/// Send reminders now (the walidata; also meant for a daily cron job).
#[utoipa::path(post, path = "/api/v1/kemutakhiran/reminders", tag = super::tags::PLAN,
    request_body = ReminderRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = ReminderOutcome),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reminders(
    State(state): State<AppState>,
    auth: Auth,
    trail: AuditTrail,
    Json(req): Json<ReminderRequest>,
) -> ApiResult<JsonResponse<ReminderOutcome>> {
    auth.allow(Action::ManagePlan)?;
    let out = run_reminders(
        &state,
        today_wib(),
        req.days_before.unwrap_or(7).clamp(0, 90),
    )
    .await?;
    trail.note(
        "reminders.run",
        "plan_item",
        "",
        serde_json::json!({"notifications": out.notifications, "emails": out.emails}),
    );
    Ok(JsonResponse(out))
}
