//! `satudata boundaries load` with the real boundary files of shared/reference/boundaries: codes
//! recognised, names matched when codes are missing, unmatched features listed, all or nothing, and
//! clear errors for bad input.

mod common;

use std::path::{Path, PathBuf};

use satudata_core::region::Level;
use satudata_store::BoundaryStore;

fn reference(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/reference/boundaries")
        .join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: {} not found", p.display());
        None
    }
}

fn load(url: &str, args: &[&str]) -> (i32, String) {
    let out = common::satudata()
        .args(["boundaries", "load", "--database-url", url])
        .args(args)
        .output()
        .expect("run satudata boundaries load");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[tokio::test]
async fn loads_the_real_files_all_or_nothing() {
    let (Some(desa), Some(kec), Some(bungo)) = (
        reference("16.06-musi-banyuasin-desa.geojson"),
        reference("16.06-musi-banyuasin-kecamatan.geojson"),
        reference("15.08-bungo-desa.geojson"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("satudata.db");
    let url = format!("sqlite://{}", path.display());

    let (code, text) = load(
        &url,
        &[
            desa.to_str().unwrap(),
            "--level",
            "desa",
            "--home-region",
            "16.06",
        ],
    );
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("Kode wilayah dibaca dari properti 'code'"),
        "{text}"
    );
    assert!(
        text.contains("240 batas wilayah disimpan (240 desa/kelurahan)"),
        "{text}"
    );
    let (code, text) = load(&url, &[kec.to_str().unwrap(), "--home-region", "16.06"]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("15 batas wilayah disimpan (15 kecamatan)"),
        "{text}"
    );

    // Another regency's desa, with 16.06 as home: every feature is outside, nothing is written.
    let (code, text) = load(&url, &[bungo.to_str().unwrap(), "--home-region", "16.06"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("153 fitur tidak cocok"), "{text}");
    assert!(text.contains("di luar wilayah induk 16.06"), "{text}");
    assert!(text.contains("tidak ada yang disimpan"), "{text}");

    let store = satudata_store_sqlite::SqliteStore::open(&path)
        .await
        .unwrap();
    let all = store.list_boundaries("", Level::Desa, false).await.unwrap();
    assert_eq!(all.len(), 240, "Bungo wrote nothing");
    let sekayu = all
        .iter()
        .filter(|b| b.code.starts_with("16.06.01."))
        .count();
    assert!(sekayu > 0);
    assert_eq!(
        store
            .list_boundaries("16.06.01", Level::Desa, false)
            .await
            .unwrap()
            .len(),
        sekayu
    );
    let k = store
        .get_boundary("16.06.01")
        .await
        .unwrap()
        .expect("Sekayu");
    assert_eq!(k.name, "Sekayu");
    assert!(
        k.simplified.len() < k.geometry.len(),
        "the map copy is smaller"
    );
}

#[tokio::test]
async fn matches_names_when_codes_are_missing() {
    let Some(desa) = reference("16.06-musi-banyuasin-desa.geojson") else {
        return;
    };
    // The same file without codes: only names.
    let mut fc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&desa).unwrap()).unwrap();
    for f in fc["features"].as_array_mut().unwrap() {
        let props = f["properties"].as_object_mut().unwrap();
        props.remove("code");
        let name = props.remove("name").unwrap();
        props.insert("NAMOBJ".into(), name);
    }
    let geometry = fc["features"][0]["geometry"].clone();
    fc["features"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "type": "Feature", "properties": {"NAMOBJ": "Desa Yang Tidak Ada"},
            "geometry": geometry
        }));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tanpa-kode.geojson");
    std::fs::write(&file, fc.to_string()).unwrap();
    let url = format!("sqlite://{}", dir.path().join("satudata.db").display());

    let (code, text) = load(
        &url,
        &[
            file.to_str().unwrap(),
            "--level",
            "desa",
            "--home-region",
            "16.06",
        ],
    );
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("Tidak ada properti kode wilayah; fitur dicocokkan menurut nama."),
        "{text}"
    );
    assert!(
        text.contains(
            "fitur 241 (Desa Yang Tidak Ada): nama 'Desa Yang Tidak Ada' tidak ditemukan"
        ),
        "{text}"
    );

    let (code, text) = load(
        &url,
        &[
            file.to_str().unwrap(),
            "--level",
            "desa",
            "--home-region",
            "16.06",
            "--skip-unmatched",
        ],
    );
    assert_eq!(code, 0, "{text}");
    let store = satudata_store_sqlite::SqliteStore::open(&dir.path().join("satudata.db"))
        .await
        .unwrap();
    let loaded = store
        .list_boundaries("16.06", Level::Desa, false)
        .await
        .unwrap();
    assert!(
        loaded.len() >= 200,
        "most names are unique: {} loaded\n{text}",
        loaded.len()
    );
    assert!(
        text.contains(&format!("{} fitur dicocokkan menurut nama", loaded.len())),
        "{text}"
    );
    let b = store
        .get_boundary("16.06.01.1009")
        .await
        .unwrap()
        .expect("Kayu Ara by name");
    assert_eq!(b.name, "Kayu Ara");
}

#[test]
fn bad_input_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("satudata.db").display());
    let bad = dir.path().join("rusak.geojson");
    std::fs::write(&bad, "{\"type\": \"FeatureCollection\", \"features\": [").unwrap();
    let (code, text) = load(&url, &[bad.to_str().unwrap()]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("bukan JSON yang sah"), "{text}");

    let (code, text) = load(
        &url,
        &[dir.path().join("tidak-ada.geojson").to_str().unwrap()],
    );
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("tidak bisa dibaca"), "{text}");

    let point = dir.path().join("titik.geojson");
    std::fs::write(&point, r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"16.06.01"},"geometry":{"type":"Point","coordinates":[103.8,-2.9]}}]}"#).unwrap();
    let (code, text) = load(&url, &[point.to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("geometri 'Point' tidak didukung"), "{text}");

    let (code, text) = load(
        &url,
        &[point.to_str().unwrap(), "--code-property", "KDEPUM"],
    );
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("tidak ada fitur dengan properti 'KDEPUM'; properti yang ada: code"),
        "{text}"
    );

    let help = common::satudata()
        .args(["boundaries", "load", "--help"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("--code-property"));
}
