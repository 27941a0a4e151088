//! Rendering tests: the output parses as XML, is accessible, escapes names, and keeps every place.

use serde_json::json;

use crate::choose::{arrange, plan, ChartKind, Combine, Figure};
use crate::map::{choropleth, quantile_breaks, Place, Shape};
use crate::{bar_chart, line_chart, sparkline, stacked_bar_chart, ChartData, ChartMeta, Series};

fn meta(id: &str, title: &str) -> ChartMeta {
    ChartMeta {
        id: id.into(),
        title: title.into(),
        description: String::new(),
        unit: Some("jiwa".into()),
        label_name: "Kecamatan".into(),
    }
}

/// Parse `svg` as XML and check the accessible frame; returns the document text for more checks.
fn check_svg<'a>(svg: &'a str, title: &str) -> roxmltree::Document<'a> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    assert!(root.attribute("viewBox").is_some());
    let labelled = root.attribute("aria-labelledby").expect("aria-labelledby");
    for id in labelled.split(' ') {
        assert!(
            doc.descendants().any(|n| n.attribute("id") == Some(id)),
            "aria-labelledby names a missing id {id}"
        );
    }
    let t = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .expect("a <title>");
    assert_eq!(t.text(), Some(title));
    let d = root
        .children()
        .find(|n| n.has_tag_name("desc"))
        .expect("a <desc>");
    assert!(!d.text().unwrap_or("").is_empty());
    assert!(
        !svg.contains("@font-face") && !svg.contains("http://")
            || svg.contains("xmlns=\"http://www.w3.org/2000/svg\"")
    );
    doc
}

fn tricky() -> ChartData {
    ChartData {
        labels: vec![
            "Sekayu".into(),
            "Lais & <Sungai> \"Keruh\"".into(),
            "Babat Toman".into(),
        ],
        series: vec![Series {
            name: String::new(),
            values: vec![Some(93_120.0), Some(41_000.5), None],
        }],
    }
}

#[test]
fn bar_chart_is_sorted_accessible_and_escaped() {
    let c = bar_chart(&meta("g1", "Penduduk & <luas>"), &tricky());
    let doc = check_svg(&c.svg, "Penduduk & <luas>");
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect"))
        .filter_map(|r| r.children().find(|n| n.has_tag_name("title")))
        .filter_map(|t| t.text())
        .collect();
    assert_eq!(
        titles,
        vec![
            "Sekayu: 93.120 jiwa",
            "Lais & <Sungai> \"Keruh\": 41.000,5 jiwa"
        ]
    );
    assert!(
        c.svg.contains("tidak ada data"),
        "a label without value says so"
    );
    // The table: sorted like the bars, Indonesian numbers, the unit in the header.
    assert_eq!(c.table.headers, vec!["Kecamatan", "Nilai (jiwa)"]);
    let rows: Vec<(&str, &str)> = c
        .table
        .rows
        .iter()
        .map(|r| (r.label.as_str(), r.values[0].as_str()))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("Sekayu", "93.120"),
            ("Lais & <Sungai> \"Keruh\"", "41.000,5"),
            ("Babat Toman", "–")
        ]
    );
    // Deterministic.
    assert_eq!(c, bar_chart(&meta("g1", "Penduduk & <luas>"), &tricky()));
}

#[test]
fn stacked_and_line_charts() {
    let data = ChartData {
        labels: vec!["2022".into(), "2023".into(), "2024".into()],
        series: vec![
            Series {
                name: "Laki-laki".into(),
                values: vec![Some(1000.0), Some(1100.0), Some(1200.0)],
            },
            Series {
                name: "Perempuan".into(),
                values: vec![Some(900.0), None, Some(1150.0)],
            },
        ],
    };
    let s = stacked_bar_chart(&meta("s", "Bertumpuk"), &data, false);
    let doc = check_svg(&s.svg, "Bertumpuk");
    let segs = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.children().any(|c| c.has_tag_name("title")))
        .count();
    assert_eq!(segs, 5, "one segment per value");
    assert!(s.svg.contains("2024 — Perempuan: 1.150 jiwa"));
    assert!(
        s.svg.contains(">2.350 jiwa<"),
        "the total at the end of the bar"
    );
    assert_eq!(
        s.table.headers,
        vec!["Kecamatan", "Laki-laki (jiwa)", "Perempuan (jiwa)"]
    );
    assert_eq!(s.table.rows[1].values, vec!["1.100", "–"]);

    let l = line_chart(&meta("l", "Garis"), &data);
    let doc = check_svg(&l.svg, "Garis");
    let markers = doc
        .descendants()
        .filter(|n| n.children().any(|c| c.has_tag_name("title")) && !n.has_tag_name("svg"))
        .count();
    assert_eq!(markers, 5);
    let desc = doc
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .unwrap()
        .text()
        .unwrap();
    assert!(
        desc.contains("Laki-laki naik dari 1.000 jiwa (2022) menjadi 1.200 jiwa (2024)"),
        "{desc}"
    );
    // A gap splits the line: the second series has two subpaths.
    let paths: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("fill") == Some("none"))
        .filter_map(|n| n.attribute("d"))
        .collect();
    assert_eq!(paths.len(), 2);
    assert_eq!(paths[1].matches('M').count(), 2, "{}", paths[1]);

    let sp = sparkline(
        "sp",
        "Tren penduduk",
        &data.labels,
        &data.series[1].values,
        Some("jiwa"),
    );
    let doc = check_svg(&sp, "Tren penduduk");
    let desc = doc
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(desc, "naik dari 900 jiwa (2022) menjadi 1.150 jiwa (2024)");
}

#[test]
fn empty_inputs_still_render() {
    let empty = ChartData::default();
    check_svg(&bar_chart(&meta("e", "Kosong"), &empty).svg, "Kosong");
    check_svg(&line_chart(&meta("e", "Kosong"), &empty).svg, "Kosong");
    let m = choropleth(&meta("e", "Kosong"), &[], &[]);
    check_svg(&m.svg, "Kosong");
}

fn square(x: f64, y: f64) -> serde_json::Value {
    json!({"type": "Polygon", "coordinates": [[[x, y], [x + 1.0, y], [x + 1.0, y + 1.0], [x, y + 1.0], [x, y]]]})
}

#[test]
fn quantile_classes() {
    let v: Vec<f64> = (1..=10).map(f64::from).collect();
    assert_eq!(quantile_breaks(&v, 5), vec![2.0, 4.0, 6.0, 8.0, 10.0]);
    assert_eq!(quantile_breaks(&[3.0, 3.0, 3.0], 5), vec![3.0]);
    assert_eq!(quantile_breaks(&[], 5), Vec::<f64>::new());
    assert_eq!(
        quantile_breaks(&[1.0, 1.0, 1.0, 1.0, 9.0], 5),
        vec![1.0, 9.0]
    );
}

#[test]
fn choropleth_classes_hatching_and_missing_places() {
    let shapes: Vec<Shape> = (0..6)
        .map(|i| Shape {
            code: format!("16.06.0{}", i + 1),
            name: format!("Kec {i}"),
            geometry: square(103.0 + i as f64 * 0.1, -2.5),
        })
        .chain(std::iter::once(Shape {
            code: "16.06.99".into(),
            name: "Rusak".into(),
            geometry: json!({"type": "Point", "coordinates": [1, 2]}),
        }))
        .collect();
    let mut places: Vec<Place> = (0..5)
        .map(|i| Place {
            code: format!("16.06.0{}", i + 1),
            name: if i == 0 {
                "A & <B>".into()
            } else {
                format!("Kec {i}")
            },
            value: Some(10.0 * (i + 1) as f64),
        })
        .collect();
    // 16.06.06 has a polygon but no value; 16.06.07 a value but no polygon.
    places.push(Place {
        code: "16.06.07".into(),
        name: "Tanpa Peta".into(),
        value: Some(7.0),
    });
    let m = choropleth(&meta("peta", "Peta"), &shapes, &places);
    let doc = check_svg(&m.svg, "Peta");
    let regions: Vec<(&str, &str)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("data-kode").is_some())
        .map(|n| {
            (
                n.attribute("data-kode").unwrap(),
                n.children()
                    .find(|c| c.has_tag_name("title"))
                    .and_then(|t| t.text())
                    .unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(regions.len(), 6, "every readable shape is drawn");
    assert_eq!(regions[0], ("16.06.01", "A & <B>: 10 jiwa"));
    assert_eq!(regions[5], ("16.06.06", "Kec 5: tidak ada data"));
    assert_eq!(m.classes.len(), 5);
    assert_eq!(m.classes.iter().map(|c| c.count).sum::<usize>(), 6);
    assert_eq!(
        m.missing
            .iter()
            .map(|p| p.code.as_str())
            .collect::<Vec<_>>(),
        vec!["16.06.07"]
    );
    assert_eq!(
        m.no_data
            .iter()
            .map(|p| p.code.as_str())
            .collect::<Vec<_>>(),
        vec!["16.06.06"]
    );
    assert_eq!(m.bad_shapes.len(), 1);
    assert!(m.svg.contains("tidak ada data (1 wilayah)"));
    assert!(m
        .svg
        .contains("Tanpa batas wilayah di peta (1): Tanpa Peta 7 jiwa"));
    let hatched = doc
        .descendants()
        .filter(|n| n.attribute("fill") == Some("url(#peta-nd)"))
        .count();
    assert_eq!(hatched, 2, "the region and the legend swatch");
    assert_eq!(m.table.rows.len(), 7);
    assert_eq!(m.table.rows[5].values[1], "tanpa batas di peta");
    assert_eq!(m.table.rows[6].label, "Kec 5");
}

#[test]
fn choropleth_of_real_desa_boundaries_is_small() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/reference/boundaries/16.06-musi-banyuasin-desa.geojson"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} not found");
        return;
    };
    let fc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let shapes: Vec<Shape> = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| Shape {
            code: f["properties"]["code"].as_str().unwrap().to_string(),
            name: f["properties"]["name"].as_str().unwrap().to_string(),
            geometry: f["geometry"].clone(),
        })
        .collect();
    let places: Vec<Place> = shapes
        .iter()
        .enumerate()
        .map(|(i, s)| Place {
            code: s.code.clone(),
            name: s.name.clone(),
            value: Some((i * 37 % 101) as f64),
        })
        .collect();
    let m = choropleth(&meta("peta", "Desa"), &shapes, &places);
    check_svg(&m.svg, "Desa");
    assert!(m.missing.is_empty() && m.no_data.is_empty() && m.bad_shapes.is_empty());
    assert_eq!(m.svg.matches("data-kode=").count(), shapes.len());
    assert!(
        m.svg.len() < text.len() / 3,
        "simplified: {} bytes from {}",
        m.svg.len(),
        text.len()
    );
}

fn field(name: &str, ty: satudata_core::schema::FieldType) -> satudata_core::schema::Field {
    satudata_core::schema::Field::new(name, ty)
}

#[test]
fn the_chart_fits_the_shape_of_the_table() {
    use satudata_core::region::Level;
    use satudata_core::schema::{FieldType as T, TableSchema};
    let mut code = field("kode_kecamatan", T::String);
    code.region_level = Some(Level::Kecamatan);
    let mut year = field("tahun", T::Year);
    year.period = true;
    let mut sex = field("jenis_kelamin", T::String);
    sex.constraints.enum_values = Some(vec![json!("Laki-laki"), json!("Perempuan")]);
    let mut pop = field("jumlah_penduduk", T::Integer);
    pop.unit = Some("jiwa".into());
    let mut pct = field("persentase_rekam", T::Number);
    pct.unit = Some("persen".into());
    let first = field("luas", T::Number);

    // Region × period, additive → a line over periods (the regency total), and a map.
    let s = TableSchema::new(vec![code.clone(), year.clone(), first.clone(), pop.clone()]);
    let p = plan(&s, None, 6).unwrap();
    assert_eq!(
        (p.kind, p.combine, p.over_periods, p.map),
        (ChartKind::Line, Combine::Sum, true, true)
    );
    assert_eq!(
        p.measure.as_deref(),
        Some("jumlah_penduduk"),
        "jumlah… is preferred"
    );
    // One period only → bars by region.
    let p = plan(&s, None, 1).unwrap();
    assert_eq!((p.kind, p.over_periods), (ChartKind::Bars, false));
    // A breakdown in the key → stacked by period.
    let mut s2 = TableSchema::new(vec![code.clone(), year.clone(), sex.clone(), pop.clone()]);
    s2.primary_key = vec![
        "kode_kecamatan".into(),
        "tahun".into(),
        "jenis_kelamin".into(),
    ];
    let p = plan(&s2, None, 6).unwrap();
    assert_eq!(
        (p.kind, p.breakdown.as_deref(), p.over_periods),
        (ChartKind::StackedBars, Some("jenis_kelamin"), true)
    );
    assert!(p.map);
    // Percentages by region and period → bars by region (averaged), never summed.
    let s3 = TableSchema::new(vec![code.clone(), year.clone(), pct.clone()]);
    let p = plan(&s3, None, 6).unwrap();
    assert_eq!(
        (p.kind, p.combine, p.over_periods),
        (ChartKind::Bars, Combine::Avg, false)
    );
    // Periods only → a line.
    let s4 = TableSchema::new(vec![year.clone(), pct.clone()]);
    assert_eq!(plan(&s4, None, 5).unwrap().kind, ChartKind::Line);
    // A status per desa and nothing numeric → counts, stacked by status per region.
    let mut status = field("status_idm", T::String);
    status.constraints.enum_values = Some(vec![
        json!("Maju"),
        json!("Berkembang"),
        json!("Tertinggal"),
    ]);
    let s5 = TableSchema::new(vec![code.clone(), status]);
    let p = plan(&s5, None, 0).unwrap();
    assert_eq!(
        (p.kind, p.combine, p.unit.as_deref()),
        (ChartKind::StackedBars, Combine::Count, Some("baris"))
    );
    // Nothing to chart.
    assert!(plan(&TableSchema::new(vec![field("nama", T::String)]), None, 0).is_none());
}

#[test]
fn arrange_figures_into_series() {
    let f = |l: &str, s: Option<&str>, v: f64| Figure {
        label: l.into(),
        series: s.map(Into::into),
        value: Some(v),
    };
    let d = arrange(&[
        f("2023", Some("L"), 1.0),
        f("2023", Some("P"), 2.0),
        f("2024", Some("P"), 3.0),
    ]);
    assert_eq!(d.labels, vec!["2023", "2024"]);
    assert_eq!(d.series[0].values, vec![Some(1.0), None]);
    assert_eq!(d.series[1].values, vec![Some(2.0), Some(3.0)]);
}
