//! The data API's machinery (issue 5): the query language ([`query`]), streamed exports
//! ([`export`]), the aggregate cache ([`cache`]), rate limits ([`limit`]) and conditional requests
//! (ETag / Last-Modified). The handlers are in `api::rows` and `api::aggregate`.
//!
//! Published versions never change, so an answer is identified by the version's checksum and the
//! request: ETags are strong, 304s are cheap, and aggregates can be cached in process without ever
//! being invalidated.

pub mod cache;
pub mod export;
pub mod limit;
pub mod query;

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use satudata_core::dataset::{Access, Version};
use satudata_core::Id;
use sha2::{Digest, Sha256};

use crate::auth::Auth;
use crate::error::ApiError;
use crate::state::AppState;
use cache::{AggregateCache, PageCache};
use export::Format;
use limit::{Client, RateLimiter, RateLimits, Verdict};

/// Aggregate answers kept in memory.
pub const CACHE_ENTRIES: usize = 512;
/// JSON pages of rows kept in memory (each at most [`cache::MAX_CACHED_PAGE`]: 32 MiB at most).
pub const PAGE_ENTRIES: usize = 256;

/// The shared state of the data API.
#[derive(Debug)]
pub struct DataApi {
    /// Rate limits per token and per address.
    pub limiter: RateLimiter,
    /// Aggregate answers by resource, version and query.
    pub cache: AggregateCache,
    /// JSON pages of rows by resource, version and query.
    pub pages: PageCache,
    /// Charts and maps by resource and version.
    pub visuals: crate::visual::VisualCache,
}

impl DataApi {
    /// The data API with these limits.
    pub fn new(limits: RateLimits) -> Self {
        DataApi {
            limiter: RateLimiter::new(limits),
            cache: AggregateCache::new(CACHE_ENTRIES),
            pages: PageCache::new(PAGE_ENTRIES),
            visuals: Default::default(),
        }
    }
}

impl Default for DataApi {
    fn default() -> Self {
        DataApi::new(RateLimits::default())
    }
}

/// The address of the client (from the socket, or `X-Forwarded-For` when trusted).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if state.data_api.limiter.limits().trust_forwarded_for {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok());
            if forwarded.is_some() {
                return Ok(ClientAddr(forwarded));
            }
        }
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// Rate-limit headers to add to an answer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quota {
    limit: Option<f64>,
    remaining: f64,
}

impl Quota {
    /// Add `X-RateLimit-Limit` and `X-RateLimit-Remaining` (when a limit applies).
    pub fn apply(&self, headers: &mut HeaderMap) {
        if let Some(l) = self.limit {
            headers.insert("x-ratelimit-limit", HeaderValue::from(l as u64));
            headers.insert(
                "x-ratelimit-remaining",
                HeaderValue::from(self.remaining.max(0.0) as u64),
            );
        }
    }
}

/// Take one request from the caller's bucket: its user's when logged in or with a token, else its
/// address's. A refusal is a 429 with `Retry-After`.
pub fn take_quota(state: &AppState, auth: &Auth, addr: ClientAddr) -> Result<Quota, Box<Response>> {
    let client = match (auth.actor(), addr.0) {
        (Some(user), _) => Client::User(user),
        (None, Some(ip)) => Client::Ip(ip),
        (None, None) => Client::Unknown,
    };
    match state.data_api.limiter.check(&client, Instant::now()) {
        Verdict::Allow { limit, remaining } => Ok(Quota { limit, remaining }),
        Verdict::Deny { retry_after, limit } => {
            let secs = retry_after.as_secs_f64().ceil().max(1.0) as u64;
            let mut res = ApiError::too_many_requests(format!(
                "Terlalu banyak permintaan. Coba lagi dalam {secs} detik (batas {} permintaan sekaligus{}).",
                limit as u64,
                if matches!(client, Client::User(_)) {
                    " per token"
                } else {
                    " per alamat; pakai token API untuk batas yang lebih longgar"
                }
            ))
            .into_response();
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            Quota {
                limit: Some(limit),
                remaining: 0.0,
            }
            .apply(res.headers_mut());
            Err(Box::new(res))
        }
    }
}

/// What identifies an answer: the version it is about and the request that asked.
#[derive(Debug, Clone)]
pub struct Validators {
    /// The strong ETag, quoted.
    pub etag: String,
    /// When the version was created.
    pub last_modified: DateTime<Utc>,
    /// Whether the request pinned the version (then the answer can be cached for long).
    pub pinned: bool,
    /// Whether the data is open to everyone (shared caches may keep it).
    pub public: bool,
}

impl Validators {
    /// Validators for an answer over `version` of `resource` to `request` (the raw query string
    /// and anything else that changes the bytes, such as the format).
    pub fn new(
        resource: Id,
        version: &Version,
        request: &str,
        format: Format,
        pinned: bool,
        access: Access,
    ) -> Self {
        let mut h = Sha256::new();
        h.update(resource.as_bytes());
        h.update(version.checksum.as_bytes());
        h.update(format.as_str().as_bytes());
        h.update([0]);
        h.update(request.as_bytes());
        let digest = h.finalize();
        Validators {
            etag: format!("\"v{}-{}\"", version.number, hex(&digest[..12])),
            last_modified: version.created_at,
            pinned,
            public: access == Access::Terbuka,
        }
    }

    /// Whether the request's `If-None-Match` (or else `If-Modified-Since`) says the client has it.
    pub fn not_modified(&self, headers: &HeaderMap) -> bool {
        if let Some(inm) = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
        {
            return inm
                .split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == "*" || t == self.etag);
        }
        if let Some(ims) = headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| DateTime::parse_from_rfc2822(v).ok())
        {
            return self.last_modified.timestamp() <= ims.timestamp();
        }
        false
    }

    /// Add `ETag`, `Last-Modified`, `Cache-Control` and `Vary`.
    pub fn apply(&self, headers: &mut HeaderMap) {
        if let Ok(v) = HeaderValue::from_str(&self.etag) {
            headers.insert(header::ETAG, v);
        }
        if let Ok(v) = HeaderValue::from_str(
            &self
                .last_modified
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string(),
        ) {
            headers.insert(header::LAST_MODIFIED, v);
        }
        let cc = match (self.public, self.pinned) {
            // A pinned version never changes.
            (true, true) => "public, max-age=31536000, immutable",
            // The latest version changes when a new one is published.
            (true, false) => "public, max-age=60",
            // Restricted data is for the caller only, and is checked again every time.
            (false, _) => "private, no-cache",
        };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cc));
        headers.insert(
            header::VARY,
            HeaderValue::from_static("Accept, Accept-Encoding, Authorization, Cookie"),
        );
    }

    /// A `304 Not Modified` with the validators.
    pub fn not_modified_response(&self) -> Response {
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        self.apply(res.headers_mut());
        res
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The format asked for: `format=` first, else the `Accept` header, else JSON.
pub fn negotiate(explicit: Option<Format>, headers: &HeaderMap) -> Format {
    explicit
        .or_else(|| {
            headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .and_then(Format::from_accept)
        })
        .unwrap_or(Format::Json)
}

/// `Content-Type` and, for files, `Content-Disposition: attachment` with a file name.
pub fn file_headers(headers: &mut HeaderMap, format: Format, name: &str) {
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if format != Format::Json {
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        if let Ok(v) = HeaderValue::from_str(&format!(
            "attachment; filename=\"{safe}.{}\"",
            format.extension()
        )) {
            headers.insert(header::CONTENT_DISPOSITION, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version() -> Version {
        Version {
            id: satudata_core::new_id(),
            resource_id: satudata_core::new_id(),
            number: 3,
            created_by: None,
            created_at: DateTime::parse_from_rfc3339("2024-05-01T10:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            row_count: 1,
            rows_added: 1,
            rows_removed: 0,
            checksum: "abc".into(),
            summary: String::new(),
            seq: 1,
        }
    }

    #[test]
    fn etags_depend_on_version_request_and_format() {
        let r = satudata_core::new_id();
        let v = version();
        let a = Validators::new(r, &v, "tahun=2024", Format::Json, false, Access::Terbuka);
        assert!(a.etag.starts_with("\"v3-"));
        let b = Validators::new(r, &v, "tahun=2023", Format::Json, false, Access::Terbuka);
        let c = Validators::new(r, &v, "tahun=2024", Format::Csv, false, Access::Terbuka);
        assert!(a.etag != b.etag && a.etag != c.etag);
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&a.etag).unwrap(),
        );
        assert!(a.not_modified(&h));
        assert!(!b.not_modified(&h));
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_static("Wed, 01 May 2024 10:00:00 GMT"),
        );
        assert!(a.not_modified(&h));
        let mut out = HeaderMap::new();
        a.apply(&mut out);
        assert_eq!(out[header::CACHE_CONTROL], "public, max-age=60");
        assert_eq!(out[header::LAST_MODIFIED], "Wed, 01 May 2024 10:00:00 GMT");
    }
}
