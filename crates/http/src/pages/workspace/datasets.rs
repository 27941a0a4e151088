//! A dataset in the workspace (`/ruang-kerja/dataset/{slug}`: its tables with every version, their
//! review state and what the user may do with them) and the metadata form with help for every
//! national SDI field (`/ruang-kerja/dataset-baru`, `/ruang-kerja/dataset/{slug}/metadata`).

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{html, Markup};
use satudata_core::access::{decide, Action};
use satudata_core::dataset::{Access, DataKind, Dataset, DatasetMeta, Periodicity, ResourceKind};
use satudata_core::organization::Organization;
use satudata_core::review::{transition_with_any, ReviewAction, ReviewState};
use satudata_core::Id;
use satudata_store::jobs::JobQuery;

use super::{check_csrf, csrf_input, flash, see_other, Field, FieldErrors, FormData};
use crate::api::find_dataset;
use crate::api::review::{needed, roles_of};
use crate::error::ApiError;
use crate::pages::dataset::state_word;
use crate::pages::error::PageResult;
use crate::pages::extract::Path;
use crate::pages::i18n::{date, int};
use crate::pages::layout::{html_response, PageCtx};
use crate::pages::words;

/// The review actions a user may take on a version in `from`, in the order they are offered.
pub fn available_actions(ctx: &PageCtx, organization: Id, from: ReviewState) -> Vec<ReviewAction> {
    let roles = roles_of(&ctx.auth.principal);
    [
        ReviewAction::Submit,
        ReviewAction::Resubmit,
        ReviewAction::Return,
        ReviewAction::Approve,
        ReviewAction::Publish,
        ReviewAction::Withdraw,
        ReviewAction::Archive,
    ]
    .into_iter()
    .filter(|a| {
        transition_with_any(from, *a, &roles).is_ok()
            && decide(&ctx.auth.principal, needed(*a, from, organization)).is_allowed()
    })
    .collect()
}

/// The address word of an action (`/ruang-kerja/versi/{id}/{n}/{word}`).
pub fn action_word(a: ReviewAction) -> &'static str {
    match a {
        ReviewAction::Submit => "ajukan",
        ReviewAction::Resubmit => "ajukan-ulang",
        ReviewAction::Return => "kembalikan",
        ReviewAction::Approve => "setujui",
        ReviewAction::Publish => "terbitkan",
        ReviewAction::Withdraw => "tarik",
        ReviewAction::Archive => "arsipkan",
    }
}

/// The button label of an action.
pub fn action_label(ctx: &PageCtx, a: ReviewAction) -> &'static str {
    match a {
        ReviewAction::Submit => ctx.t("Ajukan untuk diperiksa", "Submit for review"),
        ReviewAction::Resubmit => ctx.t("Ajukan ulang", "Submit again"),
        ReviewAction::Return => ctx.t("Kembalikan dengan catatan", "Return with a note"),
        ReviewAction::Approve => ctx.t("Setujui", "Approve"),
        ReviewAction::Publish => ctx.t("Terbitkan", "Publish"),
        ReviewAction::Withdraw => ctx.t("Tarik", "Withdraw"),
        ReviewAction::Archive => ctx.t("Arsipkan", "Archive"),
    }
}

/// A one-button form for an action that needs no note.
pub fn action_form(
    ctx: &PageCtx,
    resource: Id,
    number: i32,
    a: ReviewAction,
    back: &str,
) -> Markup {
    html! {
        form.inline method="post" action=(format!("/ruang-kerja/versi/{resource}/{number}/{}", action_word(a))) {
            (csrf_input(ctx))
            input type="hidden" name="kembali" value=(back);
            button type="submit" class=[matches!(a, ReviewAction::Withdraw | ReviewAction::Archive).then_some("secondary")] {
                (action_label(ctx, a))
            }
        }
    }
}

/// The dataset for a workspace page: it must exist and the user must see its unpublished versions.
async fn dataset_for_workspace(ctx: &PageCtx, slug: &str) -> PageResult<Dataset> {
    ctx.auth.require_user()?;
    let d = find_dataset(&ctx.state, slug).await?;
    ctx.auth.allow(Action::ReadMetadata {
        access: d.meta.access,
        organization: d.meta.organization_id,
    })?;
    ctx.auth.allow(Action::ReadUnpublished {
        organization: d.meta.organization_id,
    })?;
    Ok(d)
}

/// `GET /ruang-kerja/dataset/{slug}`: the dataset's tables and versions, with what may be done.
pub async fn show(ctx: PageCtx, Path(slug): Path<String>) -> PageResult<Response> {
    let d = dataset_for_workspace(&ctx, &slug).await?;
    let state = &ctx.state;
    let org = d.meta.organization_id;
    let writes = ctx
        .auth
        .allow(Action::WriteDataset { organization: org })
        .is_ok();
    let back = format!("/ruang-kerja/dataset/{}", d.meta.slug);
    let mut tables = vec![];
    let mut files = vec![];
    for r in state.store.list_resources(d.id).await? {
        match &r.kind {
            ResourceKind::Table { .. } => {
                let states = state.store.version_states(r.id).await?;
                let mut versions = state.store.list_versions(r.id).await?;
                versions.sort_by_key(|v| -v.number);
                let jobs = if writes {
                    state
                        .store
                        .list_jobs(&JobQuery {
                            resource_id: Some(r.id),
                            created_by: None,
                            limit: 5,
                            offset: 0,
                        })
                        .await?
                        .items
                } else {
                    vec![]
                };
                let rows: Vec<_> = versions
                    .into_iter()
                    .map(|v| {
                        let st = states
                            .iter()
                            .find(|s| s.number == v.number)
                            .map(|s| s.state)
                            .unwrap_or(ReviewState::Draf);
                        (v, st)
                    })
                    .collect();
                tables.push((r, rows, jobs));
            }
            ResourceKind::File { media_type, .. } => {
                let label = words::format_label(media_type);
                files.push((r, label));
            }
        }
    }
    // The pembina's latest verdict on the statistical metadata, for the produsen to act on.
    let metadata_review = state.store.metadata_reviews(d.id).await?.into_iter().next();
    let content = html! {
        p.crumbs { a href="/ruang-kerja" { (ctx.t("Ruang kerja", "Workspace")) } " › " (d.meta.title) }
        h1 { (d.meta.title) }
        (flash(&ctx))
        p {
            a href=(format!("/dataset/{}", d.meta.slug)) { (ctx.t("Halaman publik", "Public page")) }
            @if writes {
                " · " a href=(format!("/ruang-kerja/dataset/{}/metadata", d.meta.slug)) { (ctx.t("Ubah metadata", "Edit metadata")) }
                " · " a href=(format!("/ruang-kerja/dataset/{}/unggah", d.meta.slug)) { (ctx.t("Unggah data", "Upload data")) }
            }
        }
        @if tables.is_empty() {
            p { (ctx.t("Dataset ini belum punya tabel. Unggah berkas data untuk membuatnya.",
                       "This dataset has no table yet. Upload a data file to create one.")) }
        }
        @for (r, versions, jobs) in &tables {
            section aria-labelledby=(format!("tabel-{}", r.name)) {
                h2 id=(format!("tabel-{}", r.name)) { (ctx.t("Tabel: ", "Table: ")) (r.title) }
                @if writes {
                    p { a href=(format!("/ruang-kerja/dataset/{}/unggah?tabel={}", d.meta.slug, r.name)) {
                        (ctx.t("Unggah versi baru tabel ini", "Upload a new version of this table"))
                    } }
                }
                @if versions.is_empty() {
                    p { (ctx.t("Belum ada versi.", "No versions yet.")) }
                } @else {
                    div.table-scroll { table.data {
                        caption { (ctx.t("Versi, terbaru di atas", "Versions, newest first")) }
                        thead { tr {
                            th scope="col" { (ctx.t("Versi", "Version")) }
                            th scope="col" { (ctx.t("Dibuat", "Created")) }
                            th scope="col" { (ctx.t("Baris", "Rows")) }
                            th scope="col" { (ctx.t("Status", "State")) }
                            th scope="col" { (ctx.t("Tindakan", "Actions")) }
                        } }
                        tbody {
                            @for (v, st) in versions {
                                tr {
                                    th scope="row" { (v.number) }
                                    td { (date(ctx.lang, v.created_at.date_naive())) }
                                    td.num { (int(ctx.lang, v.row_count)) }
                                    td data-state=(st.as_str()) { (state_word(ctx.lang, *st)) }
                                    td {
                                        a href=(format!("/ruang-kerja/pemeriksaan/{}/{}", r.id, v.number)) {
                                            (ctx.t("Pemeriksaan dan catatan", "Review and notes"))
                                        }
                                        @for a in available_actions(&ctx, org, *st) {
                                            @if matches!(a, ReviewAction::Submit | ReviewAction::Resubmit | ReviewAction::Withdraw)
                                                && !(a == ReviewAction::Withdraw && *st == ReviewState::Terbit) {
                                                " " (action_form(&ctx, r.id, v.number, a, &back))
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    } }
                }
                @if !jobs.is_empty() {
                    h3 { (ctx.t("Unggahan terakhir", "Recent uploads")) }
                    ul {
                        @for j in jobs {
                            li {
                                a href=(format!("/ruang-kerja/pekerjaan/{}", j.id)) { (j.filename) }
                                " — " (super::upload::job_state_word(&ctx, j.state.as_str()))
                            }
                        }
                    }
                }
            }
        }
        @if !files.is_empty() {
            h2 { (ctx.t("Lampiran", "Attachments")) }
            ul { @for (f, label) in &files { li { (f.title) " (" (label) ")" } } }
        }
        @if let Some(r) = &metadata_review {
            h2 #telaah-metadata { (ctx.t("Telaah metadata oleh pembina", "Metadata review by the pembina")) }
            p data-verdict=(r.verdict.as_str()) {
                strong { @match r.verdict {
                    satudata_core::review::MetadataVerdict::Sesuai => (ctx.t("Sesuai standar", "Meets the standard")),
                    satudata_core::review::MetadataVerdict::PerluPerbaikan => (ctx.t("Perlu perbaikan", "Needs fixes")),
                } }
                " · " (crate::pages::i18n::date(ctx.lang, r.at.date_naive()))
            }
            @if !r.note.is_empty() { blockquote { (r.note) } }
            @if !r.notes.is_empty() {
                ul.notes { @for n in &r.notes { li {
                    strong { (super::metadata_review::note_field(&ctx, &n.target)) } ": " (n.text)
                } } }
            }
        }
    };
    Ok(ctx.ok(&d.meta.title, content))
}

/// The organisations a user may create datasets in.
async fn writable_organizations(ctx: &PageCtx) -> PageResult<Vec<Organization>> {
    super::organizations_where(ctx, |o| {
        ctx.auth
            .allow(Action::WriteDataset { organization: o.id })
            .is_ok()
    })
    .await
}

/// The form's values of stored metadata.
fn values_of(meta: &DatasetMeta) -> FormData {
    let mut f = FormData::default();
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let year = |v: Option<i32>| v.map(|y| y.to_string()).unwrap_or_default();
    for (k, v) in [
        ("title", meta.title.clone()),
        ("slug", meta.slug.clone()),
        ("description", meta.description.clone()),
        ("tags", meta.tags.join(", ")),
        ("organization_id", meta.organization_id.to_string()),
        ("satuan", opt(&meta.satuan)),
        ("ukuran", opt(&meta.ukuran)),
        ("klasifikasi", opt(&meta.klasifikasi)),
        ("konsep", opt(&meta.konsep)),
        ("periodicity", meta.periodicity.as_str().to_string()),
        ("access", meta.access.as_str().to_string()),
        (
            "level",
            meta.level
                .map(|l| words::level_key(l).to_string())
                .unwrap_or_default(),
        ),
        ("jenis", enum_str(&meta.jenis)),
        ("temporal_start", year(meta.temporal_start)),
        ("temporal_end", year(meta.temporal_end)),
        ("source", opt(&meta.source)),
        ("license", meta.license.clone()),
        ("author", opt(&meta.author)),
        ("author_email", opt(&meta.author_email)),
        ("maintainer", opt(&meta.maintainer)),
        ("maintainer_email", opt(&meta.maintainer_email)),
        ("id_dds", opt(&meta.id_dds)),
        ("id_sds", opt(&meta.id_sds)),
        ("id_msi", opt(&meta.id_msi)),
        ("id_msk", opt(&meta.id_msk)),
        ("prioritas_tahun", year(meta.prioritas_tahun)),
    ] {
        f.push(k.to_string(), v);
    }
    for t in &meta.topics {
        f.push("topics".into(), t.clone());
    }
    f
}

/// The serde name of a unit enum value (`"statistik"`).
pub(super) fn enum_str<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Parse an enum from its serde name.
pub(super) fn parse_enum<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

/// Read the form into metadata; fields that cannot even be read are listed in `errors`.
fn meta_of(form: &FormData, errors: &mut FieldErrors) -> DatasetMeta {
    let organization_id = form
        .get("organization_id")
        .parse::<Id>()
        .unwrap_or_else(|_| {
            errors.add("organization_id", "Pilih organisasi produsen data.");
            Id::nil()
        });
    let mut meta = DatasetMeta::new(
        form.get("title").trim(),
        form.get("slug").trim(),
        organization_id,
    );
    let mut year = |name: &str| -> Option<i32> {
        let v = form.opt(name)?;
        match v.parse::<i32>() {
            Ok(y) => Some(y),
            Err(_) => {
                errors.add(
                    name,
                    format!("'{v}' bukan tahun; tulis empat angka, misalnya 2024."),
                );
                None
            }
        }
    };
    meta.temporal_start = year("temporal_start");
    meta.temporal_end = year("temporal_end");
    meta.prioritas_tahun = year("prioritas_tahun");
    meta.description = form.get("description").trim().to_string();
    meta.tags = form
        .get("tags")
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    meta.topics = form.all("topics").into_iter().map(str::to_string).collect();
    meta.satuan = form.opt("satuan");
    meta.ukuran = form.opt("ukuran");
    meta.klasifikasi = form.opt("klasifikasi");
    meta.konsep = form.opt("konsep");
    match parse_enum::<Periodicity>(form.get("periodicity")) {
        Some(p) => meta.periodicity = p,
        None => errors.add("periodicity", "Pilih periode data dari daftar."),
    }
    match form.get("access").parse::<Access>() {
        Ok(a) => meta.access = a,
        Err(_) => errors.add(
            "access",
            "Pilih akses data: terbuka, terbatas atau tertutup.",
        ),
    }
    meta.level = form.opt("level").and_then(|l| parse_enum(&l));
    match parse_enum::<DataKind>(form.get("jenis")) {
        Some(k) => meta.jenis = k,
        None => errors.add("jenis", "Pilih jenis data dari daftar."),
    }
    meta.source = form.opt("source");
    meta.license = form.opt("license").unwrap_or_else(|| "CC-BY-4.0".into());
    meta.author = form.opt("author");
    meta.author_email = form.opt("author_email");
    meta.maintainer = form.opt("maintainer");
    meta.maintainer_email = form.opt("maintainer_email");
    meta.id_dds = form.opt("id_dds");
    meta.id_sds = form.opt("id_sds");
    meta.id_msi = form.opt("id_msi");
    meta.id_msk = form.opt("id_msk");
    meta
}

/// Every field name of the form (errors on other names are shown at the top).
const FIELDS: &[&str] = &[
    "title",
    "slug",
    "description",
    "tags",
    "topics",
    "organization_id",
    "satuan",
    "ukuran",
    "klasifikasi",
    "konsep",
    "periodicity",
    "access",
    "level",
    "jenis",
    "temporal_start",
    "temporal_end",
    "source",
    "license",
    "author",
    "author_email",
    "maintainer",
    "maintainer_email",
    "id_dds",
    "id_sds",
    "id_msi",
    "id_msk",
    "prioritas_tahun",
];

async fn metadata_form(
    ctx: &PageCtx,
    existing: Option<&Dataset>,
    values: &FormData,
    errors: &FieldErrors,
) -> PageResult<Markup> {
    let orgs = writable_organizations(ctx).await?;
    let topics = ctx.state.store.list_topics().await?;
    let lang = ctx.lang;
    let action = match existing {
        Some(d) => format!("/ruang-kerja/dataset/{}/metadata", d.meta.slug),
        None => "/ruang-kerja/dataset-baru".to_string(),
    };
    let f = |name, label, help, required| Field {
        name,
        label,
        help,
        required,
    };
    let org_options: Vec<(String, String)> = orgs
        .iter()
        .map(|o| (o.id.to_string(), o.meta.name.clone()))
        .collect();
    let periodicity: Vec<(String, String)> = Periodicity::ALL
        .iter()
        .map(|p| {
            (
                p.as_str().to_string(),
                words::periodicity(lang, *p).to_string(),
            )
        })
        .collect();
    let access: Vec<(String, String)> = Access::ALL
        .iter()
        .map(|a| (a.as_str().to_string(), words::access(lang, *a).to_string()))
        .collect();
    let mut levels = vec![(
        String::new(),
        ctx.t("(belum ditentukan)", "(not set)").to_string(),
    )];
    levels.extend(words::LEVELS.iter().map(|l| {
        (
            words::level_key(*l).to_string(),
            words::level(lang, *l).to_string(),
        )
    }));
    let kinds: Vec<(String, String)> = [
        DataKind::Statistik,
        DataKind::Geospasial,
        DataKind::Keuangan,
        DataKind::Lainnya,
    ]
    .iter()
    .map(|k| (enum_str(k), words::kind(lang, *k).to_string()))
    .collect();
    let chosen: Vec<&str> = values.all("topics");
    let topic_error = errors.of("topics");
    Ok(html! {
        (errors.summary(ctx))
        form.stack method="post" action=(action) novalidate {
            (csrf_input(ctx))
            fieldset {
                legend { (ctx.t("Identitas", "Identity")) }
                (f("title", ctx.t("Judul", "Title"), ctx.t(
                    "Nama data seperti akan dibaca publik, misalnya 'Jumlah Penduduk menurut Kecamatan'.",
                    "The name of the data as the public will read it."), true)
                    .input("text", values.get("title"), errors))
                @if existing.is_none() {
                    (f("slug", ctx.t("Alamat (slug)", "Address (slug)"), ctx.t(
                        "Bagian alamat halaman: huruf kecil, angka dan tanda minus, misalnya 'jumlah-penduduk'. Tidak dapat diubah nanti.",
                        "Part of the page address: lower-case letters, digits and dashes. Cannot be changed later."), true)
                        .input("text", values.get("slug"), errors))
                } @else {
                    input type="hidden" name="slug" value=(values.get("slug"));
                }
                (f("organization_id", ctx.t("Produsen data (organisasi)", "Data producer (organisation)"), ctx.t(
                    "Perangkat daerah yang menghasilkan data ini (SDI: owner_org).",
                    "The agency that produces this data."), true)
                    .select(&org_options, values.get("organization_id"), errors))
                (f("description", ctx.t("Definisi / deskripsi", "Definition / description"), ctx.t(
                    "Apa yang diukur, dengan kalimat yang dipahami orang awam (SDI: notes).",
                    "What is measured, in words a layperson understands."), false)
                    .textarea(values.get("description"), errors))
                (f("jenis", ctx.t("Jenis data", "Kind of data"), ctx.t(
                    "Data statistik ditelaah metadatanya oleh pembina data (BPS).",
                    "The metadata of statistics is reviewed by the pembina (BPS)."), true)
                    .select(&kinds, values.get("jenis"), errors))
                (f("access", ctx.t("Akses data", "Access"), ctx.t(
                    "Terbuka: siapa pun boleh mengunduh. Terbatas: hanya pengguna berizin. Tertutup: hanya metadatanya yang tercatat.",
                    "Open: anyone may download. Restricted: authorised users only. Closed: only the metadata is recorded."), true)
                    .select(&access, values.get("access"), errors))
            }
            fieldset aria-describedby=[topic_error.as_ref().map(|_| "topics-galat")] {
                legend { (ctx.t("Kategori / topik", "Category / topic")) }
                span.help { (ctx.t("Sektor tempat data ini dicari (SDI: theme). Boleh lebih dari satu.",
                                   "The sector people look for this data in. More than one is fine.")) }
                @for t in &topics {
                    @let id = format!("topik-{}", t.slug);
                    div {
                        input type="checkbox" id=(id) name="topics" value=(t.slug) checked[chosen.contains(&t.slug.as_str())];
                        " " label.inline for=(id) {
                            @if lang == crate::pages::i18n::Lang::En { (t.name_en.as_deref().unwrap_or(&t.name)) } @else { (t.name) }
                        }
                    }
                }
                @if let Some(e) = topic_error { span.error id="topics-galat" { (e) } }
            }
            fieldset {
                legend { (ctx.t("Standar Data", "Data standard")) }
                (f("konsep", ctx.t("Konsep", "Concept"), ctx.t(
                    "Pengertian singkat yang dipakai, sesuai Standar Data Statistik bila ada.",
                    "The concept used, following the statistical data standard where there is one."), false)
                    .input("text", values.get("konsep"), errors))
                (f("tags", ctx.t("Kata kunci konsep", "Concept keywords"), ctx.t(
                    "Dipisah koma, misalnya 'penduduk, kependudukan' (SDI: tags).",
                    "Comma-separated (SDI: tags)."), false)
                    .input("text", values.get("tags"), errors))
                (f("ukuran", ctx.t("Ukuran", "Measure"), ctx.t(
                    "Apa yang dihitung: jumlah, persentase, rasio, rata-rata.",
                    "What is counted: count, percentage, ratio, mean."), false)
                    .input("text", values.get("ukuran"), errors))
                (f("satuan", ctx.t("Satuan", "Unit"), ctx.t(
                    "Satuan angka: jiwa, persen, rupiah, hektar, unit.",
                    "The unit of the figures: persons, percent, rupiah, hectares."), false)
                    .input("text", values.get("satuan"), errors))
                (f("klasifikasi", ctx.t("Klasifikasi / variabel disagregasi", "Classification / breakdown"), ctx.t(
                    "Rincian yang dipakai, misalnya 'jenis kelamin, kelompok umur'.",
                    "The breakdowns used, e.g. sex, age group."), false)
                    .input("text", values.get("klasifikasi"), errors))
            }
            fieldset {
                legend { (ctx.t("Cakupan dan jadwal", "Coverage and schedule")) }
                (f("periodicity", ctx.t("Periode data (jadwal pemutakhiran)", "Update frequency"), ctx.t(
                    "Seberapa sering data diperbarui (SDI: accrualPeriodicity).",
                    "How often the data is updated."), true)
                    .select(&periodicity, values.get("periodicity"), errors))
                (f("level", ctx.t("Level penyajian", "Level of presentation"), ctx.t(
                    "Wilayah terkecil yang angkanya disajikan (level estimasi).",
                    "The smallest area the figures are given for."), false)
                    .select(&levels, values.get("level"), errors))
                (f("temporal_start", ctx.t("Tahun awal", "First year"), ctx.t(
                    "Tahun pertama yang dicakup data.", "The first year covered."), false)
                    .input("number", values.get("temporal_start"), errors))
                (f("temporal_end", ctx.t("Tahun akhir", "Last year"), ctx.t(
                    "Tahun terakhir yang dicakup data.", "The last year covered."), false)
                    .input("number", values.get("temporal_end"), errors))
                (f("prioritas_tahun", ctx.t("Data prioritas tahun", "Priority data in year"), ctx.t(
                    "Isi tahun bila data ini termasuk Data Prioritas pada tahun tersebut.",
                    "The year in which this is priority data, if it is."), false)
                    .input("number", values.get("prioritas_tahun"), errors))
            }
            fieldset {
                legend { (ctx.t("Sumber, lisensi dan kontak", "Source, licence and contacts")) }
                (f("source", ctx.t("Sumber", "Source"), ctx.t(
                    "Dari mana angka berasal: kegiatan, sistem atau dokumen (teks atau alamat web).",
                    "Where the figures come from (text or web address)."), false)
                    .input("text", values.get("source"), errors))
                (f("license", ctx.t("Lisensi", "Licence"), ctx.t(
                    "Kode lisensi, bawaan CC-BY-4.0 (boleh dipakai dengan menyebut sumber).",
                    "The licence code; CC-BY-4.0 by default."), false)
                    .input("text", values.get("license"), errors))
                (f("author", ctx.t("Kontak produsen data", "Producer contact"), ctx.t(
                    "Nama petugas atau bidang yang menyusun data (SDI: author).",
                    "The person or unit that compiles the data."), false)
                    .input("text", values.get("author"), errors))
                (f("author_email", ctx.t("Surel produsen data", "Producer e-mail"), "", false)
                    .input("email", values.get("author_email"), errors))
                (f("maintainer", ctx.t("Kontak walidata", "Walidata contact"), ctx.t(
                    "Walidata yang memeriksa data ini (SDI: maintainer).",
                    "The walidata who checks this data."), false)
                    .input("text", values.get("maintainer"), errors))
                (f("maintainer_email", ctx.t("Surel walidata", "Walidata e-mail"), "", false)
                    .input("email", values.get("maintainer_email"), errors))
            }
            fieldset {
                legend { (ctx.t("Kode rujukan", "Reference codes")) }
                (f("id_dds", ctx.t("Kode Daftar Data", "Daftar Data code"), ctx.t(
                    "Kode butir Daftar Data yang dipenuhi dataset ini (SDI: id_dds).",
                    "The code of the Daftar Data item this dataset delivers."), false)
                    .input("text", values.get("id_dds"), errors))
                (f("id_sds", ctx.t("Kode Standar Data", "Data standard code"), ctx.t(
                    "Kode Standar Data Statistik yang dipakai (SDI: id_sds).",
                    "The code of the statistical data standard used."), false)
                    .input("text", values.get("id_sds"), errors))
                (f("id_msi", ctx.t("Kode Metadata Indikator (BPS)", "Indicator metadata code (BPS)"), ctx.t(
                    "Kode metadata indikator di SIRuSa BPS (SDI: id_msi).",
                    "The indicator metadata code at BPS (SIRuSa)."), false)
                    .input("text", values.get("id_msi"), errors))
                (f("id_msk", ctx.t("Kode Metadata Kegiatan (BPS)", "Activity metadata code (BPS)"), ctx.t(
                    "Kode metadata kegiatan statistik di BPS (SDI: id_msk).",
                    "The statistical activity metadata code at BPS."), false)
                    .input("text", values.get("id_msk"), errors))
            }
            button type="submit" { (ctx.t("Simpan metadata", "Save metadata")) }
        }
    })
}

fn form_page(ctx: &PageCtx, status: StatusCode, title: &str, form: Markup) -> Response {
    let content = html! {
        p.crumbs { a href="/ruang-kerja" { (ctx.t("Ruang kerja", "Workspace")) } " › " (title) }
        h1 { (title) }
        p { (ctx.t("Isian bertanda * wajib. Setiap isian mengikuti metadata Satu Data Indonesia.",
                   "Fields marked * are required. Every field follows the Satu Data Indonesia metadata.")) }
        (form)
    };
    html_response(status, ctx.page(title, content))
}

/// `GET /ruang-kerja/dataset-baru`: the empty metadata form.
pub async fn new_form(ctx: PageCtx) -> PageResult<Response> {
    ctx.auth.require_user()?;
    let orgs = writable_organizations(&ctx).await?;
    if orgs.is_empty() {
        return Err(ApiError::forbidden(
            "Anda tidak memiliki peran produsen di organisasi mana pun; minta walidata atau admin.",
        )
        .into());
    }
    let mut meta = DatasetMeta::new("", "", orgs[0].id);
    meta.access = Access::Terbuka;
    let values = values_of(&meta);
    let form = metadata_form(&ctx, None, &values, &FieldErrors::none()).await?;
    Ok(form_page(
        &ctx,
        StatusCode::OK,
        ctx.t("Dataset baru", "New dataset"),
        form,
    ))
}

/// `POST /ruang-kerja/dataset-baru`: create, or show the form again with the errors.
pub async fn create(ctx: PageCtx, headers: HeaderMap, body: Bytes) -> PageResult<Response> {
    let form = FormData::parse(&body)?;
    check_csrf(&ctx, &headers, form.get("csrf_token"))?;
    ctx.auth.require_user()?;
    let mut errors = FieldErrors::none();
    let meta = meta_of(&form, &mut errors);
    if errors.is_empty() {
        match crate::api::datasets::create_dataset(&ctx.state, &ctx.auth, meta).await {
            Ok(d) => {
                return Ok(see_other(
                    &format!("/ruang-kerja/dataset/{}", d.meta.slug),
                    "dibuat",
                ))
            }
            Err(e) => errors = FieldErrors::from_api(e, FIELDS)?,
        }
    } else {
        // Permission first: a refused user learns nothing from the form's errors.
        ctx.auth.allow(Action::WriteDataset {
            organization: meta.organization_id,
        })?;
    }
    let markup = metadata_form(&ctx, None, &form, &errors).await?;
    Ok(form_page(
        &ctx,
        StatusCode::UNPROCESSABLE_ENTITY,
        ctx.t("Dataset baru", "New dataset"),
        markup,
    ))
}

/// `GET /ruang-kerja/dataset/{slug}/metadata`: the metadata form, filled.
pub async fn edit_form(ctx: PageCtx, Path(slug): Path<String>) -> PageResult<Response> {
    let d = dataset_for_workspace(&ctx, &slug).await?;
    ctx.auth.allow(Action::WriteDataset {
        organization: d.meta.organization_id,
    })?;
    let form = metadata_form(&ctx, Some(&d), &values_of(&d.meta), &FieldErrors::none()).await?;
    let title = format!("{}: {}", ctx.t("Metadata", "Metadata"), d.meta.title);
    Ok(form_page(&ctx, StatusCode::OK, &title, form))
}

/// `POST /ruang-kerja/dataset/{slug}/metadata`: save, or show the form again with the errors.
pub async fn update(
    ctx: PageCtx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    body: Bytes,
) -> PageResult<Response> {
    let form = FormData::parse(&body)?;
    check_csrf(&ctx, &headers, form.get("csrf_token"))?;
    let d = dataset_for_workspace(&ctx, &slug).await?;
    ctx.auth.allow(Action::WriteDataset {
        organization: d.meta.organization_id,
    })?;
    let mut errors = FieldErrors::none();
    let mut meta = meta_of(&form, &mut errors);
    // The address of a dataset stays (links and citations point at it).
    meta.slug = d.meta.slug.clone();
    if errors.is_empty() {
        match crate::api::datasets::update_dataset(&ctx.state, &ctx.auth, &d, meta).await {
            Ok(d) => {
                return Ok(see_other(
                    &format!("/ruang-kerja/dataset/{}", d.meta.slug),
                    "tersimpan",
                ))
            }
            Err(e) => errors = FieldErrors::from_api(e, FIELDS)?,
        }
    }
    let markup = metadata_form(&ctx, Some(&d), &form, &errors).await?;
    let title = format!("{}: {}", ctx.t("Metadata", "Metadata"), d.meta.title);
    Ok(form_page(
        &ctx,
        StatusCode::UNPROCESSABLE_ENTITY,
        &title,
        markup,
    ))
}
