//! The page shell (header with navigation and the language switch, footer), the stylesheet and
//! error pages.
//!
//! Every page is built from a [`PageCtx`]: who is asking, in which language, and at which address
//! (so the language switch can point at the same page).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

use super::i18n::Lang;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::state::AppState;

/// The stylesheet, served at `/static/satudata.css`.
pub const STYLESHEET: &str = include_str!("../../assets/satudata.css");

/// What every page handler needs to draw the shell: the state, the visitor, the language and the
/// address of the page.
#[derive(Clone)]
pub struct PageCtx {
    /// The application state.
    pub state: AppState,
    /// Who is asking.
    pub auth: Auth,
    /// The language of the answer.
    pub lang: Lang,
    /// The path of the request.
    pub path: String,
    /// The query string of the request (without `?`), as sent.
    pub query: String,
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let auth = Auth::from_request_parts(parts, state).await?;
        Ok(PageCtx {
            state: state.clone(),
            auth,
            lang: Lang::of(parts),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().unwrap_or_default().to_string(),
        })
    }
}

impl PageCtx {
    /// The text in the page's language.
    pub fn t<'a>(&self, id: &'a str, en: &'a str) -> &'a str {
        self.lang.t(id, en)
    }

    /// The address of this page in the other language (`?lang=` replaced, the rest kept).
    pub fn switch_href(&self) -> String {
        let mut pairs: Vec<&str> = self
            .query
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("lang="))
            .collect();
        let lang = format!("lang={}", self.lang.other().code());
        pairs.push(&lang);
        format!("{}?{}", self.path, pairs.join("&"))
    }

    /// Is the visitor logged in?
    pub fn logged_in(&self) -> bool {
        self.auth.user.is_some()
    }

    /// Wrap `content` in the page shell.
    pub fn page(&self, title: &str, content: Markup) -> Markup {
        self.page_with(title, "", content)
    }

    /// Wrap `content` in the page shell, with `description` for search engines and link previews.
    pub fn page_with(&self, title: &str, description: &str, content: Markup) -> Markup {
        self.shell(title, description, None, content)
    }

    /// Wrap `content` in the page shell, asking the browser to load the page again after
    /// `seconds` (progress of a background job, without JavaScript).
    pub fn page_refreshing(&self, title: &str, seconds: u32, content: Markup) -> Markup {
        self.shell(title, "", Some(seconds), content)
    }

    fn shell(
        &self,
        title: &str,
        description: &str,
        refresh: Option<u32>,
        content: Markup,
    ) -> Markup {
        let instance = &self.state.config.instance_name;
        let home = self.state.config.home_region.dotted();
        let nav: [(&str, &str, &str); 6] = [
            ("/dataset", "Dataset", "Datasets"),
            ("/organisasi", "Organisasi", "Organisations"),
            ("/topik", "Topik", "Topics"),
            ("", "Wilayah", "Places"),
            ("/kemutakhiran", "Kemutakhiran", "Timeliness"),
            ("/tentang", "Tentang", "About"),
        ];
        let region_href = format!("/wilayah/{home}");
        let other = self.lang.other();
        html! {
            (DOCTYPE)
            html lang=(self.lang.code()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · " (instance) }
                    @if !description.is_empty() { meta name="description" content=(description); }
                    @if let Some(seconds) = refresh { meta http-equiv="refresh" content=(seconds); }
                    link rel="stylesheet" href=(stylesheet_href());
                    link rel="icon" href="data:,";
                }
                body {
                    a.skip href="#isi" { (self.t("Langsung ke isi", "Skip to content")) }
                    header.site {
                        a.brand href="/" { (instance) }
                        nav aria-label=(self.t("Navigasi utama", "Main navigation")) {
                            @for (href, id, en) in nav {
                                @let href = if href.is_empty() { region_href.as_str() } else { href };
                                @if self.path == href || (href != "/" && self.path.starts_with(&format!("{href}/"))) {
                                    a href=(href) aria-current="page" { (self.t(id, en)) }
                                } @else {
                                    a href=(href) { (self.t(id, en)) }
                                }
                            }
                            a href=(self.switch_href()) hreflang=(other.code()) lang=(other.code()) {
                                (self.t("English", "Bahasa Indonesia"))
                            }
                            @if let Some(user) = &self.auth.user {
                                a href="/ruang-kerja" { (self.t("Ruang kerja", "Workspace")) }
                                span.meta { (user.display_name) }
                                @if let Some(session) = &self.auth.session {
                                    form method="post" action="/keluar" {
                                        input type="hidden" name="csrf_token" value=(session.csrf_token);
                                        button.link type="submit" { (self.t("Keluar", "Log out")) }
                                    }
                                }
                            } @else {
                                a href="/masuk" { (self.t("Masuk", "Log in")) }
                            }
                        }
                    }
                    main #isi tabindex="-1" { (content) }
                    footer {
                        p {
                            (self.t("Dijalankan dengan satudata, perangkat lunak terbuka untuk Satu Data Indonesia. ",
                                    "Runs on satudata, open-source software for Satu Data Indonesia. "))
                            a href="/tentang" { (self.t("Tentang dan lisensi kode wilayah", "About, and the licence of the region codes")) }
                        }
                        p {
                            a href="/api/v1/openapi.json" { "API (OpenAPI)" } " · "
                            a href="/api/3/action/package_list" { "CKAN API" } " · "
                            a href="/catalog.ttl" { "DCAT-AP" } " · "
                            a href="/data.json" { "data.json" } " · "
                            a href="/kalender-rilis" { (self.t("Kalender rilis", "Release calendar")) } " · "
                            a href="/kualitas" { (self.t("Kualitas data", "Data quality")) } " · "
                            a href="/kode-referensi" { (self.t("Kode referensi", "Code lists")) }
                        }
                    }
                }
            }
        }
    }

    /// The page as a 200 answer.
    pub fn ok(&self, title: &str, content: Markup) -> Response {
        html_response(StatusCode::OK, self.page(title, content))
    }

    /// A page that says something is not there, as a 404 in the shell.
    pub fn not_found(&self, what: &str) -> Response {
        let content = html! {
            h1 { (self.t("Halaman tidak ditemukan", "Page not found")) }
            p { (what) }
            p { a href="/" { (self.t("Kembali ke beranda", "Back to the home page")) } }
        };
        html_response(
            StatusCode::NOT_FOUND,
            self.page(self.t("Tidak ditemukan", "Not found"), content),
        )
    }
}

/// Wrap `content` in the page shell (for handlers that have the state and the visitor but no
/// [`PageCtx`]; the page is in Bahasa Indonesia).
pub fn page(state: &AppState, auth: &Auth, title: &str, content: Markup) -> Markup {
    PageCtx {
        state: state.clone(),
        auth: auth.clone(),
        lang: Lang::Id,
        path: String::new(),
        query: String::new(),
    }
    .page(title, content)
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

/// The address of the stylesheet, with a digest of its content: when the stylesheet changes, so
/// does the address, so browsers may keep it for a year.
pub fn stylesheet_href() -> &'static str {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(STYLESHEET.as_bytes());
        let short: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
        format!("/static/satudata.css?v={short}")
    })
}

/// `GET /static/satudata.css`. The address carries a digest, so browsers may keep it a year.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        STYLESHEET,
    )
        .into_response()
}
