//! Conformance cases of [`satudata_store::CodeListStore`]: versions, identical saves, validation,
//! racing writers.

use std::sync::Arc;

use satudata_core::codelist::{standard, Code};
use satudata_store::{Store, StoreError};

/// New versions, reading a pinned or the newest version, listing newest versions by slug, and an
/// identical save that adds nothing.
pub async fn codelists_versions(store: Arc<dyn Store>) {
    assert!(store.list_codelists().await.unwrap().is_empty());
    assert_eq!(store.get_codelist("agama", None).await.unwrap(), None);
    assert!(store.codelist_versions("agama").await.unwrap().is_empty());
    let actor = Some(satudata_core::new_id());
    for meta in standard() {
        let l = store.create_codelist(meta.clone(), actor).await.unwrap();
        assert_eq!(l.version, 1);
        assert_eq!(l.meta, meta);
        assert_eq!(l.created_by, actor);
    }
    let agama = standard().into_iter().find(|l| l.slug == "agama").unwrap();
    // Saving the same list again is not a new version.
    let again = store.create_codelist(agama.clone(), None).await.unwrap();
    assert_eq!(again.version, 1);
    assert_eq!(again.created_by, actor);
    let mut v2 = agama.clone();
    v2.codes.push(Code {
        code: "8".into(),
        label: "Lainnya".into(),
        label_en: Some("Other".into()),
    });
    v2.description = "Versi dengan kode lain-lain.".into();
    let saved = store.create_codelist(v2.clone(), None).await.unwrap();
    assert_eq!(saved.version, 2);
    assert_eq!(store.codelist_versions("agama").await.unwrap(), [2, 1]);
    let newest = store.get_codelist("agama", None).await.unwrap().unwrap();
    assert_eq!(newest, saved);
    let first = store.get_codelist("agama", Some(1)).await.unwrap().unwrap();
    assert_eq!(first.meta, agama);
    assert_eq!(first.id, again.id);
    assert_eq!(store.get_codelist("agama", Some(3)).await.unwrap(), None);
    let all = store.list_codelists().await.unwrap();
    let slugs: Vec<(&str, i32)> = all
        .iter()
        .map(|l| (l.meta.slug.as_str(), l.version))
        .collect();
    assert_eq!(
        slugs,
        [
            ("agama", 2),
            ("jenis-kelamin", 1),
            ("jenjang-pendidikan", 1),
            ("status-perkawinan", 1)
        ]
    );
    assert_eq!(all[0].meta.codes.len(), 8);
    assert_eq!(all[0].meta.codes[7].label_en.as_deref(), Some("Other"));
}

/// A bad list is refused with every problem named, and writes nothing.
pub async fn codelists_validation(store: Arc<dyn Store>) {
    let mut bad = standard().remove(0);
    bad.slug = "Jenis Kelamin".into();
    bad.codes.push(bad.codes[0].clone());
    match store.create_codelist(bad, None).await {
        Err(StoreError::Invalid(m)) => {
            assert!(m.contains("Slug"), "{m}");
            assert!(m.contains("Kode '1' muncul lebih dari sekali"), "{m}");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert!(store.list_codelists().await.unwrap().is_empty());
}

/// Writers racing to add versions of one list each get a distinct number or a conflict, never a
/// duplicate or a lost version.
pub async fn codelists_concurrent_versions(store: Arc<dyn Store>) {
    let base = standard().remove(0);
    store.create_codelist(base.clone(), None).await.unwrap();
    let mut tasks = vec![];
    for i in 0..6 {
        let store = store.clone();
        let mut meta = base.clone();
        meta.description = format!("perubahan {i}");
        tasks.push(tokio::spawn(async move {
            store.create_codelist(meta, None).await
        }));
    }
    let mut numbers = vec![];
    for t in tasks {
        match t.await.unwrap() {
            Ok(l) => numbers.push(l.version),
            Err(StoreError::Conflict(_)) => {}
            Err(e) => panic!("unexpected error {e}"),
        }
    }
    assert!(!numbers.is_empty());
    numbers.sort();
    let stored = store.codelist_versions(&base.slug).await.unwrap();
    assert_eq!(stored.len(), numbers.len() + 1);
    let mut expected: Vec<i32> = (1..=stored.len() as i32).rev().collect();
    assert_eq!(stored, expected);
    expected.pop();
    expected.reverse();
    assert_eq!(numbers, expected);
}
