//! Infographics: a chart or map framed with its title, source, date and the portal's name, as one
//! SVG — what the PNG downloads are rasterised from (see [`crate::png`]).

use std::fmt::Write;

use crate::svg::{self, esc, n};

/// The texts around the chart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Infographic {
    /// The dataset's title.
    pub title: String,
    /// What the chart shows (its title).
    pub subtitle: String,
    /// `Sumber: Dinas Kependudukan …`.
    pub source: String,
    /// The date of the figures (`Versi 3, 12 Maret 2025`).
    pub date: String,
    /// The portal's name, set as a word mark (no image logo is fetched or embedded).
    pub logo: String,
}

/// The width of the infographic's viewBox.
pub const WIDTH: f64 = 680.0;
const MARGIN: f64 = 20.0;

/// The inner markup and the viewBox size of an SVG made by this crate.
fn inner(svg_text: &str) -> Option<(&str, f64, f64)> {
    let start = svg_text.find("viewBox=\"")? + 9;
    let end = start + svg_text[start..].find('"')?;
    let nums: Vec<f64> = svg_text[start..end]
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    let (w, h) = (*nums.get(2)?, *nums.get(3)?);
    let open_end = svg_text.find('>')? + 1;
    let close = svg_text.rfind("</svg>")?;
    Some((&svg_text[open_end..close], w, h))
}

fn wrap(text: &str, size: f64, width: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if svg::text_width(&candidate, size) > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(l) = lines.last_mut() {
            *l = svg::fit(&format!("{l} …"), size, width);
        }
    }
    lines
}

/// Frame `chart_svg` (an SVG made by this crate) with the texts of `info`.
pub fn infographic(id: &str, chart_svg: &str, info: &Infographic) -> String {
    let (body, cw, ch) = inner(chart_svg).unwrap_or(("", 640.0, 0.0));
    let inner_w = WIDTH - 2.0 * MARGIN;
    let scale = if cw > 0.0 { inner_w / cw } else { 1.0 };
    let mut out = String::with_capacity(chart_svg.len() + 1500);
    let mut head = String::new();
    let mut y = MARGIN;
    let _ = write!(
        head,
        "<text x=\"{}\" y=\"{}\" font-size=\"13\" font-weight=\"bold\" fill=\"#0072B2\">{}</text>",
        n(MARGIN),
        n(y + 12.0),
        esc(&info.logo)
    );
    y += 24.0;
    for l in wrap(&info.title, 20.0, inner_w, 3) {
        let _ = write!(
            head,
            "<text x=\"{}\" y=\"{}\" font-size=\"20\" font-weight=\"bold\">{}</text>",
            n(MARGIN),
            n(y + 20.0),
            esc(&l)
        );
        y += 26.0;
    }
    for l in wrap(&info.subtitle, 14.0, inner_w, 2) {
        let _ = write!(
            head,
            "<text x=\"{}\" y=\"{}\" font-size=\"14\" fill=\"{}\">{}</text>",
            n(MARGIN),
            n(y + 16.0),
            svg::MUTED,
            esc(&l)
        );
        y += 20.0;
    }
    y += 10.0;
    let _ = write!(
        head,
        "<g transform=\"translate({} {}) scale({})\">{body}</g>",
        n(MARGIN),
        n(y),
        (scale * 1000.0).round() / 1000.0
    );
    y += ch * scale + 14.0;
    let _ = write!(
        head,
        "<line x1=\"{m}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{}\"/>",
        n(WIDTH - MARGIN),
        svg::GRID,
        m = n(MARGIN),
        y = n(y)
    );
    y += 8.0;
    for l in [info.source.as_str(), info.date.as_str()]
        .into_iter()
        .filter(|t| !t.is_empty())
        .flat_map(|t| wrap(t, 12.0, inner_w, 2))
    {
        let _ = write!(
            head,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"{}\">{}</text>",
            n(MARGIN),
            n(y + 13.0),
            svg::MUTED,
            esc(&l)
        );
        y += 17.0;
    }
    let height = y + MARGIN - 4.0;
    let desc = format!("{} {} {}", info.subtitle, info.source, info.date);
    svg::open(&mut out, id, WIDTH, height, &info.title, desc.trim());
    let _ = write!(
        out,
        "<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        n(WIDTH),
        n(height)
    );
    out.push_str(&head);
    svg::close(&mut out);
    out
}
