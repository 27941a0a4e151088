//! The workspace after login (`/ruang-kerja`): the produsen's datasets and what is due, the upload
//! wizard, the metadata form, the walidata's review queue, the Daftar Data and the admin pages.
//!
//! Every page works without JavaScript: forms POST with the session's CSRF token and answer with a
//! 303 to the page that shows the result (Post/Redirect/Get), carrying a message *code* in
//! `?pesan=` (a code, not text, so that a crafted link cannot put words in the instance's mouth).
//! Permissions are decided by [`satudata_core::access::decide`] through the API's shared functions.

pub mod admin;
pub mod dashboard;
pub mod datasets;
pub mod metadata_review;
pub mod plan;
pub mod review;
pub mod settings;
pub mod upload;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use satudata_core::access::Action;

use super::error::{PageError, PageResult};
use super::layout::PageCtx;
use crate::error::{ApiError, ProblemItem};

/// The fields of a submitted form, in order; repeated names (checkboxes) are kept.
#[derive(Debug, Default)]
pub struct FormData(Vec<(String, String)>);

impl FormData {
    /// Parse an `application/x-www-form-urlencoded` body.
    pub fn parse(body: &[u8]) -> PageResult<FormData> {
        serde_urlencoded::from_bytes(body)
            .map(FormData)
            .map_err(|e| {
                PageError(ApiError::bad_request(format!(
                    "Isi formulir tidak dapat dibaca: {e}"
                )))
            })
    }

    /// The first value of `name`, as sent ("" when absent).
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// The value of `name`, trimmed, when not empty.
    pub fn opt(&self, name: &str) -> Option<String> {
        let v = self.get(name).trim();
        (!v.is_empty()).then(|| v.to_string())
    }

    /// Every value of `name` (checkboxes, multiple selects).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Every field as (name, value), in order.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Add a field (for forms read from multipart bodies).
    pub fn push(&mut self, name: String, value: String) {
        self.0.push((name, value));
    }
}

/// Refuse a form without the session's CSRF token (403 page).
pub fn check_csrf(ctx: &PageCtx, headers: &HeaderMap, token: &str) -> PageResult<()> {
    ctx.auth.check_form_csrf(headers, token)?;
    Ok(())
}

/// The hidden CSRF field every form of the workspace carries.
pub fn csrf_input(ctx: &PageCtx) -> Markup {
    html! {
        @if let Some(session) = &ctx.auth.session {
            input type="hidden" name="csrf_token" value=(session.csrf_token);
        }
    }
}

/// `303 See Other` to `location`, with the message code `pesan` (empty: none).
pub fn see_other(location: &str, pesan: &str) -> Response {
    let target = if pesan.is_empty() {
        location.to_string()
    } else {
        // The message goes in the query, before any fragment (`/x#part` → `/x?pesan=…#part`).
        let (path, fragment) = match location.split_once('#') {
            Some((p, f)) => (p, format!("#{f}")),
            None => (location, String::new()),
        };
        let sep = if path.contains('?') { '&' } else { '?' };
        format!("{path}{sep}pesan={pesan}{fragment}")
    };
    (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response()
}

/// The message of a code in `?pesan=`, in the page's language.
fn message<'a>(ctx: &'a PageCtx, code: &str) -> Option<&'a str> {
    Some(match code {
        "tersimpan" => ctx.t("Perubahan tersimpan.", "Changes saved."),
        "dibuat" => ctx.t("Berhasil dibuat.", "Created."),
        "dibaca" => ctx.t(
            "Notifikasi ditandai sudah dibaca.",
            "Notification marked read.",
        ),
        "diajukan" => ctx.t(
            "Data diajukan ke walidata untuk diperiksa.",
            "Data submitted to the walidata for review.",
        ),
        "diajukan-ulang" => ctx.t(
            "Data yang sudah diperbaiki diajukan ulang.",
            "The fixed data was submitted again.",
        ),
        "dikembalikan" => ctx.t(
            "Pengajuan dikembalikan ke produsen dengan catatan.",
            "The submission was returned to the producer with a note.",
        ),
        "disetujui" => ctx.t("Pengajuan disetujui.", "Submission approved."),
        "terbit" => ctx.t(
            "Data terbit dan kini dapat dilihat publik.",
            "Published: the public now sees this version.",
        ),
        "ditarik" => ctx.t("Versi ditarik.", "Version withdrawn."),
        "diarsipkan" => ctx.t("Versi diarsipkan.", "Version archived."),
        "disalin" => ctx.t(
            "Daftar Data disalin ke tahun berikutnya.",
            "The Daftar Data was copied to the next year.",
        ),
        "diimpor" => ctx.t("Daftar Data diimpor.", "Daftar Data imported."),
        "dihapus" => ctx.t("Butir dihapus.", "Item removed."),
        "peran" => ctx.t("Peran pengguna tersimpan.", "The user's roles were saved."),
        "nonaktif" => ctx.t("Akun dinonaktifkan.", "Account disabled."),
        "aktif" => ctx.t("Akun diaktifkan kembali.", "Account enabled again."),
        _ => return None,
    })
}

/// The message of the previous form, if the address carries one.
pub fn flash(ctx: &PageCtx) -> Markup {
    let code = ctx
        .query
        .split('&')
        .find_map(|p| p.strip_prefix("pesan="))
        .unwrap_or("");
    // A count travels in the code itself: `batas-240` = 240 boundaries loaded.
    let loaded = code
        .strip_prefix("batas-")
        .and_then(|n| n.parse::<i64>().ok());
    html! {
        @if let Some(n) = loaded {
            p.success role="status" {
                (crate::pages::i18n::int(ctx.lang, n))
                (ctx.t(" batas wilayah dimuat; peta memakainya mulai sekarang.", " boundaries loaded; maps use them from now on."))
            }
        } @else if let Some(text) = message(ctx, code) {
            p.success role="status" { (text) }
        }
    }
}

/// The workspace's own navigation: the pages the user may use.
pub fn nav(ctx: &PageCtx) -> Markup {
    let may = |a: Action| ctx.auth.allow(a).is_ok();
    let mut links: Vec<(&str, &str)> = vec![("/ruang-kerja", ctx.t("Ringkasan", "Overview"))];
    if may(Action::ReviewSubmission) {
        links.push(("/ruang-kerja/pemeriksaan", ctx.t("Pemeriksaan", "Review")));
    }
    if may(Action::ReviewMetadata) {
        links.push((
            "/ruang-kerja/telaah-metadata",
            ctx.t("Telaah metadata", "Metadata review"),
        ));
    }
    links.push(("/ruang-kerja/daftar-data", "Daftar Data"));
    links.push((
        "/ruang-kerja/kemutakhiran",
        ctx.t("Kemutakhiran", "Timeliness"),
    ));
    if may(Action::ManageUsers) {
        links.push(("/ruang-kerja/pengguna", ctx.t("Pengguna", "Users")));
    }
    if may(Action::ManageCatalogue) {
        links.push((
            "/ruang-kerja/organisasi",
            ctx.t("Organisasi", "Organisations"),
        ));
    }
    if may(Action::ManageBoundaries) {
        links.push(("/ruang-kerja/pengaturan", ctx.t("Pengaturan", "Settings")));
    }
    html! {
        nav.tabs aria-label=(ctx.t("Ruang kerja", "Workspace")) {
            @for (href, label) in links {
                @if ctx.path == href {
                    a href=(href) aria-current="page" { (label) }
                } @else {
                    a href=(href) { (label) }
                }
            }
        }
    }
}

/// Problems of a refused form, by field name (a 422's list), and the rest as general messages.
pub struct FieldErrors {
    by_field: Vec<(String, String)>,
    /// Messages not tied to a field of the form.
    pub general: Vec<String>,
}

impl FieldErrors {
    /// No errors.
    pub fn none() -> FieldErrors {
        FieldErrors {
            by_field: vec![],
            general: vec![],
        }
    }

    /// The errors of a refusal; `fields` are the names the form shows (others become general).
    /// Errors that are not about the input (403, 404, 500) are returned as they are.
    pub fn from_api(e: ApiError, fields: &[&str]) -> Result<FieldErrors, ApiError> {
        let status = e.status();
        if status != StatusCode::UNPROCESSABLE_ENTITY && status != StatusCode::CONFLICT {
            return Err(e);
        }
        let problem = e.problem();
        let mut out = FieldErrors::none();
        if problem.errors.is_empty() {
            out.general.push(problem.detail);
        }
        for ProblemItem { field, message, .. } in problem.errors {
            if fields.contains(&field.as_str()) {
                out.by_field.push((field, message));
            } else {
                out.general.push(message);
            }
        }
        Ok(out)
    }

    /// Call the field `from` of an API's problem by the form's name `to`.
    pub fn rename(&mut self, from: &str, to: &str) {
        for (field, _) in &mut self.by_field {
            if field == from {
                *field = to.to_string();
            }
        }
    }

    /// Add a problem with a field.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.by_field.push((field.to_string(), message.into()));
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_field.is_empty() && self.general.is_empty()
    }

    /// The messages for `field`, joined.
    pub fn of(&self, field: &str) -> Option<String> {
        let list: Vec<&str> = self
            .by_field
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .collect();
        (!list.is_empty()).then(|| list.join(" "))
    }

    /// The summary at the top of a refused form.
    pub fn summary(&self, ctx: &PageCtx) -> Markup {
        html! {
            @if !self.is_empty() {
                div.error role="alert" {
                    p { strong { (ctx.t("Formulir belum bisa disimpan. Periksa isian yang ditandai.",
                                        "The form could not be saved. Check the marked fields.")) } }
                    @if !self.general.is_empty() {
                        ul { @for m in &self.general { li { (m) } } }
                    }
                }
            }
        }
    }
}

/// One labelled field of a form: label, control, help and error (linked by `aria-describedby`).
pub struct Field<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub help: &'a str,
    pub required: bool,
}

impl Field<'_> {
    /// The ids the control is described by.
    fn described_by(&self, error: bool) -> String {
        let mut ids = vec![];
        if !self.help.is_empty() {
            ids.push(format!("{}-bantuan", self.name));
        }
        if error {
            ids.push(format!("{}-galat", self.name));
        }
        ids.join(" ")
    }

    fn around(&self, errors: &FieldErrors, control: Markup) -> Markup {
        let error = errors.of(self.name);
        html! {
            label for=(self.name) {
                (self.label)
                @if self.required { " *" }
            }
            (control)
            @if !self.help.is_empty() {
                span.help id=(format!("{}-bantuan", self.name)) { (self.help) }
            }
            @if let Some(e) = error {
                span.error id=(format!("{}-galat", self.name)) { (e) }
            }
        }
    }

    /// A text input (`kind`: text, email, number, date, password).
    pub fn input(&self, kind: &str, value: &str, errors: &FieldErrors) -> Markup {
        let invalid = errors.of(self.name).is_some();
        let described = self.described_by(invalid);
        self.around(
            errors,
            html! {
                input id=(self.name) name=(self.name) type=(kind) value=(value)
                    required[self.required]
                    aria-invalid=[invalid.then_some("true")]
                    aria-describedby=[(!described.is_empty()).then_some(described.as_str())];
            },
        )
    }

    /// A textarea.
    pub fn textarea(&self, value: &str, errors: &FieldErrors) -> Markup {
        let invalid = errors.of(self.name).is_some();
        let described = self.described_by(invalid);
        self.around(
            errors,
            html! {
                textarea id=(self.name) name=(self.name) rows="4"
                    required[self.required]
                    aria-invalid=[invalid.then_some("true")]
                    aria-describedby=[(!described.is_empty()).then_some(described.as_str())] { (value) }
            },
        )
    }

    /// A select of `(value, label)` options.
    pub fn select(
        &self,
        options: &[(String, String)],
        value: &str,
        errors: &FieldErrors,
    ) -> Markup {
        let invalid = errors.of(self.name).is_some();
        let described = self.described_by(invalid);
        self.around(
            errors,
            html! {
                select id=(self.name) name=(self.name)
                    required[self.required]
                    aria-invalid=[invalid.then_some("true")]
                    aria-describedby=[(!described.is_empty()).then_some(described.as_str())] {
                    @for (v, l) in options {
                        option value=(v) selected[v == value] { (l) }
                    }
                }
            },
        )
    }
}

/// A path inside this site to go back to (`kembali=` of forms); anything else becomes `fallback`.
pub fn local_path(candidate: &str, fallback: &str) -> String {
    if candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.contains('\\')
        && !candidate.chars().any(char::is_control)
    {
        candidate.to_string()
    } else {
        fallback.to_string()
    }
}

/// Every organisation for which `keep` holds, in the store's order, read page by page.
pub(super) async fn organizations_where(
    ctx: &PageCtx,
    keep: impl Fn(&satudata_core::organization::Organization) -> bool,
) -> PageResult<Vec<satudata_core::organization::Organization>> {
    let mut out = vec![];
    let mut offset = 0;
    loop {
        let page = ctx
            .state
            .store
            .list_organizations(&satudata_store::OrgQuery {
                kind: None,
                within_region: None,
                q: None,
                limit: 500,
                offset,
            })
            .await?;
        let n = page.items.len() as u64;
        out.extend(page.items.into_iter().filter(|o| keep(o)));
        offset += n;
        if n == 0 || offset >= page.total {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_keep_repeated_fields() {
        let f = FormData::parse(b"topik=a&topik=b&judul=+Air+&kosong=").unwrap();
        assert_eq!(f.all("topik"), ["a", "b"]);
        assert_eq!(f.opt("judul").as_deref(), Some("Air"));
        assert_eq!(f.opt("kosong"), None);
        assert_eq!(f.get("tidak-ada"), "");
    }

    #[test]
    fn back_links_stay_on_this_site() {
        assert_eq!(local_path("/ruang-kerja", "/"), "/ruang-kerja");
        assert_eq!(local_path("//evil.example", "/x"), "/x");
        assert_eq!(local_path("https://evil.example", "/x"), "/x");
    }
}
