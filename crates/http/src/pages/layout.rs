//! The page shell, the stylesheet and error pages.

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

use crate::auth::Auth;
use crate::state::AppState;

/// The stylesheet, served at `/static/satudata.css`.
pub const STYLESHEET: &str = include_str!("../../assets/satudata.css");

/// Wrap `content` in the page shell (header with navigation, footer).
pub fn page(state: &AppState, auth: &Auth, title: &str, content: Markup) -> Markup {
    let instance = &state.config.instance_name;
    html! {
        (DOCTYPE)
        html lang="id" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (instance) }
                link rel="stylesheet" href="/static/satudata.css";
            }
            body {
                header.site {
                    a.brand href="/" { (instance) }
                    nav {
                        a href="/" { "Beranda" }
                        a href="/tentang" { "Tentang" }
                        a href="/api/v1/openapi.json" { "API" }
                        @if let Some(user) = &auth.user {
                            span.meta { "Masuk sebagai " strong { (user.display_name) } }
                            @if let Some(session) = &auth.session {
                                form method="post" action="/keluar" {
                                    input type="hidden" name="csrf_token" value=(session.csrf_token);
                                    button.link type="submit" { "Keluar" }
                                }
                            }
                        } @else {
                            a href="/masuk" { "Masuk" }
                        }
                    }
                }
                main { (content) }
                footer {
                    "Dijalankan dengan satudata, perangkat lunak terbuka untuk Satu Data Indonesia. "
                    a href="/tentang" { "Tentang dan lisensi kode wilayah" }
                }
            }
        }
    }
}

/// An HTML answer.
pub fn html_response(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-cache")],
        Html(markup.into_string()),
    )
        .into_response()
}

/// A bare error page (no navigation: used where no state is at hand).
pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="id" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/static/satudata.css";
            }
            body {
                main {
                    h1 { (title) }
                    p { (message) }
                    p { a href="/" { "Kembali ke beranda" } }
                }
            }
        }
    };
    html_response(status, markup)
}

/// The HTML 404 page.
pub fn not_found_page() -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "Halaman tidak ditemukan",
        "Alamat yang Anda buka tidak ada. Periksa ejaannya atau mulai dari beranda.",
    )
}

/// `GET /static/satudata.css`.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        STYLESHEET,
    )
        .into_response()
}
