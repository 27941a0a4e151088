//! Group-by and aggregation over the rows of one version of a table, with the rules that keep the
//! figures honest: what may be summed depends on the field's unit (satuan), so a rollup of desa to
//! kecamatan or kabupaten never adds up percentages, ratios or indices.
//!
//! The store runs an [`AggregateQuery`] (see `Store::aggregate_rows`); [`plan`] checks it against
//! the schema first, in one place for every backend and for the HTTP layer, and says in Bahasa
//! Indonesia what is refused and why, or what a result means (notes).

use serde::{Deserialize, Serialize};

use crate::region::Level;
use crate::row::{Filter, Row};
use crate::schema::{Field, FieldType, StorageType, TableSchema};

/// An aggregate function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AggFn {
    /// Rows (no field), or non-missing cells of a field.
    Count,
    /// Distinct non-missing values of a field.
    CountDistinct,
    Sum,
    /// The unweighted mean of the non-missing cells.
    Avg,
    Min,
    Max,
}

impl AggFn {
    /// Every function, in the order the query language lists them.
    pub const ALL: [AggFn; 6] = [
        AggFn::Count,
        AggFn::CountDistinct,
        AggFn::Sum,
        AggFn::Avg,
        AggFn::Min,
        AggFn::Max,
    ];

    /// The machine name (also the query parameter): `count`, `count_distinct`, `sum`, `avg`, `min`, `max`.
    pub fn as_str(self) -> &'static str {
        match self {
            AggFn::Count => "count",
            AggFn::CountDistinct => "count_distinct",
            AggFn::Sum => "sum",
            AggFn::Avg => "avg",
            AggFn::Min => "min",
            AggFn::Max => "max",
        }
    }

    /// The function named `name` (see [`AggFn::as_str`]).
    pub fn parse(name: &str) -> Option<AggFn> {
        AggFn::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

/// One aggregate: a function of a field (or of the rows, for `count` without a field).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Aggregate {
    pub func: AggFn,
    /// The field; `None` only for `count` (rows).
    pub field: Option<String>,
}

impl Aggregate {
    /// The name of the result column: `count`, `sum_jumlah`, `count_distinct_kode_desa`, ….
    pub fn name(&self) -> String {
        match &self.field {
            None => self.func.as_str().to_string(),
            Some(f) => format!("{}_{f}", self.func.as_str()),
        }
    }
}

/// One group key: a field, or a region-code field rolled up to a coarser level (desa codes grouped
/// by their kecamatan: `16.06.01.2001` → `16.06.01`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GroupBy {
    pub field: String,
    /// Roll a region-code field up to this level; `None` groups by the value itself.
    pub level: Option<Level>,
}

/// How groups are ordered: by a result column (a group key or an aggregate, by name).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AggSort {
    /// A result column name ([`GroupBy::field`] or [`Aggregate::name`]).
    pub column: String,
    pub descending: bool,
}

/// A group-by query over one version of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateQuery {
    /// The version; `None` means the latest.
    pub version: Option<i32>,
    /// Which rows take part (the same filters as row queries).
    pub filters: Vec<Filter>,
    /// Group keys; none means one group of all matching rows.
    pub group_by: Vec<GroupBy>,
    /// At least one aggregate.
    pub aggregates: Vec<Aggregate>,
    /// Order of the groups; by default the group keys ascending (missing last). Ties are broken by
    /// the group keys.
    pub sort: Vec<AggSort>,
    pub limit: u32,
    pub offset: u64,
}

impl Default for AggregateQuery {
    fn default() -> Self {
        AggregateQuery {
            version: None,
            filters: vec![],
            group_by: vec![],
            aggregates: vec![],
            sort: vec![],
            limit: 1000,
            offset: 0,
        }
    }
}

/// What a result column holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AggColumn {
    /// The column name.
    pub name: String,
    /// `group` for group keys, else the aggregate function.
    pub role: String,
    /// The source field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For a region rollup: the level of the codes in this column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// The unit (satuan) of the values, kept from the field (sum, avg, min, max) or `baris` (count).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The field's multiplier, kept for sum, avg, min and max.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiplier: Option<f64>,
}

/// The groups of an aggregate query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AggregatePage {
    /// The version the figures are about.
    pub version: i32,
    /// The result columns: the group keys, then the aggregates.
    pub columns: Vec<AggColumn>,
    /// One row per group, cells in the order of `columns`.
    pub rows: Vec<Row>,
    /// What the figures mean where it is not obvious (Bahasa Indonesia).
    pub notes: Vec<String>,
    pub limit: u32,
    pub offset: u64,
}

/// Whether values of a unit may be added up across rows (and so across regions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Additivity {
    /// Counts and amounts (jiwa, unit, rupiah, ton, hektar, …): sums are meaningful.
    Additive,
    /// Percentages, ratios, rates, indices, averages, densities: never summed.
    NonAdditive,
}

/// Words of a unit, measure (ukuran) or field title that mark a non-additive value.
const NON_ADDITIVE: &[&str] = &[
    "persen",
    "%",
    "‰",
    "permil",
    "rasio",
    "ratio",
    "rate",
    "indeks",
    "index",
    "rata-rata",
    "rata rata",
    "rata2",
    "rerata",
    "average",
    "mean",
    "median",
    "proporsi",
    "persentase",
    "prevalensi",
    "tingkat",
    "kepadatan",
    "density",
    "per 1",
    "per seribu",
    "per sepuluh",
    "per seratus",
    "/km",
    "per km",
    "per kapita",
    "perkapita",
    "skor",
    "score",
    "nilai tukar",
    "harapan hidup",
    "angka partisipasi",
];

/// Whether a unit (or a measure's name) is non-additive. A field without any hint is additive.
pub fn additivity_of_text(text: &str) -> Additivity {
    let t = text.to_lowercase().replace('_', " ");
    if NON_ADDITIVE.iter().any(|w| t.contains(w)) {
        Additivity::NonAdditive
    } else {
        Additivity::Additive
    }
}

/// The additivity of a field: from its unit; without a unit, from `fallback_unit` (the dataset's
/// satuan) and then from its title and name (`persentase_…`, `rasio_…`, `rata_rata_…`).
/// Returns the additivity and the text that decided it.
pub fn field_additivity(
    field: &Field,
    fallback_unit: Option<&str>,
) -> (Additivity, Option<String>) {
    if let Some(u) = field.unit.as_deref().filter(|u| !u.trim().is_empty()) {
        return (additivity_of_text(u), Some(u.to_string()));
    }
    if let Some(u) = fallback_unit.filter(|u| !u.trim().is_empty()) {
        if additivity_of_text(u) == Additivity::NonAdditive {
            return (Additivity::NonAdditive, Some(u.to_string()));
        }
    }
    for t in [field.title.as_deref(), Some(field.name.as_str())]
        .into_iter()
        .flatten()
    {
        if additivity_of_text(t) == Additivity::NonAdditive {
            return (Additivity::NonAdditive, Some(t.to_string()));
        }
    }
    (Additivity::Additive, None)
}

fn is_numeric(field: &Field) -> bool {
    field.region_level.is_none()
        && matches!(
            field.storage_type(),
            StorageType::Integer | StorageType::Real
        )
        && field.field_type != FieldType::Year
}

/// The length of a dotted code of `level` (`16` 2, `16.06` 5, `16.06.01` 8, `16.06.01.2001` 13).
pub fn dotted_len(level: Level) -> usize {
    match level {
        Level::Provinsi => 2,
        Level::Kabupaten => 5,
        Level::Kecamatan => 8,
        Level::Desa => 13,
    }
}

/// Check an aggregate query against the schema: fields exist, functions fit their types, rollups go
/// up the region hierarchy, and nothing non-additive is summed. Gives the result columns and the
/// notes to show with the figures; or what is wrong, in Bahasa Indonesia.
///
/// `fallback_unit` is the dataset's satuan, used for numeric fields that have no unit of their own.
pub fn plan(
    schema: &TableSchema,
    query: &AggregateQuery,
    fallback_unit: Option<&str>,
) -> Result<(Vec<AggColumn>, Vec<String>), String> {
    let field = |name: &str| -> Result<&Field, String> {
        schema
            .fields
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| {
                let known: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
                format!(
                    "kolom '{name}' tidak ada di tabel ini; kolom yang ada: {}",
                    known.join(", ")
                )
            })
    };
    if query.aggregates.is_empty() {
        return Err(
            "sebutkan paling sedikit satu agregat: count, count_distinct, sum, avg, min atau max (misalnya sum=jumlah)."
                .to_string(),
        );
    }
    let mut columns = vec![];
    let mut notes = vec![];
    let mut rolled_up = false;
    for g in &query.group_by {
        let f = field(&g.field)?;
        if let Some(level) = g.level {
            let Some(own) = f.region_level else {
                return Err(format!(
                    "kolom '{}' bukan kolom kode wilayah, jadi tidak bisa digulung ke {}.",
                    f.name,
                    level.label_id()
                ));
            };
            if level > own {
                return Err(format!(
                    "kolom '{}' berisi kode {}; tidak bisa dirinci ke {} yang lebih kecil.",
                    f.name,
                    own.label_id(),
                    level.label_id()
                ));
            }
            rolled_up |= level < own;
        }
        columns.push(AggColumn {
            name: g.field.clone(),
            role: "group".to_string(),
            field: Some(g.field.clone()),
            level: g.level.or(f.region_level),
            unit: None,
            multiplier: None,
        });
    }
    for a in &query.aggregates {
        let (unit, multiplier) = match (&a.field, a.func) {
            (None, AggFn::Count) => (Some("baris".to_string()), None),
            (None, other) => {
                return Err(format!(
                    "{} butuh nama kolom (misalnya {}=jumlah).",
                    other.as_str(),
                    other.as_str()
                ))
            }
            (Some(name), func) => {
                let f = field(name)?;
                match func {
                    AggFn::Count | AggFn::CountDistinct => (Some("baris".to_string()), None),
                    AggFn::Min | AggFn::Max => (f.unit.clone(), f.multiplier),
                    AggFn::Sum | AggFn::Avg => {
                        if !is_numeric(f) {
                            return Err(format!(
                                "{} hanya untuk kolom angka; kolom '{}' bertipe {}.",
                                func.as_str(),
                                f.name,
                                if f.region_level.is_some() {
                                    "kode wilayah"
                                } else {
                                    f.field_type.as_str()
                                }
                            ));
                        }
                        let (additivity, why) = field_additivity(f, fallback_unit);
                        if func == AggFn::Sum && additivity == Additivity::NonAdditive {
                            return Err(format!(
                                "kolom '{}' ({}) berupa persentase, rasio, indeks atau rata-rata, jadi tidak boleh dijumlahkan{}. \
                                 Pakai avg={} untuk rata-rata sederhana, atau jumlahkan kolom pembilang dan penyebutnya lalu hitung ulang rasionya.",
                                f.name,
                                why.as_deref().unwrap_or("satuan tidak aditif"),
                                if rolled_up || !query.group_by.is_empty() {
                                    " antarwilayah atau antarkelompok"
                                } else {
                                    ""
                                },
                                f.name
                            ));
                        }
                        if func == AggFn::Avg && additivity == Additivity::NonAdditive {
                            notes.push(format!(
                                "avg_{} adalah rata-rata sederhana (tidak berbobot) dari nilai {} per baris; \
                                 angka gabungan yang tepat dihitung dari pembilang dan penyebutnya.",
                                f.name,
                                why.as_deref().unwrap_or("tidak aditif")
                            ));
                        }
                        (f.unit.clone(), f.multiplier)
                    }
                }
            }
        };
        if let Some(m) = multiplier.filter(|m| *m != 1.0) {
            notes.push(format!(
                "nilai {} dalam kelipatan {} (multiplier kolom); kalikan untuk mendapat angka sebenarnya.",
                a.name(),
                crate::value::format_number(m)
            ));
        }
        columns.push(AggColumn {
            name: a.name(),
            role: a.func.as_str().to_string(),
            field: a.field.clone(),
            level: None,
            unit,
            multiplier,
        });
    }
    let mut seen = std::collections::HashSet::new();
    for c in &columns {
        if !seen.insert(c.name.as_str()) {
            return Err(format!(
                "kolom hasil '{}' disebut lebih dari sekali.",
                c.name
            ));
        }
    }
    for s in &query.sort {
        if !columns.iter().any(|c| c.name == s.column) {
            let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
            return Err(format!(
                "tidak bisa mengurutkan menurut '{}': bukan kolom hasil ({}).",
                s.column,
                names.join(", ")
            ));
        }
    }
    Ok((columns, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> TableSchema {
        let mut desa = Field::new("kode_desa", FieldType::String);
        desa.region_level = Some(Level::Desa);
        let mut jiwa = Field::new("penduduk", FieldType::Integer);
        jiwa.unit = Some("jiwa".into());
        jiwa.multiplier = Some(1000.0);
        let mut persen = Field::new("miskin", FieldType::Number);
        persen.unit = Some("Persen".into());
        let rasio = Field::new("rasio_guru_murid", FieldType::Number);
        TableSchema::new(vec![
            desa,
            jiwa,
            persen,
            rasio,
            Field::new("nama", FieldType::String),
        ])
    }

    fn q(group: &[(&str, Option<Level>)], aggs: &[(AggFn, Option<&str>)]) -> AggregateQuery {
        AggregateQuery {
            group_by: group
                .iter()
                .map(|(f, l)| GroupBy {
                    field: f.to_string(),
                    level: *l,
                })
                .collect(),
            aggregates: aggs
                .iter()
                .map(|(func, f)| Aggregate {
                    func: *func,
                    field: f.map(str::to_string),
                })
                .collect(),
            ..AggregateQuery::default()
        }
    }

    #[test]
    fn counts_and_sums_roll_up() {
        let (cols, notes) = plan(
            &schema(),
            &q(
                &[("kode_desa", Some(Level::Kecamatan))],
                &[(AggFn::Count, None), (AggFn::Sum, Some("penduduk"))],
            ),
            None,
        )
        .unwrap();
        let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["kode_desa", "count", "sum_penduduk"]);
        assert_eq!(cols[0].level, Some(Level::Kecamatan));
        assert_eq!(cols[2].unit.as_deref(), Some("jiwa"));
        assert!(notes[0].contains("1000"), "{notes:?}");
    }

    #[test]
    fn percentages_are_never_summed() {
        for f in ["miskin", "rasio_guru_murid"] {
            let e = plan(
                &schema(),
                &q(
                    &[("kode_desa", Some(Level::Kecamatan))],
                    &[(AggFn::Sum, Some(f))],
                ),
                None,
            )
            .unwrap_err();
            assert!(
                e.contains("tidak boleh dijumlahkan") && e.contains(f),
                "{e}"
            );
        }
        let (_, notes) = plan(
            &schema(),
            &q(
                &[("kode_desa", Some(Level::Kabupaten))],
                &[(AggFn::Avg, Some("miskin"))],
            ),
            None,
        )
        .unwrap();
        assert!(
            notes.iter().any(|n| n.contains("tidak berbobot")),
            "{notes:?}"
        );
        // The dataset's satuan counts for fields without a unit.
        let mut s = schema();
        s.fields[1].unit = None;
        assert!(plan(
            &s,
            &q(&[], &[(AggFn::Sum, Some("penduduk"))]),
            Some("persen")
        )
        .is_err());
        assert!(plan(&s, &q(&[], &[(AggFn::Sum, Some("penduduk"))]), Some("jiwa")).is_ok());
    }

    #[test]
    fn bad_queries_say_why() {
        let s = schema();
        for (query, word) in [
            (q(&[], &[]), "agregat"),
            (
                q(&[("nama", Some(Level::Kecamatan))], &[(AggFn::Count, None)]),
                "bukan kolom kode wilayah",
            ),
            (
                q(&[("kode_desa", None)], &[(AggFn::Sum, Some("nama"))]),
                "hanya untuk kolom angka",
            ),
            (q(&[], &[(AggFn::Sum, Some("tidak_ada"))]), "tidak_ada"),
            (q(&[], &[(AggFn::Sum, None)]), "butuh nama kolom"),
        ] {
            let e = plan(&s, &query, None).unwrap_err();
            assert!(e.contains(word), "{e}");
        }
        let mut query = q(&[("kode_desa", None)], &[(AggFn::Count, None)]);
        query.sort.push(AggSort {
            column: "jumlah".into(),
            descending: true,
        });
        assert!(plan(&s, &query, None).unwrap_err().contains("jumlah"));
    }
}
