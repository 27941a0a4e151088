//! The automatic checks of every submission against the four principles of Satu Data Indonesia
//! (Perpres 39/2019): Standar Data, Metadata, Interoperabilitas and Kode Referensi — plus, when the
//! version came from an upload, the validation report of the import and its plausibility against
//! the previous published version.
//!
//! Pure functions over the metadata, the table schema and summaries computed elsewhere (a
//! [`RegionTally`] per region column, the validation outcome), so the same checks run in the API,
//! in the pages and in tests. Reasons are in Bahasa Indonesia and say what to fix.

use serde::{Deserialize, Serialize};

use crate::dataset::{DatasetMeta, PresentationLevel};
use crate::region::{Level, RegionCode, Regions};
use crate::schema::{FieldType, TableSchema};

/// One of the principles (and the validation report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Principle {
    /// Konsep, definisi, klasifikasi, ukuran, satuan.
    StandarData,
    /// The national metadata fields.
    Metadata,
    /// Typed schema, open machine-readable format.
    Interoperabilitas,
    /// Region codes of the declared level, existing, inside the home region.
    KodeReferensi,
    /// The validation report of the import (data-standards issue).
    Validasi,
    /// Suspicious jumps and zeros against the previous published version (data-standards issue).
    Plausibilitas,
}

impl Principle {
    /// The name shown to users.
    pub fn label_id(self) -> &'static str {
        match self {
            Principle::StandarData => "Standar Data",
            Principle::Metadata => "Metadata",
            Principle::Interoperabilitas => "Interoperabilitas",
            Principle::KodeReferensi => "Kode Referensi",
            Principle::Validasi => "Validasi data",
            Principle::Plausibilitas => "Kewajaran nilai",
        }
    }
}

/// The outcome of one principle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckResult {
    pub principle: Principle,
    pub label: String,
    pub passed: bool,
    /// What is wrong (when failed) or what was checked (when passed).
    pub reasons: Vec<String>,
}

/// The outcome of every check of one submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckReport {
    /// Whether every check passed.
    pub passed: bool,
    pub results: Vec<CheckResult>,
}

impl CheckReport {
    /// The result of one principle, if it was checked.
    pub fn get(&self, p: Principle) -> Option<&CheckResult> {
        self.results.iter().find(|r| r.principle == p)
    }
}

/// What the values of one region column look like (filled by scanning the version's rows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionTally {
    pub field: String,
    pub level: Level,
    /// Cells seen (missing ones included).
    pub cells: u64,
    pub missing: u64,
    /// Not a region code, or a code that does not exist.
    pub unknown: u64,
    /// An existing code of another level.
    pub wrong_level: u64,
    /// An existing code outside the home region.
    pub outside_home: u64,
    /// A few offending values, for the reasons.
    pub examples: Vec<String>,
    #[serde(skip)]
    home: Option<RegionCode>,
}

impl RegionTally {
    const MAX_EXAMPLES: usize = 5;

    /// A tally for column `field` of region level `level`, checked against the instance's `home`.
    pub fn new(field: impl Into<String>, level: Level, home: Option<RegionCode>) -> Self {
        RegionTally {
            field: field.into(),
            level,
            cells: 0,
            missing: 0,
            unknown: 0,
            wrong_level: 0,
            outside_home: 0,
            examples: vec![],
            home,
        }
    }

    /// Count one cell (`None` for a missing cell).
    pub fn add(&mut self, cell: Option<&str>) {
        self.cells += 1;
        let Some(raw) = cell.map(str::trim).filter(|s| !s.is_empty()) else {
            self.missing += 1;
            return;
        };
        let bad = match RegionCode::parse(raw) {
            Err(_) => Some(&mut self.unknown),
            Ok(code) => match Regions::get().by_code(&code) {
                None => Some(&mut self.unknown),
                Some(r) if r.level != self.level => Some(&mut self.wrong_level),
                Some(_) if self.home.is_some_and(|h| !code.is_within(&h)) => {
                    Some(&mut self.outside_home)
                }
                Some(_) => None,
            },
        };
        if let Some(counter) = bad {
            *counter += 1;
            if self.examples.len() < Self::MAX_EXAMPLES && !self.examples.iter().any(|e| e == raw) {
                self.examples.push(raw.to_string());
            }
        }
    }

    /// Cells with a problem.
    pub fn bad(&self) -> u64 {
        self.unknown + self.wrong_level + self.outside_home
    }
}

/// The outcome of the import's validation, as far as the checks need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValidationOutcome {
    pub errors: u64,
    pub warnings: u64,
    /// The first few messages, for the reasons.
    #[serde(default)]
    pub messages: Vec<String>,
}

/// The import's comparison with the previous published version, as far as the checks need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlausibilityOutcome {
    /// The published version compared with.
    pub against_version: i32,
    /// Suspicious values and columns found.
    pub warnings: u64,
    /// The first few, for the reasons (with row and column).
    #[serde(default)]
    pub messages: Vec<String>,
}

/// Everything the checks look at.
#[derive(Debug, Clone, Copy)]
pub struct CheckInput<'a> {
    pub meta: &'a DatasetMeta,
    /// The table's schema (`None` when the dataset has only file attachments).
    pub schema: Option<&'a TableSchema>,
    /// Media types of the file attachments.
    pub file_formats: &'a [String],
    pub regions: &'a [RegionTally],
    pub validation: Option<&'a ValidationOutcome>,
    pub plausibility: Option<&'a PlausibilityOutcome>,
}

fn filled(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|v| !v.trim().is_empty())
}

/// The five elements of Standar Data, each `(name, present)`.
pub fn standard_elements(
    meta: &DatasetMeta,
    schema: Option<&TableSchema>,
) -> [(&'static str, bool); 5] {
    // A unit on every numeric column counts as satuan too: tables often mix units.
    let units_on_columns = schema.is_some_and(|s| {
        let numeric: Vec<_> = s
            .fields
            .iter()
            .filter(|f| matches!(f.field_type, FieldType::Integer | FieldType::Number))
            .filter(|f| f.region_level.is_none() && !f.period)
            .collect();
        !numeric.is_empty() && numeric.iter().all(|f| filled(&f.unit))
    });
    [
        ("konsep", filled(&meta.konsep) || !meta.tags.is_empty()),
        ("definisi", meta.description.trim().chars().count() >= 20),
        ("klasifikasi", filled(&meta.klasifikasi)),
        ("ukuran", filled(&meta.ukuran)),
        ("satuan", filled(&meta.satuan) || units_on_columns),
    ]
}

/// The national metadata fields satudata requires before publication, each `(field, present)`.
pub fn metadata_fields(meta: &DatasetMeta) -> Vec<(&'static str, bool)> {
    vec![
        ("title", !meta.title.trim().is_empty()),
        ("description", !meta.description.trim().is_empty()),
        ("tags", !meta.tags.is_empty()),
        ("topics", !meta.topics.is_empty()),
        ("satuan", filled(&meta.satuan)),
        ("ukuran", filled(&meta.ukuran)),
        ("level", meta.level.is_some()),
        (
            "temporal_start",
            meta.temporal_start.is_some() && meta.temporal_end.is_some(),
        ),
        ("source", filled(&meta.source)),
        ("license", !meta.license.trim().is_empty()),
        ("author", filled(&meta.author) || filled(&meta.author_email)),
        (
            "maintainer",
            filled(&meta.maintainer) || filled(&meta.maintainer_email),
        ),
    ]
}

/// The label of a metadata field, for reasons.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "title" => "Judul",
        "description" => "Definisi/deskripsi",
        "tags" => "Konsep (tag)",
        "topics" => "Kategori/topik",
        "satuan" => "Satuan",
        "ukuran" => "Ukuran",
        "level" => "Level penyajian",
        "temporal_start" => "Cakupan waktu (tahun awal dan akhir)",
        "source" => "Sumber data",
        "license" => "Lisensi",
        "author" => "Kontak produsen data",
        "maintainer" => "Kontak walidata",
        "konsep" => "Konsep",
        "definisi" => "Definisi",
        "klasifikasi" => "Klasifikasi/variabel disagregasi",
        _ => "Isian",
    }
}

fn standar_data(input: &CheckInput<'_>) -> CheckResult {
    let missing: Vec<String> = standard_elements(input.meta, input.schema)
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(name, _)| match *name {
            "definisi" => {
                "Definisi belum diisi atau terlalu singkat (minimal 20 karakter).".to_string()
            }
            "satuan" => {
                "Satuan belum diisi (pada dataset, atau pada setiap kolom angka).".to_string()
            }
            other => format!("{} belum diisi.", field_label(other)),
        })
        .collect();
    result(
        Principle::StandarData,
        missing,
        "Konsep, definisi, klasifikasi, ukuran dan satuan lengkap.",
    )
}

fn metadata(input: &CheckInput<'_>) -> CheckResult {
    let mut reasons: Vec<String> = metadata_fields(input.meta)
        .into_iter()
        .filter(|(_, ok)| !ok)
        .map(|(f, _)| format!("{} belum diisi.", field_label(f)))
        .collect();
    if let Err(problems) = input.meta.validate() {
        reasons.extend(problems.into_iter().map(|p| p.message));
    }
    result(
        Principle::Metadata,
        reasons,
        "Isian metadata nasional (SDI) lengkap.",
    )
}

/// Media types that are open and machine-readable.
fn machine_readable(media_type: &str) -> bool {
    let m = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(
        m.as_str(),
        "text/csv"
            | "application/json"
            | "application/geo+json"
            | "application/x-ndjson"
            | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            | "application/vnd.oasis.opendocument.spreadsheet"
            | "application/xml"
            | "text/xml"
    )
}

fn interoperabilitas(input: &CheckInput<'_>) -> CheckResult {
    let mut reasons = vec![];
    match input.schema {
        None => {
            if input.file_formats.is_empty() {
                reasons.push("Dataset belum punya tabel data maupun berkas.".to_string());
            } else if !input.file_formats.iter().any(|f| machine_readable(f)) {
                reasons.push(
                    "Tidak ada tabel bertipe dan berkasnya bukan format terbuka yang terbaca mesin (CSV, JSON, XLSX, ODS). Unggah datanya sebagai tabel."
                        .to_string(),
                );
            }
        }
        Some(schema) => {
            if let Err(problems) = schema.check() {
                reasons.extend(problems);
            }
            for f in &schema.fields {
                if matches!(f.field_type, FieldType::Any | FieldType::Unsupported) {
                    reasons.push(format!(
                        "Kolom '{}' tidak bertipe; tetapkan tipe (integer, number, date, …).",
                        f.name
                    ));
                }
            }
        }
    }
    result(
        Principle::Interoperabilitas,
        reasons,
        "Tabel bertipe (Table Schema) dan tersedia dalam format terbuka (CSV, JSON) lewat API.",
    )
}

fn level_of(p: PresentationLevel) -> Option<Level> {
    match p {
        PresentationLevel::Provinsi => Some(Level::Provinsi),
        PresentationLevel::Kabupaten => Some(Level::Kabupaten),
        PresentationLevel::Kecamatan => Some(Level::Kecamatan),
        PresentationLevel::Desa => Some(Level::Desa),
        PresentationLevel::Nasional | PresentationLevel::Unit => None,
    }
}

fn kode_referensi(input: &CheckInput<'_>) -> CheckResult {
    let mut reasons = vec![];
    let region_fields: Vec<_> = input
        .schema
        .map(|s| {
            s.fields
                .iter()
                .filter(|f| f.region_level.is_some())
                .collect()
        })
        .unwrap_or_default();
    let wanted = input.meta.level.and_then(level_of);
    if let Some(level) = wanted.filter(|l| *l != Level::Kabupaten) {
        // A regency-level table may have no region column (one region); finer levels must.
        if input.schema.is_some() && region_fields.is_empty() {
            reasons.push(format!(
                "Level penyajian {}, tetapi tidak ada kolom kode wilayah; tandai kolom kode wilayah dengan regionLevel '{}'.",
                level.label_id(),
                level.as_str()
            ));
        }
    }
    for t in input.regions {
        let examples = if t.examples.is_empty() {
            String::new()
        } else {
            format!(" (contoh: {})", t.examples.join(", "))
        };
        if t.unknown > 0 {
            reasons.push(format!(
                "Kolom '{}': {} sel bukan kode wilayah Kemendagri yang ada{examples}.",
                t.field, t.unknown
            ));
        }
        if t.wrong_level > 0 {
            reasons.push(format!(
                "Kolom '{}': {} kode bukan tingkat {}{examples}.",
                t.field,
                t.wrong_level,
                t.level.label_id()
            ));
        }
        if t.outside_home > 0 {
            reasons.push(format!(
                "Kolom '{}': {} kode di luar wilayah instansi{examples}.",
                t.field, t.outside_home
            ));
        }
    }
    let ok = if region_fields.is_empty() {
        "Tidak ada kolom wilayah yang perlu diperiksa.".to_string()
    } else {
        format!(
            "Kode wilayah sah pada kolom {}.",
            region_fields
                .iter()
                .map(|f| format!("'{}'", f.name))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    result(Principle::KodeReferensi, reasons, &ok)
}

fn validasi(v: &ValidationOutcome) -> CheckResult {
    let mut reasons = vec![];
    if v.errors > 0 {
        reasons.push(format!("Laporan validasi mencatat {} galat.", v.errors));
        reasons.extend(v.messages.iter().take(5).cloned());
    }
    result(
        Principle::Validasi,
        reasons,
        &format!("Validasi lolos ({} peringatan).", v.warnings),
    )
}

fn plausibilitas(p: &PlausibilityOutcome) -> CheckResult {
    let mut reasons = vec![];
    if p.warnings > 0 {
        reasons.push(format!(
            "{} nilai atau kolom mencurigakan dibanding versi terbit {} (lonjakan 100× atau lebih, atau nol padahal sebelumnya berisi). Periksa satuan (RIBU) dan sel kosong; bila nilainya memang benar, walidata tetap dapat menyetujui.",
            p.warnings, p.against_version
        ));
        reasons.extend(p.messages.iter().take(10).cloned());
    }
    result(
        Principle::Plausibilitas,
        reasons,
        &format!(
            "Tidak ada lonjakan atau nol mencurigakan dibanding versi terbit {}.",
            p.against_version
        ),
    )
}

fn result(principle: Principle, problems: Vec<String>, ok: &str) -> CheckResult {
    let passed = problems.is_empty();
    CheckResult {
        principle,
        label: principle.label_id().to_string(),
        passed,
        reasons: if passed {
            vec![ok.to_string()]
        } else {
            problems
        },
    }
}

/// Run every check.
pub fn run_checks(input: &CheckInput<'_>) -> CheckReport {
    let mut results = vec![
        standar_data(input),
        metadata(input),
        interoperabilitas(input),
        kode_referensi(input),
    ];
    if let Some(v) = input.validation {
        results.push(validasi(v));
    }
    if let Some(p) = input.plausibility {
        results.push(plausibilitas(p));
    }
    CheckReport {
        passed: results.iter().all(|r| r.passed),
        results,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Field;

    fn schema() -> TableSchema {
        let mut kec = Field::new("kode_kecamatan", FieldType::String);
        kec.region_level = Some(Level::Kecamatan);
        let mut tahun = Field::new("tahun", FieldType::Year);
        tahun.period = true;
        let mut jumlah = Field::new("jumlah", FieldType::Integer);
        jumlah.unit = Some("jiwa".into());
        TableSchema::new(vec![kec, tahun, jumlah])
    }

    fn complete_meta() -> DatasetMeta {
        let mut m = DatasetMeta::new("Jumlah penduduk", "jumlah-penduduk", crate::new_id());
        m.description = "Jumlah penduduk menurut kecamatan, hasil registrasi.".into();
        m.tags = vec!["penduduk".into()];
        m.topics = vec!["kependudukan".into()];
        m.klasifikasi = Some("kecamatan".into());
        m.ukuran = Some("jumlah".into());
        m.satuan = Some("jiwa".into());
        m.level = Some(PresentationLevel::Kecamatan);
        m.temporal_start = Some(2020);
        m.temporal_end = Some(2024);
        m.source = Some("Disdukcapil".into());
        m.author = Some("Disdukcapil".into());
        m.maintainer = Some("Diskominfo".into());
        m
    }

    fn home() -> Option<RegionCode> {
        Some(RegionCode::parse("16.06").unwrap())
    }

    #[test]
    fn a_complete_submission_passes_every_principle() {
        let meta = complete_meta();
        let s = schema();
        let mut t = RegionTally::new("kode_kecamatan", Level::Kecamatan, home());
        t.add(Some("16.06.01"));
        t.add(Some("160602"));
        let r = run_checks(&CheckInput {
            meta: &meta,
            schema: Some(&s),
            file_formats: &[],
            regions: &[t],
            validation: None,
            plausibility: None,
        });
        assert!(r.passed, "{r:#?}");
        assert_eq!(r.results.len(), 4);
    }

    #[test]
    fn missing_standard_elements_are_named() {
        let mut meta = complete_meta();
        meta.satuan = None;
        meta.klasifikasi = None;
        let mut s = schema();
        s.fields[2].unit = None;
        let r = run_checks(&CheckInput {
            meta: &meta,
            schema: Some(&s),
            file_formats: &[],
            regions: &[],
            validation: None,
            plausibility: None,
        });
        let sd = r.get(Principle::StandarData).unwrap();
        assert!(!sd.passed);
        assert!(sd.reasons.iter().any(|x| x.starts_with("Satuan")));
        assert!(sd.reasons.iter().any(|x| x.starts_with("Klasifikasi")));
        assert!(!r.get(Principle::Metadata).unwrap().passed);
        assert!(!r.passed);
    }

    #[test]
    fn region_codes_of_the_wrong_level_or_place_fail() {
        let mut t = RegionTally::new("kode_kecamatan", Level::Kecamatan, home());
        for v in [
            "16.06.01",
            "16.06.01.2001",
            "31.71.01",
            "99.99.99",
            "bukan",
            "",
        ] {
            t.add(Some(v));
        }
        assert_eq!(
            (t.unknown, t.wrong_level, t.outside_home, t.missing),
            (2, 1, 1, 1)
        );
        let meta = complete_meta();
        let s = schema();
        let r = run_checks(&CheckInput {
            meta: &meta,
            schema: Some(&s),
            file_formats: &[],
            regions: &[t],
            validation: None,
            plausibility: None,
        });
        let kr = r.get(Principle::KodeReferensi).unwrap();
        assert!(!kr.passed);
        assert_eq!(kr.reasons.len(), 3, "{:?}", kr.reasons);
    }

    #[test]
    fn a_kecamatan_table_needs_a_region_column_and_files_must_be_open() {
        let meta = complete_meta();
        let s = TableSchema::new(vec![Field::new("nama", FieldType::String)]);
        let r = run_checks(&CheckInput {
            meta: &meta,
            schema: Some(&s),
            file_formats: &[],
            regions: &[],
            validation: None,
            plausibility: None,
        });
        assert!(!r.get(Principle::KodeReferensi).unwrap().passed);
        let pdf = vec!["application/pdf".to_string()];
        let r = run_checks(&CheckInput {
            meta: &meta,
            schema: None,
            file_formats: &pdf,
            regions: &[],
            validation: Some(&ValidationOutcome {
                errors: 2,
                warnings: 0,
                messages: vec!["Baris 3: bukan angka".into()],
            }),
            plausibility: Some(&PlausibilityOutcome {
                against_version: 1,
                warnings: 1,
                messages: vec!["Baris 4, kolom 'jumlah': nilai 451.300 adalah 1.000× …".into()],
            }),
        });
        assert!(!r.get(Principle::Interoperabilitas).unwrap().passed);
        assert!(!r.get(Principle::Validasi).unwrap().passed);
        let p = r.get(Principle::Plausibilitas).unwrap();
        assert!(!p.passed);
        assert!(p.reasons[0].contains("versi terbit 1"), "{:?}", p.reasons);
        assert!(p.reasons[1].contains("jumlah"));
    }
}
