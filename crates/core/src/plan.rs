//! Daftar Data — the yearly plan of what each OPD (and desa) must produce and when — and
//! kemutakhiran: whether each planned delivery came on time.
//!
//! One plan item is one delivery: a dataset to update by its jadwal pemutakhiran and to release by
//! its jadwal rilis. A monthly dataset planned for a year is twelve items (that keeps the rule for
//! "late" simple and visible).
//!
//! An item counts as **submitted** at the first submission (ajukan) of a version of its linked
//! dataset inside its window — from one period before the jadwal pemutakhiran (a year for yearly
//! data, a quarter for quarterly data, …) — and as **published** at the first publication in that
//! window. Its kemutakhiran at a date is then one of: belum jatuh tempo, tepat waktu, terlambat
//! N hari (submitted after the due date), belum dikirim & terlambat N hari.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::dataset::{FieldProblem, Periodicity, PresentationLevel};
use crate::organization::OrgKind;
use crate::Id;

/// Where the need for a dataset comes from (sumber rujukan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ReferenceSource {
    /// Rencana Pembangunan Jangka Menengah Daerah.
    Rpjmd,
    /// Sustainable Development Goals (TPB).
    Sdgs,
    /// Standar Pelayanan Minimal.
    Spm,
    /// Requested by the province.
    Provinsi,
    /// Requested by the central government.
    Pusat,
    /// Anything else.
    Lainnya,
}

impl ReferenceSource {
    /// Every source.
    pub const ALL: [ReferenceSource; 6] = [
        ReferenceSource::Rpjmd,
        ReferenceSource::Sdgs,
        ReferenceSource::Spm,
        ReferenceSource::Provinsi,
        ReferenceSource::Pusat,
        ReferenceSource::Lainnya,
    ];

    /// The machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferenceSource::Rpjmd => "rpjmd",
            ReferenceSource::Sdgs => "sdgs",
            ReferenceSource::Spm => "spm",
            ReferenceSource::Provinsi => "provinsi",
            ReferenceSource::Pusat => "pusat",
            ReferenceSource::Lainnya => "lainnya",
        }
    }

    /// The label shown to users.
    pub fn label_id(self) -> &'static str {
        match self {
            ReferenceSource::Rpjmd => "RPJMD",
            ReferenceSource::Sdgs => "SDGs",
            ReferenceSource::Spm => "SPM",
            ReferenceSource::Provinsi => "Provinsi",
            ReferenceSource::Pusat => "Pusat",
            ReferenceSource::Lainnya => "Lainnya",
        }
    }
}

impl std::str::FromStr for ReferenceSource {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        ReferenceSource::ALL
            .into_iter()
            .find(|r| r.as_str() == t || r.label_id().to_ascii_lowercase() == t)
            .ok_or_else(|| format!("sumber rujukan tidak dikenal: '{s}' (RPJMD, SDGs, SPM, provinsi, pusat, lainnya)"))
    }
}

/// The fields of a plan item a user sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanItemMeta {
    /// The plan year (tahun Daftar Data).
    pub year: i32,
    /// The producing organisation (OPD or desa).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub organization_id: Id,
    /// The planned dataset's title.
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Kode Daftar Data (SDI `id_dds`).
    #[serde(default)]
    pub kode: Option<String>,
    #[serde(default)]
    pub periodicity: Periodicity,
    /// Level penyajian.
    #[serde(default)]
    pub level: Option<PresentationLevel>,
    /// Jadwal pemutakhiran: when the produsen must have sent the update.
    pub due_update: NaiveDate,
    /// Jadwal rilis: when it is to be published.
    pub due_release: NaiveDate,
    /// Data prioritas.
    #[serde(default)]
    pub priority: bool,
    /// Sumber rujukan.
    #[serde(default)]
    pub sources: Vec<ReferenceSource>,
    /// The dataset that delivers it, once there is one.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Uuid))]
    pub dataset_id: Option<Id>,
    /// Topic slug (for the rollup by topic when no dataset is linked yet).
    #[serde(default)]
    pub topic: Option<String>,
}

impl PlanItemMeta {
    /// Check the item; every problem names its field.
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        let mut p = vec![];
        if self.title.trim().is_empty() {
            p.push(FieldProblem::new("title", "Judul data wajib diisi."));
        } else if self.title.chars().count() > 300 {
            p.push(FieldProblem::new(
                "title",
                "Judul terlalu panjang (maksimal 300 karakter).",
            ));
        }
        if !(2000..=2200).contains(&self.year) {
            p.push(FieldProblem::new(
                "year",
                "Tahun Daftar Data harus antara 2000 dan 2200.",
            ));
        }
        let near = |d: NaiveDate| (self.year - 1..=self.year + 1).contains(&d.year());
        if !near(self.due_update) {
            p.push(FieldProblem::new(
                "due_update",
                "Jadwal pemutakhiran harus pada tahun Daftar Data (atau setahun sebelum/sesudahnya).",
            ));
        }
        if !near(self.due_release) {
            p.push(FieldProblem::new(
                "due_release",
                "Jadwal rilis harus pada tahun Daftar Data (atau setahun sebelum/sesudahnya).",
            ));
        }
        if self.due_release < self.due_update {
            p.push(FieldProblem::new(
                "due_release",
                "Jadwal rilis tidak boleh sebelum jadwal pemutakhiran.",
            ));
        }
        if p.is_empty() {
            Ok(())
        } else {
            Err(p)
        }
    }

    /// From when a submission counts for this item: one period before the jadwal pemutakhiran.
    pub fn window_start(&self) -> NaiveDate {
        self.due_update - period_length(self.periodicity)
    }

    /// The same item one year later (copying a plan forward): dates move by a year, the dataset
    /// link is kept.
    pub fn next_year(&self) -> PlanItemMeta {
        let shift = |d: NaiveDate| {
            d.with_year(d.year() + 1)
                // 29 February → 28 February.
                .or_else(|| d.with_day(28).and_then(|x| x.with_year(d.year() + 1)))
                .unwrap_or(d)
        };
        PlanItemMeta {
            year: self.year + 1,
            due_update: shift(self.due_update),
            due_release: shift(self.due_release),
            ..self.clone()
        }
    }
}

/// The length of one period of data with this periodicity.
pub fn period_length(p: Periodicity) -> Duration {
    Duration::days(match p {
        Periodicity::Harian => 1,
        Periodicity::Mingguan => 7,
        Periodicity::Bulanan => 31,
        Periodicity::Triwulanan => 92,
        Periodicity::Semesteran => 183,
        Periodicity::Tahunan | Periodicity::TidakTentu => 365,
    })
}

/// A plan item as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanItem {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub id: Id,
    #[serde(flatten)]
    pub meta: PlanItemMeta,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub seq: i64,
}

/// Kemutakhiran of one delivery at a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Timeliness {
    /// Not sent yet, and the due date has not passed.
    BelumJatuhTempo { days_left: i64 },
    /// Sent on or before the due date.
    TepatWaktu { days_early: i64 },
    /// Sent after the due date.
    Terlambat { days: i64 },
    /// Not sent, and the due date has passed.
    BelumDikirimTerlambat { days: i64 },
}

impl Timeliness {
    /// The label shown to users.
    pub fn label_id(&self) -> String {
        match self {
            Timeliness::BelumJatuhTempo { .. } => "Belum jatuh tempo".to_string(),
            Timeliness::TepatWaktu { .. } => "Tepat waktu".to_string(),
            Timeliness::Terlambat { days } => format!("Terlambat {days} hari"),
            Timeliness::BelumDikirimTerlambat { days } => {
                format!("Belum dikirim, terlambat {days} hari")
            }
        }
    }

    /// Whether the delivery is (or was) late.
    pub fn is_late(&self) -> bool {
        matches!(
            self,
            Timeliness::Terlambat { .. } | Timeliness::BelumDikirimTerlambat { .. }
        )
    }
}

/// The kemutakhiran of a delivery due on `due`, done on `done` (if it was), seen on `today`.
pub fn timeliness(due: NaiveDate, done: Option<NaiveDate>, today: NaiveDate) -> Timeliness {
    match done {
        Some(d) if d <= due => Timeliness::TepatWaktu {
            days_early: (due - d).num_days(),
        },
        Some(d) => Timeliness::Terlambat {
            days: (d - due).num_days(),
        },
        None if today <= due => Timeliness::BelumJatuhTempo {
            days_left: (due - today).num_days(),
        },
        None => Timeliness::BelumDikirimTerlambat {
            days: (today - due).num_days(),
        },
    }
}

/// What the store knows about one plan item: the item, its organisation and the first submission
/// and publication in its window.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanFacts {
    pub item: PlanItem,
    pub organization_slug: String,
    pub organization_name: String,
    pub organization_kind: OrgKind,
    /// Dotted region code of the organisation (desa organisations have one).
    pub organization_region: Option<String>,
    /// The linked dataset's first topic, else the item's topic.
    pub topic: Option<String>,
    pub dataset_slug: Option<String>,
    pub first_submitted: Option<DateTime<Utc>>,
    pub first_published: Option<DateTime<Utc>>,
}

/// The kemutakhiran of one plan item.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemStatus {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub item_id: Id,
    pub year: i32,
    pub title: String,
    pub organization: String,
    pub organization_name: String,
    pub organization_kind: OrgKind,
    pub topic: Option<String>,
    pub dataset: Option<String>,
    pub priority: bool,
    pub due_update: NaiveDate,
    pub due_release: NaiveDate,
    pub submitted: Option<NaiveDate>,
    pub published: Option<NaiveDate>,
    /// Against the jadwal pemutakhiran (the produsen's delivery).
    pub status: Timeliness,
    /// Against the jadwal rilis (the publication).
    pub release: Timeliness,
}

/// The kemutakhiran of a plan item on `today` (dates are taken in UTC+7, Western Indonesia time,
/// so a submission at 23:00 WIB counts for that day).
pub fn item_status(f: &PlanFacts, today: NaiveDate) -> ItemStatus {
    let wib = |t: DateTime<Utc>| (t + Duration::hours(7)).date_naive();
    let submitted = f.first_submitted.map(wib);
    let published = f.first_published.map(wib);
    let m = &f.item.meta;
    ItemStatus {
        item_id: f.item.id,
        year: m.year,
        title: m.title.clone(),
        organization: f.organization_slug.clone(),
        organization_name: f.organization_name.clone(),
        organization_kind: f.organization_kind,
        topic: f.topic.clone(),
        dataset: f.dataset_slug.clone(),
        priority: m.priority,
        due_update: m.due_update,
        due_release: m.due_release,
        submitted,
        published,
        // A publication without a recorded submission (the walidata loaded it) counts as delivery.
        status: timeliness(m.due_update, submitted.or(published), today),
        release: timeliness(m.due_release, published, today),
    }
}

/// Counts of plan items by kemutakhiran.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    pub total: u64,
    /// Sent on time.
    pub on_time: u64,
    /// Sent late, or not sent and overdue.
    pub late: u64,
    /// Of `late`: not sent at all.
    pub late_unsent: u64,
    /// Not due yet and not sent.
    pub pending: u64,
    /// Published (in the window).
    pub published: u64,
}

impl Counts {
    /// Add one item.
    pub fn add(&mut self, s: &ItemStatus) {
        self.total += 1;
        match s.status {
            Timeliness::TepatWaktu { .. } => self.on_time += 1,
            Timeliness::Terlambat { .. } => self.late += 1,
            Timeliness::BelumDikirimTerlambat { .. } => {
                self.late += 1;
                self.late_unsent += 1
            }
            Timeliness::BelumJatuhTempo { .. } => self.pending += 1,
        }
        if s.published.is_some() {
            self.published += 1;
        }
    }

    /// Share of due items that came on time, in percent (`None` when nothing is due yet).
    pub fn on_time_percent(&self) -> Option<f64> {
        let due = self.on_time + self.late;
        (due > 0).then(|| 100.0 * self.on_time as f64 / due as f64)
    }
}

/// Count `statuses` grouped by `key` (items whose key is `None` are left out).
pub fn rollup<K: Ord>(
    statuses: &[ItemStatus],
    key: impl Fn(&ItemStatus) -> Option<K>,
) -> BTreeMap<K, Counts> {
    let mut out: BTreeMap<K, Counts> = BTreeMap::new();
    for s in statuses {
        if let Some(k) = key(s) {
            out.entry(k).or_default().add(s);
        }
    }
    out
}

/// Counts over all items.
pub fn totals(statuses: &[ItemStatus]) -> Counts {
    let mut c = Counts::default();
    for s in statuses {
        c.add(s);
    }
    c
}

/// Counts by the month of the jadwal pemutakhiran (`YYYY-MM`), for the trend over time.
pub fn by_month(statuses: &[ItemStatus]) -> BTreeMap<String, Counts> {
    rollup(statuses, |s| {
        Some(format!(
            "{:04}-{:02}",
            s.due_update.year(),
            s.due_update.month()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn meta() -> PlanItemMeta {
        PlanItemMeta {
            year: 2026,
            organization_id: crate::new_id(),
            title: "Jumlah penduduk".into(),
            description: String::new(),
            kode: None,
            periodicity: Periodicity::Tahunan,
            level: Some(PresentationLevel::Kecamatan),
            due_update: d(2026, 3, 31),
            due_release: d(2026, 4, 30),
            priority: true,
            sources: vec![ReferenceSource::Rpjmd],
            dataset_id: None,
            topic: None,
        }
    }

    #[test]
    fn the_four_states_of_kemutakhiran() {
        let due = d(2026, 3, 31);
        assert_eq!(
            timeliness(due, None, d(2026, 3, 1)),
            Timeliness::BelumJatuhTempo { days_left: 30 }
        );
        assert_eq!(
            timeliness(due, Some(due), d(2026, 6, 1)),
            Timeliness::TepatWaktu { days_early: 0 }
        );
        assert_eq!(
            timeliness(due, Some(d(2026, 4, 10)), d(2026, 6, 1)),
            Timeliness::Terlambat { days: 10 }
        );
        let t = timeliness(due, None, d(2026, 4, 2));
        assert_eq!(t, Timeliness::BelumDikirimTerlambat { days: 2 });
        assert_eq!(t.label_id(), "Belum dikirim, terlambat 2 hari");
        assert!(t.is_late());
    }

    #[test]
    fn validation_and_copy_forward() {
        assert!(meta().validate().is_ok());
        let mut bad = meta();
        bad.title = " ".into();
        bad.due_release = d(2026, 1, 1);
        let fields: Vec<String> = bad
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["title", "due_release"]);
        let next = meta().next_year();
        assert_eq!((next.year, next.due_update), (2027, d(2027, 3, 31)));
        let mut leap = meta();
        leap.year = 2028;
        leap.due_update = d(2028, 2, 29);
        leap.due_release = d(2028, 3, 1);
        assert_eq!(leap.next_year().due_update, d(2029, 2, 28));
        assert_eq!(meta().window_start(), d(2025, 3, 31));
    }

    #[test]
    fn statuses_roll_up_by_key() {
        let org = |slug: &str, sub: Option<NaiveDate>| {
            let item = PlanItem {
                id: crate::new_id(),
                meta: meta(),
                created_at: Utc::now(),
                updated_at: Utc::now(),
                seq: 1,
            };
            PlanFacts {
                item,
                organization_slug: slug.into(),
                organization_name: slug.into(),
                organization_kind: OrgKind::Opd,
                organization_region: None,
                topic: Some("kesehatan".into()),
                dataset_slug: None,
                first_submitted: sub.map(|s| s.and_hms_opt(3, 0, 0).unwrap().and_utc()),
                first_published: None,
            }
        };
        let today = d(2026, 5, 1);
        let s: Vec<ItemStatus> = [
            org("dinkes", Some(d(2026, 3, 1))),
            org("dinkes", None),
            org("disdik", Some(d(2026, 4, 5))),
        ]
        .iter()
        .map(|f| item_status(f, today))
        .collect();
        let by_org = rollup(&s, |x| Some(x.organization.clone()));
        assert_eq!(by_org["dinkes"].on_time, 1);
        assert_eq!(by_org["dinkes"].late_unsent, 1);
        assert_eq!(by_org["disdik"].late, 1);
        let all = totals(&s);
        assert_eq!((all.total, all.on_time, all.late), (3, 1, 2));
        assert_eq!(by_month(&s)["2026-03"].total, 3);
        assert!((all.on_time_percent().unwrap() - 33.33).abs() < 0.01);
    }

    #[test]
    fn a_late_evening_submission_counts_for_that_day_in_wib() {
        let mut f = PlanFacts {
            item: PlanItem {
                id: crate::new_id(),
                meta: meta(),
                created_at: Utc::now(),
                updated_at: Utc::now(),
                seq: 1,
            },
            organization_slug: "x".into(),
            organization_name: "x".into(),
            organization_kind: OrgKind::Desa,
            organization_region: None,
            topic: None,
            dataset_slug: None,
            // 31 March 23:30 WIB = 16:30 UTC.
            first_submitted: Some(d(2026, 3, 31).and_hms_opt(16, 30, 0).unwrap().and_utc()),
            first_published: None,
        };
        assert!(matches!(
            item_status(&f, d(2026, 5, 1)).status,
            Timeliness::TepatWaktu { .. }
        ));
        f.first_submitted = Some(d(2026, 3, 31).and_hms_opt(17, 30, 0).unwrap().and_utc());
        assert!(matches!(
            item_status(&f, d(2026, 5, 1)).status,
            Timeliness::Terlambat { days: 1 }
        ));
    }
}
