//! The words pages use for the catalogue's coded values, in both languages.

use satudata_core::dataset::{Access, DataKind, Periodicity, PresentationLevel};

use super::i18n::Lang;

/// The access level in plain words.
pub fn access(lang: Lang, a: Access) -> &'static str {
    match a {
        Access::Terbuka => lang.t("Terbuka", "Open"),
        Access::Terbatas => lang.t("Terbatas", "Restricted"),
        Access::Tertutup => lang.t("Tertutup", "Closed"),
    }
}

/// What an access level means for the visitor.
pub fn access_explained(lang: Lang, a: Access) -> &'static str {
    match a {
        Access::Terbuka => lang.t(
            "Siapa pun boleh melihat, mengunduh dan memakai data ini.",
            "Anyone may view, download and use this data.",
        ),
        Access::Terbatas => lang.t(
            "Data hanya untuk pengguna yang diberi izin oleh walidata.",
            "The data is only for users the walidata has authorised.",
        ),
        Access::Tertutup => lang.t(
            "Data ini tidak dibuka; hanya metadatanya yang tercatat.",
            "This data is not released; only its metadata is recorded.",
        ),
    }
}

/// How often the data is updated.
pub fn periodicity(lang: Lang, p: Periodicity) -> &'static str {
    match p {
        Periodicity::Harian => lang.t("Harian", "Daily"),
        Periodicity::Mingguan => lang.t("Mingguan", "Weekly"),
        Periodicity::Bulanan => lang.t("Bulanan", "Monthly"),
        Periodicity::Triwulanan => lang.t("Triwulanan", "Quarterly"),
        Periodicity::Semesteran => lang.t("Semesteran", "Half-yearly"),
        Periodicity::Tahunan => lang.t("Tahunan", "Yearly"),
        Periodicity::TidakTentu => lang.t("Tidak tentu", "Irregular"),
    }
}

/// The level of presentation (tingkat penyajian).
pub fn level(lang: Lang, l: PresentationLevel) -> &'static str {
    match l {
        PresentationLevel::Nasional => lang.t("Nasional", "National"),
        PresentationLevel::Provinsi => lang.t("Provinsi", "Province"),
        PresentationLevel::Kabupaten => lang.t("Kabupaten/kota", "Regency/city"),
        PresentationLevel::Kecamatan => lang.t("Kecamatan", "District"),
        PresentationLevel::Desa => lang.t("Desa/kelurahan", "Village"),
        PresentationLevel::Unit => lang.t("Per unit", "Per unit"),
    }
}

/// The machine name of a level, as in URLs (`desa`).
pub fn level_key(l: PresentationLevel) -> &'static str {
    match l {
        PresentationLevel::Nasional => "nasional",
        PresentationLevel::Provinsi => "provinsi",
        PresentationLevel::Kabupaten => "kabupaten",
        PresentationLevel::Kecamatan => "kecamatan",
        PresentationLevel::Desa => "desa",
        PresentationLevel::Unit => "unit",
    }
}

/// Every level, in order from the widest.
pub const LEVELS: [PresentationLevel; 6] = [
    PresentationLevel::Nasional,
    PresentationLevel::Provinsi,
    PresentationLevel::Kabupaten,
    PresentationLevel::Kecamatan,
    PresentationLevel::Desa,
    PresentationLevel::Unit,
];

/// The kind of data (jenis).
pub fn kind(lang: Lang, k: DataKind) -> &'static str {
    match k {
        DataKind::Statistik => lang.t("Statistik", "Statistics"),
        DataKind::Geospasial => lang.t("Geospasial", "Geospatial"),
        DataKind::Keuangan => lang.t("Keuangan", "Finance"),
        DataKind::Lainnya => lang.t("Lainnya", "Other"),
    }
}

/// A short label for a file's media type (`application/pdf` → `PDF`).
pub fn format_label(media_type: &str) -> String {
    let m = media_type.to_ascii_lowercase();
    let label = match m.as_str() {
        "application/pdf" => "PDF",
        "text/csv" => "CSV",
        "application/json" | "application/geo+json" => "JSON",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "XLSX",
        "application/vnd.ms-excel" => "XLS",
        "application/zip" => "ZIP",
        "image/png" => "PNG",
        "image/jpeg" => "JPEG",
        _ => return m.rsplit('/').next().unwrap_or(&m).to_ascii_uppercase(),
    };
    label.to_string()
}
