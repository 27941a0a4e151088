//! Conformance with frictionless-py (issue 3, item 8): every fixture of
//! `../shared/conformance/frictionless-py-data` that is a plain CSV, a CSV with a schema, or a resource
//! descriptor (JSON or YAML) pointing at a local CSV with a schema is validated by
//! `frictionless validate --json` (PyPI `frictionless`, from the venv `scripts/test-all.sh` builds) and by
//! `satudata validate --format json`; the errors are compared as (type, row, field) triples.
//!
//! Differences that are right by design are in [`ALLOWED`], each with its reason (and in
//! docs/CONFORMANCE.md). Any other difference fails the test with a readable diff; so does an allow-list
//! entry that no longer matches anything, so the list stays true.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/frictionless-py-data"
);

/// CSV files paired with a schema file (not a resource descriptor) by the frictionless-py tests.
const SCHEMA_PAIRS: &[(&str, &str)] = &[
    ("table.csv", "schema.json"),
    ("table.csv", "schema.yaml"),
    ("unique-field.csv", "unique-field.json"),
    ("duplicate-column.csv", "duplicate-column-schema.json"),
    ("table-reverse.csv", "schema-reverse.json"),
    ("issue-833.csv", "issue-833.json"),
];

/// Which side reports an error the other does not.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    /// Reported by frictionless only.
    Frictionless,
    /// Reported by satudata only.
    Satudata,
}

/// One difference that is right by design. `row`/`field` `None` match any row/field.
struct Allow {
    case: &'static str,
    side: Side,
    kind: &'static str,
    row: Option<u64>,
    field: Option<u64>,
    reason: &'static str,
}

const fn allow(
    case: &'static str,
    side: Side,
    kind: &'static str,
    row: Option<u64>,
    field: Option<u64>,
    reason: &'static str,
) -> Allow {
    Allow {
        case,
        side,
        kind,
        row,
        field,
        reason,
    }
}

use Side::{Frictionless as Fr, Satudata as Sd};

const MISSING_MARKERS: &str = "satudata reads `n/a`, `NA`, `-`, `…` as missing by default (BPS and OPD tables write them); frictionless only treats an empty cell as missing";
const HEADER_DETECTION: &str = "satudata's header detection skips title and comment rows above the table (and flattens two all-text rows into one header); frictionless takes the first row as the header, so its errors are about the title row";
const INFERENCE_WHOLE_COLUMN: &str = "inference: satudata types a column only if every non-missing value fits (it reads the whole file), frictionless types it from the first 100 rows with 90 % confidence and then reports the rest as type errors";
const ONE_ERROR_PER_CELL: &str = "one problem per cell: a missing cell of a required field is reported once (missing-cell); frictionless also adds a constraint-error for `required`";

/// Differences that are right by design (docs/CONFORMANCE.md lists the same, with the same reasons).
const ALLOWED: &[Allow] = &[
    allow("[table].csv", Fr, "package-error", None, None,
        "frictionless reads `[table].csv` as a glob pattern and fails; satudata opens the file by its name"),
    allow("empty.csv", Fr, "source-error", None, None,
        "an empty file is unusable input: satudata exits with code 2 and a message instead of a report"),
    allow("empty.csv", Sd, "unusable", None, None, "an empty file is unusable input (exit code 2)"),
    allow("issue-833.csv + issue-833.json", Sd, "unusable", None, None,
        "satudata supports the Table Schema subset real tabular data needs (issue 3): an `array` field makes the schema unusable (exit code 2, with the field named), frictionless checks the array items"),
    allow("capital-invalid.csv", Fr, "type-error", Some(12), Some(1), INFERENCE_WHOLE_COLUMN),
    allow("issue-1341.csv", Sd, "type-error", None, None,
        "inference: satudata infers columns whose values are all numbers or dates as such, frictionless keeps some as strings (and the reverse), so each side reports type errors the other cannot"),
    allow("table-infer-increase-limit.csv", Fr, "type-error", None, Some(2), INFERENCE_WHOLE_COLUMN),
    allow("dialect.csv", Sd, "extra-cell", Some(3), Some(3),
        "satudata sniffs `|` as the delimiter (one of , ; TAB |); frictionless reads the file as one column `id|name`"),
    allow("duplicate-column.csv", Fr, "duplicate-label", Some(1), Some(3), HEADER_DETECTION),
    allow("duplicate-column.csv + duplicate-column-schema.json", Fr, "duplicate-label", Some(1), Some(3), HEADER_DETECTION),
    allow("duplicate-column.csv + duplicate-column-schema.json", Fr, "extra-label", Some(1), Some(4), HEADER_DETECTION),
    allow("duplicate-column.csv + duplicate-column-schema.json", Sd, "extra-label", Some(2), Some(4), HEADER_DETECTION),
    allow("duplicate-column.csv + duplicate-column-schema.json", Sd, "incorrect-label", Some(2), None, HEADER_DETECTION),
    allow("skip-rows-before-headers.csv", Fr, "extra-cell", None, Some(2), HEADER_DETECTION),
    allow("skip-rows.csv", Fr, "extra-cell", None, Some(2), HEADER_DETECTION),
    allow("skip-rows.csv", Sd, "missing-cell", Some(4), Some(2),
        "satudata reads the comment line `# it's a comment!` below the header as a one-cell row (there is no comment character in the dialect); frictionless took the first comment as the header instead"),
    allow("skip-blank-at-the-end.csv", Fr, "blank-row", Some(4), None,
        "blank lines at the very end of a file are not rows for satudata (editors and exports add them); frictionless reports one blank row"),
    allow("issue-1004-data2.csv", Fr, "blank-row", Some(4), None,
        "known limitation of the streaming CSV reader: a last line with no final newline, after blank lines, is numbered one too low (the blank line is then not reported)"),
    allow("issue-1004-data2.csv", Fr, "extra-cell", Some(5), Some(5), "same known limitation: reported in row 4"),
    allow("issue-1004-data2.csv", Sd, "extra-cell", Some(4), Some(5), "same known limitation: frictionless says row 5"),
    allow("table-reverse.csv + schema-reverse.json", Fr, "incorrect-label", Some(1), None,
        "satudata matches columns to schema fields by their labels, in any order (operators reorder columns); frictionless matches by position"),
    allow("table-reverse.csv + schema-reverse.json", Fr, "type-error", None, Some(2),
        "columns matched by label (see incorrect-label), so there is no type error"),
    allow("resource-with-dereferencing.json", Fr, "incorrect-label", Some(1), Some(1),
        "the descriptor's `dialect.json` (header: false, …) is not read by satudata, which reads the file's own header row"),
    allow("resource-with-dereferencing.json", Fr, "missing-label", Some(1), Some(2), "dialect not read (see incorrect-label)"),
    allow("resource-with-dereferencing.json", Fr, "type-error", None, Some(1), "dialect not read (see incorrect-label)"),
    allow("countries.json", Fr, "type-error", Some(4), Some(4), MISSING_MARKERS),
    allow("countries.yaml", Fr, "type-error", Some(4), Some(4), MISSING_MARKERS),
    allow("countries.yaml", Fr, "constraint-error", Some(7), Some(3), ONE_ERROR_PER_CELL),
    allow("countries.resource.yaml", Fr, "foreign-key", Some(5), None,
        "satudata's foreign keys point at code lists (kode referensi) in the catalogue; a self-reference within the resource (`resource: ''`) is not checked"),
];

/// Error types that belong to a row, not a cell: compared without the field.
const ROW_LEVEL: &[&str] = &[
    "blank-row",
    "primary-key",
    "duplicate-row",
    "row-constraint",
    "foreign-key",
];

type Key = (String, Option<u64>, Option<u64>);

fn key(kind: &str, row: Option<u64>, field: Option<u64>) -> Key {
    let field = if ROW_LEVEL.contains(&kind) {
        None
    } else {
        field
    };
    (kind.to_string(), row, field)
}

fn venv_bin(name: &str) -> PathBuf {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../target/pyenv/bin/{name}"));
    assert!(
        bin.exists(),
        "{} is missing: run `bash scripts/test-all.sh` (it builds target/pyenv from .ci/requirements.txt, with frictionless)",
        bin.display()
    );
    bin
}

/// One comparison: what frictionless runs on, and what satudata runs on.
struct Case {
    name: String,
    frictionless_args: Vec<String>,
    satudata_args: Vec<String>,
}

/// Resource descriptors (JSON or YAML) with a local CSV `path` and a `schema`, found and converted to
/// JSON by Python (YAML and a relative YAML schema are inlined), since satudata reads JSON schemas.
const FIND_DESCRIPTORS: &str = r#"
import glob, json, os, sys, yaml
out = sys.argv[1]
cases = []
for f in sorted(glob.glob('*.json') + glob.glob('*.yaml')):
    try:
        d = json.load(open(f)) if f.endswith('.json') else yaml.safe_load(open(f))
    except Exception:
        continue
    if not (isinstance(d, dict) and isinstance(d.get('path'), str) and d['path'].endswith('.csv')
            and 'schema' in d and os.path.exists(d['path'])):
        continue
    schema = f
    if f.endswith('.yaml') or (isinstance(d['schema'], str) and d['schema'].endswith('.yaml')):
        if isinstance(d['schema'], str) and d['schema'].endswith('.yaml'):
            d['schema'] = yaml.safe_load(open(d['schema']))
        schema = os.path.join(out, f.rsplit('.', 1)[0] + '.converted.json')
        json.dump(d, open(schema, 'w'))
    cases.append({'descriptor': f, 'data': d['path'], 'schema': schema})
print(json.dumps(cases))
"#;

fn cases(tmp: &Path) -> Vec<Case> {
    let mut names: Vec<String> = std::fs::read_dir(FIXTURES)
        .expect("the fixtures in ../shared/conformance/frictionless-py-data")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    names.sort();
    let mut out: Vec<Case> = names
        .into_iter()
        .map(|n| Case {
            frictionless_args: vec![n.clone()],
            satudata_args: vec![n.clone()],
            name: n,
        })
        .collect();
    for (data, schema) in SCHEMA_PAIRS {
        // satudata reads JSON schemas: a YAML one is converted below like the descriptors.
        let sd_schema = if schema.ends_with(".yaml") {
            let conv = tmp.join(format!("{schema}.json"));
            let status = Command::new(venv_bin("python"))
                .current_dir(FIXTURES)
                .args([
                    "-c",
                    "import json,sys,yaml; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2], 'w'))",
                    schema,
                ])
                .arg(&conv)
                .status()
                .unwrap();
            assert!(status.success());
            conv.to_string_lossy().into_owned()
        } else {
            schema.to_string()
        };
        out.push(Case {
            name: format!("{data} + {schema}"),
            frictionless_args: vec!["--schema".into(), schema.to_string(), data.to_string()],
            satudata_args: vec!["--schema".into(), sd_schema, data.to_string()],
        });
    }
    let found = Command::new(venv_bin("python"))
        .current_dir(FIXTURES)
        .args(["-c", FIND_DESCRIPTORS])
        .arg(tmp)
        .output()
        .unwrap();
    assert!(
        found.status.success(),
        "{}",
        String::from_utf8_lossy(&found.stderr)
    );
    let found: Vec<serde_json::Value> = serde_json::from_slice(&found.stdout).unwrap();
    for d in found {
        let s = |k: &str| d[k].as_str().unwrap().to_string();
        out.push(Case {
            name: s("descriptor"),
            frictionless_args: vec![s("descriptor")],
            satudata_args: vec!["--schema".into(), s("schema"), s("data")],
        });
    }
    out
}

/// The outcome of one case.
enum Outcome {
    /// Both reports, as sorted (type, row, field) lists.
    Compared { fr: Vec<Key>, sd: Vec<Key> },
    /// frictionless rejected the descriptor itself (no report): nothing to compare.
    FrictionlessRejects(String),
    /// satudata printed no JSON report (exit code 2 is fine only where frictionless agrees).
    SatudataNoReport(i32, String, Vec<Key>),
}

fn run(case: &Case) -> Outcome {
    let fr = Command::new(venv_bin("frictionless"))
        .current_dir(FIXTURES)
        .args(["validate", "--json"])
        .args(&case.frictionless_args)
        .output()
        .unwrap();
    let sd = common::satudata()
        .current_dir(FIXTURES)
        .args(["validate", "--format", "json"])
        .args(&case.satudata_args)
        .output()
        .unwrap();
    let code = sd.status.code().unwrap_or(-1);
    assert!(
        (0..=2).contains(&code),
        "{}: satudata exit code {code}: {}",
        case.name,
        String::from_utf8_lossy(&sd.stderr)
    );
    let Ok(fj) = serde_json::from_slice::<serde_json::Value>(&fr.stdout) else {
        return Outcome::FrictionlessRejects(
            String::from_utf8_lossy(&fr.stdout)
                .lines()
                .nth(1)
                .unwrap_or("")
                .to_string(),
        );
    };
    let mut fr_keys: Vec<Key> = Vec::new();
    for task in fj["tasks"].as_array().into_iter().flatten() {
        for e in task["errors"].as_array().into_iter().flatten() {
            let row = e["rowNumber"]
                .as_u64()
                .or_else(|| e["rowNumbers"][0].as_u64());
            fr_keys.push(key(
                e["type"].as_str().unwrap_or(""),
                row,
                e["fieldNumber"].as_u64(),
            ));
        }
    }
    for e in fj["errors"].as_array().into_iter().flatten() {
        fr_keys.push(key(e["type"].as_str().unwrap_or(""), None, None));
    }
    fr_keys.sort();
    let sd_keys = match serde_json::from_slice::<serde_json::Value>(&sd.stdout) {
        Ok(sj) if sj["unusable"] == true => {
            return Outcome::SatudataNoReport(code, sj["message"].to_string(), fr_keys);
        }
        Ok(sj) => {
            assert_ne!(
                sj["errorsTruncated"], true,
                "{}: satudata truncated its error list",
                case.name
            );
            let mut keys: Vec<Key> = sj["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| {
                    key(
                        e["type"].as_str().unwrap_or(""),
                        e["rowNumber"].as_u64(),
                        e["fieldNumber"].as_u64(),
                    )
                })
                .collect();
            keys.sort();
            keys
        }
        Err(_) if code == 2 => {
            return Outcome::SatudataNoReport(
                code,
                String::from_utf8_lossy(&sd.stderr).into(),
                fr_keys,
            );
        }
        Err(e) => panic!("{}: satudata printed no JSON report: {e}", case.name),
    };
    Outcome::Compared {
        fr: fr_keys,
        sd: sd_keys,
    }
}

fn allowed(case: &str, side: Side, k: &Key, used: &mut BTreeSet<usize>) -> Option<&'static str> {
    for (i, a) in ALLOWED.iter().enumerate() {
        if a.case == case
            && a.side == side
            && a.kind == k.0
            && (a.row.is_none() || a.row == k.1)
            && (a.field.is_none() || a.field == k.2)
        {
            used.insert(i);
            return Some(a.reason);
        }
    }
    None
}

#[test]
fn satudata_agrees_with_frictionless_py_on_its_fixtures() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = cases(tmp.path());
    assert!(cases.len() > 100, "only {} cases", cases.len());

    // frictionless starts slowly (≈ 0.7 s a file): run the cases on a few threads.
    let results: Mutex<Vec<(usize, Outcome)>> = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| loop {
                let i = {
                    let mut n = next.lock().unwrap();
                    *n += 1;
                    *n - 1
                };
                let Some(case) = cases.get(i) else { break };
                let outcome = run(case);
                results.lock().unwrap().push((i, outcome));
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);

    let mut used = BTreeSet::new();
    let (mut identical, mut with_allowed, mut skipped) = (0, 0, Vec::new());
    let mut failures = String::new();
    for (i, outcome) in &results {
        let name = cases[*i].name.as_str();
        let (fr, sd) = match outcome {
            Outcome::Compared { fr, sd } => (fr.clone(), sd.clone()),
            Outcome::FrictionlessRejects(why) => {
                skipped.push(format!(
                    "{name} (frictionless rejects the descriptor: {why})"
                ));
                continue;
            }
            Outcome::SatudataNoReport(code, err, fr_task_level) => {
                // Unusable input (exit code 2): fine only where the allow-list says why, and with
                // whatever frictionless reported allowed too.
                let unusable = key("unusable", None, None);
                let mut ok = allowed(name, Sd, &unusable, &mut used).is_some();
                for k in fr_task_level {
                    ok &= allowed(name, Fr, k, &mut used).is_some();
                }
                if ok {
                    with_allowed += 1;
                } else {
                    failures.push_str(&format!(
                        "\n{name}: satudata exit {code} without a report ({}); frictionless reports {fr_task_level:?}\n",
                        err.trim()
                    ));
                }
                continue;
            }
        };
        if fr == sd {
            identical += 1;
            continue;
        }
        let (frs, sds): (BTreeSet<Key>, BTreeSet<Key>) =
            (fr.iter().cloned().collect(), sd.iter().cloned().collect());
        let mut diff = String::new();
        for k in frs.difference(&sds) {
            if allowed(name, Fr, k, &mut used).is_none() {
                diff.push_str(&format!("  - only frictionless: {k:?}\n"));
            }
        }
        for k in sds.difference(&frs) {
            if allowed(name, Sd, k, &mut used).is_none() {
                diff.push_str(&format!("  + only satudata:     {k:?}\n"));
            }
        }
        // Same set, different multiplicity (an error reported twice on one side).
        if frs == sds {
            diff.push_str(&format!(
                "  counts differ: frictionless {fr:?}\n  satudata {sd:?}\n"
            ));
        }
        if diff.is_empty() {
            with_allowed += 1;
        } else {
            failures.push_str(&format!("\n{name}:\n{diff}"));
        }
    }
    let stale: Vec<String> = ALLOWED
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, a)| {
            format!(
                "  {} {:?} {} {:?} {:?}",
                a.case, a.side, a.kind, a.row, a.field
            )
        })
        .collect();
    eprintln!(
        "frictionless conformance: {} cases, {identical} identical, {with_allowed} with allowed differences only, {} skipped:\n  {}",
        results.len(),
        skipped.len(),
        skipped.join("\n  ")
    );
    assert!(
        failures.is_empty() && stale.is_empty(),
        "differences from frictionless that are not in the allow-list (add them to ALLOWED and docs/CONFORMANCE.md only if right by design):{failures}\nallow-list entries that match nothing any more (remove them):\n{}",
        stale.join("\n")
    );
}
