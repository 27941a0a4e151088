//! The audit trail of requests: every write (any method but GET, HEAD, OPTIONS) and every read of
//! restricted data is appended to the store's hash-chained audit log — who, what, when, from where.
//!
//! The [`record`] middleware puts a [`RequestAudit`] into the request; the [`crate::auth::Auth`]
//! extractor leaves the principal there, and handlers add what they did through the
//! [`AuditTrail`] extractor (a restricted read, a review decision). After the handler answered, the
//! middleware appends one entry per noted event, and one `write` entry for an unsafe method. A
//! failed append is logged and does not change the answer already computed: the request's own
//! change is committed by then, and refusing the answer would hide that it happened.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;
use satudata_core::audit::AuditRecord;

use crate::auth::Auth;
use crate::state::AppState;

/// One thing a handler did that the log must show.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    /// `read_restricted`, `review.submit`, `review.publish`, …
    pub action: String,
    /// `dataset`, `version`, `plan_item`, …
    pub entity: String,
    pub entity_id: String,
    /// Extra detail (JSON object fields).
    pub detail: serde_json::Value,
}

/// What the middleware collects for one request.
#[derive(Default)]
pub struct RequestAudit {
    auth: Mutex<Option<Auth>>,
    events: Mutex<Vec<AuditEvent>>,
}

impl RequestAudit {
    /// Remember the request's principal (called by the `Auth` extractor).
    pub fn set_auth(&self, auth: &Auth) {
        if let Ok(mut slot) = self.auth.lock() {
            *slot = Some(auth.clone());
        }
    }
}

/// Lets a handler note events for the audit log. Outside the middleware (tests of single
/// handlers) notes go nowhere.
#[derive(Clone, Default)]
pub struct AuditTrail(Option<Arc<RequestAudit>>);

impl AuditTrail {
    /// Remember who the request acts for, when a handler authenticates by itself (the CKAN API's
    /// tokens) rather than through the [`Auth`] extractor.
    pub fn set_auth(&self, auth: &Auth) {
        if let Some(r) = &self.0 {
            r.set_auth(auth);
        }
    }

    /// Note an event.
    pub fn note(
        &self,
        action: impl Into<String>,
        entity: impl Into<String>,
        entity_id: impl Into<String>,
        detail: serde_json::Value,
    ) {
        if let Some(r) = &self.0 {
            if let Ok(mut events) = r.events.lock() {
                events.push(AuditEvent {
                    action: action.into(),
                    entity: entity.into(),
                    entity_id: entity_id.into(),
                    detail,
                });
            }
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AuditTrail {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(AuditTrail(
            parts.extensions.get::<Arc<RequestAudit>>().cloned(),
        ))
    }
}

/// The middleware (see the module docs).
pub async fn record(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let audit = Arc::new(RequestAudit::default());
    req.extensions_mut().insert(audit.clone());
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    let forwarded = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let response = next.run(req).await;

    let write = !method.is_safe();
    let events = audit
        .events
        .lock()
        .map(|mut e| std::mem::take(&mut *e))
        .unwrap_or_default();
    if !write && events.is_empty() {
        return response;
    }
    let auth = audit.auth.lock().ok().and_then(|a| a.clone());
    let (actor, actor_name) = match auth.as_ref().and_then(|a| a.user.as_ref()) {
        Some(u) => (Some(u.id), u.username.clone()),
        None => (None, "publik".to_string()),
    };
    let status = response.status().as_u16();
    let base = |mut detail: serde_json::Value| {
        if let Some(obj) = detail.as_object_mut() {
            obj.insert("method".into(), method.as_str().into());
            obj.insert("path".into(), path.clone().into());
            obj.insert("status".into(), status.into());
            if let Some(f) = &forwarded {
                obj.insert("forwarded_for".into(), f.clone().into());
            }
        }
        detail.to_string()
    };
    let mut records: Vec<AuditRecord> = events
        .into_iter()
        .map(|e| AuditRecord {
            at: Utc::now(),
            actor,
            actor_name: actor_name.clone(),
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            detail: base(e.detail),
            ip: ip.clone(),
        })
        .collect();
    if write {
        records.push(AuditRecord {
            at: Utc::now(),
            actor,
            actor_name: actor_name.clone(),
            action: "write".into(),
            entity: "http".into(),
            entity_id: path.clone(),
            detail: base(serde_json::json!({})),
            ip: ip.clone(),
        });
    }
    for r in records {
        if let Err(e) = state.store.append_audit(r).await {
            tracing::error!(error = %e, %path, "audit log append failed");
        }
    }
    response
}

/// Note a read of `dataset`'s data if its access is not *terbuka* (restricted or closed data: every
/// read is logged, who and from where).
pub fn restricted_read(trail: &AuditTrail, dataset: &satudata_core::dataset::Dataset, what: &str) {
    if dataset.meta.access != satudata_core::dataset::Access::Terbuka {
        trail.note(
            "read_restricted",
            "dataset",
            dataset.meta.slug.clone(),
            serde_json::json!({"access": dataset.meta.access, "read": what}),
        );
    }
}
