//! Errors of page handlers, answered as HTML pages (the API's errors are problem+json).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use satudata_store::StoreError;

use super::layout::error_page;
use crate::error::ApiError;

/// An error of a page handler: the same kinds as [`ApiError`], shown as a page a person can read.
#[derive(Debug)]
pub struct PageError(pub ApiError);

/// The result of a page handler.
pub type PageResult<T = Response> = Result<T, PageError>;

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError(e)
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        PageError(ApiError::from(e))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let problem = self.0.problem();
        let title = match status {
            StatusCode::NOT_FOUND => "Halaman tidak ditemukan",
            StatusCode::UNAUTHORIZED => "Silakan masuk",
            StatusCode::FORBIDDEN => "Tidak diizinkan",
            s if s.is_server_error() => "Terjadi gangguan",
            _ => "Permintaan tidak dapat diproses",
        };
        let mut message = problem.detail;
        for e in problem.errors {
            message.push_str(&format!(" {}: {}", e.field, e.message));
        }
        if status == StatusCode::UNAUTHORIZED {
            message.push_str(" Masuk lewat /masuk.");
        }
        error_page(status, title, &message)
    }
}
