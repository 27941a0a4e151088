//! Middleware: request tracing, CORS for reading, compression, body limits and security headers.

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// The largest request body (CSV uploads are streamed, so this bounds time, not memory).
pub const UPLOAD_LIMIT: usize = 1 << 30;
/// The largest body read whole by an extractor (JSON, forms).
pub const JSON_LIMIT: usize = 1 << 20;

/// The Content-Security-Policy of every answer: nothing but this instance, no framing.
pub const CSP: &str =
    "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Wrap the router in the middleware stack.
pub fn apply(router: Router) -> Router {
    // Inside the other layers: its preflight answers need axum's body type.
    router.layer(cors()).layer(
        ServiceBuilder::new()
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                    .on_response(DefaultOnResponse::new().level(Level::INFO)),
            )
            .layer(header_layer(header::CONTENT_SECURITY_POLICY, CSP))
            .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .layer(header_layer(
                header::REFERRER_POLICY,
                "strict-origin-when-cross-origin",
            ))
            .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
            .layer(CompressionLayer::new())
            .layer(RequestBodyLimitLayer::new(UPLOAD_LIMIT))
            .layer(DefaultBodyLimit::max(JSON_LIMIT)),
    )
}

/// CORS for reading: any site may GET (and HEAD) from the API with a token, e.g. a dashboard in
/// the browser; nothing else is allowed cross-origin. Credentials (cookies) are never allowed
/// cross-origin, so a page elsewhere cannot act with a visitor's session.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers([
            header::AUTHORIZATION,
            header::ACCEPT,
            header::IF_NONE_MATCH,
            header::IF_MODIFIED_SINCE,
        ])
        .expose_headers([
            header::ETAG,
            header::LAST_MODIFIED,
            header::RETRY_AFTER,
            header::LINK,
            header::CONTENT_DISPOSITION,
            HeaderName::from_static("x-ratelimit-limit"),
            HeaderName::from_static("x-ratelimit-remaining"),
        ])
        .max_age(std::time::Duration::from_secs(86_400))
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}
