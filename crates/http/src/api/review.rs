//! Pemeriksaan over the API: submit, return with notes, resubmit, approve, publish, withdraw and
//! archive a version; the walidata's queue; a submission's checks, history and diff; the
//! pembina's review of statistical metadata.
//!
//! The state machine is [`satudata_core::review::transition`]; who may act on which organisation
//! is [`satudata_core::access::decide`]. The handler checks both first to answer precisely (409
//! with the reason, 403), then the store applies the transition under a lock, checking again.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json as JsonResponse;
use satudata_core::access::{decide, Action, Principal};
use satudata_core::checks::{
    run_checks, CheckInput, CheckReport, PlausibilityOutcome, RegionTally, ValidationOutcome,
};
use satudata_core::dataset::{DataKind, Dataset, Resource, ResourceKind, Version};
use satudata_core::notification::{Audience, NewNotification};
use satudata_core::review::{
    meta_diff, note_required, transition_with_any, MetaChange, MetadataReview, MetadataVerdict,
    ReviewAction, ReviewEvent, ReviewNote, ReviewState, RowDiff,
};
use satudata_core::user::Role;
use satudata_core::Id;
use satudata_store::governance::{NewTransition, QueueItem, QueueQuery, SubmissionChecks};
use satudata_store::StoreError;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{clamp_limit, find_dataset, find_resource, DEFAULT_LIMIT, MAX_LIMIT};
use crate::audit_trail::AuditTrail;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Path, Query};
use crate::state::AppState;

/// What a reviewer (or the produsen) says with an action. Every field is optional; a return
/// needs a note (on the whole submission or on a field or row).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ReviewRequest {
    /// The note on the whole action.
    #[serde(default)]
    pub note: String,
    /// Notes on metadata fields, columns or rows.
    #[serde(default)]
    pub notes: Vec<ReviewNote>,
}

/// The answer to an action.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewAnswer {
    pub event: ReviewEvent,
    /// The version's state now.
    pub state: ReviewState,
    /// The automatic checks, for a submission.
    pub checks: Option<CheckReport>,
}

/// A body that may be empty (then the default) or JSON.
fn optional_body(body: &Bytes) -> ApiResult<ReviewRequest> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(ReviewRequest::default());
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiError::invalid(
            format!("Isi permintaan bukan catatan pemeriksaan yang sah: {e}"),
            vec![],
        )
    })
}

/// The roles a principal holds.
pub fn roles_of(p: &Principal) -> Vec<Role> {
    match p {
        Principal::Anonymous => vec![],
        Principal::User { memberships, .. } => {
            let mut r: Vec<Role> = memberships.iter().map(|m| m.role).collect();
            r.sort();
            r.dedup();
            r
        }
    }
}

/// The review state of version `number`, or 404.
pub async fn version_state(state: &AppState, resource: Id, number: i32) -> ApiResult<ReviewState> {
    state
        .store
        .version_states(resource)
        .await?
        .into_iter()
        .find(|v| v.number == number)
        .map(|v| v.state)
        .ok_or_else(|| ApiError::not_found(format!("Versi {number} tidak ada.")))
}

/// Whether `auth` may see versions that are not published of `dataset`.
pub fn sees_unpublished(auth: &Auth, dataset: &Dataset) -> bool {
    decide(
        &auth.principal,
        Action::ReadUnpublished {
            organization: dataset.meta.organization_id,
        },
    )
    .is_allowed()
}

/// The version a read asks for, checked: `None` stays `None` (the store reads the latest
/// published version); a named version that is not published exists only for those who may see
/// unpublished versions (404 for the others, so drafts are not even revealed).
pub async fn readable_version(
    state: &AppState,
    auth: &Auth,
    dataset: &Dataset,
    resource: Id,
    requested: Option<i32>,
) -> ApiResult<Option<i32>> {
    let Some(n) = requested else { return Ok(None) };
    let st = version_state(state, resource, n).await?;
    if st != ReviewState::Terbit && !sees_unpublished(auth, dataset) {
        return Err(ApiError::not_found(format!("Versi {n} tidak ada.")));
    }
    Ok(Some(n))
}

/// Count the region columns of version `number` against the home region (for Kode Referensi).
pub async fn region_tallies(
    state: &AppState,
    resource: &Resource,
    number: i32,
) -> ApiResult<Vec<RegionTally>> {
    let ResourceKind::Table { schema } = &resource.kind else {
        return Ok(vec![]);
    };
    let home = Some(state.config.home_region);
    let cols: Vec<(usize, RegionTally)> = schema
        .fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            f.region_level
                .map(|l| (i, RegionTally::new(&f.name, l, home)))
        })
        .collect();
    if cols.is_empty() {
        return Ok(vec![]);
    }
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let store = state.store.clone();
    let id = resource.id;
    let reader = tokio::spawn(async move { store.stream_rows(id, Some(number), tx).await });
    let mut cols = cols;
    while let Some(batch) = rx.recv().await {
        for row in batch {
            for (i, t) in cols.iter_mut() {
                let cell = row.get(*i).filter(|v| !v.is_null()).map(|v| v.to_text());
                t.add(cell.as_deref());
            }
        }
    }
    reader
        .await
        .map_err(|e| ApiError::internal(format_args!("row reader: {e}")))??;
    Ok(cols.into_iter().map(|(_, t)| t).collect())
}

/// The stored report of the upload that produced a version: the validation report of the
/// import, the profile of its rows and the comparison with the previous published version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UploadReport {
    /// The import job.
    pub job_id: String,
    /// The file as uploaded.
    pub filename: String,
    /// The validation report (Frictionless-like: `valid`, `stats`, `errorCounts`, `errors`, …).
    #[schema(value_type = Object)]
    pub validation: serde_json::Value,
    /// The profile of the rows (per column: completeness, distinct values, range, zeros).
    #[schema(value_type = Object)]
    pub profile: serde_json::Value,
    /// Suspicious values against the previous published version (`null` when there was none):
    /// `againstVersion`, `warnings`, `items` (row by row), `profileChanges` (whole columns).
    #[schema(value_type = Object)]
    pub plausibility: serde_json::Value,
}

/// "Baris 5, kolom 'jumlah': message" from one error of a stored report.
fn located_message(e: &serde_json::Value) -> Option<String> {
    let msg = e.get("message")?.as_str()?;
    let mut at = vec![];
    if let Some(r) = e.get("rowNumber").and_then(|r| r.as_u64()) {
        at.push(format!("Baris {r}"));
    }
    if let Some(f) = e.get("fieldName").and_then(|f| f.as_str()) {
        at.push(format!("kolom '{f}'"));
    }
    Some(if at.is_empty() {
        msg.to_string()
    } else {
        format!("{}: {msg}", at.join(", "))
    })
}

/// The upload report of version `number`, if it came from an import job.
pub async fn upload_report(
    state: &AppState,
    resource: Id,
    number: i32,
) -> ApiResult<Option<UploadReport>> {
    let Some(job) = state.store.import_job_for_version(resource, number).await? else {
        return Ok(None);
    };
    let Some(mut report) = job.report else {
        return Ok(None);
    };
    let take = |r: &mut serde_json::Value, key: &str| {
        r.as_object_mut()
            .and_then(|o| o.remove(key))
            .unwrap_or(serde_json::Value::Null)
    };
    let profile = take(&mut report, "profile");
    let plausibility = take(&mut report, "plausibility");
    Ok(Some(UploadReport {
        job_id: job.id.to_string(),
        filename: job.filename,
        validation: report,
        profile,
        plausibility,
    }))
}

/// What the checks need from an upload report: the validation and plausibility outcomes.
fn outcomes(u: &UploadReport) -> (ValidationOutcome, Option<PlausibilityOutcome>) {
    let stat = |k: &str| {
        u.validation
            .pointer(&format!("/stats/{k}"))
            .and_then(|v| v.as_u64())
            .unwrap_or(0)
    };
    let errors: Vec<String> = u
        .validation
        .get("errors")
        .and_then(|e| e.as_array())
        .map(|a| a.iter().filter_map(located_message).take(5).collect())
        .unwrap_or_default();
    let validation = ValidationOutcome {
        errors: stat("errors"),
        warnings: stat("warnings"),
        messages: errors,
    };
    let plausibility = u
        .plausibility
        .get("againstVersion")
        .and_then(|v| v.as_i64())
        .map(|against| {
            let list = |k: &str| {
                u.plausibility
                    .get(k)
                    .and_then(|e| e.as_array())
                    .map(|a| a.iter().filter_map(located_message).collect::<Vec<_>>())
                    .unwrap_or_default()
            };
            let mut messages = list("profileChanges");
            messages.extend(list("items"));
            messages.truncate(10);
            PlausibilityOutcome {
                against_version: against as i32,
                warnings: u
                    .plausibility
                    .get("warnings")
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0),
                messages,
            }
        });
    (validation, plausibility)
}

/// Run the automatic checks on version `number` of `resource`, with the validation report and
/// the plausibility profile of the upload that produced it (when it came from an upload).
pub async fn check_version(
    state: &AppState,
    dataset: &Dataset,
    resource: &Resource,
    number: i32,
) -> ApiResult<SubmissionChecks> {
    let regions = region_tallies(state, resource, number).await?;
    let upload = upload_report(state, resource.id, number).await?;
    let (validation, plausibility) = match upload.as_ref().map(outcomes) {
        Some((v, p)) => (Some(v), p),
        None => (None, None),
    };
    let files: Vec<String> = state
        .store
        .list_resources(dataset.id)
        .await?
        .into_iter()
        .filter_map(|r| match r.kind {
            ResourceKind::File { media_type, .. } => Some(media_type),
            ResourceKind::Table { .. } => None,
        })
        .collect();
    let schema = match &resource.kind {
        ResourceKind::Table { schema } => Some(schema),
        ResourceKind::File { .. } => None,
    };
    let report = run_checks(&CheckInput {
        meta: &dataset.meta,
        schema,
        file_formats: &files,
        regions: &regions,
        validation: validation.as_ref(),
        plausibility: plausibility.as_ref(),
    });
    Ok(SubmissionChecks { report, regions })
}

/// The permission an action needs.
pub(crate) fn needed(action: ReviewAction, from: ReviewState, organization: Id) -> Action {
    match action {
        ReviewAction::Submit | ReviewAction::Resubmit => Action::SubmitVersion { organization },
        ReviewAction::Withdraw if from != ReviewState::Terbit => {
            Action::SubmitVersion { organization }
        }
        ReviewAction::Return | ReviewAction::Approve => Action::ReviewSubmission,
        ReviewAction::Publish | ReviewAction::Withdraw | ReviewAction::Archive => {
            Action::PublishVersion
        }
    }
}

/// Who hears about an action, and what.
fn notification(
    action: ReviewAction,
    from: ReviewState,
    dataset: &Dataset,
    resource: Id,
    number: i32,
    note: &str,
) -> Option<NewNotification> {
    let title = &dataset.meta.title;
    let producers = Audience::Role {
        role: Role::Produsen,
        organization: Some(dataset.meta.organization_id),
    };
    let walidata = Audience::Role {
        role: Role::Walidata,
        organization: None,
    };
    let (kind, head, audience) = match action {
        ReviewAction::Submit => ("review.submitted", "Pengajuan baru", walidata),
        ReviewAction::Resubmit => (
            "review.resubmitted",
            "Pengajuan ulang (diperbaiki)",
            walidata,
        ),
        ReviewAction::Return => (
            "review.returned",
            "Data dikembalikan untuk diperbaiki",
            producers,
        ),
        ReviewAction::Approve => ("review.approved", "Data disetujui walidata", producers),
        ReviewAction::Publish => ("review.published", "Data terbit", producers),
        ReviewAction::Withdraw if from == ReviewState::Terbit => {
            ("review.withdrawn", "Terbitan ditarik walidata", producers)
        }
        ReviewAction::Withdraw => ("review.withdrawn", "Pengajuan ditarik produsen", walidata),
        ReviewAction::Archive => return None,
    };
    let mut body = format!("{title}, versi {number}.");
    if !note.is_empty() {
        body.push_str(&format!("\nCatatan: {note}"));
    }
    Some(NewNotification {
        kind: kind.into(),
        title: format!("{head}: {title}"),
        body,
        link: Some(format!(
            "/api/v1/resources/{resource}/versions/{number}/review"
        )),
        audience: vec![audience],
        dedupe_key: None,
    })
}

/// Apply a review action to version `number` of resource `id`: the one implementation behind the
/// API's action routes and the workspace's forms. `req` is the parsed request (its error is
/// answered only after the permission checks, so a refusal does not depend on the body).
pub(crate) async fn act(
    state: &AppState,
    auth: &Auth,
    trail: &AuditTrail,
    id: Id,
    number: i32,
    action: ReviewAction,
    req: ApiResult<ReviewRequest>,
) -> ApiResult<ReviewAnswer> {
    let state = state.clone();
    let (resource, dataset) = find_resource(&state, id).await?;
    // Visibility first, so that other organisations' closed datasets are not revealed.
    auth.allow(Action::ReadMetadata {
        access: dataset.meta.access,
        organization: dataset.meta.organization_id,
    })?;
    let from = version_state(&state, resource.id, number).await?;
    auth.allow(needed(action, from, dataset.meta.organization_id))?;
    let (_, role) = transition_with_any(from, action, &roles_of(&auth.principal))
        .map_err(|e| ApiError::conflict(e.0))?;
    let req = req?;
    if note_required(from, action) && req.note.trim().is_empty() && req.notes.is_empty() {
        return Err(ApiError::invalid_field(
            "note",
            "Tulis catatan: apa yang harus diperbaiki (atau mengapa terbitan ditarik).",
        ));
    }
    let checks = match action {
        ReviewAction::Submit | ReviewAction::Resubmit => {
            Some(check_version(&state, &dataset, &resource, number).await?)
        }
        _ => None,
    };
    let report = checks.as_ref().map(|c| c.report.clone());
    let mut t = NewTransition::new(resource.id, number, action, auth.actor(), role);
    t.note = req.note.clone();
    t.notes = req.notes;
    t.checks = checks;
    if matches!(
        action,
        ReviewAction::Submit | ReviewAction::Resubmit | ReviewAction::Publish
    ) {
        t.meta = Some(dataset.meta.clone());
    }
    t.notify = notification(action, from, &dataset, resource.id, number, req.note.trim())
        .into_iter()
        .collect();
    let applied = state.store.apply_transition(t).await.map_err(|e| match e {
        StoreError::Conflict(reason) => ApiError::conflict(reason),
        other => other.into(),
    })?;
    trail.note(
        format!("review.{}", action.as_str()),
        "version",
        format!("{}/{number}", resource.id),
        serde_json::json!({
            "dataset": dataset.meta.slug,
            "from": applied.event.from,
            "to": applied.event.to,
            "note": applied.event.note,
        }),
    );
    crate::mail::deliver(&state, &applied.notifications).await;
    Ok(ReviewAnswer {
        state: applied.event.to,
        event: applied.event,
        checks: report,
    })
}

macro_rules! action_handler {
    ($name:ident, $action:expr, $verb:literal, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = concat!("/api/v1/resources/{id}/versions/{number}/", $verb),
            tag = super::tags::REVIEW,
            params(
                ("id" = String, Path, format = Uuid, description = "Resource id"),
                ("number" = i32, Path, description = "Version number"),
            ),
            request_body(content = ReviewRequest, description = "Catatan (opsional; wajib untuk kembalikan)"),
            security(("bearer" = [])),
            responses(
                (status = 200, body = ReviewAnswer),
                (status = 401, body = Problem, content_type = "application/problem+json"),
                (status = 403, body = Problem, content_type = "application/problem+json"),
                (status = 404, body = Problem, content_type = "application/problem+json"),
                (status = 409, description = "Tidak dapat dilakukan pada status versi ini", body = Problem, content_type = "application/problem+json"),
                (status = 422, body = Problem, content_type = "application/problem+json"),
            ))]
        pub async fn $name(
            State(state): State<AppState>,
            auth: Auth,
            trail: AuditTrail,
            Path((id, number)): Path<(Id, i32)>,
            body: Bytes,
        ) -> ApiResult<JsonResponse<ReviewAnswer>> {
            act(&state, &auth, &trail, id, number, $action, optional_body(&body))
                .await
                .map(JsonResponse)
        }
    };
}

action_handler!(
    submit,
    ReviewAction::Submit,
    "submit",
    "Ajukan: the produsen sends a draft to the walidata; the automatic checks run and are kept."
);
action_handler!(
    resubmit,
    ReviewAction::Resubmit,
    "resubmit",
    "Ajukan ulang: after a return, send the (fixed) version again; the checks run again."
);
action_handler!(
    return_,
    ReviewAction::Return,
    "return",
    "Kembalikan: the walidata sends the submission back with notes (required)."
);
action_handler!(
    approve,
    ReviewAction::Approve,
    "approve",
    "Setujui: the walidata approves; publication may wait for the release date."
);
action_handler!(
    publish,
    ReviewAction::Publish,
    "publish",
    "Terbitkan: the walidata publishes; the public now reads this version."
);
action_handler!(
    withdraw,
    ReviewAction::Withdraw,
    "withdraw",
    "Tarik: withdraw a submission (produsen) or a published version (walidata, with a reason)."
);
action_handler!(
    archive,
    ReviewAction::Archive,
    "archive",
    "Arsipkan: close a draft, returned or withdrawn version for good."
);

/// Everything a reviewer needs about one version.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewDetail {
    pub dataset: String,
    pub dataset_title: String,
    pub organization_id: String,
    pub version: Version,
    pub state: ReviewState,
    /// The automatic checks: as submitted, or run now for a draft.
    pub checks: Option<CheckReport>,
    pub regions: Vec<RegionTally>,
    /// Every transition of this version, oldest first, with its notes.
    pub events: Vec<ReviewEvent>,
    /// The published version compared with (the latest published one before this version).
    pub published_version: Option<i32>,
    /// Rows added, removed and changed since that published version.
    pub diff: Option<RowDiff>,
    /// Metadata fields changed since the metadata published with it.
    pub metadata_changes: Vec<MetaChange>,
    /// The stored report of the upload that produced this version (validation report, profile,
    /// plausibility against the previous published version); `null` when it was not uploaded.
    pub upload: Option<UploadReport>,
}

/// Limits of the review detail.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DetailQuery {
    /// Rows of each kind listed in the diff (default 50, at most 1000).
    pub limit: Option<u32>,
}

/// A version under review: state, automatic checks, history with notes, the diff against the
/// published version and the metadata changes.
#[utoipa::path(get, path = "/api/v1/resources/{id}/versions/{number}/review", tag = super::tags::REVIEW,
    params(
        ("id" = String, Path, format = Uuid, description = "Resource id"),
        ("number" = i32, Path, description = "Version number"),
        DetailQuery,
    ),
    responses(
        (status = 200, body = ReviewDetail),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn detail(
    State(state): State<AppState>,
    auth: Auth,
    trail: AuditTrail,
    Path((id, number)): Path<(Id, i32)>,
    Query(q): Query<DetailQuery>,
) -> ApiResult<JsonResponse<ReviewDetail>> {
    review_detail(&state, &auth, &trail, id, number, q.limit)
        .await
        .map(JsonResponse)
}

/// Everything a reviewer needs about version `number` of resource `id` (shared by the API and the
/// workspace's review page); `limit` caps the rows of each kind in the diff (default 50).
pub(crate) async fn review_detail(
    state: &AppState,
    auth: &Auth,
    trail: &AuditTrail,
    id: Id,
    number: i32,
    limit: Option<u32>,
) -> ApiResult<ReviewDetail> {
    let (resource, dataset) = find_resource(state, id).await?;
    auth.allow(Action::ReadUnpublished {
        organization: dataset.meta.organization_id,
    })?;
    auth.allow(Action::ReadData {
        access: dataset.meta.access,
        organization: dataset.meta.organization_id,
    })?;
    let version = state
        .store
        .get_version(resource.id, number)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Versi {number} tidak ada.")))?;
    let st = version_state(state, resource.id, number).await?;
    let record = state.store.submission_record(resource.id, number).await?;
    let (checks, regions, submitted_meta) = match record {
        Some(r) => {
            let (c, g) = r
                .checks
                .map(|c| (Some(c.report), c.regions))
                .unwrap_or((None, vec![]));
            (c, g, r.meta)
        }
        None if st == ReviewState::Draf => {
            let c = check_version(state, &dataset, &resource, number).await?;
            (Some(c.report), c.regions, None)
        }
        None => (None, vec![], None),
    };
    let published_before = state
        .store
        .version_states(resource.id)
        .await?
        .into_iter()
        .filter(|v| v.state == ReviewState::Terbit && v.number < number)
        .map(|v| v.number)
        .max();
    let limit = clamp_limit(limit, 50, MAX_LIMIT);
    let diff = state
        .store
        .diff_versions(resource.id, published_before.unwrap_or(0), number, limit)
        .await?;
    let after = submitted_meta.unwrap_or_else(|| dataset.meta.clone());
    let metadata_changes = match state.store.published_meta(resource.id).await? {
        Some(before) => meta_diff(&before, &after),
        None => vec![],
    };
    if dataset.meta.access != satudata_core::dataset::Access::Terbuka || st != ReviewState::Terbit {
        trail.note(
            "read_restricted",
            "version",
            format!("{}/{number}", resource.id),
            serde_json::json!({"dataset": dataset.meta.slug, "access": dataset.meta.access, "state": st}),
        );
    }
    Ok(ReviewDetail {
        dataset: dataset.meta.slug.clone(),
        dataset_title: dataset.meta.title.clone(),
        organization_id: dataset.meta.organization_id.to_string(),
        version,
        state: st,
        checks,
        regions,
        events: state.store.review_events(resource.id, Some(number)).await?,
        published_version: published_before,
        diff: Some(diff),
        metadata_changes,
        upload: upload_report(state, resource.id, number).await?,
    })
}

/// Filters of the queue.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// Only this organisation (slug or id).
    pub organization: Option<String>,
    /// Only this state (`diajukan`, `disetujui`, `dikembalikan`, `draf`); default the first two.
    pub state: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// One entry of the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueEntry {
    pub dataset: String,
    pub dataset_title: String,
    pub organization: String,
    pub organization_name: String,
    pub resource_id: String,
    pub version: i32,
    pub state: ReviewState,
    /// When it entered this state.
    pub since: chrono::DateTime<chrono::Utc>,
    pub row_count: i64,
    pub rows_added: i64,
    pub rows_removed: i64,
    /// Whether every automatic check passed at submission.
    pub checks_passed: Option<bool>,
    /// The review detail (checks, notes, diff).
    pub review: String,
}

/// The queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueuePage {
    pub items: Vec<QueueEntry>,
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
}

fn entry(state: &AppState, i: QueueItem) -> QueueEntry {
    QueueEntry {
        review: state.url(&format!(
            "/api/v1/resources/{}/versions/{}/review",
            i.resource_id, i.version
        )),
        dataset: i.dataset_slug,
        dataset_title: i.dataset_title,
        organization: i.organization_slug,
        organization_name: i.organization_name,
        resource_id: i.resource_id.to_string(),
        version: i.version,
        state: i.state,
        since: i.since,
        row_count: i.row_count,
        rows_added: i.rows_added,
        rows_removed: i.rows_removed,
        checks_passed: i.checks_passed,
    }
}

/// The walidata's queue: submissions waiting (diajukan) and approved ones waiting for release
/// (disetujui), oldest first, with whether the automatic checks passed.
#[utoipa::path(get, path = "/api/v1/review/queue", tag = super::tags::REVIEW, params(QueueParams),
    responses(
        (status = 200, body = QueuePage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn queue(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<QueueParams>,
) -> ApiResult<JsonResponse<QueuePage>> {
    queue_page(&state, &auth, p).await.map(JsonResponse)
}

/// The walidata's queue (shared by the API and the workspace's queue page).
pub(crate) async fn queue_page(
    state: &AppState,
    auth: &Auth,
    p: QueueParams,
) -> ApiResult<QueuePage> {
    auth.allow(Action::ReviewSubmission)?;
    let organization_id = match p.organization.as_deref().filter(|s| !s.is_empty()) {
        Some(slug) => Some(super::find_organization(state, slug).await?.id),
        None => None,
    };
    let states = match p.state.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => vec![s
            .parse::<ReviewState>()
            .map_err(|e| ApiError::invalid_field("state", e))?],
        None => vec![],
    };
    let page = state
        .store
        .review_queue(&QueueQuery {
            states,
            organization_id,
            limit: clamp_limit(p.limit, DEFAULT_LIMIT, MAX_LIMIT),
            offset: p.offset.unwrap_or(0),
        })
        .await?;
    Ok(QueuePage {
        items: page.items.into_iter().map(|i| entry(state, i)).collect(),
        total: page.total,
        limit: page.limit,
        offset: page.offset,
    })
}

/// The two versions to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffParams {
    /// The earlier version (0: nothing, so every row is added).
    pub from: i32,
    /// The later version.
    pub to: i32,
    /// Rows of each kind listed (default 100, at most 1000).
    pub limit: Option<u32>,
}

/// Rows added, removed and changed (same key, other values) between two versions.
#[utoipa::path(get, path = "/api/v1/resources/{id}/diff", tag = super::tags::REVIEW,
    params(("id" = String, Path, format = Uuid, description = "Resource id"), DiffParams),
    responses(
        (status = 200, body = RowDiff),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn diff(
    State(state): State<AppState>,
    auth: Auth,
    trail: AuditTrail,
    Path(id): Path<Id>,
    Query(p): Query<DiffParams>,
) -> ApiResult<JsonResponse<RowDiff>> {
    let (resource, dataset) = find_resource(&state, id).await?;
    auth.allow(Action::ReadData {
        access: dataset.meta.access,
        organization: dataset.meta.organization_id,
    })?;
    for v in [p.from, p.to].into_iter().filter(|v| *v > 0) {
        readable_version(&state, &auth, &dataset, resource.id, Some(v)).await?;
    }
    let d = state
        .store
        .diff_versions(
            resource.id,
            p.from,
            p.to,
            clamp_limit(p.limit, 100, MAX_LIMIT),
        )
        .await?;
    if dataset.meta.access != satudata_core::dataset::Access::Terbuka {
        trail.note(
            "read_restricted",
            "resource",
            resource.id.to_string(),
            serde_json::json!({"dataset": dataset.meta.slug, "diff": [p.from, p.to]}),
        );
    }
    Ok(JsonResponse(d))
}

/// The pembina's verdict on a dataset's statistical metadata.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MetadataReviewRequest {
    pub verdict: MetadataVerdict,
    #[serde(default)]
    pub note: String,
    /// Notes on metadata fields (MS-Ind/MS-Var items).
    #[serde(default)]
    pub notes: Vec<ReviewNote>,
}

/// The metadata reviews of a dataset.
#[derive(Debug, Serialize, ToSchema)]
pub struct MetadataReviewList {
    pub items: Vec<MetadataReview>,
}

/// The pembina (BPS) reviews the statistical metadata of a dataset marked as statistics.
#[utoipa::path(post, path = "/api/v1/datasets/{slug}/metadata-reviews", tag = super::tags::REVIEW,
    params(("slug" = String, Path, description = "Dataset slug or id")),
    request_body = MetadataReviewRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, body = MetadataReview),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Bukan data statistik", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_metadata_review(
    State(state): State<AppState>,
    auth: Auth,
    trail: AuditTrail,
    Path(slug): Path<String>,
    crate::extract::Json(req): crate::extract::Json<MetadataReviewRequest>,
) -> ApiResult<Response> {
    let review = record_metadata_review(&state, &auth, &trail, &slug, req).await?;
    Ok((StatusCode::CREATED, JsonResponse(review)).into_response())
}

/// Record the pembina's verdict on a dataset's statistical metadata and tell its produsen (see
/// [`add_metadata_review`]), for the API and the workspace page.
pub async fn record_metadata_review(
    state: &AppState,
    auth: &Auth,
    trail: &AuditTrail,
    slug: &str,
    req: MetadataReviewRequest,
) -> ApiResult<MetadataReview> {
    let dataset = find_dataset(state, slug).await?;
    auth.allow(Action::ReadMetadata {
        access: dataset.meta.access,
        organization: dataset.meta.organization_id,
    })?;
    auth.allow(Action::ReviewMetadata)?;
    if dataset.meta.jenis != DataKind::Statistik {
        return Err(ApiError::conflict(
            "Pembina menelaah metadata data statistik; dataset ini bukan data statistik.",
        ));
    }
    if req.verdict == MetadataVerdict::PerluPerbaikan
        && req.note.trim().is_empty()
        && req.notes.is_empty()
    {
        return Err(ApiError::invalid_field(
            "note",
            "Tulis catatan: apa yang harus diperbaiki.",
        ));
    }
    let review = state
        .store
        .add_metadata_review(MetadataReview {
            id: satudata_core::new_id(),
            dataset_id: dataset.id,
            verdict: req.verdict,
            note: req.note.trim().to_string(),
            notes: req.notes,
            actor: auth.actor(),
            at: chrono::Utc::now(),
        })
        .await?;
    let sent = state
        .store
        .notify(NewNotification {
            kind: "metadata.reviewed".into(),
            title: format!(
                "Telaah metadata pembina ({}): {}",
                match review.verdict {
                    MetadataVerdict::Sesuai => "sesuai",
                    MetadataVerdict::PerluPerbaikan => "perlu perbaikan",
                },
                dataset.meta.title
            ),
            body: review.note.clone(),
            link: Some(format!("/ruang-kerja/dataset/{}", dataset.meta.slug)),
            audience: vec![Audience::Role {
                role: Role::Produsen,
                organization: Some(dataset.meta.organization_id),
            }],
            dedupe_key: None,
        })
        .await?;
    crate::mail::deliver(state, &sent).await;
    trail.note(
        "metadata.review",
        "dataset",
        dataset.meta.slug.clone(),
        serde_json::json!({"verdict": review.verdict}),
    );
    Ok(review)
}

/// The pembina's reviews of a dataset's metadata, newest first.
#[utoipa::path(get, path = "/api/v1/datasets/{slug}/metadata-reviews", tag = super::tags::REVIEW,
    params(("slug" = String, Path, description = "Dataset slug or id")),
    responses(
        (status = 200, body = MetadataReviewList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn metadata_reviews(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
) -> ApiResult<JsonResponse<MetadataReviewList>> {
    let dataset = find_dataset(&state, &slug).await?;
    auth.allow(Action::ReadMetadata {
        access: dataset.meta.access,
        organization: dataset.meta.organization_id,
    })?;
    auth.allow(Action::ReadUnpublished {
        organization: dataset.meta.organization_id,
    })?;
    Ok(JsonResponse(MetadataReviewList {
        items: state.store.metadata_reviews(dataset.id).await?,
    }))
}

/// One statistical dataset in the pembina's list.
#[derive(Debug, Serialize, ToSchema)]
pub struct MetadataQueueItem {
    pub dataset: String,
    pub title: String,
    pub organization_id: String,
    /// The latest verdict of the pembina, if any.
    pub verdict: Option<MetadataVerdict>,
    pub reviewed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Standar Data elements still missing (konsep, definisi, klasifikasi, ukuran, satuan).
    pub missing_standard: Vec<String>,
    /// National metadata fields still empty.
    pub missing_metadata: Vec<String>,
}

/// The pembina's list.
#[derive(Debug, Serialize, ToSchema)]
pub struct MetadataQueue {
    pub items: Vec<MetadataQueueItem>,
}

/// The pembina's list: every dataset marked as statistics, not yet found *sesuai* first, with
/// what its metadata still lacks.
#[utoipa::path(get, path = "/api/v1/review/metadata", tag = super::tags::REVIEW,
    responses(
        (status = 200, body = MetadataQueue),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn metadata_queue(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<JsonResponse<MetadataQueue>> {
    let items = metadata_queue_items(&state, &auth).await?;
    Ok(JsonResponse(MetadataQueue { items }))
}

/// The schema of a dataset's first table, which the Standar Data check reads (units on columns);
/// `None` for a dataset of files only.
pub async fn first_table_schema(
    state: &AppState,
    dataset: satudata_core::Id,
) -> ApiResult<Option<satudata_core::schema::TableSchema>> {
    Ok(state
        .store
        .list_resources(dataset)
        .await?
        .into_iter()
        .find_map(|r| match r.kind {
            ResourceKind::Table { schema } => Some(schema),
            ResourceKind::File { .. } => None,
        }))
}

/// The pembina's list (see [`metadata_queue`]), for the API and the workspace page.
pub async fn metadata_queue_items(
    state: &AppState,
    auth: &Auth,
) -> ApiResult<Vec<MetadataQueueItem>> {
    auth.allow(Action::ReviewMetadata)?;
    let mut items = vec![];
    let mut offset = 0;
    loop {
        let page = state
            .store
            .list_datasets(&satudata_store::DatasetQuery {
                limit: 500,
                offset,
                ..Default::default()
            })
            .await?;
        let n = page.items.len() as u64;
        for d in page
            .items
            .into_iter()
            .filter(|d| d.meta.jenis == DataKind::Statistik)
        {
            let latest = state.store.metadata_reviews(d.id).await?.into_iter().next();
            let schema = first_table_schema(state, d.id).await?;
            items.push(MetadataQueueItem {
                missing_standard: satudata_core::checks::standard_elements(
                    &d.meta,
                    schema.as_ref(),
                )
                .iter()
                .filter(|(_, ok)| !ok)
                .map(|(n, _)| n.to_string())
                .collect(),
                missing_metadata: satudata_core::checks::metadata_fields(&d.meta)
                    .into_iter()
                    .filter(|(_, ok)| !ok)
                    .map(|(f, _)| f.to_string())
                    .collect(),
                verdict: latest.as_ref().map(|r| r.verdict),
                reviewed_at: latest.map(|r| r.at),
                dataset: d.meta.slug,
                title: d.meta.title,
                organization_id: d.meta.organization_id.to_string(),
            });
        }
        offset += n;
        if n == 0 || offset >= page.total {
            break;
        }
    }
    // Not yet reviewed first, then those needing fixes, then the sound ones.
    items.sort_by_key(|i| match i.verdict {
        None => 0,
        Some(MetadataVerdict::PerluPerbaikan) => 1,
        Some(MetadataVerdict::Sesuai) => 2,
    });
    Ok(items)
}
