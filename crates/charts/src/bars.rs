//! Horizontal bar charts: one bar per label, the label on its own line above its bar, so that long
//! desa names stay readable on a 360 px phone; every bar carries its value, so no axis is needed.

use std::fmt::Write;

use crate::svg::{self, esc, n};
use crate::{fmt, palette, table_of, Chart, ChartData, ChartMeta};

/// The width of the viewBox (the SVG scales to its container).
pub const WIDTH: f64 = 640.0;
const PAD: f64 = 8.0;
const ROW: f64 = 36.0;
const BAR: f64 = 14.0;
/// Room right of the longest bar for its value.
const VALUE_ROOM: f64 = 150.0;

/// Bars by label (e.g. by region), sorted from the largest value of the first series down (labels
/// without a value last, in their order). Only the first series is drawn; use
/// [`stacked_bar_chart`] for more.
pub fn bar_chart(meta: &ChartMeta, data: &ChartData) -> Chart {
    let first = data
        .series
        .first()
        .map(|s| s.values.as_slice())
        .unwrap_or(&[]);
    let mut order: Vec<usize> = (0..data.labels.len()).collect();
    sort_desc(&mut order, |i| first.get(i).copied().flatten());
    let sorted = reorder(data, &order, 1);
    let desc = describe(meta, &sorted, "Diagram batang");
    draw(meta, &sorted, &desc, false)
}

/// Stacked bars: one bar per label, one segment per series (e.g. a breakdown by sex), with a
/// legend. With `sort_by_total` the bars are sorted by their total, largest first (regions);
/// otherwise they keep the order of the labels (periods).
pub fn stacked_bar_chart(meta: &ChartMeta, data: &ChartData, sort_by_total: bool) -> Chart {
    let mut order: Vec<usize> = (0..data.labels.len()).collect();
    if sort_by_total {
        sort_desc(&mut order, |i| total(data, i));
    }
    let sorted = reorder(data, &order, data.series.len());
    let desc = describe(meta, &sorted, "Diagram batang bertumpuk");
    draw(meta, &sorted, &desc, true)
}

fn total(data: &ChartData, i: usize) -> Option<f64> {
    let vals: Vec<f64> = data
        .series
        .iter()
        .filter_map(|s| s.values.get(i).copied().flatten())
        .collect();
    (!vals.is_empty()).then(|| vals.iter().sum())
}

/// Sort indices by a key, largest first, `None` last; ties keep their order (stable).
fn sort_desc(order: &mut [usize], key: impl Fn(usize) -> Option<f64>) {
    order.sort_by(|&a, &b| match (key(a), key(b)) {
        (Some(x), Some(y)) => y.partial_cmp(&x).unwrap_or(std::cmp::Ordering::Equal),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

fn reorder(data: &ChartData, order: &[usize], series: usize) -> ChartData {
    ChartData {
        labels: order.iter().map(|&i| data.labels[i].clone()).collect(),
        series: data
            .series
            .iter()
            .take(series)
            .map(|s| crate::Series {
                name: s.name.clone(),
                values: order
                    .iter()
                    .map(|&i| s.values.get(i).copied().flatten())
                    .collect(),
            })
            .collect(),
    }
}

fn describe(meta: &ChartMeta, data: &ChartData, kind: &str) -> String {
    if !meta.description.is_empty() {
        return meta.description.clone();
    }
    let unit = meta.unit.as_deref();
    let mut d = format!("{kind} dengan {} batang", data.labels.len());
    let totals: Vec<(usize, f64)> = (0..data.labels.len())
        .filter_map(|i| total(data, i).map(|t| (i, t)))
        .collect();
    if let (Some(hi), Some(lo)) = (
        totals.iter().max_by(|a, b| a.1.total_cmp(&b.1)),
        totals.iter().min_by(|a, b| a.1.total_cmp(&b.1)),
    ) {
        let _ = write!(
            d,
            "; tertinggi {} ({}), terendah {} ({})",
            data.labels[hi.0],
            fmt::with_unit(hi.1, unit),
            data.labels[lo.0],
            fmt::with_unit(lo.1, unit)
        );
    }
    d.push_str(". Angka lengkapnya ada di tabel.");
    d
}

fn draw(meta: &ChartMeta, data: &ChartData, desc: &str, stacked: bool) -> Chart {
    let unit = meta.unit.as_deref();
    let n_labels = data.labels.len();
    let max = (0..n_labels)
        .filter_map(|i| {
            if stacked {
                total(data, i)
            } else {
                data.series.first()?.values.get(i).copied().flatten()
            }
        })
        .fold(0.0_f64, f64::max);
    let plot = WIDTH - 2.0 * PAD - VALUE_ROOM;
    let scale = if max > 0.0 { plot / max } else { 0.0 };

    let mut body = String::with_capacity(n_labels * 220 + 512);
    let mut y = PAD;
    if stacked && data.series.len() > 1 {
        y = legend(&mut body, data, y);
    }
    for i in 0..n_labels {
        let label = &data.labels[i];
        let _ = write!(
            body,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            n(PAD),
            n(y + 12.0),
            esc(&svg::fit(label, 12.0, WIDTH - 2.0 * PAD))
        );
        let by = y + 17.0;
        let mut x = PAD;
        let mut sum = None::<f64>;
        for (k, s) in data.series.iter().enumerate() {
            let Some(v) = s.values.get(i).copied().flatten() else {
                continue;
            };
            sum = Some(sum.unwrap_or(0.0) + v);
            let w = (v.max(0.0) * scale).max(if v > 0.0 { 1.0 } else { 0.0 });
            let what = if stacked && !s.name.is_empty() {
                format!("{label} — {}: {}", s.name, fmt::with_unit(v, unit))
            } else {
                format!("{label}: {}", fmt::with_unit(v, unit))
            };
            let _ = write!(
                body,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}><title>{}</title></rect>",
                n(x),
                n(by),
                n(w),
                n(BAR),
                palette::series(k),
                if stacked { " stroke=\"#fff\" stroke-width=\"0.5\"" } else { "" },
                esc(&what)
            );
            x += w;
        }
        let value = match sum {
            Some(t) => fmt::with_unit(t, unit),
            None => "tidak ada data".to_string(),
        };
        let _ = write!(
            body,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"{}\">{}</text>",
            n(x + 4.0),
            n(by + 11.0),
            svg::MUTED,
            esc(&value)
        );
        y += ROW;
    }
    let height = y + PAD;
    let mut out = String::with_capacity(body.len() + 600);
    svg::open(&mut out, &meta.id, WIDTH, height, &meta.title, desc);
    out.push_str(&body);
    svg::close(&mut out);
    Chart {
        svg: out,
        table: table_of(meta, data),
    }
}

/// Draw a legend of the series from `y`, wrapping; returns the y below it.
pub(crate) fn legend(out: &mut String, data: &ChartData, y: f64) -> f64 {
    let mut x = PAD;
    let mut y = y;
    for (k, s) in data.series.iter().enumerate() {
        let w = 18.0 + svg::text_width(&s.name, 12.0) + 14.0;
        if x + w > WIDTH - PAD && x > PAD {
            x = PAD;
            y += 20.0;
        }
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            n(x),
            n(y + 1.0),
            palette::series(k),
            n(x + 17.0),
            n(y + 11.0),
            esc(&s.name)
        );
        x += w;
    }
    y + 26.0
}
