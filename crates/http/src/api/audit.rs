//! The audit log for administrators: filter, export as CSV, verify the hash chain. Reading the
//! log is itself recorded in it.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json as JsonResponse;
use chrono::{DateTime, Utc};
use satudata_core::access::Action;
use satudata_core::audit::AuditEntry;
use satudata_store::governance::{AuditQuery, AuditVerification};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{clamp_limit, DEFAULT_LIMIT, MAX_LIMIT};
use crate::audit_trail::AuditTrail;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::state::AppState;

/// Filters of the audit log.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Username (`publik` for anonymous requests).
    pub actor: Option<String>,
    /// `write`, `read_restricted`, `review.publish`, …
    pub action: Option<String>,
    /// `http`, `dataset`, `version`, …
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// From this time (RFC 3339).
    pub since: Option<DateTime<Utc>>,
    /// Before this time (RFC 3339).
    pub until: Option<DateTime<Utc>>,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

impl AuditParams {
    fn query(&self, limit: u32, offset: u64) -> AuditQuery {
        let s = |v: &Option<String>| v.clone().filter(|x| !x.is_empty());
        AuditQuery {
            actor_name: s(&self.actor),
            action: s(&self.action),
            entity: s(&self.entity),
            entity_id: s(&self.entity_id),
            since: self.since,
            until: self.until,
            after_seq: None,
            limit,
            offset,
        }
    }
}

/// A page of the audit log, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
}

fn note_read(trail: &AuditTrail, what: &str) {
    trail.note("read_audit", "audit_log", what, serde_json::json!({}));
}

/// The audit log: every write and every read of restricted data, with who, what, when and from
/// where; newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = super::tags::PLAN, params(AuditParams),
    responses(
        (status = 200, body = AuditPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    trail: AuditTrail,
    Query(p): Query<AuditParams>,
) -> ApiResult<JsonResponse<AuditPage>> {
    auth.allow(Action::ReadAudit)?;
    let page = state
        .store
        .list_audit(&p.query(
            clamp_limit(p.limit, DEFAULT_LIMIT, MAX_LIMIT),
            p.offset.unwrap_or(0),
        ))
        .await?;
    note_read(&trail, "list");
    Ok(JsonResponse(AuditPage {
        items: page.items,
        total: page.total,
        limit: page.limit,
        offset: page.offset,
    }))
}

/// The matching entries as CSV (all of them, newest first), with their hashes so the export can
/// be checked later.
#[utoipa::path(get, path = "/api/v1/audit/export.csv", tag = super::tags::PLAN, params(AuditParams),
    responses(
        (status = 200, description = "CSV", content_type = "text/csv"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn export(
    State(state): State<AppState>,
    auth: Auth,
    trail: AuditTrail,
    Query(p): Query<AuditParams>,
) -> ApiResult<Response> {
    auth.allow(Action::ReadAudit)?;
    let mut w = csv::Writer::from_writer(vec![]);
    let io = |e: csv::Error| ApiError::internal(format_args!("csv: {e}"));
    w.write_record([
        "seq",
        "at",
        "actor",
        "actor_name",
        "action",
        "entity",
        "entity_id",
        "detail",
        "ip",
        "prev_hash",
        "hash",
    ])
    .map_err(io)?;
    let mut offset = 0;
    loop {
        let page = state.store.list_audit(&p.query(1000, offset)).await?;
        let n = page.items.len() as u64;
        for e in page.items {
            let r = &e.record;
            w.write_record([
                e.seq.to_string(),
                r.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
                r.actor.map(|a| a.to_string()).unwrap_or_default(),
                r.actor_name.clone(),
                r.action.clone(),
                r.entity.clone(),
                r.entity_id.clone(),
                r.detail.clone(),
                r.ip.clone(),
                e.prev_hash.clone(),
                e.hash.clone(),
            ])
            .map_err(io)?;
        }
        offset += n;
        if n == 0 || offset >= page.total {
            break;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ApiError::internal(format_args!("csv: {e}")))?;
    note_read(&trail, "export");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit-log.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response())
}

/// The answer of `GET /api/v1/audit/verify` as documented ([`AuditVerification`] of the store,
/// which has no OpenAPI derive).
#[derive(ToSchema)]
#[schema(as = AuditVerification)]
#[allow(dead_code)]
struct VerificationDoc {
    /// Entries that verified (before the break, if any).
    verified: u64,
    /// The last verified entry.
    head_seq: i64,
    /// Its hash (hex SHA-256).
    head_hash: String,
    /// The first broken entry, or null when the chain holds.
    broken: Option<ChainBreakDoc>,
}

/// The first entry whose hash does not follow from the previous one.
#[derive(ToSchema)]
#[schema(as = ChainBreak)]
#[allow(dead_code)]
struct ChainBreakDoc {
    /// The sequence number of the entry.
    seq: i64,
    /// Why it does not verify.
    reason: String,
}

/// Check the whole hash chain: how many entries verify, the head, and the first broken entry.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = super::tags::PLAN,
    responses(
        (status = 200, description = "The outcome (broken is null when the chain holds)", body = VerificationDoc),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn verify(
    State(state): State<AppState>,
    auth: Auth,
    trail: AuditTrail,
) -> ApiResult<JsonResponse<AuditVerification>> {
    auth.allow(Action::ReadAudit)?;
    note_read(&trail, "verify");
    Ok(JsonResponse(state.store.verify_audit().await?))
}
