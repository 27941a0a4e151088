//! satudata's charts and maps, rendered on the server as light, accessible SVG, so that they work
//! without JavaScript, offline and on slow phones, and download as files.
//!
//! - [`line_chart`], [`bar_chart`] (horizontal, sorted), [`stacked_bar_chart`], [`sparkline`];
//! - [`map::choropleth`]: a map of regions coloured in five quantile classes, from GeoJSON;
//! - [`choose::plan`]: which chart fits a table's schema (the rule is documented there);
//! - [`png`] (feature `png`): infographics rasterised with resvg and an embedded font.
//!
//! Every SVG has `role="img"`, a `<title>` and a `<desc>` it is labelled by, a `viewBox` that scales
//! to its container, the system font stack (nothing embedded or fetched) and colour-blind-safe
//! colours; every chart comes with the same figures as a [`DataTable`] for an HTML table. Output is
//! deterministic: the same input gives the same bytes. Numbers are written the Indonesian way
//! (`1.234.567,8`) with their unit.

pub mod bars;
pub mod choose;
pub mod fmt;
pub mod geo;
pub mod infographic;
pub mod line;
pub mod map;
pub mod palette;
#[cfg(feature = "png")]
pub mod png;
pub mod simplify;
pub mod svg;
#[cfg(test)]
mod tests;

pub use bars::{bar_chart, stacked_bar_chart};
pub use line::{line_chart, sparkline};

/// What a chart is about: its texts and unit.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ChartMeta {
    /// An id unique in the page; SVG ids (`{id}-t`, `{id}-d`, …) are made from it.
    pub id: String,
    /// The title (also the SVG `<title>`).
    pub title: String,
    /// A sentence saying what the chart shows; generated when empty.
    pub description: String,
    /// Unit (satuan) of the values, e.g. `jiwa`, `%`.
    pub unit: Option<String>,
    /// What the labels are (`Kecamatan`, `Tahun`): the first column of the table alternative.
    pub label_name: String,
}

/// Figures to chart: one label per category (period, region or class), and one or more series
/// with a value (or a gap) per label.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ChartData {
    /// Labels of the categories, in the order to draw them (periods ascending; bar charts sort).
    pub labels: Vec<String>,
    /// The series; each has one value per label.
    pub series: Vec<Series>,
}

/// One series of a chart.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Series {
    /// Its name (legend, table column); may be empty for a single series.
    pub name: String,
    /// One value per label; `None` is a gap (no data).
    pub values: Vec<Option<f64>>,
}

/// A rendered chart: the SVG and the same figures as a table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Chart {
    /// A complete `<svg>` element (also a valid standalone SVG document).
    pub svg: String,
    /// The table alternative.
    pub table: DataTable,
}

/// The figures of a chart as a table, for an HTML `<table>` beside the chart: a header row and one
/// row per label, cells already formatted the Indonesian way.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct DataTable {
    /// Caption (the chart's title).
    pub caption: String,
    /// Column headings: the label column, then one per series (with the unit).
    pub headers: Vec<String>,
    /// Rows of cells: the label, then a formatted value (or `–`) per series.
    pub rows: Vec<TableRow>,
}

/// One row of a [`DataTable`].
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct TableRow {
    /// The label (period, region name, class).
    pub label: String,
    /// Formatted values, one per series (`–` for none).
    pub values: Vec<String>,
    /// The raw values, for sorting or re-formatting.
    pub raw: Vec<Option<f64>>,
}

/// The table alternative of `data` (in the order of its labels).
pub fn table_of(meta: &ChartMeta, data: &ChartData) -> DataTable {
    let unit = meta.unit.as_deref().filter(|u| !u.trim().is_empty());
    let mut headers = vec![if meta.label_name.is_empty() {
        "Label".to_string()
    } else {
        meta.label_name.clone()
    }];
    for s in &data.series {
        let name = if s.name.is_empty() {
            "Nilai".to_string()
        } else {
            s.name.clone()
        };
        headers.push(match unit {
            Some(u) => format!("{name} ({u})"),
            None => name,
        });
    }
    let rows = data
        .labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let raw: Vec<Option<f64>> = data
                .series
                .iter()
                .map(|s| s.values.get(i).copied().flatten())
                .collect();
            TableRow {
                label: label.clone(),
                values: raw
                    .iter()
                    .map(|v| v.map_or("–".to_string(), fmt::value))
                    .collect(),
                raw,
            }
        })
        .collect();
    DataTable {
        caption: meta.title.clone(),
        headers,
        rows,
    }
}

/// The finite values of a series (ignoring gaps).
pub(crate) fn finite(values: &[Option<f64>]) -> impl Iterator<Item = f64> + '_ {
    values.iter().filter_map(|v| v.filter(|x| x.is_finite()))
}
