//! Conformance cases of [`satudata_store::BoundaryStore`]: loading, replacing, listing the children
//! of a region in code order, and all-or-nothing writes.

use std::sync::Arc;

use satudata_core::region::Level;
use satudata_store::boundaries::NewBoundary;
use satudata_store::{Store, StoreError};

fn square(code: &str, level: Level, name: &str, x: f64) -> NewBoundary {
    let g = format!(
        "{{\"type\":\"Polygon\",\"coordinates\":[[[{x},-2.5],[{x1},-2.5],[{x1},-2.4],[{x},-2.4],[{x},-2.5]]]}}",
        x1 = x + 0.1
    );
    NewBoundary {
        code: code.into(),
        level,
        name: name.into(),
        geometry: g.clone(),
        simplified: g,
    }
}

/// Put, get, list by parent and level, replace.
pub async fn boundaries_put_get_list(store: Arc<dyn Store>) {
    let items = vec![
        square("16.06.02.2001", Level::Desa, "Desa B", 103.2),
        square("16.06.01.2001", Level::Desa, "Sukarami", 103.0),
        square("16.06.01.1009", Level::Desa, "Kayu Ara", 103.1),
        square("16.06.01", Level::Kecamatan, "Sekayu", 103.0),
        square("15.08.01.2001", Level::Desa, "Pedukun", 101.0),
    ];
    assert_eq!(
        store
            .put_boundaries(&items, "uji.geojson", None)
            .await
            .unwrap(),
        5
    );
    let b = store
        .get_boundary("16.06.01.2001")
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(
        (b.name.as_str(), b.level, b.source.as_str()),
        ("Sukarami", Level::Desa, "uji.geojson")
    );
    assert_eq!(b.geometry, items[1].geometry);
    assert_eq!(b.simplified, items[1].simplified);
    assert!(store.get_boundary("16.06.09").await.unwrap().is_none());

    let codes = |v: Vec<satudata_store::boundaries::Boundary>| {
        v.into_iter().map(|b| b.code).collect::<Vec<_>>()
    };
    let desa = store
        .list_boundaries("16.06", Level::Desa, false)
        .await
        .unwrap();
    assert!(
        desa.iter()
            .all(|b| b.geometry.is_empty() && !b.simplified.is_empty()),
        "simplified only"
    );
    assert_eq!(
        codes(desa),
        vec!["16.06.01.1009", "16.06.01.2001", "16.06.02.2001"]
    );
    assert_eq!(
        codes(
            store
                .list_boundaries("16.06.01", Level::Desa, true)
                .await
                .unwrap()
        ),
        vec!["16.06.01.1009", "16.06.01.2001"]
    );
    // `16.06.0` is not a prefix of a code: only whole regions match.
    assert!(store
        .list_boundaries("16.06.1", Level::Desa, false)
        .await
        .is_err());
    assert_eq!(
        codes(
            store
                .list_boundaries("16.06", Level::Kecamatan, false)
                .await
                .unwrap()
        ),
        vec!["16.06.01"]
    );
    assert_eq!(
        store
            .list_boundaries("", Level::Desa, false)
            .await
            .unwrap()
            .len(),
        4
    );

    // Loading again replaces.
    let mut again = square("16.06.01.2001", Level::Desa, "Sukarami Baru", 104.0);
    again.simplified = "{\"type\":\"MultiPolygon\",\"coordinates\":[]}".into();
    store
        .put_boundaries(&[again.clone()], "api", None)
        .await
        .unwrap();
    let b = store.get_boundary("16.06.01.2001").await.unwrap().unwrap();
    assert_eq!(
        (b.name.as_str(), b.source.as_str()),
        ("Sukarami Baru", "api")
    );
    assert_eq!(b.simplified, again.simplified);
    assert_eq!(
        store
            .list_boundaries("16.06", Level::Desa, false)
            .await
            .unwrap()
            .len(),
        3
    );
}

/// A bad item anywhere writes nothing, and says which code is wrong.
pub async fn boundaries_all_or_nothing(store: Arc<dyn Store>) {
    let good = square("16.06.01.2001", Level::Desa, "Sukarami", 103.0);
    for (bad, needle) in [
        (
            square("16.06.01", Level::Desa, "Salah tingkat", 1.0),
            "16.06.01",
        ),
        (
            square("99.99.99.9999x", Level::Desa, "Rusak", 1.0),
            "99.99.99.9999x",
        ),
        (
            square("1606012002", Level::Desa, "Tanpa titik", 1.0),
            "bertitik",
        ),
        (
            square("16.06.01.2001", Level::Desa, "Ganda", 1.0),
            "lebih dari sekali",
        ),
        (
            NewBoundary {
                geometry: "bukan json".into(),
                ..square("16.06.01.2003", Level::Desa, "Geometri rusak", 1.0)
            },
            "16.06.01.2003",
        ),
    ] {
        let err = store
            .put_boundaries(&[good.clone(), bad], "uji", None)
            .await
            .expect_err("a bad item is refused");
        match err {
            StoreError::Invalid(m) => assert!(m.contains(needle), "{m}"),
            other => panic!("expected Invalid, got {other:?}"),
        }
        assert!(
            store.get_boundary("16.06.01.2001").await.unwrap().is_none(),
            "nothing written"
        );
    }
}
