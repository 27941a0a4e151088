//! Writing SVG text: escaping, and the accessible frame every chart shares.

use std::fmt::Write;

/// Escape text for XML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A number for coordinates: at most one decimal, no trailing `.0`.
pub fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// The system font stack: no font is embedded or fetched.
pub const FONT: &str =
    "system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','DejaVu Sans',Arial,sans-serif";

/// Text colour (contrast 16:1 on white).
pub const INK: &str = "#1f1f1f";
/// Secondary text and axes (contrast 7:1 on white).
pub const MUTED: &str = "#555555";
/// Grid lines (decorative).
pub const GRID: &str = "#dddddd";

/// Open an accessible SVG: `role="img"`, `aria-labelledby` pointing at its `<title>` and `<desc>`,
/// a viewBox of `width`×`height` that scales to the width of its container.
pub fn open(out: &mut String, id: &str, width: f64, height: f64, title: &str, desc: &str) {
    let id = esc(id);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" \
         preserveAspectRatio=\"xMidYMin meet\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" \
         font-family=\"{FONT}\" font-size=\"13\" fill=\"{INK}\">\
         <title id=\"{id}-t\">{t}</title><desc id=\"{id}-d\">{d}</desc>",
        w = n(width),
        h = n(height),
        t = esc(title),
        d = esc(desc),
    );
}

/// Close the SVG.
pub fn close(out: &mut String) {
    out.push_str("</svg>");
}

/// A rough width of `text` at `size` px in a sans-serif face (no font metrics here): for layout
/// only, generous so that labels do not collide.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.56
}

/// Cut `text` to about `max_px` wide at `size`, with an ellipsis (the full text stays in titles
/// and the table alternative).
pub fn fit(text: &str, size: f64, max_px: f64) -> String {
    if text_width(text, size) <= max_px {
        return text.to_string();
    }
    let keep = ((max_px / (size * 0.56)) as usize).saturating_sub(1).max(1);
    let mut s: String = text.chars().take(keep).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("A & B <c> \"d\" 'e'"),
            "A &amp; B &lt;c&gt; &quot;d&quot; &#39;e&#39;"
        );
        assert_eq!(esc("a\u{1}b"), "a b");
        assert_eq!(n(1.04), "1");
        assert_eq!(n(1.25), "1.3");
        assert_eq!(n(-3.0), "-3");
    }
}
