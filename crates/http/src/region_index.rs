//! Every published figure about every place of the home region, for the region pages
//! (`/wilayah/CODE`).
//!
//! For each open, published table with a region-code field, each numeric measure is aggregated
//! by region (rolled up along the hierarchy desa → kecamatan → kabupaten, summing additive units and
//! averaging the others, as the data API does) and by period. The result is kept in memory and
//! rebuilt when the store's sequence number moves, like the catalogue index: a region page is then
//! a lookup, not a scan of every table. Only open (*terbuka*) data goes in, so the pages built
//! from it never show restricted data, whoever asks.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use satudata_core::aggregate::{
    field_additivity, Additivity, AggFn, Aggregate, AggregateQuery, GroupBy,
};
use satudata_core::dataset::{Access, ResourceKind};
use satudata_core::region::{Level, RegionCode};
use satudata_core::schema::{Field, FieldType, StorageType, TableSchema};
use satudata_core::value::Value;
use satudata_store::{DatasetQuery, Store, StoreError, StoreResult};

use crate::catalog_index::CatalogIndex;

/// The most measures of one table that become figures.
const MEASURES_PER_TABLE: usize = 4;

/// One figure about one place: a measure of a table over the periods.
#[derive(Debug, Clone)]
pub struct Figure {
    /// The dataset it comes from.
    pub dataset_slug: String,
    pub dataset_title: String,
    /// The table (resource name) and the measure field.
    pub resource: String,
    pub field: String,
    /// The measure as people name it (the field's title, else its name).
    pub label: String,
    pub unit: Option<String>,
    /// Whether the values were summed (counts, amounts) or averaged (rates, percentages).
    pub summed: bool,
    /// The values by period, oldest first (one entry, period `""`, when the table has no period).
    pub series: Vec<(String, f64)>,
    /// The place's rank at the latest period among the places of the same level under the same
    /// parent (1 = highest value), and how many there are.
    pub rank: Option<(usize, usize)>,
}

impl Figure {
    /// The latest period and value.
    pub fn latest(&self) -> Option<&(String, f64)> {
        self.series.last()
    }
}

/// The figures of every place, as of one sequence number.
pub struct RegionFigures {
    seq: i64,
    by_code: HashMap<RegionCode, Vec<Figure>>,
}

impl RegionFigures {
    /// The figures about `code`, ordered by dataset title and label.
    pub fn of(&self, code: &RegionCode) -> &[Figure] {
        self.by_code.get(code).map(Vec::as_slice).unwrap_or(&[])
    }

    /// How many places have figures.
    pub fn places(&self) -> usize {
        self.by_code.len()
    }
}

/// The index, shared by every request of a node.
#[derive(Default)]
pub struct RegionIndex {
    current: tokio::sync::RwLock<Option<Arc<RegionFigures>>>,
    rebuilding: tokio::sync::Mutex<()>,
}

impl RegionIndex {
    /// The figures as of the store's current state, rebuilt first if the store changed.
    pub async fn figures(
        &self,
        store: &dyn Store,
        catalog: &CatalogIndex,
        home: &RegionCode,
    ) -> StoreResult<Arc<RegionFigures>> {
        let seq = store.current_seq().await?;
        if let Some(f) = self.current.read().await.as_ref().filter(|f| f.seq == seq) {
            return Ok(f.clone());
        }
        let _guard = self.rebuilding.lock().await;
        if let Some(f) = self.current.read().await.as_ref().filter(|f| f.seq == seq) {
            return Ok(f.clone());
        }
        let started = std::time::Instant::now();
        let figures = Arc::new(build(store, catalog, home, seq).await?);
        tracing::info!(
            places = figures.places(),
            ms = started.elapsed().as_millis() as u64,
            "region figures rebuilt"
        );
        *self.current.write().await = Some(figures.clone());
        Ok(figures)
    }
}

/// The fields of a table that make figures.
struct Shape<'a> {
    region: &'a Field,
    period: Option<&'a Field>,
    measures: Vec<&'a Field>,
    /// Whether the table has other text columns (breakdowns such as sex or age group).
    has_breakdown: bool,
}

fn shape(schema: &TableSchema) -> Option<Shape<'_>> {
    let region = schema
        .fields
        .iter()
        .filter(|f| f.region_level.is_some())
        .max_by_key(|f| f.region_level.map(|l| l.digits()))?;
    let period = schema
        .fields
        .iter()
        .find(|f| f.period)
        .or_else(|| {
            schema
                .fields
                .iter()
                .find(|f| f.field_type == FieldType::Year)
        })
        .or_else(|| {
            schema
                .fields
                .iter()
                .find(|f| f.region_level.is_none() && f.name.eq_ignore_ascii_case("tahun"))
        });
    let is_period = |f: &Field| period.is_some_and(|p| p.name == f.name);
    let measures: Vec<&Field> = schema
        .fields
        .iter()
        .filter(|f| {
            f.region_level.is_none()
                && !is_period(f)
                && f.field_type != FieldType::Year
                && matches!(f.storage_type(), StorageType::Integer | StorageType::Real)
                && !f.name.to_lowercase().starts_with("kode")
                && !f.name.to_lowercase().starts_with("id")
        })
        .take(MEASURES_PER_TABLE)
        .collect();
    if measures.is_empty() {
        return None;
    }
    let has_breakdown = schema.fields.iter().any(|f| {
        f.region_level.is_none()
            && !is_period(f)
            && f.field_type == FieldType::String
            && !f.name.to_lowercase().starts_with("nama")
    });
    Some(Shape {
        region,
        period,
        measures,
        has_breakdown,
    })
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Num(x) if x.is_finite() => Some(*x),
        _ => None,
    }
}

/// Build the figures of every place from the open, published tables of the catalogue.
async fn build(
    store: &dyn Store,
    catalog: &CatalogIndex,
    home: &RegionCode,
    seq: i64,
) -> StoreResult<RegionFigures> {
    let snapshot = catalog.snapshot(store).await?;
    let query = DatasetQuery {
        access: vec![Access::Terbuka],
        ..DatasetQuery::default()
    };
    // (code, level) → figures, before ranking.
    let mut by_code: HashMap<RegionCode, Vec<Figure>> = HashMap::new();
    let mut entries: Vec<_> = snapshot.matching(&query).filter(|e| e.has_table).collect();
    entries.sort_by(|a, b| a.dataset.meta.title.cmp(&b.dataset.meta.title));
    for e in entries {
        let d = &e.dataset;
        for r in store.list_resources(d.id).await? {
            let ResourceKind::Table { schema } = &r.kind else {
                continue;
            };
            let Some(shape) = shape(schema) else { continue };
            let Some(version) = store.latest_published(r.id).await? else {
                continue;
            };
            let finest = shape.region.region_level.unwrap_or(Level::Desa);
            for level in [Level::Desa, Level::Kecamatan, Level::Kabupaten] {
                if level.digits() > finest.digits() {
                    continue;
                }
                let measures: Vec<(&Field, bool)> = shape
                    .measures
                    .iter()
                    .map(|f| {
                        let (a, _) = field_additivity(f, d.meta.satuan.as_deref());
                        (*f, a == Additivity::Additive)
                    })
                    // Averaging a rate over breakdowns (men and women, age groups) would
                    // misstate it; such measures are left out rather than shown wrong.
                    .filter(|(_, additive)| *additive || !shape.has_breakdown)
                    .collect();
                if measures.is_empty() {
                    continue;
                }
                let mut group_by = vec![GroupBy {
                    field: shape.region.name.clone(),
                    level: (level != finest).then_some(level),
                }];
                if let Some(p) = shape.period {
                    group_by.push(GroupBy {
                        field: p.name.clone(),
                        level: None,
                    });
                }
                let q = AggregateQuery {
                    version: Some(version),
                    group_by,
                    aggregates: measures
                        .iter()
                        .map(|(f, additive)| Aggregate {
                            func: if *additive { AggFn::Sum } else { AggFn::Avg },
                            field: Some(f.name.clone()),
                        })
                        .collect(),
                    limit: 10_000,
                    ..AggregateQuery::default()
                };
                let page = match store.aggregate_rows(r.id, &q).await {
                    Ok(p) => p,
                    // The planner refuses what cannot be rolled up; leave that level out.
                    Err(StoreError::Invalid(why)) => {
                        tracing::debug!(dataset = %d.meta.slug, %why, "region figures: level skipped");
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                let keys = 1 + usize::from(shape.period.is_some());
                // (code, measure index) → period → value
                let mut series: BTreeMap<(RegionCode, usize), BTreeMap<String, f64>> =
                    BTreeMap::new();
                for row in &page.rows {
                    let Some(code) = row.first().and_then(|v| match v {
                        Value::Text(s) => RegionCode::parse(s).ok(),
                        Value::Int(i) => RegionCode::parse(&i.to_string()).ok(),
                        _ => None,
                    }) else {
                        continue;
                    };
                    if !code.is_within(home) {
                        continue;
                    }
                    let period = if keys == 2 {
                        row.get(1).map(Value::to_text).unwrap_or_default()
                    } else {
                        String::new()
                    };
                    for (i, v) in row.iter().skip(keys).enumerate() {
                        if let Some(x) = number(v) {
                            series
                                .entry((code, i))
                                .or_default()
                                .insert(period.clone(), x);
                        }
                    }
                }
                for ((code, i), values) in series {
                    let (f, summed) = measures[i];
                    by_code.entry(code).or_default().push(Figure {
                        dataset_slug: d.meta.slug.clone(),
                        dataset_title: d.meta.title.clone(),
                        resource: r.name.clone(),
                        field: f.name.clone(),
                        label: f.title.clone().unwrap_or_else(|| f.name.replace('_', " ")),
                        unit: f.unit.clone().or_else(|| d.meta.satuan.clone()),
                        summed,
                        series: values.into_iter().collect(),
                        rank: None,
                    });
                }
            }
        }
    }
    rank(&mut by_code);
    Ok(RegionFigures { seq, by_code })
}

/// Rank each figure among the figures of the same measure at the same period for the places with
/// the same parent and level.
fn rank(by_code: &mut HashMap<RegionCode, Vec<Figure>>) {
    // (parent, level digits, dataset, resource, field, period) → values of the peers
    type Key = (Option<RegionCode>, usize, String, String, String, String);
    let mut peers: HashMap<Key, Vec<f64>> = HashMap::new();
    let key = |code: &RegionCode, f: &Figure| -> Option<Key> {
        let (period, _) = f.latest()?;
        Some((
            code.parent(),
            code.level().digits(),
            f.dataset_slug.clone(),
            f.resource.clone(),
            f.field.clone(),
            period.clone(),
        ))
    };
    for (code, figures) in by_code.iter() {
        for f in figures {
            if let (Some(k), Some((_, v))) = (key(code, f), f.latest()) {
                peers.entry(k).or_default().push(*v);
            }
        }
    }
    for (code, figures) in by_code.iter_mut() {
        for f in figures.iter_mut() {
            let (Some(k), Some((_, v))) = (key(code, f), f.latest()) else {
                continue;
            };
            if let Some(values) = peers.get(&k).filter(|v| v.len() > 1) {
                let higher = values.iter().filter(|x| **x > *v).count();
                f.rank = Some((higher + 1, values.len()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_shape_needs_a_region_and_a_measure() {
        let mut region = Field::new("kode_desa", FieldType::String);
        region.region_level = Some(Level::Desa);
        let mut year = Field::new("tahun", FieldType::Integer);
        year.period = true;
        let count = Field::new("jumlah_penduduk", FieldType::Integer);
        let sex = Field::new("jenis_kelamin", FieldType::String);
        let schema = TableSchema::new(vec![region.clone(), year.clone(), count.clone(), sex]);
        let s = shape(&schema).unwrap();
        assert_eq!(s.region.name, "kode_desa");
        assert_eq!(s.period.unwrap().name, "tahun");
        assert_eq!(s.measures.len(), 1);
        assert!(s.has_breakdown);
        assert!(shape(&TableSchema::new(vec![year, count])).is_none());
        assert!(shape(&TableSchema::new(vec![region])).is_none());
    }
}
