//! The path and query extractors of the pages: the same parsing as [`crate::extract`], but bad
//! input (a malformed id in a page's address, a query parameter of the wrong kind) is answered with
//! an HTML page in the site's frame, as everything else a browser is sent, not a problem document.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::pages::error::PageError;

/// Path parameters of a page.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(rejection) => {
                // The parser's words are for the log; the reader gets a plain sentence.
                tracing::debug!(path = %parts.uri.path(), error = %rejection.body_text(), "page address not understood");
                Err(PageError(crate::error::ApiError::not_found(
                    "Alamat halaman ini tidak dikenali. Periksa tautannya, atau mulai dari beranda.",
                )))
            }
        }
    }
}

/// Query parameters of a page.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let crate::extract::Query(v) = crate::extract::Query::from_request_parts(parts, state)
            .await
            .map_err(PageError)?;
        Ok(Query(v))
    }
}

/// A form posted to a page (`application/x-www-form-urlencoded`). A form that cannot be read — a
/// field missing or of the wrong kind, which a browser posting the page's own form never sends —
/// is answered with an HTML page, like every other refusal a browser sees.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for Form<T> {
    type Rejection = PageError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, PageError> {
        let crate::extract::Form(v) = crate::extract::Form::from_request(req, state)
            .await
            .map_err(PageError)?;
        Ok(Form(v))
    }
}
