//! How a demo dataset is described, and how its metadata, schema and versions are built from that
//! description. The descriptions themselves are in `datasets.rs`.

use satudata_core::dataset::{Access, DataKind, DatasetMeta, Periodicity, PresentationLevel};
use satudata_core::region::Level;
use satudata_core::row::Row;
use satudata_core::schema::{Constraints, Field, FieldType, TableSchema};
use satudata_core::value::Value;
use satudata_core::Id;

use crate::profile::{Area, Geography};
use crate::rng::Rng;

/// The sentence every demo dataset's description carries, so that nobody mistakes it for real data.
pub const DEMO_NOTE: &str = "Data demo (sintetis) — bukan data resmi.";

/// The years the demo covers.
pub(crate) const FIRST_YEAR: i32 = 2019;
pub(crate) const LAST_YEAR: i32 = 2024;

/// What a row generator sees: the region, the year and the breakdown category of the row.
pub(crate) struct Ctx<'a> {
    pub area: &'a Area,
    pub year: i32,
    /// Index of the breakdown category (0 when the table has no breakdown).
    pub cat: usize,
}

impl Ctx<'_> {
    /// Years since 2019.
    pub fn t(&self) -> f64 {
        f64::from(self.year - FIRST_YEAR)
    }

    /// Population of the area in 2019 (for things that follow the size of a place, not its growth).
    pub fn pop2019_base(&self) -> f64 {
        self.area.pop2019
    }

    /// Population of the area this year.
    pub fn pop(&self) -> f64 {
        self.area.pop(self.year)
    }

    /// A number in [0, 1) fixed for this area and `salt`, the same every year: for traits of a place
    /// (how many clinics it has) that must not jump about from one year to the next.
    pub fn stable(&self, salt: &str) -> f64 {
        Rng::keyed(&format!("{}:{salt}", self.area.code.dotted())).unit()
    }

    /// The entry of a per-year table (2019–2024).
    pub fn yearly(&self, table: [f64; 6]) -> f64 {
        table[(self.year - FIRST_YEAR).clamp(0, 5) as usize]
    }
}

/// Makes the measure values of one row (in the order of [`Spec::measures`]).
pub(crate) type Gen = fn(&Ctx, &mut Rng) -> Vec<Value>;

/// A value column.
pub(crate) struct Measure {
    pub name: &'static str,
    pub title: &'static str,
    pub ty: FieldType,
    pub unit: Option<&'static str>,
    /// Allowed values of a text column.
    pub allowed: &'static [&'static str],
}

/// An integer count, e.g. `jiwa`.
pub(crate) fn count(name: &'static str, title: &'static str, unit: &'static str) -> Measure {
    Measure {
        name,
        title,
        ty: FieldType::Integer,
        unit: Some(unit),
        allowed: &[],
    }
}

/// A decimal number, e.g. `persen`, `ton`.
pub(crate) fn number(name: &'static str, title: &'static str, unit: &'static str) -> Measure {
    Measure {
        name,
        title,
        ty: FieldType::Number,
        unit: Some(unit),
        allowed: &[],
    }
}

/// A text column with a code list.
pub(crate) fn category(
    name: &'static str,
    title: &'static str,
    allowed: &'static [&'static str],
) -> Measure {
    Measure {
        name,
        title,
        ty: FieldType::String,
        unit: None,
        allowed,
    }
}

/// A yes/no column.
pub(crate) fn flag(name: &'static str, title: &'static str) -> Measure {
    Measure {
        name,
        title,
        ty: FieldType::Boolean,
        unit: None,
        allowed: &[],
    }
}

/// A whole number, never negative.
pub(crate) fn int(x: f64) -> Value {
    Value::Int(x.round().max(0.0) as i64)
}

/// A decimal rounded to `dp` places, never negative.
pub(crate) fn num(x: f64, dp: i32) -> Value {
    let m = 10f64.powi(dp);
    Value::Num(((x * m).round() / m).max(0.0))
}

/// `100 × part / whole`, two decimals (0 when `whole` is 0).
pub(crate) fn pct(part: f64, whole: f64) -> Value {
    num(
        if whole > 0.0 {
            100.0 * part / whole
        } else {
            0.0
        },
        2,
    )
}

/// A demo dataset.
pub(crate) struct Spec {
    pub slug: &'static str,
    pub title: &'static str,
    /// Slug of the producing organisation.
    pub org: &'static str,
    pub level: Level,
    pub topics: &'static [&'static str],
    pub tags: &'static [&'static str],
    pub definisi: &'static str,
    pub konsep: &'static str,
    pub satuan: &'static str,
    pub ukuran: &'static str,
    pub klasifikasi: Option<&'static str>,
    pub periodicity: Periodicity,
    pub access: Access,
    pub jenis: DataKind,
    pub source: &'static str,
    /// (field name, title, categories)
    pub breakdown: Option<(&'static str, &'static str, &'static [&'static str])>,
    pub measures: Vec<Measure>,
    pub gen: Gen,
    /// How many versions the data is loaded in (1–3); earlier ones lack the latest years and carry
    /// preliminary figures that later ones correct.
    pub versions: u8,
    /// Only desa, not kelurahan (Dana Desa, Indeks Desa Membangun).
    pub only_desa: bool,
    pub prioritas: bool,
    pub id_sds: Option<&'static str>,
}

impl Spec {
    /// A dataset of `org` at `level` with no breakdown, one version, open access, yearly.
    pub fn new(
        slug: &'static str,
        title: &'static str,
        org: &'static str,
        level: Level,
        gen: Gen,
    ) -> Spec {
        Spec {
            slug,
            title,
            org,
            level,
            topics: &[],
            tags: &[],
            definisi: "",
            konsep: "",
            satuan: "",
            ukuran: "jumlah",
            klasifikasi: None,
            periodicity: Periodicity::Tahunan,
            access: Access::Terbuka,
            jenis: DataKind::Statistik,
            source: "",
            breakdown: None,
            measures: vec![],
            gen,
            versions: 1,
            only_desa: false,
            prioritas: false,
            id_sds: None,
        }
    }
    pub fn topics(mut self, t: &'static [&'static str]) -> Self {
        self.topics = t;
        self
    }
    pub fn tags(mut self, t: &'static [&'static str]) -> Self {
        self.tags = t;
        self
    }
    pub fn definisi(mut self, d: &'static str) -> Self {
        self.definisi = d;
        self
    }
    pub fn konsep(mut self, k: &'static str) -> Self {
        self.konsep = k;
        self
    }
    pub fn satuan(mut self, s: &'static str, ukuran: &'static str) -> Self {
        self.satuan = s;
        self.ukuran = ukuran;
        self
    }
    pub fn klasifikasi(mut self, k: &'static str) -> Self {
        self.klasifikasi = Some(k);
        self
    }
    pub fn periodicity(mut self, p: Periodicity) -> Self {
        self.periodicity = p;
        self
    }
    pub fn access(mut self, a: Access) -> Self {
        self.access = a;
        self
    }
    pub fn jenis(mut self, j: DataKind) -> Self {
        self.jenis = j;
        self
    }
    pub fn source(mut self, s: &'static str) -> Self {
        self.source = s;
        self
    }
    pub fn by(
        mut self,
        field: &'static str,
        title: &'static str,
        cats: &'static [&'static str],
    ) -> Self {
        self.breakdown = Some((field, title, cats));
        self
    }
    pub fn measures(mut self, m: Vec<Measure>) -> Self {
        self.measures = m;
        self
    }
    pub fn versions(mut self, n: u8) -> Self {
        self.versions = n.clamp(1, 3);
        self
    }
    pub fn only_desa(mut self) -> Self {
        self.only_desa = true;
        self
    }
    pub fn prioritas(mut self) -> Self {
        self.prioritas = true;
        self
    }
    pub fn sds(mut self, code: &'static str) -> Self {
        self.id_sds = Some(code);
        self
    }

    fn region_field_names(&self) -> (&'static str, &'static str, &'static str, &'static str) {
        if self.level == Level::Desa {
            (
                "kode_desa",
                "Kode Desa/Kelurahan",
                "nama_desa",
                "Nama Desa/Kelurahan",
            )
        } else {
            (
                "kode_kecamatan",
                "Kode Kecamatan",
                "nama_kecamatan",
                "Nama Kecamatan",
            )
        }
    }

    /// The Table Schema of the dataset's table.
    pub fn schema(&self) -> TableSchema {
        let (code, code_title, name, name_title) = self.region_field_names();
        let required = Constraints {
            required: true,
            ..Constraints::default()
        };
        let mut fields = vec![];
        let mut f = Field::new(code, FieldType::String);
        f.title = Some(code_title.into());
        f.description = Some("Kode wilayah Kemendagri (PP.KK.CC atau PP.KK.CC.DDDD).".into());
        f.region_level = Some(self.level);
        f.constraints = required.clone();
        fields.push(f);
        let mut f = Field::new(name, FieldType::String);
        f.title = Some(name_title.into());
        fields.push(f);
        let mut f = Field::new("tahun", FieldType::Year);
        f.title = Some("Tahun".into());
        f.period = true;
        f.constraints = required.clone();
        fields.push(f);
        let mut key = vec![code.to_string(), "tahun".to_string()];
        if let Some((b, title, cats)) = self.breakdown {
            let mut f = Field::new(b, FieldType::String);
            f.title = Some(title.into());
            f.constraints = Constraints {
                required: true,
                enum_values: Some(cats.iter().map(|c| serde_json::Value::from(*c)).collect()),
                ..Constraints::default()
            };
            fields.push(f);
            key.push(b.to_string());
        }
        for m in &self.measures {
            let mut f = Field::new(m.name, m.ty);
            f.title = Some(m.title.into());
            f.unit = m.unit.map(str::to_string);
            if matches!(m.ty, FieldType::Integer | FieldType::Number) {
                f.constraints.minimum = Some(serde_json::Value::from(0));
            }
            if !m.allowed.is_empty() {
                f.constraints.enum_values = Some(
                    m.allowed
                        .iter()
                        .map(|c| serde_json::Value::from(*c))
                        .collect(),
                );
            }
            fields.push(f);
        }
        let mut schema = TableSchema::new(fields);
        schema.primary_key = key;
        schema
    }

    /// The dataset's metadata, for the organisation `organization_id`.
    pub fn meta(&self, n: usize, organization_id: Id, ctx: &MetaContext) -> DatasetMeta {
        let mut m = DatasetMeta::new(self.title, self.slug, organization_id);
        m.description = format!(
            "{}\n\n{DEMO_NOTE} Angka dibangkitkan secara deterministik oleh satudata untuk peragaan; \
             jangan dipakai sebagai rujukan.",
            self.definisi
        );
        m.tags = self.tags.iter().map(|t| t.to_string()).collect();
        m.topics = self.topics.iter().map(|t| t.to_string()).collect();
        m.satuan = Some(self.satuan.to_string());
        m.ukuran = Some(self.ukuran.to_string());
        m.klasifikasi = Some(
            self.klasifikasi
                .map(|k| format!("wilayah ({}), tahun, {k}", self.level.label_id()))
                .unwrap_or_else(|| format!("wilayah ({}), tahun", self.level.label_id())),
        );
        m.konsep = Some(self.konsep.to_string());
        m.periodicity = self.periodicity;
        m.access = self.access;
        m.level = Some(if self.level == Level::Desa {
            PresentationLevel::Desa
        } else {
            PresentationLevel::Kecamatan
        });
        m.jenis = self.jenis;
        m.temporal_start = Some(FIRST_YEAR);
        m.temporal_end = Some(LAST_YEAR);
        m.source = Some(format!("{} (demo)", self.source));
        m.license = "CC-BY-4.0".to_string();
        if let Some((acronym, email)) = crate::orgs::contact(self.org) {
            m.author = Some(format!("{acronym} {}", ctx.kab));
            m.author_email = Some(email);
        }
        m.maintainer = Some(format!("Walidata — Diskominfo {}", ctx.kab));
        m.maintainer_email = crate::orgs::contact(crate::orgs::WALIDATA_SLUG).map(|c| c.1);
        m.id_dds = Some(format!("DD-{}-{:03}", ctx.home_undotted, n + 1));
        m.id_sds = self.id_sds.map(str::to_string);
        m.prioritas_tahun = self.prioritas.then_some(LAST_YEAR);
        m
    }

    /// The areas the table has rows for.
    fn areas<'g>(&self, geo: &'g Geography) -> Vec<&'g Area> {
        geo.areas(self.level)
            .iter()
            .filter(|a| !self.only_desa || a.is_desa())
            .collect()
    }

    /// Rows of the final version (without generating them).
    pub fn row_count(&self, geo: &Geography) -> usize {
        let cats = self.breakdown.map(|b| b.2.len()).unwrap_or(1);
        self.areas(geo).len() * cats * (LAST_YEAR - FIRST_YEAR + 1) as usize
    }

    /// Every row of the final version, in upload order (year, region, category).
    pub fn rows(&self, geo: &Geography) -> Vec<Row> {
        let mut rng = Rng::keyed(self.slug);
        let cats: &[&str] = self.breakdown.map(|b| b.2).unwrap_or(&[""]);
        let areas = self.areas(geo);
        let mut rows = Vec::with_capacity(areas.len() * cats.len() * 6);
        for year in FIRST_YEAR..=LAST_YEAR {
            for area in &areas {
                for (cat, cat_name) in cats.iter().enumerate() {
                    let ctx = Ctx { area, year, cat };
                    let mut row = vec![
                        Value::Text(area.code.dotted()),
                        Value::Text(area.name.clone()),
                        Value::Int(i64::from(year)),
                    ];
                    if self.breakdown.is_some() {
                        row.push(Value::Text(cat_name.to_string()));
                    }
                    row.extend((self.gen)(&ctx, &mut rng));
                    rows.push(row);
                }
            }
        }
        rows
    }

    /// The versions to load: (rows, summary), oldest first.
    pub fn versions_of(&self, rows: &[Row]) -> Vec<(Vec<Row>, String)> {
        let n = i32::from(self.versions);
        let year_col = 2;
        let first_measure = 3 + usize::from(self.breakdown.is_some());
        let mut out = vec![];
        for k in 1..=n {
            let end = LAST_YEAR - (n - k);
            let mut v: Vec<Row> = rows
                .iter()
                .filter(|r| matches!(r[year_col], Value::Int(y) if y <= i64::from(end)))
                .cloned()
                .collect();
            if k < n {
                // The latest year of an early version holds preliminary figures ("angka sementara")
                // that the next version corrects.
                let mut rng = Rng::keyed(&format!("{}/v{k}", self.slug));
                let positive = |c: &Value| {
                    matches!(c, Value::Int(x) if *x > 0) || matches!(c, Value::Num(x) if *x > 0.0)
                };
                let mut candidates: Vec<usize> = v
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| matches!(r[year_col], Value::Int(y) if y == i64::from(end)))
                    .filter(|(_, r)| r[first_measure..].iter().any(positive))
                    .map(|(i, _)| i)
                    .collect();
                for _ in 0..3 {
                    if candidates.is_empty() {
                        break;
                    }
                    let i = candidates.swap_remove(rng.below(candidates.len()));
                    let factor = if rng.unit() < 0.5 {
                        rng.range(1.03, 1.12)
                    } else {
                        rng.range(0.88, 0.97)
                    };
                    if let Some(cell) = v[i][first_measure..].iter_mut().find(|c| positive(c)) {
                        // Always a real change, also for small counts.
                        match cell {
                            Value::Int(x) => {
                                let y = ((*x as f64) * factor).round() as i64;
                                *x = if y == *x { *x + 1 } else { y };
                            }
                            Value::Num(x) => {
                                let y = ((*x * factor) * 100.0).round() / 100.0;
                                *x = if y == *x { *x + 0.01 } else { y };
                            }
                            _ => {}
                        }
                    }
                }
            }
            let summary = if k == 1 {
                format!("Unggahan awal: data {FIRST_YEAR}–{end}.")
            } else {
                format!(
                    "Menambah data tahun {end} dan memperbarui angka sementara tahun {} setelah pemeriksaan walidata.",
                    end - 1
                )
            };
            out.push((v, summary));
        }
        out
    }
}

/// What metadata needs to know about the instance.
pub(crate) struct MetaContext {
    /// "Kabupaten Musi Banyuasin".
    pub kab: String,
    /// "1606".
    pub home_undotted: String,
}
