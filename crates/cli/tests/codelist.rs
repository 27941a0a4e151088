//! Code lists from the command line: `satudata codelist import|list|show` on a real SQLite file, and
//! `satudata validate` checking `codelist` fields against the standard lists or a `--codelist` file.

mod common;

use common::{run, satudata};

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn codelist_import_list_show_and_new_versions() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let v1 = write(
        dir.path(),
        "hubungan.json",
        r#"{"slug": "status-hubungan", "title": "Status hubungan dalam rumah tangga",
            "codes": [{"code": "1", "label": "Kepala rumah tangga"}, {"code": "2", "label": "Istri/suami"}]}"#,
    );
    let (code, out, err) = run(&["codelist", "import", &v1], &data, "");
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("status-hubungan versi 1 (2 kode)"), "{out}");
    let (code, out, _) = run(&["codelist", "import", &v1], &data, "");
    assert_eq!(code, 0);
    assert!(out.contains("Tidak berubah"), "{out}");
    let v2 = write(
        dir.path(),
        "hubungan2.json",
        r#"{"slug": "status-hubungan", "title": "Status hubungan dalam rumah tangga",
            "codes": [{"code": "1", "label": "Kepala rumah tangga"}, {"code": "2", "label": "Istri/suami"},
                      {"code": "3", "label": "Anak"}]}"#,
    );
    let (code, out, _) = run(&["codelist", "import", &v2], &data, "");
    assert_eq!(code, 0);
    assert!(out.contains("versi 2 (3 kode)"), "{out}");
    let (code, out, _) = run(&["codelist", "list"], &data, "");
    assert_eq!(code, 0);
    assert!(
        out.contains("status-hubungan") && out.contains("    2 "),
        "{out}"
    );
    let (code, out, _) = run(
        &["codelist", "show", "status-hubungan@1", "--json"],
        &data,
        "",
    );
    assert_eq!(code, 0);
    let shown: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(shown["version"], 1);
    assert_eq!(shown["codes"].as_array().unwrap().len(), 2);
    let (code, _, err) = run(&["codelist", "show", "status-hubungan@7"], &data, "");
    assert_eq!(code, 1);
    assert!(err.contains("status-hubungan@7"), "{err}");
    let bad = write(
        dir.path(),
        "rusak.json",
        r#"{"slug": "x y", "title": "", "codes": []}"#,
    );
    let (code, _, err) = run(&["codelist", "import", &bad], &data, "");
    assert_eq!(code, 1);
    assert!(err.contains("slug") && err.contains("codes"), "{err}");
}

#[test]
fn validate_checks_codelist_fields_with_standard_lists_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let schema = write(
        dir.path(),
        "skema.json",
        r#"{"fields": [
            {"name": "nik", "type": "string"},
            {"name": "jenis_kelamin", "type": "integer", "codelist": "jenis-kelamin"},
            {"name": "hubungan", "type": "integer"}],
           "foreignKeys": [{"fields": "hubungan", "reference": {"resource": "codelist:status-hubungan", "fields": "code"}}]}"#,
    );
    let csv = write(
        dir.path(),
        "warga.csv",
        "nik,jenis_kelamin,hubungan\n1606010101900001,1,1\n1606010101900002,3,2\n1606010101900003,2,5\n",
    );
    // Without the status-hubungan list only jenis-kelamin (a standard list) is checked.
    let out = satudata()
        .args(["validate", "--format", "json", "--schema", &schema, &csv])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errorCounts"]["foreign-key"], 1, "{report}");
    let e = &report["errors"][0];
    assert_eq!(
        (e["rowNumber"].as_u64(), e["fieldName"].as_str()),
        (Some(3), Some("jenis_kelamin"))
    );
    assert_eq!(
        e["messageEn"],
        "'3' is not in the code list 'jenis-kelamin'"
    );
    assert!(e["hint"].as_str().unwrap().contains("(1, 2)"), "{e}");
    let notes = report["source"]["notes"].to_string();
    assert!(notes.contains("codelist:status-hubungan"), "{notes}");

    let list = write(
        dir.path(),
        "hubungan.json",
        r#"{"slug": "status-hubungan", "title": "Hubungan", "codes": [{"code": "1", "label": "Kepala"}, {"code": "2", "label": "Istri/suami"}]}"#,
    );
    let out = satudata()
        .args([
            "validate",
            "--format",
            "json",
            "--schema",
            &schema,
            "--codelist",
            &list,
            &csv,
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errorCounts"]["foreign-key"], 2, "{report}");
    assert_eq!(report["errors"][1]["rowNumber"], 4);
    assert_eq!(
        report["errors"][1]["message"],
        "'5' tidak ada di daftar kode 'status-hubungan'"
    );

    // A broken code list file is unusable input (exit 2) with the reason.
    let broken = write(dir.path(), "rusak.json", "{");
    let out = satudata()
        .args(["validate", "--schema", &schema, "--codelist", &broken, &csv])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rusak.json"));
}
