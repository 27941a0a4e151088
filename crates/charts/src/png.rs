//! PNG rasterising (feature `png`): resvg with an embedded subset of DejaVu Sans (regular and bold,
//! Latin-1 and common punctuation; 43 KB; Bitstream Vera licence, see `fonts/LICENSE.txt`). No
//! system font is read, so every machine draws the same pixels.

use std::sync::{Arc, OnceLock};

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans-subset.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold-subset.ttf");

/// The most pixels a PNG may have (a very long bar chart is cut to this by scaling down).
pub const MAX_PIXELS: f64 = 16_000_000.0;

fn fonts() -> Arc<resvg::usvg::fontdb::Database> {
    static DB: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family("DejaVu Sans");
        Arc::new(db)
    })
    .clone()
}

/// Rasterise an SVG at `scale` (2.0: twice its viewBox size) to PNG bytes. The error (English) says
/// why the SVG could not be drawn.
pub fn render(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    let opts = resvg::usvg::Options {
        font_family: "DejaVu Sans".to_string(),
        fontdb: fonts(),
        ..resvg::usvg::Options::default()
    };
    let tree = resvg::usvg::Tree::from_str(svg, &opts).map_err(|e| format!("bad SVG: {e}"))?;
    let size = tree.size();
    let mut scale = scale.max(0.1);
    let pixels = (size.width() * scale) as f64 * (size.height() * scale) as f64;
    if pixels > MAX_PIXELS {
        scale *= (MAX_PIXELS / pixels).sqrt() as f32;
    }
    let (w, h) = (
        (size.width() * scale).ceil().max(1.0) as u32,
        (size.height() * scale).ceil().max(1.0) as u32,
    );
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| format!("cannot allocate a {w}×{h} image"))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("PNG encoding: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{bar_chart, ChartData, ChartMeta, Series};

    #[test]
    fn renders_an_infographic_with_text() {
        let chart = bar_chart(
            &ChartMeta {
                id: "g".into(),
                title: "Penduduk".into(),
                unit: Some("jiwa".into()),
                ..ChartMeta::default()
            },
            &ChartData {
                labels: vec!["Sekayu".into(), "Lais".into()],
                series: vec![Series {
                    name: String::new(),
                    values: vec![Some(93_120.0), Some(41_000.0)],
                }],
            },
        );
        let info = crate::infographic::Infographic {
            title: "Jumlah Penduduk menurut Kecamatan".into(),
            subtitle: "Jumlah penduduk, 2024".into(),
            source: "Sumber: Disdukcapil".into(),
            date: "Versi 1, 1 Januari 2025".into(),
            logo: "Satu Data Musi Banyuasin".into(),
        };
        let svg = crate::infographic::infographic("i", &chart.svg, &info);
        roxmltree::Document::parse(&svg).expect("XML");
        let png = render(&svg, 2.0).expect("PNG");
        assert_eq!(&png[1..4], b"PNG");
        // With text drawn the image is far from blank: the same SVG without its texts is smaller.
        let no_text = render(
            &svg.replace("<text", "<desc").replace("</text>", "</desc>"),
            2.0,
        )
        .unwrap();
        assert!(
            png.len() > no_text.len() + 2000,
            "{} vs {}",
            png.len(),
            no_text.len()
        );
    }
}
