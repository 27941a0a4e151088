//! The admin pages: users (list, create, set roles, disable) and organisations (list, create,
//! edit). Writes go through the API's shared functions in [`crate::api::users`] and
//! [`crate::api::organizations`].

use std::collections::HashMap;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{html, Markup};
use satudata_core::access::Action;
use satudata_core::organization::{OrgKind, Organization, OrganizationMeta};
use satudata_core::user::{Role, User};
use satudata_core::Id;

use super::datasets::{enum_str, parse_enum};
use super::{
    check_csrf, csrf_input, flash, nav, organizations_where, see_other, Field, FieldErrors,
    FormData,
};
use crate::api::users::{create_user, set_user_roles, NewUserRequest, RoleGrant};
use crate::error::ApiError;
use crate::pages::error::PageResult;
use crate::pages::extract::Path;
use crate::pages::layout::{html_response, PageCtx};

async fn all_organizations(ctx: &PageCtx) -> PageResult<Vec<Organization>> {
    let mut out = organizations_where(ctx, |_| true).await?;
    out.sort_by(|a, b| a.meta.name.cmp(&b.meta.name));
    Ok(out)
}

fn role_word(ctx: &PageCtx, r: Role) -> &'static str {
    match r {
        Role::Produsen => ctx.t("Produsen data", "Data producer"),
        Role::Walidata => "Walidata",
        Role::Pembina => ctx.t("Pembina data", "Data supervisor"),
        Role::Admin => ctx.t("Administrator", "Administrator"),
    }
}

fn roles_text(ctx: &PageCtx, u: &User, names: &HashMap<Id, String>) -> String {
    u.memberships
        .iter()
        .map(|m| {
            format!(
                "{} ({})",
                role_word(ctx, m.role),
                names.get(&m.organization_id).cloned().unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

const USER_FIELDS: &[&str] = &[
    "username",
    "display_name",
    "email",
    "password",
    "roles",
    "role",
    "organization",
];

async fn users_page(ctx: &PageCtx, values: &FormData, errors: &FieldErrors) -> PageResult<Markup> {
    let users = ctx.state.store.list_users(1000, 0).await?;
    let orgs = all_organizations(ctx).await?;
    let names: HashMap<Id, String> = orgs.iter().map(|o| (o.id, o.meta.name.clone())).collect();
    let org_options: Vec<(String, String)> = orgs
        .iter()
        .map(|o| (o.meta.slug.clone(), o.meta.name.clone()))
        .collect();
    let role_options: Vec<(String, String)> = Role::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), role_word(ctx, *r).to_string()))
        .collect();
    let f = |name, label, help, required| Field {
        name,
        label,
        help,
        required,
    };
    Ok(html! {
        h1 { (ctx.t("Pengguna", "Users")) }
        (nav(ctx))
        (flash(ctx))
        div.table-scroll { table.data {
            thead { tr {
                th scope="col" { (ctx.t("Nama pengguna", "Username")) }
                th scope="col" { (ctx.t("Nama", "Name")) }
                th scope="col" { (ctx.t("Peran", "Roles")) }
                th scope="col" { (ctx.t("Status", "State")) }
            } }
            tbody { @for u in &users.items {
                tr {
                    th scope="row" { a href=(format!("/ruang-kerja/pengguna/{}", u.username)) { (u.username) } }
                    td { (u.display_name) }
                    td { (roles_text(ctx, u, &names)) }
                    td { @if u.disabled { (ctx.t("nonaktif", "disabled")) } @else { (ctx.t("aktif", "active")) } }
                }
            } }
        } }
        h2 #baru { (ctx.t("Pengguna baru", "New user")) }
        (errors.summary(ctx))
        form.stack method="post" action="/ruang-kerja/pengguna" novalidate {
            (csrf_input(ctx))
            (f("username", ctx.t("Nama pengguna", "Username"), ctx.t(
                "3–64 huruf kecil, angka, titik, garis bawah atau minus.", "3–64 lower-case letters, digits, '.', '_' or '-'."), true)
                .input("text", values.get("username"), errors))
            (f("display_name", ctx.t("Nama tampilan", "Display name"), "", true).input("text", values.get("display_name"), errors))
            (f("email", ctx.t("Surel", "E-mail"), ctx.t("Untuk notifikasi bila SMTP diatur.", "For notifications when SMTP is set up."), false)
                .input("email", values.get("email"), errors))
            (f("password", ctx.t("Kata sandi awal", "Initial password"), ctx.t(
                "Paling sedikit 10 karakter; sampaikan ke pengguna lewat jalur aman.", "At least 10 characters."), true)
                .input("password", "", errors))
            (f("role", ctx.t("Peran", "Role"), "", true).select(&role_options, values.get("role"), errors))
            (f("organization", ctx.t("Organisasi", "Organisation"), ctx.t(
                "Produsen hanya bertindak untuk organisasinya.", "A producer acts only for their organisation."), true)
                .select(&org_options, values.get("organization"), errors))
            button type="submit" { (ctx.t("Buat pengguna", "Create user")) }
        }
    })
}

/// `GET /ruang-kerja/pengguna`: every user with their roles, and the form for a new one.
pub async fn users(ctx: PageCtx) -> PageResult<Response> {
    ctx.auth.allow(Action::ManageUsers)?;
    let markup = users_page(&ctx, &FormData::default(), &FieldErrors::none()).await?;
    Ok(ctx.ok(ctx.t("Pengguna", "Users"), markup))
}

/// `POST /ruang-kerja/pengguna`: create a user with one role.
pub async fn create(ctx: PageCtx, headers: HeaderMap, body: Bytes) -> PageResult<Response> {
    let form = FormData::parse(&body)?;
    check_csrf(&ctx, &headers, form.get("csrf_token"))?;
    ctx.auth.allow(Action::ManageUsers)?;
    let mut errors = FieldErrors::none();
    let role = form.get("role").parse::<Role>();
    if role.is_err() {
        errors.add("role", "Pilih peran dari daftar.");
    }
    if let (Ok(role), true) = (role, errors.is_empty()) {
        let req = NewUserRequest {
            username: form.get("username").trim().to_string(),
            display_name: form.get("display_name").trim().to_string(),
            email: form.opt("email"),
            password: form.get("password").to_string(),
            roles: vec![RoleGrant {
                organization: form.get("organization").to_string(),
                role,
            }],
        };
        match create_user(&ctx.state, &ctx.auth, req).await {
            Ok(u) => {
                return Ok(see_other(
                    &format!("/ruang-kerja/pengguna/{}", u.username),
                    "dibuat",
                ))
            }
            Err(e) => errors = FieldErrors::from_api(e, USER_FIELDS)?,
        }
    }
    let markup = users_page(&ctx, &form, &errors).await?;
    Ok(html_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        ctx.page(ctx.t("Pengguna", "Users"), markup),
    ))
}

async fn find_user(ctx: &PageCtx, username: &str) -> PageResult<User> {
    Ok(ctx
        .state
        .store
        .get_user_by_username(username)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Pengguna '{username}' tidak ditemukan.")))?)
}

/// `GET /ruang-kerja/pengguna/{username}`: a user's roles, to change; and the account's state.
pub async fn user(ctx: PageCtx, Path(username): Path<String>) -> PageResult<Response> {
    ctx.auth.allow(Action::ManageUsers)?;
    let u = find_user(&ctx, &username).await?;
    let orgs = all_organizations(&ctx).await?;
    let by_id: HashMap<Id, &Organization> = orgs.iter().map(|o| (o.id, o)).collect();
    let base = format!("/ruang-kerja/pengguna/{}", u.username);
    let content = html! {
        p.crumbs { a href="/ruang-kerja/pengguna" { (ctx.t("Pengguna", "Users")) } " › " (u.username) }
        h1 { (u.display_name) " (" (u.username) ")" }
        (flash(&ctx))
        h2 { (ctx.t("Peran", "Roles")) }
        form.stack method="post" action=(format!("{base}/peran")) {
            (csrf_input(&ctx))
            @if u.memberships.is_empty() { p { (ctx.t("Belum ada peran.", "No roles yet.")) } }
            @for (i, m) in u.memberships.iter().enumerate() {
                @let slug = by_id.get(&m.organization_id).map(|o| o.meta.slug.clone()).unwrap_or_default();
                @let name = by_id.get(&m.organization_id).map(|o| o.meta.name.clone()).unwrap_or_default();
                div {
                    input type="checkbox" id=(format!("tetap-{i}")) name="tetap" value=(format!("{slug}:{}", m.role.as_str())) checked;
                    " " label.inline for=(format!("tetap-{i}")) { (role_word(&ctx, m.role)) " — " (name) }
                }
            }
            p.help { (ctx.t("Hapus centang untuk mencabut peran.", "Untick to revoke a role.")) }
            label for="tambah_peran" { (ctx.t("Tambah peran", "Add a role")) }
            select #tambah_peran name="tambah_peran" {
                option value="" { (ctx.t("(tidak ada)", "(none)")) }
                @for r in Role::ALL { option value=(r.as_str()) { (role_word(&ctx, r)) } }
            }
            label for="tambah_organisasi" { (ctx.t("di organisasi", "in organisation")) }
            select #tambah_organisasi name="tambah_organisasi" {
                @for o in &orgs { option value=(o.meta.slug) { (o.meta.name) } }
            }
            button type="submit" { (ctx.t("Simpan peran", "Save roles")) }
        }
        h2 { (ctx.t("Status akun", "Account state")) }
        form.stack method="post" action=(format!("{base}/status")) {
            (csrf_input(&ctx))
            @if u.disabled {
                p { (ctx.t("Akun ini nonaktif: tidak dapat masuk dan tokennya ditolak.", "This account is disabled: it cannot log in and its tokens are refused.")) }
                input type="hidden" name="nonaktif" value="0";
                button type="submit" { (ctx.t("Aktifkan kembali", "Enable again")) }
            } @else {
                input type="hidden" name="nonaktif" value="1";
                button.danger type="submit" { (ctx.t("Nonaktifkan akun", "Disable the account")) }
            }
        }
    };
    Ok(ctx.ok(&u.username, content))
}

/// `POST /ruang-kerja/pengguna/{username}/peran`: keep the ticked roles, add the chosen one.
pub async fn set_roles(
    ctx: PageCtx,
    headers: HeaderMap,
    Path(username): Path<String>,
    body: Bytes,
) -> PageResult<Response> {
    let form = FormData::parse(&body)?;
    check_csrf(&ctx, &headers, form.get("csrf_token"))?;
    ctx.auth.allow(Action::ManageUsers)?;
    let mut grants = vec![];
    for kept in form.all("tetap") {
        let Some((org, role)) = kept.split_once(':') else {
            continue;
        };
        let role = role
            .parse::<Role>()
            .map_err(|e| ApiError::invalid_field("tetap", e))?;
        grants.push(RoleGrant {
            organization: org.to_string(),
            role,
        });
    }
    if let Some(role) = form.opt("tambah_peran") {
        grants.push(RoleGrant {
            organization: form.get("tambah_organisasi").to_string(),
            role: role
                .parse::<Role>()
                .map_err(|e| ApiError::invalid_field("tambah_peran", e))?,
        });
    }
    let u = set_user_roles(&ctx.state, &ctx.auth, &username, &grants).await?;
    Ok(see_other(
        &format!("/ruang-kerja/pengguna/{}", u.username),
        "peran",
    ))
}

/// `POST /ruang-kerja/pengguna/{username}/status`: disable (`nonaktif=1`) or enable an account.
pub async fn set_status(
    ctx: PageCtx,
    headers: HeaderMap,
    Path(username): Path<String>,
    body: Bytes,
) -> PageResult<Response> {
    let form = FormData::parse(&body)?;
    check_csrf(&ctx, &headers, form.get("csrf_token"))?;
    ctx.auth.allow(Action::ManageUsers)?;
    let u = find_user(&ctx, &username).await?;
    let disable = form.get("nonaktif") == "1";
    if disable && ctx.auth.actor() == Some(u.id) {
        return Err(ApiError::conflict(
            "Anda tidak dapat menonaktifkan akun Anda sendiri; minta administrator lain.",
        )
        .into());
    }
    ctx.state
        .store
        .set_disabled(u.id, disable, ctx.auth.actor())
        .await?;
    Ok(see_other(
        &format!("/ruang-kerja/pengguna/{}", u.username),
        if disable { "nonaktif" } else { "aktif" },
    ))
}

const ORG_FIELDS: &[&str] = &[
    "slug",
    "name",
    "acronym",
    "kind",
    "description",
    "region_code",
    "email",
    "phone",
    "address",
    "website",
];

fn org_values(m: &OrganizationMeta) -> FormData {
    let mut f = FormData::default();
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    for (k, v) in [
        ("slug", m.slug.clone()),
        ("name", m.name.clone()),
        ("acronym", o(&m.acronym)),
        ("kind", enum_str(&m.kind)),
        ("description", m.description.clone()),
        ("region_code", o(&m.region_code)),
        ("email", o(&m.email)),
        ("phone", o(&m.phone)),
        ("address", o(&m.address)),
        ("website", o(&m.website)),
    ] {
        f.push(k.into(), v);
    }
    f
}

fn org_meta(
    form: &FormData,
    parent: Option<Id>,
    errors: &mut FieldErrors,
) -> Option<OrganizationMeta> {
    let kind = parse_enum::<OrgKind>(form.get("kind"));
    if kind.is_none() {
        errors.add("kind", "Pilih jenis organisasi dari daftar.");
    }
    Some(OrganizationMeta {
        slug: form.get("slug").trim().to_string(),
        name: form.get("name").trim().to_string(),
        acronym: form.opt("acronym"),
        kind: kind?,
        description: form.get("description").trim().to_string(),
        region_code: form.opt("region_code"),
        parent_id: parent,
        email: form.opt("email"),
        phone: form.opt("phone"),
        address: form.opt("address"),
        website: form.opt("website"),
    })
}

fn kind_word(ctx: &PageCtx, k: OrgKind) -> &'static str {
    match k {
        OrgKind::Opd => ctx.t("Perangkat daerah (OPD)", "Regional agency (OPD)"),
        OrgKind::Walidata => "Walidata",
        OrgKind::Pembina => ctx.t("Pembina data", "Data supervisor"),
        OrgKind::Kecamatan => ctx.t("Kecamatan", "District"),
        OrgKind::Desa => ctx.t("Desa", "Village"),
        OrgKind::Kelurahan => ctx.t("Kelurahan", "Urban village"),
        _ => ctx.t("Lainnya", "Other"),
    }
}

fn org_form(
    ctx: &PageCtx,
    action: &str,
    creating: bool,
    values: &FormData,
    errors: &FieldErrors,
) -> Markup {
    let f = |name, label, help, required| Field {
        name,
        label,
        help,
        required,
    };
    let kinds: Vec<(String, String)> = OrgKind::ALL
        .iter()
        .map(|k| (enum_str(k), kind_word(ctx, *k).to_string()))
        .collect();
    html! {
        (errors.summary(ctx))
        form.stack method="post" action=(action) novalidate {
            (csrf_input(ctx))
            @if creating {
                (f("slug", ctx.t("Alamat (slug)", "Address (slug)"), ctx.t(
                    "Huruf kecil, angka dan tanda minus, misalnya 'dinkes'.", "Lower-case letters, digits and dashes."), true)
                    .input("text", values.get("slug"), errors))
            } @else {
                input type="hidden" name="slug" value=(values.get("slug"));
            }
            (f("name", ctx.t("Nama", "Name"), "", true).input("text", values.get("name"), errors))
            (f("acronym", ctx.t("Singkatan", "Acronym"), "", false).input("text", values.get("acronym"), errors))
            (f("kind", ctx.t("Jenis", "Kind"), "", true).select(&kinds, values.get("kind"), errors))
            (f("region_code", ctx.t("Kode wilayah", "Region code"), ctx.t(
                "Kode Kemendagri, misalnya 16.06 atau 16.06.01.2001.", "The Kemendagri code, e.g. 16.06."), false)
                .input("text", values.get("region_code"), errors))
            (f("description", ctx.t("Keterangan", "Description"), "", false).textarea(values.get("description"), errors))
            (f("email", ctx.t("Surel", "E-mail"), "", false).input("email", values.get("email"), errors))
            (f("phone", ctx.t("Telepon", "Phone"), "", false).input("text", values.get("phone"), errors))
            (f("address", ctx.t("Alamat kantor", "Office address"), "", false).input("text", values.get("address"), errors))
            (f("website", ctx.t("Situs web", "Website"), "", false).input("text", values.get("website"), errors))
            button type="submit" { (ctx.t("Simpan", "Save")) }
        }
    }
}

async fn orgs_page(ctx: &PageCtx, values: &FormData, errors: &FieldErrors) -> PageResult<Markup> {
    let orgs = all_organizations(ctx).await?;
    Ok(html! {
        h1 { (ctx.t("Organisasi", "Organisations")) }
        (nav(ctx))
        (flash(ctx))
        div.table-scroll { table.data {
            thead { tr {
                th scope="col" { (ctx.t("Nama", "Name")) }
                th scope="col" { (ctx.t("Jenis", "Kind")) }
                th scope="col" { (ctx.t("Kode wilayah", "Region code")) }
            } }
            tbody { @for o in &orgs {
                tr {
                    th scope="row" { a href=(format!("/ruang-kerja/organisasi/{}", o.meta.slug)) { (o.meta.name) } }
                    td { (kind_word(ctx, o.meta.kind)) }
                    td { (o.meta.region_code.as_deref().unwrap_or("–")) }
                }
            } }
        } }
        h2 #baru { (ctx.t("Organisasi baru", "New organisation")) }
        (org_form(ctx, "/ruang-kerja/organisasi", true, values, errors))
    })
}

/// `GET /ruang-kerja/organisasi`: every organisation, and the form for a new one.
pub async fn organizations(ctx: PageCtx) -> PageResult<Response> {
    ctx.auth.allow(Action::ManageCatalogue)?;
    let mut values = FormData::default();
    values.push("kind".into(), "opd".into());
    values.push("region_code".into(), ctx.state.config.home_region.dotted());
    let markup = orgs_page(&ctx, &values, &FieldErrors::none()).await?;
    Ok(ctx.ok(ctx.t("Organisasi", "Organisations"), markup))
}

/// `POST /ruang-kerja/organisasi`: create an organisation.
pub async fn create_organization(
    ctx: PageCtx,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult<Response> {
    let form = FormData::parse(&body)?;
    check_csrf(&ctx, &headers, form.get("csrf_token"))?;
    ctx.auth.allow(Action::ManageCatalogue)?;
    let mut errors = FieldErrors::none();
    if let Some(meta) = org_meta(&form, None, &mut errors) {
        match crate::api::organizations::create_organization(&ctx.state, &ctx.auth, meta).await {
            Ok(o) => {
                return Ok(see_other(
                    &format!("/ruang-kerja/organisasi/{}", o.meta.slug),
                    "dibuat",
                ))
            }
            Err(e) => errors = FieldErrors::from_api(e, ORG_FIELDS)?,
        }
    }
    let markup = orgs_page(&ctx, &form, &errors).await?;
    Ok(html_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        ctx.page(ctx.t("Organisasi", "Organisations"), markup),
    ))
}

/// `GET /ruang-kerja/organisasi/{slug}`: the organisation's form.
pub async fn organization(ctx: PageCtx, Path(slug): Path<String>) -> PageResult<Response> {
    ctx.auth.allow(Action::ManageCatalogue)?;
    let o = crate::api::find_organization(&ctx.state, &slug).await?;
    let content = html! {
        p.crumbs { a href="/ruang-kerja/organisasi" { (ctx.t("Organisasi", "Organisations")) } " › " (o.meta.name) }
        h1 { (o.meta.name) }
        (flash(&ctx))
        (org_form(&ctx, &format!("/ruang-kerja/organisasi/{}", o.meta.slug), false, &org_values(&o.meta), &FieldErrors::none()))
    };
    Ok(ctx.ok(&o.meta.name, content))
}

/// `POST /ruang-kerja/organisasi/{slug}`: save the organisation.
pub async fn update_organization(
    ctx: PageCtx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    body: Bytes,
) -> PageResult<Response> {
    let form = FormData::parse(&body)?;
    check_csrf(&ctx, &headers, form.get("csrf_token"))?;
    ctx.auth.allow(Action::ManageCatalogue)?;
    let o = crate::api::find_organization(&ctx.state, &slug).await?;
    let mut errors = FieldErrors::none();
    if let Some(mut meta) = org_meta(&form, o.meta.parent_id, &mut errors) {
        // The address of an organisation stays (pages and datasets link to it).
        meta.slug = o.meta.slug.clone();
        match crate::api::organizations::update_organization(&ctx.state, &ctx.auth, &slug, meta)
            .await
        {
            Ok(o) => {
                return Ok(see_other(
                    &format!("/ruang-kerja/organisasi/{}", o.meta.slug),
                    "tersimpan",
                ))
            }
            Err(e) => errors = FieldErrors::from_api(e, ORG_FIELDS)?,
        }
    }
    let content = html! {
        h1 { (o.meta.name) }
        (org_form(&ctx, &format!("/ruang-kerja/organisasi/{}", o.meta.slug), false, &form, &errors))
    };
    Ok(html_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        ctx.page(&o.meta.name, content),
    ))
}
