//! satudata's HTTP layer: the JSON API v1 (with its OpenAPI 3.1 document), the HTML pages, cookie
//! sessions for people and bearer tokens for programs.
//!
//! The layer is thin: handlers parse the request, ask [`satudata_core::access::decide`] whether the
//! principal may do it, call the [`satudata_store::Store`] and turn the answer into JSON or HTML.
//! Every route is listed once, in [`routes()`]; the router is built from that list, so tests and the
//! OpenAPI check can walk exactly what is served.
//!
//! ```no_run
//! # async fn run(store: std::sync::Arc<dyn satudata_store::Store>) -> std::io::Result<()> {
//! use satudata_http::{AppState, HttpConfig};
//! let config = HttpConfig {
//!     home_region: satudata_core::region::RegionCode::parse("16.06").unwrap(),
//!     instance_name: "Satu Data Musi Banyuasin".into(),
//!     base_url: "http://127.0.0.1:8080".into(),
//!     secure_cookies: false,
//! };
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! satudata_http::serve(listener, AppState::new(store, config), std::future::pending()).await
//! # }
//! ```

mod api;
mod audit_trail;
mod auth;
mod catalog_index;
mod csv_rows;
mod daily;
mod dataapi;
mod error;
mod extract;
mod file_sample;
mod layers;
pub mod mail;
mod openapi;
mod pages;
mod publish;
mod region_index;
mod routes;
mod state;
pub mod usage;
pub mod visual;

pub use auth::{CSRF_COOKIE, SESSION_COOKIE, SESSION_HOURS};
pub use daily::{clean_abandoned_uploads, run_daily, spawn_daily, DailyOutcome, ABANDONED_AFTER};
pub use dataapi::limit::{Limit, RateLimits};
pub use error::{ApiError, Problem, ProblemItem};
pub use openapi::openapi;
pub use routes::{routes, RouteSpec};
pub use state::{AppState, HttpConfig};

use std::future::Future;

/// The whole application: every route of [`routes()`], the fallbacks (problem+json 404 under
/// `/api`, an HTML page elsewhere) and the middleware (tracing, compression, body limits,
/// security headers).
pub fn router(state: AppState) -> axum::Router {
    routes::build(state)
}

/// Serve the application on `listener` until `shutdown` completes, then finish the requests in
/// flight and return (graceful shutdown). Usage counts are flushed to the store periodically
/// while serving and once more at the end.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state.clone());
    let flusher = usage::spawn_flusher(state.clone());
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "serving HTTP");
    }
    // The peer address is recorded in the audit log.
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    flusher.abort();
    usage::flush_logged(&state).await;
    served
}
