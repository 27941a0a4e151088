//! The data-quality score of a dataset and of an OPD, from indicators software can measure, aligned
//! with BPS's Evaluasi Penyelenggaraan Statistik Sektoral (EPSS, Peraturan BPS 3/2022): each
//! indicator is scored 1–5, the score is their weighted mean, and the predicate follows EPSS
//! (Kurang < 1.8 ≤ Cukup < 2.6 ≤ Baik < 3.5 ≤ Sangat Baik < 4.2 ≤ Memuaskan).
//!
//! The formula is documented for users in `docs/QUALITY.md`; keep the two in step.

use serde::{Deserialize, Serialize};

use crate::checks::{metadata_fields, standard_elements, RegionTally};
use crate::dataset::{Access, DatasetMeta, PresentationLevel};
use crate::plan::Timeliness;
use crate::review::ReviewState;
use crate::schema::{FieldType, TableSchema};

/// The EPSS domain an indicator belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    /// Prinsip SDI (28% in EPSS).
    PrinsipSdi,
    /// Kualitas Data (24%).
    KualitasData,
    /// Proses Bisnis Statistik (19%).
    ProsesBisnis,
    /// Statistik Nasional / pemanfaatan (12%).
    StatistikNasional,
}

impl Domain {
    /// The name shown to users.
    pub fn label_id(self) -> &'static str {
        match self {
            Domain::PrinsipSdi => "Prinsip SDI",
            Domain::KualitasData => "Kualitas Data",
            Domain::ProsesBisnis => "Proses Bisnis Statistik",
            Domain::StatistikNasional => "Statistik Nasional",
        }
    }
}

/// One measurable indicator: its id, name, EPSS domain and weight (weights are EPSS domain weights
/// split over the indicators software can measure; EPSS's Kelembagaan domain is not measurable
/// here and is left out, so weights add up to 83 and are renormalised over scored indicators).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indicator {
    pub id: &'static str,
    pub label: &'static str,
    pub domain: Domain,
    pub weight: u32,
}

/// Every indicator, in display order.
pub const INDICATORS: [Indicator; 8] = [
    Indicator {
        id: "metadata",
        label: "Kelengkapan metadata",
        domain: Domain::PrinsipSdi,
        weight: 10,
    },
    Indicator {
        id: "standar_data",
        label: "Penerapan standar data",
        domain: Domain::PrinsipSdi,
        weight: 9,
    },
    Indicator {
        id: "kode_referensi",
        label: "Penggunaan kode referensi wilayah",
        domain: Domain::PrinsipSdi,
        weight: 9,
    },
    Indicator {
        id: "format_terbuka",
        label: "Format terbuka dan terbaca mesin",
        domain: Domain::ProsesBisnis,
        weight: 10,
    },
    Indicator {
        id: "pemeriksaan",
        label: "Lolos pemeriksaan tanpa dikembalikan",
        domain: Domain::ProsesBisnis,
        weight: 9,
    },
    Indicator {
        id: "ketepatan_waktu",
        label: "Ketepatan waktu terhadap jadwal",
        domain: Domain::KualitasData,
        weight: 12,
    },
    Indicator {
        id: "konsistensi",
        label: "Konsistensi antarversi",
        domain: Domain::KualitasData,
        weight: 12,
    },
    Indicator {
        id: "ketersediaan",
        label: "Ketersediaan dan pemanfaatan",
        domain: Domain::StatistikNasional,
        weight: 12,
    },
];

/// The EPSS predicate of a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Predicate {
    Kurang,
    Cukup,
    Baik,
    SangatBaik,
    Memuaskan,
}

impl Predicate {
    /// The predicate of `score` (1–5).
    pub fn of(score: f64) -> Predicate {
        if score < 1.8 {
            Predicate::Kurang
        } else if score < 2.6 {
            Predicate::Cukup
        } else if score < 3.5 {
            Predicate::Baik
        } else if score < 4.2 {
            Predicate::SangatBaik
        } else {
            Predicate::Memuaskan
        }
    }

    /// The name shown to users.
    pub fn label_id(self) -> &'static str {
        match self {
            Predicate::Kurang => "Kurang",
            Predicate::Cukup => "Cukup",
            Predicate::Baik => "Baik",
            Predicate::SangatBaik => "Sangat Baik",
            Predicate::Memuaskan => "Memuaskan",
        }
    }
}

/// A version as the consistency indicator sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionFacts {
    pub state: ReviewState,
    pub row_count: i64,
    pub rows_removed: i64,
}

/// What the score of one dataset is computed from.
#[derive(Debug, Clone, Copy)]
pub struct QualityInput<'a> {
    pub meta: &'a DatasetMeta,
    pub schema: Option<&'a TableSchema>,
    pub file_formats: &'a [String],
    /// Region columns of the latest published version, when scanned.
    pub regions: Option<&'a [RegionTally]>,
    /// Kemutakhiran of the dataset's plan items that are due.
    pub deliveries: &'a [Timeliness],
    /// Versions of the table, oldest first.
    pub versions: &'a [VersionFacts],
    /// Submissions (ajukan and ajukan ulang) and returns (kembalikan) recorded.
    pub submissions: u64,
    pub returns: u64,
    /// Downloads and API reads counted (when counted).
    pub usage: Option<u64>,
}

/// The score of one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorScore {
    pub id: String,
    pub label: String,
    pub domain: Domain,
    pub weight: u32,
    /// 1–5, or `None` when it does not apply (not counted in the mean).
    pub score: Option<f64>,
    /// What to do to raise it (when below 5).
    pub advice: Option<String>,
}

/// The quality score of a dataset (or an OPD).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QualityScore {
    /// Weighted mean of the indicators that apply, 1–5, two decimals.
    pub score: f64,
    pub predicate: Predicate,
    pub predicate_label: String,
    pub indicators: Vec<IndicatorScore>,
}

fn scale(share: f64) -> f64 {
    1.0 + 4.0 * share.clamp(0.0, 1.0)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn filled_share(items: &[(&str, bool)]) -> f64 {
    items.iter().filter(|(_, ok)| *ok).count() as f64 / items.len().max(1) as f64
}

fn metadata_score(i: &QualityInput<'_>) -> (Option<f64>, Option<String>) {
    let fields = metadata_fields(i.meta);
    let missing: Vec<&str> = fields
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(f, _)| crate::checks::field_label(f))
        .collect();
    let advice =
        (!missing.is_empty()).then(|| format!("Lengkapi isian metadata: {}.", missing.join(", ")));
    (Some(scale(filled_share(&fields))), advice)
}

fn standard_score(i: &QualityInput<'_>) -> (Option<f64>, Option<String>) {
    let el = standard_elements(i.meta, i.schema);
    let missing: Vec<&str> = el.iter().filter(|(_, ok)| !ok).map(|(n, _)| *n).collect();
    let advice = (!missing.is_empty()).then(|| {
        format!(
            "Isi unsur Standar Data yang belum ada: {}.",
            missing.join(", ")
        )
    });
    (Some(scale(filled_share(&el))), advice)
}

fn region_score(i: &QualityInput<'_>) -> (Option<f64>, Option<String>) {
    let declared = i
        .schema
        .is_some_and(|s| s.fields.iter().any(|f| f.region_level.is_some()));
    let regional = matches!(
        i.meta.level,
        Some(PresentationLevel::Kecamatan | PresentationLevel::Desa | PresentationLevel::Provinsi)
    );
    if !declared {
        return if regional {
            (
                Some(1.0),
                Some("Tandai kolom kode wilayah (regionLevel) dan isi dengan kode Kemendagri, bukan nama wilayah.".to_string()),
            )
        } else {
            (None, None)
        };
    }
    match i.regions {
        None => (Some(5.0), None),
        Some(tallies) => {
            let cells: u64 = tallies.iter().map(|t| t.cells - t.missing).sum();
            let bad: u64 = tallies.iter().map(RegionTally::bad).sum();
            if cells == 0 {
                return (Some(5.0), None);
            }
            let share = 1.0 - bad as f64 / cells as f64;
            let advice = (bad > 0).then(|| {
                format!("Perbaiki {bad} kode wilayah yang tidak sah, salah tingkat atau di luar wilayah.")
            });
            (Some(scale(share)), advice)
        }
    }
}

fn format_score(i: &QualityInput<'_>) -> (Option<f64>, Option<String>) {
    match i.schema {
        Some(s) => {
            let untyped = s
                .fields
                .iter()
                .any(|f| matches!(f.field_type, FieldType::Any | FieldType::Unsupported));
            if untyped {
                (
                    Some(4.0),
                    Some(
                        "Tetapkan tipe setiap kolom tabel (integer, number, date, …).".to_string(),
                    ),
                )
            } else {
                (Some(5.0), None)
            }
        }
        None => {
            let open = i.file_formats.iter().any(|f| {
                let m = f.to_ascii_lowercase();
                m.contains("csv") || m.contains("json") || m.contains("spreadsheet")
            });
            let advice = Some(
                "Unggah data sebagai tabel bertipe agar tersedia lewat API dan unduhan CSV/JSON."
                    .to_string(),
            );
            (Some(if open { 3.0 } else { 1.0 }), advice)
        }
    }
}

fn review_score(i: &QualityInput<'_>) -> (Option<f64>, Option<String>) {
    if i.submissions == 0 {
        return (None, None);
    }
    let share = i.returns.min(i.submissions) as f64 / i.submissions as f64;
    let advice = (i.returns > 0).then(|| {
        "Periksa hasil pemeriksaan otomatis sebelum mengajukan, agar data tidak dikembalikan walidata.".to_string()
    });
    (Some(5.0 - 4.0 * share), advice)
}

fn timeliness_score(i: &QualityInput<'_>) -> (Option<f64>, Option<String>) {
    if i.deliveries.is_empty() {
        return (None, None);
    }
    let sum: f64 = i
        .deliveries
        .iter()
        .map(|t| match t {
            Timeliness::TepatWaktu { .. } | Timeliness::BelumJatuhTempo { .. } => 5.0,
            Timeliness::Terlambat { days } if *days <= 30 => 3.0,
            Timeliness::Terlambat { .. } => 2.0,
            Timeliness::BelumDikirimTerlambat { .. } => 1.0,
        })
        .sum();
    let late = i.deliveries.iter().filter(|t| t.is_late()).count();
    let advice = (late > 0).then(|| {
        format!(
            "{late} pengiriman terlambat dari jadwal pemutakhiran; kirim data sebelum jatuh tempo."
        )
    });
    (Some(sum / i.deliveries.len() as f64), advice)
}

fn consistency_score(i: &QualityInput<'_>) -> (Option<f64>, Option<String>) {
    let published: Vec<&VersionFacts> = i
        .versions
        .iter()
        .filter(|v| v.state == ReviewState::Terbit)
        .collect();
    if published.is_empty() {
        return (None, None);
    }
    if published.len() == 1 {
        return (Some(5.0), None);
    }
    let mut sum = 0.0;
    let mut rewrites = 0;
    for w in published.windows(2) {
        let before = w[0].row_count.max(1) as f64;
        let removed = w[1].rows_removed as f64 / before;
        sum += if removed > 0.5 {
            rewrites += 1;
            1.0
        } else if removed > 0.1 {
            3.0
        } else {
            5.0
        };
    }
    let advice = (rewrites > 0).then(|| {
        "Versi baru mengganti lebih dari separuh baris versi sebelumnya; tambahkan periode baru tanpa mengubah data lama, dan jelaskan setiap revisi.".to_string()
    });
    (Some(sum / (published.len() - 1) as f64), advice)
}

fn availability_score(i: &QualityInput<'_>) -> (Option<f64>, Option<String>) {
    let published = i.versions.iter().any(|v| v.state == ReviewState::Terbit);
    if !published && i.schema.is_some() {
        return (
            Some(1.0),
            Some(
                "Belum ada versi terbit; ajukan data untuk diperiksa dan diterbitkan walidata."
                    .to_string(),
            ),
        );
    }
    let access = match i.meta.access {
        Access::Terbuka => 5.0,
        Access::Terbatas => 3.0,
        Access::Tertutup => 2.0,
    };
    let mut advice = (i.meta.access != Access::Terbuka).then(|| {
        "Bila tidak memuat data pribadi, buka akses data (terbuka) agar dapat dimanfaatkan publik.".to_string()
    });
    let score = match i.usage {
        None => access,
        Some(n) => {
            let use_score = match n {
                0 => 1.0,
                1..=9 => 2.0,
                10..=99 => 3.0,
                100..=999 => 4.0,
                _ => 5.0,
            };
            if n < 100 && advice.is_none() {
                advice = Some("Sebarkan tautan dataset dan API-nya kepada pengguna data (Bappeda, OPD lain, publik).".to_string());
            }
            (access + use_score) / 2.0
        }
    };
    (Some(score), advice)
}

/// Assemble a score from per-indicator `(score, advice)` pairs in the order of [`INDICATORS`].
fn assemble(parts: Vec<(Option<f64>, Option<String>)>) -> QualityScore {
    let indicators: Vec<IndicatorScore> = INDICATORS
        .iter()
        .zip(parts)
        .map(|(ind, (score, advice))| IndicatorScore {
            id: ind.id.to_string(),
            label: ind.label.to_string(),
            domain: ind.domain,
            weight: ind.weight,
            score: score.map(round2),
            advice: advice.filter(|_| score.is_some_and(|s| s < 5.0)),
        })
        .collect();
    let (num, den) = indicators
        .iter()
        .filter_map(|s| {
            s.score
                .map(|v| (v * f64::from(s.weight), f64::from(s.weight)))
        })
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let score = if den > 0.0 { round2(num / den) } else { 1.0 };
    let predicate = Predicate::of(score);
    QualityScore {
        score,
        predicate,
        predicate_label: predicate.label_id().to_string(),
        indicators,
    }
}

/// The quality score of one dataset.
pub fn dataset_score(i: &QualityInput<'_>) -> QualityScore {
    assemble(vec![
        metadata_score(i),
        standard_score(i),
        region_score(i),
        format_score(i),
        review_score(i),
        timeliness_score(i),
        consistency_score(i),
        availability_score(i),
    ])
}

/// The score of an OPD from its datasets' scores: each indicator is the mean over the datasets it
/// applies to; the advice of an indicator names how many datasets need it.
pub fn combine(scores: &[&QualityScore]) -> QualityScore {
    let parts = INDICATORS
        .iter()
        .map(|ind| {
            let vals: Vec<&IndicatorScore> = scores
                .iter()
                .filter_map(|s| s.indicators.iter().find(|x| x.id == ind.id))
                .filter(|x| x.score.is_some())
                .collect();
            if vals.is_empty() {
                return (None, None);
            }
            let mean = vals.iter().filter_map(|x| x.score).sum::<f64>() / vals.len() as f64;
            let needing: Vec<&&IndicatorScore> =
                vals.iter().filter(|x| x.advice.is_some()).collect();
            let advice = needing.first().and_then(|x| x.advice.clone()).map(|a| {
                if needing.len() > 1 {
                    format!("{a} (berlaku untuk {} dataset)", needing.len())
                } else {
                    a
                }
            });
            (Some(mean), advice)
        })
        .collect();
    assemble(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::Level;
    use crate::schema::Field;

    fn meta() -> DatasetMeta {
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

    fn schema() -> TableSchema {
        let mut k = Field::new("kode_kecamatan", FieldType::String);
        k.region_level = Some(Level::Kecamatan);
        TableSchema::new(vec![k, Field::new("jumlah", FieldType::Integer)])
    }

    fn v(state: ReviewState, rows: i64, removed: i64) -> VersionFacts {
        VersionFacts {
            state,
            row_count: rows,
            rows_removed: removed,
        }
    }

    #[test]
    fn predicates_follow_epss() {
        assert_eq!(Predicate::of(1.79), Predicate::Kurang);
        assert_eq!(Predicate::of(1.8), Predicate::Cukup);
        assert_eq!(Predicate::of(2.6), Predicate::Baik);
        assert_eq!(Predicate::of(3.5), Predicate::SangatBaik);
        assert_eq!(Predicate::of(4.2), Predicate::Memuaskan);
        assert_eq!(INDICATORS.iter().map(|i| i.weight).sum::<u32>(), 83);
    }

    #[test]
    fn a_model_dataset_is_memuaskan_and_a_bare_one_is_kurang() {
        let m = meta();
        let s = schema();
        let versions = [v(ReviewState::Terbit, 15, 0), v(ReviewState::Terbit, 30, 0)];
        let good = dataset_score(&QualityInput {
            meta: &m,
            schema: Some(&s),
            file_formats: &[],
            regions: None,
            deliveries: &[Timeliness::TepatWaktu { days_early: 3 }],
            versions: &versions,
            submissions: 2,
            returns: 0,
            usage: Some(5000),
        });
        assert_eq!(good.score, 5.0, "{good:#?}");
        assert_eq!(good.predicate, Predicate::Memuaskan);
        assert!(good.indicators.iter().all(|i| i.advice.is_none()));

        let bare = DatasetMeta::new("X", "x", crate::new_id());
        let mut bare_level = bare.clone();
        bare_level.level = Some(PresentationLevel::Desa);
        bare_level.access = Access::Tertutup;
        let pdf = vec!["application/pdf".to_string()];
        let bad = dataset_score(&QualityInput {
            meta: &bare_level,
            schema: None,
            file_formats: &pdf,
            regions: None,
            deliveries: &[Timeliness::BelumDikirimTerlambat { days: 40 }],
            versions: &[],
            submissions: 3,
            returns: 3,
            usage: Some(0),
        });
        assert_eq!(bad.predicate, Predicate::Kurang, "{bad:#?}");
        let advised = bad.indicators.iter().filter(|i| i.advice.is_some()).count();
        assert!(advised >= 6, "{bad:#?}");
    }

    #[test]
    fn history_rewrites_and_late_deliveries_lower_the_score() {
        let m = meta();
        let s = schema();
        let versions = [
            v(ReviewState::Terbit, 100, 0),
            v(ReviewState::Terbit, 100, 90),
        ];
        let q = dataset_score(&QualityInput {
            meta: &m,
            schema: Some(&s),
            file_formats: &[],
            regions: None,
            deliveries: &[
                Timeliness::Terlambat { days: 10 },
                Timeliness::Terlambat { days: 60 },
            ],
            versions: &versions,
            submissions: 0,
            returns: 0,
            usage: None,
        });
        let get = |id: &str| q.indicators.iter().find(|i| i.id == id).unwrap().score;
        assert_eq!(get("konsistensi"), Some(1.0));
        assert_eq!(get("ketepatan_waktu"), Some(2.5));
        assert_eq!(get("pemeriksaan"), None);
        assert!(q.score < 5.0);
    }

    #[test]
    fn an_opd_score_is_the_mean_of_its_datasets() {
        let m = meta();
        let s = schema();
        let one = |returns| {
            dataset_score(&QualityInput {
                meta: &m,
                schema: Some(&s),
                file_formats: &[],
                regions: None,
                deliveries: &[],
                versions: &[v(ReviewState::Terbit, 10, 0)],
                submissions: 2,
                returns,
                usage: None,
            })
        };
        let (a, b) = (one(0), one(2));
        let opd = combine(&[&a, &b]);
        let pem = opd
            .indicators
            .iter()
            .find(|i| i.id == "pemeriksaan")
            .unwrap();
        assert_eq!(pem.score, Some(3.0));
        assert!(pem.advice.is_some());
    }
}
