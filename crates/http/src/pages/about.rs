//! About: what satudata is, and the ODbL notice of the region codes.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::html;
use satudata_core::region::{Regions, ODBL_LICENSE, ODBL_NOTICE};

use super::layout::{html_response, page};
use crate::auth::Auth;
use crate::state::AppState;

/// `GET /tentang`.
pub async fn about(State(state): State<AppState>, auth: Auth) -> Response {
    let (prov, kab, kec, desa) = Regions::get().counts();
    let content = html! {
        h1 { "Tentang portal ini" }
        p.lead { (state.config.instance_name) " dijalankan dengan " strong { "satudata" } ", perangkat lunak terbuka untuk Satu Data Indonesia (Perpres 39/2019)." }
        p {
            "Setiap perangkat daerah (produsen data) mengunggah datanya; walidata memeriksa dan menerbitkannya; "
            "pembina data (BPS) menjaga standar dan metadata. Setiap tabel punya skema bertipe, setiap pembaruan "
            "menjadi versi baru yang tidak diubah lagi, dan semua data terbuka juga tersedia lewat "
            a href="/api/v1/openapi.json" { "API" } "."
        }
        h2 { "Kode referensi wilayah" }
        p {
            "Kode wilayah Kemendagri ikut di dalam program: "
            (prov) " provinsi, " (kab) " kabupaten/kota, " (kec) " kecamatan dan " (desa) " desa/kelurahan."
        }
        p.notice { (ODBL_NOTICE) }
        p { a href="/tentang/lisensi-wilayah" { "Teks lengkap Open Database License (ODbL) 1.0" } }
    };
    html_response(StatusCode::OK, page(&state, &auth, "Tentang", content))
}

/// `GET /tentang/lisensi-wilayah`: the full ODbL 1.0 text.
pub async fn region_licence() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        ODBL_LICENSE,
    )
        .into_response()
}
