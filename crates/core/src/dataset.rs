//! Datasets, resources, versions and topics, with the metadata fields of the national
//! Satu Data Indonesia portal (see `shared/reference/sdi-schema.md`).

use crate::schema::TableSchema;
use crate::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Akses data: who may read a dataset's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Access {
    /// Open to everyone.
    #[default]
    Terbuka,
    /// Restricted: logged-in users with permission.
    Terbatas,
    /// Closed: the producer and the walidata only.
    Tertutup,
}

impl Access {
    pub const ALL: [Access; 3] = [Access::Terbuka, Access::Terbatas, Access::Tertutup];
    /// The machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Terbuka => "terbuka",
            Access::Terbatas => "terbatas",
            Access::Tertutup => "tertutup",
        }
    }
}

impl std::str::FromStr for Access {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "terbuka" | "public" | "open" => Ok(Access::Terbuka),
            "terbatas" | "restricted" => Ok(Access::Terbatas),
            "tertutup" | "closed" | "private" => Ok(Access::Tertutup),
            o => Err(format!(
                "akses data tidak dikenal: '{o}' (pilih terbuka, terbatas atau tertutup)"
            )),
        }
    }
}

/// Periode data / jadwal pemutakhiran: how often a dataset is updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Periodicity {
    Harian,
    Mingguan,
    Bulanan,
    Triwulanan,
    Semesteran,
    #[default]
    Tahunan,
    /// Every two years, every five years, …: irregular.
    TidakTentu,
}

impl Periodicity {
    pub const ALL: [Periodicity; 7] = [
        Periodicity::Harian,
        Periodicity::Mingguan,
        Periodicity::Bulanan,
        Periodicity::Triwulanan,
        Periodicity::Semesteran,
        Periodicity::Tahunan,
        Periodicity::TidakTentu,
    ];
    /// The machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Periodicity::Harian => "harian",
            Periodicity::Mingguan => "mingguan",
            Periodicity::Bulanan => "bulanan",
            Periodicity::Triwulanan => "triwulanan",
            Periodicity::Semesteran => "semesteran",
            Periodicity::Tahunan => "tahunan",
            Periodicity::TidakTentu => "tidaktentu",
        }
    }
}

/// Level penyajian / level estimasi: the finest region level the figures are given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum PresentationLevel {
    Nasional,
    Provinsi,
    Kabupaten,
    Kecamatan,
    Desa,
    /// Below region level: per unit (school, health centre, household).
    Unit,
}

/// Jenis data (SDI `jenis`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DataKind {
    /// Data statistik (sectoral statistics; the pembina reviews its metadata).
    #[default]
    Statistik,
    /// Data geospasial.
    Geospasial,
    /// Data keuangan / anggaran.
    Keuangan,
    /// Other.
    Lainnya,
}

/// The metadata of a dataset as the user edits it (the national SDI fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatasetMeta {
    /// Judul.
    pub title: String,
    /// URL name, unique in the instance.
    pub slug: String,
    /// Definisi / deskripsi (SDI `notes`).
    #[serde(default)]
    pub description: String,
    /// Konsep (SDI tags).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Kategori / topik: slugs of [`Topic`]s (SDI `theme`).
    #[serde(default)]
    pub topics: Vec<String>,
    /// Organisation that produces the data (produsen data; SDI `owner_org`).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub organization_id: Id,
    /// Satuan (unit), e.g. jiwa, persen, rupiah, hektar.
    #[serde(default)]
    pub satuan: Option<String>,
    /// Ukuran (measure), e.g. jumlah, persentase, rasio.
    #[serde(default)]
    pub ukuran: Option<String>,
    /// Klasifikasi / variabel disagregasi (e.g. "jenis kelamin, kelompok umur").
    #[serde(default)]
    pub klasifikasi: Option<String>,
    /// Konsep (a sentence, beside the tag list).
    #[serde(default)]
    pub konsep: Option<String>,
    /// Periode data / jadwal pemutakhiran.
    #[serde(default)]
    pub periodicity: Periodicity,
    /// Akses data.
    #[serde(default)]
    pub access: Access,
    /// Level penyajian.
    #[serde(default)]
    pub level: Option<PresentationLevel>,
    /// Jenis data.
    #[serde(default)]
    pub jenis: DataKind,
    /// First year covered.
    #[serde(default)]
    pub temporal_start: Option<i32>,
    /// Last year covered.
    #[serde(default)]
    pub temporal_end: Option<i32>,
    /// Sumber: where the figures come from (text or URL).
    #[serde(default)]
    pub source: Option<String>,
    /// Licence id (SPDX-like), e.g. `CC-BY-4.0`.
    #[serde(default = "default_license")]
    pub license: String,
    /// Produsen contact (SDI `author`, `author_email`).
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub author_email: Option<String>,
    /// Walidata contact (SDI `maintainer`, `maintainer_email`).
    #[serde(default)]
    pub maintainer: Option<String>,
    #[serde(default)]
    pub maintainer_email: Option<String>,
    /// Kode Daftar Data (SDI `id_dds`).
    #[serde(default)]
    pub id_dds: Option<String>,
    /// Kode Standar Data (SDI `id_sds`).
    #[serde(default)]
    pub id_sds: Option<String>,
    /// Kode Metadata Indikator at BPS (SIRuSa; SDI `id_msi`).
    #[serde(default)]
    pub id_msi: Option<String>,
    /// Kode Metadata Kegiatan at BPS (SDI `id_msk`).
    #[serde(default)]
    pub id_msk: Option<String>,
    /// Data prioritas: the year in which it is priority data.
    #[serde(default)]
    pub prioritas_tahun: Option<i32>,
}

fn default_license() -> String {
    "CC-BY-4.0".to_string()
}

impl DatasetMeta {
    /// A minimal metadata record; the other fields take their defaults.
    pub fn new(title: impl Into<String>, slug: impl Into<String>, organization_id: Id) -> Self {
        DatasetMeta {
            title: title.into(),
            slug: slug.into(),
            description: String::new(),
            tags: vec![],
            topics: vec![],
            organization_id,
            satuan: None,
            ukuran: None,
            klasifikasi: None,
            konsep: None,
            periodicity: Periodicity::default(),
            access: Access::default(),
            level: None,
            jenis: DataKind::default(),
            temporal_start: None,
            temporal_end: None,
            source: None,
            license: default_license(),
            author: None,
            author_email: None,
            maintainer: None,
            maintainer_email: None,
            id_dds: None,
            id_sds: None,
            id_msi: None,
            id_msk: None,
            prioritas_tahun: None,
        }
    }

    /// Check the metadata; every problem is listed, in Bahasa Indonesia, naming the field.
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        let mut problems = vec![];
        if self.title.trim().is_empty() {
            problems.push(FieldProblem::new("title", "Judul wajib diisi."));
        } else if self.title.chars().count() > 300 {
            problems.push(FieldProblem::new(
                "title",
                "Judul terlalu panjang (maksimal 300 karakter).",
            ));
        }
        if !crate::ids::is_valid_slug(&self.slug) {
            problems.push(FieldProblem::new(
                "slug",
                "Slug hanya boleh huruf kecil, angka dan tanda minus (2–100 karakter), misalnya 'jumlah-penduduk'.",
            ));
        }
        if let (Some(a), Some(b)) = (self.temporal_start, self.temporal_end) {
            if a > b {
                problems.push(FieldProblem::new(
                    "temporal_end",
                    "Tahun akhir cakupan waktu lebih awal dari tahun awal.",
                ));
            }
        }
        for (name, year) in [
            ("temporal_start", self.temporal_start),
            ("temporal_end", self.temporal_end),
            ("prioritas_tahun", self.prioritas_tahun),
        ] {
            if let Some(y) = year {
                if !(1900..=2200).contains(&y) {
                    problems.push(FieldProblem::new(name, "Tahun harus antara 1900 dan 2200."));
                }
            }
        }
        for (name, email) in [
            ("author_email", &self.author_email),
            ("maintainer_email", &self.maintainer_email),
        ] {
            if let Some(e) = email {
                if !e.is_empty() && (!e.contains('@') || e.contains(char::is_whitespace)) {
                    problems.push(FieldProblem::new(name, "Alamat surel tidak sah."));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// A problem with one field of a submitted record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldProblem {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A dataset as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dataset {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub id: Id,
    #[serde(flatten)]
    pub meta: DatasetMeta,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The server sequence number of the last change.
    pub seq: i64,
}

/// A topic (kategori / sektor), e.g. Kesehatan, Pendidikan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Topic {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub description: String,
}

/// What a resource holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ResourceKind {
    /// A typed table: rows stored in the store, described by a Table Schema.
    Table { schema: TableSchema },
    /// A file attachment kept in the file store.
    File {
        /// Key in the file store.
        path: String,
        media_type: String,
        size: u64,
        sha256: String,
    },
}

/// A resource of a dataset: a typed table or a file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Resource {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub dataset_id: Id,
    /// Machine name, unique within the dataset.
    pub name: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(flatten)]
    pub kind: ResourceKind,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub seq: i64,
}

/// What is needed to create a resource.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewResource {
    pub name: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(flatten)]
    pub kind: ResourceKind,
}

/// An immutable version of a table resource's data.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Version {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub resource_id: Id,
    /// 1, 2, 3, … within the resource.
    pub number: i32,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Uuid))]
    pub created_by: Option<Id>,
    pub created_at: DateTime<Utc>,
    pub row_count: i64,
    pub rows_added: i64,
    pub rows_removed: i64,
    /// SHA-256 over the canonical encoding of the rows, in order.
    pub checksum: String,
    /// Summary of the change, written by the uploader or generated.
    pub summary: String,
    pub seq: i64,
}

/// One entry of the append-only change log; `seq` is the server's sequence number.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    pub seq: i64,
    /// `organization`, `user`, `topic`, `dataset`, `resource`, `version`.
    pub entity: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub entity_id: Id,
    /// `create`, `update`, `delete` (a tombstone).
    pub op: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Uuid))]
    pub actor: Option<Id>,
    pub at: DateTime<Utc>,
}
