//! Every fixture of ../shared/conformance/frictionless-py-data and ../shared/sample-data gets a report
//! or a clear "unusable input" error: no panic. (Skipped when the shared folder is not beside the repo.)

use std::path::{Path, PathBuf};

use satudata_formats::infer::{infer, InferOptions};
use satudata_formats::read::{open_path, ReadOptions};
use satudata_formats::validate::{validate, ValidateOptions};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

#[test]
fn every_fixture_gets_a_report_or_a_clear_error() {
    let mut all = vec![];
    files(&shared().join("conformance/frictionless-py-data"), &mut all);
    files(&shared().join("sample-data"), &mut all);
    if all.is_empty() {
        eprintln!("shared fixtures not found; skipped");
        return;
    }
    all.sort();
    let (mut reports, mut unusable) = (0, 0);
    for p in &all {
        let name = p.display().to_string();
        let inferred = match open_path(p, &ReadOptions::default()) {
            Ok(r) => infer(r, &InferOptions::default()),
            Err(e) => Err(e),
        };
        match inferred {
            Ok(inf) => {
                let r = open_path(p, &ReadOptions::default())
                    .unwrap_or_else(|e| panic!("{name}: reopen: {e}"));
                match validate(r, &inf.schema, &ValidateOptions::default()) {
                    Ok(report) => {
                        assert!(matches!(report.exit_code(), 0..=2), "{name}");
                        serde_json::to_string(&report).unwrap_or_else(|e| panic!("{name}: {e}"));
                        reports += 1;
                    }
                    Err(e) => {
                        assert!(!e.to_string().is_empty());
                        unusable += 1;
                    }
                }
            }
            Err(e) => {
                assert!(!e.to_string().is_empty(), "{name}");
                unusable += 1;
            }
        }
    }
    eprintln!(
        "{reports} reports, {unusable} unusable inputs, of {} files",
        all.len()
    );
    assert!(reports > 100);
}

#[test]
fn the_open_data_jabar_files_validate_against_their_inferred_schemas() {
    let dir = shared().join("sample-data/odj");
    let mut all = vec![];
    files(&dir, &mut all);
    for p in all
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
    {
        let inf = infer(
            open_path(p, &ReadOptions::default()).unwrap(),
            &InferOptions::default(),
        )
        .unwrap();
        let report = validate(
            open_path(p, &ReadOptions::default()).unwrap(),
            &inf.schema,
            &ValidateOptions::default(),
        )
        .unwrap();
        assert!(
            report.valid,
            "{}: {:?}",
            p.display(),
            &report.errors[..report.errors.len().min(3)]
        );
    }
}

#[test]
fn the_opendk_templates_read_with_dotted_desa_codes() {
    let p = shared().join("sample-data/opendk/Format_Upload_AKI_&_AKB.xlsx");
    if !p.exists() {
        return;
    }
    let inf = infer(
        open_path(&p, &ReadOptions::default()).unwrap(),
        &InferOptions::default(),
    )
    .unwrap();
    let desa = &inf.schema.fields[0];
    assert_eq!(desa.name, "desa_id");
    assert_eq!(desa.region_level, Some(satudata_core::region::Level::Desa));
}
