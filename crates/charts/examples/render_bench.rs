//! Render time and size of a desa choropleth of Musi Banyuasin (the real boundaries of
//! shared/reference/boundaries) and of a bar chart of its 240 desa; with `--features png`, the PNG
//! infographic too. Writes the outputs to `target/charts-sample/` to look at.
//!
//! `cargo run --release -p satudata-charts --features png --example render_bench [GEOJSON]`

use std::time::Instant;

use satudata_charts::map::{choropleth, Place, Shape};
use satudata_charts::{bar_chart, ChartData, ChartMeta, Series};

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/reference/boundaries/16.06-musi-banyuasin-desa.geojson"
        )
        .to_string()
    });
    let text = std::fs::read_to_string(&path).expect("read the GeoJSON file");
    let t = Instant::now();
    let read = satudata_charts::geo::read_boundaries(&text, &Default::default()).expect("GeoJSON");
    let load = t.elapsed();
    let shapes: Vec<Shape> = read
        .boundaries
        .iter()
        .map(|b| Shape {
            code: b.code.clone(),
            name: b.name.clone(),
            geometry: serde_json::from_str(&b.simplified).unwrap(),
        })
        .collect();
    // Deterministic values; every 60th desa without a value, and one place with no polygon.
    let mut places: Vec<Place> = shapes
        .iter()
        .enumerate()
        .map(|(i, s)| Place {
            code: s.code.clone(),
            name: s.name.clone(),
            value: (i % 60 != 7).then(|| 800.0 + ((i * 7919) % 4001) as f64),
        })
        .collect();
    places.push(Place {
        code: "16.06.99.9999".into(),
        name: "Desa Tanpa Batas".into(),
        value: Some(1234.0),
    });
    let meta = ChartMeta {
        id: "peta".into(),
        title: "Jumlah penduduk menurut desa, 2024".into(),
        unit: Some("jiwa".into()),
        label_name: "Desa/Kelurahan".into(),
        ..ChartMeta::default()
    };
    let runs = 20;
    let t = Instant::now();
    let mut map = None;
    for _ in 0..runs {
        map = Some(choropleth(&meta, &shapes, &places));
    }
    let map_time = t.elapsed() / runs;
    let map = map.unwrap();
    let data = ChartData {
        labels: places.iter().map(|p| p.name.clone()).collect(),
        series: vec![Series {
            name: String::new(),
            values: places.iter().map(|p| p.value).collect(),
        }],
    };
    let t = Instant::now();
    let mut bars = None;
    for _ in 0..runs {
        bars = Some(bar_chart(
            &ChartMeta {
                id: "grafik".into(),
                ..meta.clone()
            },
            &data,
        ));
    }
    let bar_time = t.elapsed() / runs;
    let bars = bars.unwrap();
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/charts-sample");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("peta.svg"), &map.svg).unwrap();
    std::fs::write(out.join("grafik.svg"), &bars.svg).unwrap();
    println!(
        "boundaries: {} features read and simplified in {:.1} ms ({} KB → {} KB)",
        shapes.len(),
        load.as_secs_f64() * 1e3,
        read.boundaries
            .iter()
            .map(|b| b.geometry.len())
            .sum::<usize>()
            / 1024,
        read.boundaries
            .iter()
            .map(|b| b.simplified.len())
            .sum::<usize>()
            / 1024
    );
    println!(
        "map: {} bytes, {:.2} ms per render; missing {}, no data {}",
        map.svg.len(),
        map_time.as_secs_f64() * 1e3,
        map.missing.len(),
        map.no_data.len()
    );
    println!(
        "bars ({} desa): {} bytes, {:.2} ms per render",
        data.labels.len(),
        bars.svg.len(),
        bar_time.as_secs_f64() * 1e3
    );
    #[cfg(feature = "png")]
    {
        let info = satudata_charts::infographic::Infographic {
            title: "Jumlah Penduduk menurut Desa/Kelurahan".into(),
            subtitle: meta.title.clone(),
            source: "Sumber: Dinas Kependudukan dan Pencatatan Sipil (data contoh)".into(),
            date: "Versi 1, 22 November 2026".into(),
            logo: "Satu Data Kabupaten Musi Banyuasin".into(),
        };
        let svg = satudata_charts::infographic::infographic("info", &map.svg, &info);
        let t = Instant::now();
        let png = satudata_charts::png::render(&svg, 2.0).expect("png");
        println!(
            "map PNG infographic: {} bytes, {:.0} ms",
            png.len(),
            t.elapsed().as_secs_f64() * 1e3
        );
        std::fs::write(out.join("peta.png"), &png).unwrap();
    }
}
