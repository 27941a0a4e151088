//! Line charts over periods, and sparklines.

use std::fmt::Write;

use crate::svg::{self, esc, n};
use crate::{finite, fmt, palette, table_of, Chart, ChartData, ChartMeta};

/// The width and height of the line chart's viewBox.
pub const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 300.0;

/// Marker shapes, so that series differ by more than colour.
fn marker(out: &mut String, k: usize, x: f64, y: f64, colour: &str, title: &str) {
    let t = esc(title);
    let _ = match k % 3 {
        0 => write!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{colour}\"><title>{t}</title></circle>",
            n(x),
            n(y)
        ),
        1 => write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"{colour}\"><title>{t}</title></rect>",
            n(x - 4.0),
            n(y - 4.0)
        ),
        _ => write!(
            out,
            "<path d=\"M{} {}l5 8h-10z\" fill=\"{colour}\"><title>{t}</title></path>",
            n(x),
            n(y - 5.0)
        ),
    };
}

/// A line chart: the labels are periods (in order, left to right), one line per series, a gap
/// where a value is missing. A legend shows when there are several series.
pub fn line_chart(meta: &ChartMeta, data: &ChartData) -> Chart {
    let unit = meta.unit.as_deref();
    let all: Vec<f64> = data.series.iter().flat_map(|s| finite(&s.values)).collect();
    let (lo, hi) = all
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    let (lo, hi) = if all.is_empty() { (0.0, 1.0) } else { (lo, hi) };
    // Start at zero unless the values vary little against their size (a growing population would
    // otherwise be a flat line).
    let base = if lo >= 0.0 && (hi - lo) > 0.5 * hi {
        0.0
    } else {
        lo
    };
    let ticks = fmt::nice_ticks(base, hi, 4);
    let (y0, y1) = (
        *ticks.first().unwrap_or(&base),
        *ticks.last().unwrap_or(&hi),
    );
    let tick_text: Vec<String> = ticks.iter().map(|t| fmt::value(*t)).collect();
    let left = 12.0
        + tick_text
            .iter()
            .map(|t| svg::text_width(t, 12.0))
            .fold(0.0, f64::max);
    let mut body = String::with_capacity(2048);
    let mut top = 12.0;
    if data.series.len() > 1 {
        top = crate::bars::legend(&mut body, data, 8.0) + 4.0;
    }
    let (right, bottom) = (WIDTH - 24.0, HEIGHT - 30.0);
    let height = HEIGHT + top - 12.0;
    let bottom = bottom + top - 12.0;
    let sy = |v: f64| {
        if y1 > y0 {
            bottom - (v - y0) / (y1 - y0) * (bottom - top)
        } else {
            (top + bottom) / 2.0
        }
    };
    let count = data.labels.len();
    let sx = |i: usize| {
        if count > 1 {
            left + 10.0 + i as f64 * (right - left - 20.0) / (count - 1) as f64
        } else {
            (left + right) / 2.0
        }
    };
    // Grid and y axis labels.
    for (t, text) in ticks.iter().zip(&tick_text) {
        let y = sy(*t);
        let _ = write!(
            body,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\" fill=\"{}\">{}</text>",
            n(left),
            n(right),
            svg::GRID,
            n(left - 6.0),
            n(y + 4.0),
            svg::MUTED,
            esc(text),
            y = n(y)
        );
    }
    // X labels: every k-th so that they do not collide.
    let widest = data
        .labels
        .iter()
        .map(|l| svg::text_width(l, 12.0) + 8.0)
        .fold(1.0, f64::max);
    let room = if count > 1 {
        (right - left - 20.0) / (count - 1) as f64
    } else {
        right - left
    };
    let every = ((widest / room).ceil() as usize).max(1);
    for (i, l) in data.labels.iter().enumerate() {
        if i % every != 0 && i != count - 1 {
            continue;
        }
        let _ = write!(
            body,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"{}\">{}</text>",
            n(sx(i)),
            n(bottom + 18.0),
            svg::MUTED,
            esc(l)
        );
    }
    let _ = write!(
        body,
        "<line x1=\"{}\" x2=\"{}\" y1=\"{b}\" y2=\"{b}\" stroke=\"{}\"/>",
        n(left),
        n(right),
        svg::MUTED,
        b = n(bottom)
    );
    for (k, s) in data.series.iter().enumerate() {
        let colour = palette::series(k);
        // One path with a new subpath after each gap.
        let mut d = String::new();
        let mut pen = false;
        for (i, v) in s.values.iter().enumerate() {
            match v.filter(|x| x.is_finite()) {
                Some(v) => {
                    let _ = write!(
                        d,
                        "{}{} {}",
                        if pen { "L" } else { "M" },
                        n(sx(i)),
                        n(sy(v))
                    );
                    pen = true;
                }
                None => pen = false,
            }
        }
        if !d.is_empty() {
            let _ = write!(
                body,
                "<path d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>"
            );
        }
        for (i, v) in s.values.iter().enumerate() {
            if let Some(v) = v.filter(|x| x.is_finite()) {
                let who = if s.name.is_empty() {
                    String::new()
                } else {
                    format!("{} — ", s.name)
                };
                let title = format!(
                    "{who}{}: {}",
                    data.labels.get(i).map(String::as_str).unwrap_or(""),
                    fmt::with_unit(v, unit)
                );
                marker(&mut body, k, sx(i), sy(v), colour, &title);
            }
        }
    }
    let desc = if meta.description.is_empty() {
        describe(meta, data)
    } else {
        meta.description.clone()
    };
    let mut out = String::with_capacity(body.len() + 600);
    svg::open(&mut out, &meta.id, WIDTH, height, &meta.title, &desc);
    out.push_str(&body);
    svg::close(&mut out);
    Chart {
        svg: out,
        table: table_of(meta, data),
    }
}

fn describe(meta: &ChartMeta, data: &ChartData) -> String {
    let unit = meta.unit.as_deref();
    let mut d = format!("Diagram garis {} periode", data.labels.len());
    if let (Some(a), Some(b)) = (data.labels.first(), data.labels.last()) {
        let _ = write!(d, " ({a}–{b})");
    }
    for s in &data.series {
        let first = s.values.iter().position(|v| v.is_some());
        let last = s.values.iter().rposition(|v| v.is_some());
        if let (Some(f), Some(l)) = (first, last) {
            let (a, b) = (s.values[f].unwrap_or(0.0), s.values[l].unwrap_or(0.0));
            let name = if s.name.is_empty() {
                "nilai"
            } else {
                s.name.as_str()
            };
            let _ = write!(
                d,
                "; {name} {} dari {} ({}) menjadi {} ({})",
                trend_word(a, b),
                fmt::with_unit(a, unit),
                data.labels[f],
                fmt::with_unit(b, unit),
                data.labels[l]
            );
        }
    }
    d.push_str(". Angka lengkapnya ada di tabel.");
    d
}

fn trend_word(a: f64, b: f64) -> &'static str {
    if b > a {
        "naik"
    } else if b < a {
        "turun"
    } else {
        "tetap"
    }
}

/// A small trend line (120×32) for lists and region pages: `labels` are the periods, `values` the
/// figures (gaps allowed). Its title says the change from the first to the last value; the last
/// point is marked.
pub fn sparkline(
    id: &str,
    title: &str,
    labels: &[String],
    values: &[Option<f64>],
    unit: Option<&str>,
) -> String {
    let (w, h, pad) = (120.0, 32.0, 3.0);
    let pts: Vec<(usize, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.filter(|x| x.is_finite()).map(|x| (i, x)))
        .collect();
    let (lo, hi) = pts
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.1), b.max(p.1))
        });
    let count = values.len().max(2);
    let sx = |i: usize| pad + i as f64 * (w - 2.0 * pad) / (count - 1) as f64;
    let sy = |v: f64| {
        if hi > lo {
            h - pad - (v - lo) / (hi - lo) * (h - 2.0 * pad)
        } else {
            h / 2.0
        }
    };
    let desc = match (pts.first(), pts.last()) {
        (Some(a), Some(b)) => format!(
            "{} dari {} ({}) menjadi {} ({})",
            trend_word(a.1, b.1),
            fmt::with_unit(a.1, unit),
            labels.get(a.0).map(String::as_str).unwrap_or(""),
            fmt::with_unit(b.1, unit),
            labels.get(b.0).map(String::as_str).unwrap_or("")
        ),
        _ => "tidak ada data".to_string(),
    };
    let mut out = String::with_capacity(400);
    svg::open(&mut out, id, w, h, title, &desc);
    let mut d = String::new();
    let mut prev: Option<usize> = None;
    for &(i, v) in &pts {
        let cmd = if prev == Some(i.wrapping_sub(1)) {
            "L"
        } else {
            "M"
        };
        let _ = write!(d, "{cmd}{} {}", n(sx(i)), n(sy(v)));
        prev = Some(i);
    }
    if !d.is_empty() {
        let _ = write!(
            out,
            "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
            palette::series(0)
        );
    }
    if let Some(&(i, v)) = pts.last() {
        let _ = write!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"{}\"/>",
            n(sx(i)),
            n(sy(v)),
            palette::series(0)
        );
    }
    svg::close(&mut out);
    out
}
