//! Choropleth maps: regions (GeoJSON polygons) coloured by value in five **quantile** classes
//! (each class holds about a fifth of the places; equal values never straddle two classes, so there
//! may be fewer), with a legend, a `<title>` per region, hatched grey for regions without a value
//! ("tidak ada data"), and the places that have a value but no polygon returned as a list and
//! named under the map — never silently dropped.
//!
//! Quantiles rather than natural breaks: they are stable when one desa has an extreme value, give
//! every colour to some places, and are easy to say in words ("seperlima desa dengan nilai
//! terendah"). The projection is equirectangular with the longitude scaled by the cosine of the
//! middle latitude, right for a regency. Outlines are simplified with Douglas–Peucker at
//! [`TOLERANCE_PX`] of the output and coordinates rounded to 0.1 px, written relative.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use serde_json::Value;

use crate::simplify::{polygons, simplify_ring, Point};
use crate::svg::{self, esc, n};
use crate::{fmt, palette, ChartMeta, DataTable, TableRow};

/// The width of the map's viewBox.
pub const WIDTH: f64 = 640.0;
/// The tallest the map itself may be (the legend comes below).
pub const MAX_MAP_HEIGHT: f64 = 560.0;
/// Douglas–Peucker tolerance in output pixels.
pub const TOLERANCE_PX: f64 = 0.6;
/// Region outline colour (3:1 against the lightest class).
pub const OUTLINE: &str = "#5a5a5a";
/// Fill of regions without a value (under the hatching).
pub const NO_DATA: &str = "#eeeeee";
/// How many classes at most.
pub const CLASSES: usize = 5;

/// A region with its boundary.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Region code (dotted Kemendagri).
    pub code: String,
    /// Its name.
    pub name: String,
    /// GeoJSON geometry (`Polygon` or `MultiPolygon`, `[lng, lat]`).
    pub geometry: Value,
}

/// A place and its value.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Place {
    pub code: String,
    pub name: String,
    /// `None`: the place is known but has no value.
    pub value: Option<f64>,
}

/// One class of the legend: values in `from..=to`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Class {
    pub from: f64,
    pub to: f64,
    pub colour: &'static str,
    /// Places in the class.
    pub count: usize,
    /// `1.234 – 5.678`.
    pub label: String,
}

/// A rendered map.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MapOutput {
    /// A complete `<svg>` element.
    pub svg: String,
    /// Every place with its value and class, as a table (places without a polygon included).
    pub table: DataTable,
    /// Places with a value but no polygon: not on the map, named under it.
    pub missing: Vec<Place>,
    /// Regions drawn without a value (hatched).
    pub no_data: Vec<Place>,
    /// The legend's classes (lowest first).
    pub classes: Vec<Class>,
    /// Shapes that could not be read (bad geometry), by code, with the reason; drawn nowhere.
    pub bad_shapes: Vec<(String, String)>,
}

/// Upper bounds of up to `k` quantile classes of `values` (the last is the maximum); equal bounds
/// are merged, so there may be fewer classes.
pub fn quantile_breaks(values: &[f64], k: usize) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() || k == 0 {
        return vec![];
    }
    v.sort_by(f64::total_cmp);
    let mut breaks: Vec<f64> = (1..=k)
        .map(|i| {
            let idx = ((i * v.len()).div_ceil(k))
                .saturating_sub(1)
                .min(v.len() - 1);
            v[idx]
        })
        .collect();
    breaks.dedup();
    breaks
}

/// The class of `x` given upper bounds.
fn class_of(breaks: &[f64], x: f64) -> usize {
    breaks
        .iter()
        .position(|b| x <= *b)
        .unwrap_or(breaks.len().saturating_sub(1))
}

/// Colours for `k` classes, spread over the five-step scale.
fn colours(k: usize) -> Vec<&'static str> {
    match k {
        0 => vec![],
        1 => vec![palette::SEQUENTIAL5[3]],
        2 => vec![palette::SEQUENTIAL5[1], palette::SEQUENTIAL5[4]],
        3 => vec![
            palette::SEQUENTIAL5[0],
            palette::SEQUENTIAL5[2],
            palette::SEQUENTIAL5[4],
        ],
        4 => vec![
            palette::SEQUENTIAL5[0],
            palette::SEQUENTIAL5[1],
            palette::SEQUENTIAL5[3],
            palette::SEQUENTIAL5[4],
        ],
        _ => palette::SEQUENTIAL5.to_vec(),
    }
}

/// Draw a choropleth of `places` on `shapes` (matched by code). See the module docs.
pub fn choropleth(meta: &ChartMeta, shapes: &[Shape], places: &[Place]) -> MapOutput {
    let unit = meta.unit.as_deref();
    let id = esc(&meta.id);
    // Read every shape; a bad one is reported, not fatal.
    let mut bad_shapes = vec![];
    let mut read: Vec<(&Shape, Vec<Vec<Vec<Point>>>)> = vec![];
    for s in shapes {
        match polygons(&s.geometry) {
            Ok(p) => read.push((s, p)),
            Err(e) => bad_shapes.push((s.code.clone(), e)),
        }
    }
    let have_shape: HashSet<&str> = read.iter().map(|(s, _)| s.code.as_str()).collect();
    let value_of: HashMap<&str, &Place> = places.iter().map(|p| (p.code.as_str(), p)).collect();

    let values: Vec<f64> = places.iter().filter_map(|p| p.value).collect();
    let breaks = quantile_breaks(&values, CLASSES);
    let cols = colours(breaks.len());
    let mut classes: Vec<Class> = breaks
        .iter()
        .enumerate()
        .map(|(i, &to)| {
            let from = if i == 0 {
                values.iter().copied().fold(f64::INFINITY, f64::min)
            } else {
                breaks[i - 1]
            };
            let label = if i == 0 || from == to {
                if from == to {
                    fmt::value(to)
                } else {
                    format!("{} – {}", fmt::value(from), fmt::value(to))
                }
            } else {
                format!("> {} – {}", fmt::value(from), fmt::value(to))
            };
            Class {
                from,
                to,
                colour: cols[i],
                count: 0,
                label,
            }
        })
        .collect();
    for v in &values {
        let c = class_of(&breaks, *v);
        if let Some(cl) = classes.get_mut(c) {
            cl.count += 1;
        }
    }

    // Projection.
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (_, polys) in &read {
        for ring in polys.iter().flat_map(|p| p.first()) {
            for p in ring {
                x0 = x0.min(p[0]);
                x1 = x1.max(p[0]);
                y0 = y0.min(p[1]);
                y1 = y1.max(p[1]);
            }
        }
    }
    let pad = 8.0;
    let kx = ((y0 + y1) / 2.0).to_radians().cos().abs().max(0.1);
    let (gw, gh) = (((x1 - x0) * kx).max(1e-9), (y1 - y0).max(1e-9));
    let scale = ((WIDTH - 2.0 * pad) / gw).min(MAX_MAP_HEIGHT / gh);
    let map_h = if read.is_empty() { 0.0 } else { gh * scale };
    let off_x = pad + ((WIDTH - 2.0 * pad) - gw * scale) / 2.0;
    let project =
        |p: &Point| -> Point { [off_x + (p[0] - x0) * kx * scale, pad + (y1 - p[1]) * scale] };

    let mut body = String::with_capacity(read.len() * 600 + 2048);
    let _ = write!(
        body,
        "<defs><pattern id=\"{id}-nd\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"{NO_DATA}\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8a8a8a\" stroke-width=\"1.5\"/></pattern></defs>"
    );
    let _ = write!(
        body,
        "<g stroke=\"{OUTLINE}\" stroke-width=\"0.6\" stroke-linejoin=\"round\">"
    );
    let mut no_data = vec![];
    // Regions in code order: deterministic output.
    let mut order: Vec<usize> = (0..read.len()).collect();
    order.sort_by(|&a, &b| read[a].0.code.cmp(&read[b].0.code));
    for &i in &order {
        let (shape, polys) = &read[i];
        let place = value_of.get(shape.code.as_str());
        let name = place
            .map(|p| p.name.as_str())
            .filter(|n| !n.is_empty())
            .unwrap_or(shape.name.as_str());
        let value = place.and_then(|p| p.value);
        let (fill, title) = match value {
            Some(v) => (
                classes
                    .get(class_of(&breaks, v))
                    .map(|c| c.colour.to_string())
                    .unwrap_or_else(|| NO_DATA.to_string()),
                format!("{name}: {}", fmt::with_unit(v, unit)),
            ),
            None => {
                no_data.push(Place {
                    code: shape.code.clone(),
                    name: name.to_string(),
                    value: None,
                });
                (format!("url(#{id}-nd)"), format!("{name}: tidak ada data"))
            }
        };
        let mut d = String::new();
        for poly in polys {
            for ring in poly {
                let pts: Vec<Point> = ring.iter().map(project).collect();
                let simple = simplify_ring(&pts, TOLERANCE_PX);
                path_ring(&mut d, &simple);
            }
        }
        let _ = write!(
            body,
            "<path d=\"{d}\" fill=\"{fill}\" fill-rule=\"evenodd\" data-kode=\"{}\"><title>{}</title></path>",
            esc(&shape.code),
            esc(&title)
        );
    }
    body.push_str("</g>");

    // Legend.
    let mut y = pad + map_h + 16.0;
    let _ = write!(
        body,
        "<text x=\"{}\" y=\"{}\" font-size=\"12\" font-weight=\"bold\">{}</text>",
        n(pad),
        n(y),
        esc(&match unit.filter(|u| !u.trim().is_empty()) {
            Some(u) => format!("Kelas kuantil ({u})"),
            None => "Kelas kuantil".to_string(),
        })
    );
    y += 8.0;
    for c in &classes {
        let _ = write!(
            body,
            "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"14\" fill=\"{}\" stroke=\"{OUTLINE}\" stroke-width=\"0.6\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{} ({} wilayah)</text>",
            n(pad),
            n(y),
            c.colour,
            n(pad + 20.0),
            n(y + 11.5),
            esc(&c.label),
            c.count
        );
        y += 20.0;
    }
    if !no_data.is_empty() || classes.is_empty() {
        let _ = write!(
            body,
            "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"14\" fill=\"url(#{id}-nd)\" stroke=\"{OUTLINE}\" stroke-width=\"0.6\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">tidak ada data ({} wilayah)</text>",
            n(pad),
            n(y),
            n(pad + 20.0),
            n(y + 11.5),
            no_data.len()
        );
        y += 20.0;
    }
    // Places with a value but no polygon: named, never dropped.
    let missing: Vec<Place> = places
        .iter()
        .filter(|p| !have_shape.contains(p.code.as_str()))
        .cloned()
        .collect();
    if !missing.is_empty() {
        let mut line = format!("Tanpa batas wilayah di peta ({}): ", missing.len());
        let mut first = true;
        y += 6.0;
        for p in &missing {
            let item = match p.value {
                Some(v) => format!("{} {}", p.name, fmt::with_unit(v, unit)),
                None => format!("{} (tidak ada data)", p.name),
            };
            let piece = if first { item } else { format!("; {item}") };
            if svg::text_width(&line, 12.0) + svg::text_width(&piece, 12.0) > WIDTH - 2.0 * pad {
                let _ = write!(
                    body,
                    "<text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
                    n(pad),
                    n(y + 11.5),
                    esc(&line)
                );
                y += 17.0;
                line = piece.trim_start_matches("; ").to_string();
            } else {
                line.push_str(&piece);
            }
            first = false;
        }
        let _ = write!(
            body,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            n(pad),
            n(y + 11.5),
            esc(&line)
        );
        y += 17.0;
    }
    let height = y + pad;

    let desc = if meta.description.is_empty() {
        let mut d = format!(
            "Peta {} wilayah diwarnai menurut {} kelas kuantil",
            read.len(),
            classes.len()
        );
        if let (Some(lo), Some(hi)) = (classes.first(), classes.last()) {
            let _ = write!(
                d,
                ", dari {} sampai {}",
                fmt::with_unit(lo.from, unit),
                fmt::with_unit(hi.to, unit)
            );
        }
        if !no_data.is_empty() {
            let _ = write!(d, "; {} wilayah tidak ada data", no_data.len());
        }
        if !missing.is_empty() {
            let _ = write!(d, "; {} wilayah tanpa batas di peta", missing.len());
        }
        d.push_str(". Angka lengkapnya ada di tabel.");
        d
    } else {
        meta.description.clone()
    };
    let mut out = String::with_capacity(body.len() + 600);
    svg::open(&mut out, &meta.id, WIDTH, height, &meta.title, &desc);
    out.push_str(&body);
    svg::close(&mut out);

    // Table: every place, then the regions drawn without a value.
    let unit_h = unit.filter(|u| !u.trim().is_empty());
    let headers = vec![
        if meta.label_name.is_empty() {
            "Wilayah".to_string()
        } else {
            meta.label_name.clone()
        },
        match unit_h {
            Some(u) => format!("Nilai ({u})"),
            None => "Nilai".to_string(),
        },
        "Kelas".to_string(),
    ];
    let mut rows: Vec<TableRow> = places
        .iter()
        .map(|p| TableRow {
            label: p.name.clone(),
            values: vec![
                p.value.map_or("–".to_string(), fmt::value),
                match p.value {
                    _ if !have_shape.contains(p.code.as_str()) => "tanpa batas di peta".to_string(),
                    Some(v) => classes
                        .get(class_of(&breaks, v))
                        .map(|c| c.label.clone())
                        .unwrap_or_default(),
                    None => "tidak ada data".to_string(),
                },
            ],
            raw: vec![p.value, None],
        })
        .collect();
    rows.extend(
        no_data
            .iter()
            .filter(|p| !value_of.contains_key(p.code.as_str()))
            .map(|p| TableRow {
                label: p.name.clone(),
                values: vec!["–".to_string(), "tidak ada data".to_string()],
                raw: vec![None, None],
            }),
    );
    MapOutput {
        svg: out,
        table: DataTable {
            caption: meta.title.clone(),
            headers,
            rows,
        },
        missing,
        no_data,
        classes,
        bad_shapes,
    }
}

/// Append a closed ring as `M x y l dx dy … z`, deltas between rounded points (no drift).
fn path_ring(d: &mut String, pts: &[Point]) {
    let r = |x: f64| (x * 10.0).round() as i64;
    let mut prev: Option<(i64, i64)> = None;
    // The closing point repeats the first: `z` closes the ring.
    let body = if pts.len() > 1 && pts.first() == pts.last() {
        &pts[..pts.len() - 1]
    } else {
        pts
    };
    for p in body {
        let (x, y) = (r(p[0]), r(p[1]));
        match prev {
            None => {
                let _ = write!(d, "M{} {}", tenth(x), tenth(y));
            }
            Some((px, py)) => {
                if (x, y) == (px, py) {
                    continue;
                }
                let (dx, dy) = (x - px, y - py);
                let _ = write!(d, "l{}{}", tenth(dx), sep(dy));
            }
        }
        prev = Some((x, y));
    }
    d.push('z');
}

fn tenth(v: i64) -> String {
    let s = if v % 10 == 0 {
        format!("{}", v / 10)
    } else {
        format!("{:.1}", v as f64 / 10.0)
    };
    // `0.5` → `.5`, `-0.5` → `-.5`: shorter paths.
    if let Some(rest) = s.strip_prefix("0.") {
        format!(".{rest}")
    } else if let Some(rest) = s.strip_prefix("-0.") {
        format!("-.{rest}")
    } else {
        s
    }
}

/// The second number of a pair: a minus sign separates by itself.
fn sep(v: i64) -> String {
    let t = tenth(v);
    if t.starts_with('-') {
        t
    } else {
        format!(" {t}")
    }
}
