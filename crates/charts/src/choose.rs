//! Which chart fits a table. The rule, from the schema (satudata's Table Schema extensions) and the
//! number of periods in the published data:
//!
//! 1. **The measure** is the first numeric field (not a year, not a period, not a region code)
//!    whose name or title starts with `jumlah` or `total`, else the first numeric field. It is
//!    **summed** across rows when its unit allows (`satudata_core::aggregate::field_additivity`) and
//!    **averaged** otherwise (percentages, ratios, indices are never added up). A table without a
//!    numeric field charts **row counts** (e.g. desa by status).
//! 2. **The breakdown** is a text field with a code list (`enum`, 2–12 values) that is part of the
//!    primary key (or any such field when the table has no numeric measure), e.g. `jenis_kelamin`.
//! 3. With a **period field and at least two periods**, and either no region field or a measure that
//!    adds up (so regions sum to the whole regency): the chart runs **over periods** — a **line**,
//!    or **stacked bars** per period when there is a breakdown and the measure adds up (a line per
//!    category when it does not).
//! 4. Otherwise, with a **region-code field**: **bars by region** for the latest period, sorted,
//!    **stacked** by the breakdown when the measure adds up.
//! 5. Otherwise, with a breakdown only: bars by category. Otherwise no chart.
//!
//! A **map** is offered whenever there is a region-code field and the figures per region are one
//! number (no breakdown, or one that adds up): the latest period, by region.

use satudata_core::aggregate::{field_additivity, Additivity};
use satudata_core::region::Level;
use satudata_core::schema::{Field, FieldType, StorageType, TableSchema};

/// The kind of chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// A line over periods (one per breakdown category, if any).
    Line,
    /// Horizontal bars, sorted (by region, or by category).
    Bars,
    /// Stacked horizontal bars: one bar per period or region, one segment per category.
    StackedBars,
}

/// How the measure is combined across rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    Sum,
    Avg,
    /// Rows (no numeric field).
    Count,
}

/// The chart that fits a table, and the fields it is made of.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChartPlan {
    pub kind: ChartKind,
    /// The measure field (`None` with [`Combine::Count`]).
    pub measure: Option<String>,
    /// Its title (or name): what the values are.
    pub measure_title: String,
    /// Its unit (the field's, else the dataset's satuan; `baris` for counts).
    pub unit: Option<String>,
    pub combine: Combine,
    /// The period field, when the chart runs over periods or is limited to the latest period.
    pub period: Option<String>,
    /// Whether the labels are periods (else regions or categories).
    pub over_periods: bool,
    /// The region-code field and its level.
    pub region: Option<(String, Level)>,
    /// The breakdown field (the series).
    pub breakdown: Option<String>,
    /// Whether a map fits (region field, one number per region).
    pub map: bool,
}

fn is_measure(f: &Field) -> bool {
    f.region_level.is_none()
        && !f.period
        && f.field_type != FieldType::Year
        && matches!(f.storage_type(), StorageType::Integer | StorageType::Real)
}

fn is_category(f: &Field) -> bool {
    f.region_level.is_none()
        && !f.period
        && f.storage_type() == StorageType::Text
        && f.constraints
            .enum_values
            .as_ref()
            .is_some_and(|v| (2..=12).contains(&v.len()))
}

/// Choose the chart for a table (see the module docs for the rule). `fallback_unit` is the
/// dataset's satuan; `periods` the number of distinct periods in the published data.
pub fn plan(
    schema: &TableSchema,
    fallback_unit: Option<&str>,
    periods: usize,
) -> Option<ChartPlan> {
    let fields = &schema.fields;
    let starts_total = |f: &&Field| {
        let t = f.title.as_deref().unwrap_or("").to_lowercase();
        let n = f.name.to_lowercase();
        n.starts_with("jumlah")
            || n.starts_with("total")
            || t.starts_with("jumlah")
            || t.starts_with("total")
    };
    let measures: Vec<&Field> = fields.iter().filter(|f| is_measure(f)).collect();
    let measure = measures
        .iter()
        .find(|f| starts_total(f))
        .or_else(|| measures.first())
        .copied();
    let (combine, additive) = match measure {
        Some(m) => match field_additivity(m, fallback_unit).0 {
            Additivity::Additive => (Combine::Sum, true),
            Additivity::NonAdditive => (Combine::Avg, false),
        },
        None => (Combine::Count, true),
    };
    let breakdown = fields
        .iter()
        .filter(|f| is_category(f))
        .find(|f| measure.is_none() || schema.primary_key.contains(&f.name))
        .map(|f| f.name.clone());
    let region = fields
        .iter()
        .find_map(|f| f.region_level.map(|l| (f.name.clone(), l)));
    let period = fields.iter().find(|f| f.period).map(|f| f.name.clone());
    if measure.is_none() && breakdown.is_none() && region.is_none() {
        return None;
    }
    let unit = match measure {
        Some(m) => m
            .unit
            .clone()
            .or_else(|| fallback_unit.map(str::to_string))
            .filter(|u| !u.trim().is_empty()),
        None => Some("baris".to_string()),
    };
    let measure_title = match measure {
        Some(m) => m.title.clone().unwrap_or_else(|| m.name.clone()),
        None => "Jumlah baris".to_string(),
    };
    let over_periods = period.is_some() && periods >= 2 && (region.is_none() || additive);
    let kind = if over_periods {
        if breakdown.is_some() && additive {
            ChartKind::StackedBars
        } else {
            ChartKind::Line
        }
    } else if region.is_some() {
        if breakdown.is_some() && additive {
            ChartKind::StackedBars
        } else {
            ChartKind::Bars
        }
    } else if breakdown.is_some() {
        ChartKind::Bars
    } else if period.is_some() && periods >= 2 {
        ChartKind::Line
    } else {
        return None;
    };
    // Without addition, a breakdown cannot be folded into one number per region: chart the
    // categories as series of a line, or skip the breakdown for region bars (one bar per row).
    let breakdown = match kind {
        ChartKind::Bars if region.is_some() => None,
        _ => breakdown,
    };
    let map = region.is_some() && (breakdown.is_none() || additive);
    Some(ChartPlan {
        kind,
        measure: measure.map(|m| m.name.clone()),
        measure_title,
        unit,
        combine,
        period,
        over_periods,
        region,
        breakdown,
        map,
    })
}

/// One aggregated figure: the label (period, region name or category), the series (breakdown
/// category, `None` for a single series) and the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub label: String,
    pub series: Option<String>,
    pub value: Option<f64>,
}

/// Arrange aggregated figures (labels in the order given; series in order of first appearance)
/// into [`crate::ChartData`].
pub fn arrange(figures: &[Figure]) -> crate::ChartData {
    let mut labels: Vec<String> = vec![];
    let mut series: Vec<Option<String>> = vec![];
    for f in figures {
        if !labels.contains(&f.label) {
            labels.push(f.label.clone());
        }
        if !series.contains(&f.series) {
            series.push(f.series.clone());
        }
    }
    let mut data = crate::ChartData {
        labels,
        series: series
            .iter()
            .map(|s| crate::Series {
                name: s.clone().unwrap_or_default(),
                values: vec![],
            })
            .collect(),
    };
    for s in &mut data.series {
        s.values = vec![None; data.labels.len()];
    }
    for f in figures {
        let (Some(li), Some(si)) = (
            data.labels.iter().position(|l| *l == f.label),
            series.iter().position(|s| *s == f.series),
        ) else {
            continue;
        };
        data.series[si].values[li] = f.value;
    }
    data
}

/// Render the chart a plan chose from arranged figures.
pub fn render(plan: &ChartPlan, meta: &crate::ChartMeta, data: &crate::ChartData) -> crate::Chart {
    match plan.kind {
        ChartKind::Line => crate::line_chart(meta, data),
        ChartKind::Bars => crate::bar_chart(meta, data),
        ChartKind::StackedBars => crate::stacked_bar_chart(meta, data, !plan.over_periods),
    }
}
