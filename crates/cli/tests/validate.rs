//! `satudata validate` and `satudata infer` on real files: exit codes 0, 1, 2 and the JSON report.

mod common;

use common::satudata;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/frictionless-py-data"
);
const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/sample-data");

fn validate(args: &[&str]) -> (i32, String, String) {
    let out = satudata().arg("validate").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn valid_invalid_and_unusable_files_get_exit_codes_0_1_2() {
    let (code, out, _) = validate(&[
        "--schema",
        &format!("{FIXTURES}/schema.json"),
        &format!("{FIXTURES}/table.csv"),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("SAH"));

    let (code, out, _) = validate(&["--format", "json", &format!("{FIXTURES}/invalid.csv")]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON report");
    assert_eq!(report["valid"], false);
    for kind in [
        "blank-label",
        "duplicate-label",
        "missing-cell",
        "blank-row",
        "extra-cell",
    ] {
        assert!(
            report["errorCounts"][kind].as_u64().unwrap_or(0) > 0,
            "{kind} in {out}"
        );
    }
    let first = &report["errors"][0];
    assert!(
        first["message"].is_string() && first["messageEn"].is_string() && first["hint"].is_string()
    );

    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("kosong.csv");
    std::fs::write(&empty, "").unwrap();
    let (code, _, err) = validate(&[empty.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("kosong"), "{err}");

    let (code, _, err) = validate(&[
        "--schema",
        "/tidak/ada.json",
        &format!("{FIXTURES}/table.csv"),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("skema"), "{err}");
}

/// The fuzz input whose cells sit past column IV (docs/FUZZING.md, finding 3: calamine would have
/// allocated 135 GB) is unusable input, exit code 2, with the reason in Bahasa Indonesia.
#[test]
fn an_xls_with_cells_past_its_limits_is_unusable_not_an_abort() {
    let f = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../formats/fuzz/corpus/read_sheet/regression-calamine-xls-cell-position-135GB.xls"
    );
    let (code, _, err) = validate(&[f]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("di luar batas format .xls"), "{err}");
    assert!(err.contains(".xlsx atau CSV"), "{err}");
}

#[test]
fn every_sample_and_fixture_gets_a_report_never_a_crash() {
    let mut files = vec![];
    for dir in [
        FIXTURES.to_string(),
        format!("{SAMPLES}/odj"),
        format!("{SAMPLES}/opendk"),
    ] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_file() {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 50);
    for f in files {
        let out = satudata()
            .args(["validate", "--format", "json"])
            .arg(&f)
            .output()
            .unwrap();
        let code = out.status.code();
        assert!(
            matches!(code, Some(0..=2)),
            "{} exited with {code:?}",
            f.display()
        );
    }
}

#[test]
fn infer_prints_a_table_schema_with_region_fields() {
    let out = satudata()
        .args(["infer"])
        .arg(format!(
            "{SAMPLES}/odj/jumlah_penduduk_berdasarkan_jenis_kelamin_data.csv"
        ))
        .output()
        .unwrap();
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fields = schema["fields"].as_array().unwrap();
    assert!(
        fields.iter().any(|f| f["regionLevel"] == "kabupaten"),
        "{schema}"
    );
}
