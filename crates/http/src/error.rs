//! The one error type of the HTTP layer, answered as RFC 9457 `application/problem+json`.
//!
//! Every handler returns `Result<_, ApiError>`. Details are in Bahasa Indonesia and never carry
//! internal information: store backend failures are logged (in English) and answered with a
//! generic 500.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use satudata_core::access::Decision;
use satudata_core::dataset::FieldProblem;
use satudata_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of problem documents.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem document, as sent.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem, e.g. `urn:satudata:problem:validation`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short summary of the kind of problem (Bahasa Indonesia).
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this case and how to fix it (Bahasa Indonesia).
    pub detail: String,
    /// For 422: every problem found, naming the field (or CSV column).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemItem>,
}

/// One problem with one field of a request (or one cell of an uploaded CSV).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ToSchema)]
pub struct ProblemItem {
    /// The field of the request body, query parameter or CSV column.
    pub field: String,
    /// What is wrong, in Bahasa Indonesia.
    pub message: String,
    /// For CSV uploads: the row number in the file (the header is row 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// For CSV uploads: the offending cell as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl ProblemItem {
    /// A problem with a named field.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        ProblemItem {
            field: field.into(),
            message: message.into(),
            row: None,
            value: None,
        }
    }
}

impl From<FieldProblem> for ProblemItem {
    fn from(p: FieldProblem) -> Self {
        ProblemItem::new(p.field, p.message)
    }
}

/// An error answered as a problem document.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    title: &'static str,
    detail: String,
    errors: Vec<ProblemItem>,
}

impl ApiError {
    fn new(
        status: StatusCode,
        kind: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            kind,
            title,
            detail: detail.into(),
            errors: vec![],
        }
    }

    /// 400: the request cannot be read.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            "Permintaan tidak dapat dibaca",
            detail,
        )
    }

    /// 401: a login or an API token is needed.
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Perlu masuk",
            detail,
        )
    }

    /// 403: the principal's roles do not allow this.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Tidak diizinkan",
            detail,
        )
    }

    /// 429: the caller's rate limit is used up (the data API adds `Retry-After`).
    pub fn too_many_requests(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-requests",
            "Terlalu banyak permintaan",
            detail,
        )
    }

    /// 404.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Tidak ditemukan",
            detail,
        )
    }

    /// 405.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "Metode tidak diizinkan",
            "Alamat ini tidak menerima metode HTTP tersebut; lihat /api/v1/openapi.json.",
        )
    }

    /// 409: a unique name is taken or the change conflicts with the current state.
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", "Konflik", detail)
    }

    /// 413.
    pub fn too_large(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload-too-large",
            "Isi permintaan terlalu besar",
            detail,
        )
    }

    /// 415.
    pub fn unsupported_media_type(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Jenis isi tidak didukung",
            detail,
        )
    }

    /// 422 with one problem per field.
    pub fn invalid(detail: impl Into<String>, errors: Vec<ProblemItem>) -> Self {
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Data tidak sah",
            detail,
        );
        e.errors = errors;
        e
    }

    /// 422 for one field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::invalid(message.clone(), vec![ProblemItem::new(field, message)])
    }

    /// 422 for a CSV upload: the header problems or the first bad cell (nothing was written).
    pub fn invalid_csv(detail: impl Into<String>, items: Vec<ProblemItem>) -> Self {
        let mut e = Self::invalid(detail, items);
        e.kind = "csv-invalid";
        e.title = "Berkas CSV tidak sah";
        e
    }

    /// 500; `log` is written to the log (English) and never sent.
    pub fn internal(log: impl std::fmt::Display) -> Self {
        tracing::error!(error = %log, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Kesalahan server",
            "Terjadi kesalahan pada server. Silakan coba lagi nanti; bila berulang, hubungi pengelola.",
        )
    }

    /// 503.
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Layanan tidak tersedia",
            detail,
        )
    }

    /// The HTTP status of the error.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The problem document this error is answered with.
    pub fn problem(&self) -> Problem {
        Problem {
            problem_type: format!("urn:satudata:problem:{}", self.kind),
            title: self.title.to_string(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            errors: self.errors.clone(),
        }
    }

    /// Turn a decision of [`satudata_core::access::decide`] into `Ok` or a 401/403 error.
    pub fn check(decision: Decision) -> Result<(), ApiError> {
        match decision {
            Decision::Allow => Ok(()),
            Decision::NeedsLogin => Err(ApiError::unauthorized(
                "Silakan masuk atau kirim token API (Authorization: Bearer …) untuk tindakan ini.",
            )),
            Decision::Forbidden => Err(ApiError::forbidden(
                "Peran Anda tidak mengizinkan tindakan ini.",
            )),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.title,
            self.detail
        )
    }
}

impl std::error::Error for ApiError {}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => {
                tracing::debug!(%what, "store: not found");
                ApiError::not_found("Data yang diminta tidak ditemukan.")
            }
            StoreError::Conflict(what) => {
                tracing::debug!(%what, "store: conflict");
                ApiError::conflict(
                    "Nama atau slug itu sudah dipakai, atau perubahan bertentangan dengan keadaan data saat ini.",
                )
            }
            StoreError::Invalid(message) => ApiError::invalid(message, vec![]),
            StoreError::Source(message) => ApiError::invalid(message, vec![]),
            StoreError::Backend(what) => ApiError::internal(format_args!("store backend: {what}")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut res = (self.status, body).into_response();
        let headers = res.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"satudata\""),
            );
        }
        res
    }
}

/// The result type of handlers.
pub type ApiResult<T> = Result<T, ApiError>;
