//! The open interfaces checked by the real clients other systems use (issue 5): `ckanapi` against
//! the CKAN-compatible API, pySHACL with the official DCAT-AP 3.0.1 shapes against the catalogue,
//! the DCAT-US 1.1 validator against `/data.json`, and `frictionless validate` against the Data
//! Packages; schemathesis over the OpenAPI document. One server (real socket, SQLite file, the Musi
//! Banyuasin demo) serves the client tests; schemathesis gets a server of its own, since its
//! writes with an administrator token may change anything.
//!
//! The tools come from PATH; `bash scripts/test-all.sh` installs them (from
//! `.ci/requirements.txt` into `target/pyenv`) and puts them on PATH. A missing tool fails the
//! test with that instruction — it never skips.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, OnceLock};

use satudata_auth::{new_token_secret, secret_hash};
use satudata_core::region::RegionCode;
use satudata_http::{AppState, HttpConfig, Limit, RateLimits};
use satudata_store::{NewApiToken, Store};
use satudata_store_sqlite::SqliteStore;
use serde_json::Value;

/// The running demo instance.
struct Server {
    base: String,
    /// An API token of the demo produsen (Dinas Kesehatan).
    produsen_token: String,
    /// An API token of the demo administrator.
    admin_token: String,
    dir: tempfile::TempDir,
}

/// The server of the client tests.
fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| start(RateLimits::default()))
}

/// The server schemathesis fuzzes. Its rate limits are far above what the fuzzer sends, so that
/// every case reaches the handlers instead of stopping at a 429 (the limits have their own tests).
fn fuzz_server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let unlimited = Limit {
            per_second: 1e6,
            burst: 1e6,
        };
        start(RateLimits {
            per_ip: unlimited,
            per_token: unlimited,
            trust_forwarded_for: false,
        })
    })
}

/// A token of the demo user `username`.
async fn token(store: &SqliteStore, username: &str) -> String {
    let user = store.get_user_by_username(username).await.unwrap().unwrap();
    let secret = new_token_secret();
    store
        .create_token(NewApiToken {
            user_id: user.id,
            name: "tes interop".into(),
            secret_hash: secret_hash(&secret),
            expires_at: None,
        })
        .await
        .unwrap();
    secret
}

/// Seed the demo into a new SQLite file and serve it on a free port, on a runtime of its own.
fn start(limits: RateLimits) -> Server {
    {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let dir = tempfile::tempdir().unwrap();
                let store = Arc::new(
                    SqliteStore::open(&dir.path().join("demo.db"))
                        .await
                        .unwrap(),
                );
                let home = RegionCode::parse("16.06").unwrap();
                satudata_demo::seed(store.as_ref(), &home).await.unwrap();
                let produsen_token = token(&store, "produsen").await;
                let admin_token = token(&store, "admin").await;
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let base = format!("http://{}", listener.local_addr().unwrap());
                let state = AppState::new(
                    store,
                    HttpConfig {
                        home_region: home,
                        instance_name: "Satu Data Kabupaten Musi Banyuasin".into(),
                        base_url: base.clone(),
                        secure_cookies: false,
                    },
                )
                .with_rate_limits(limits);
                tx.send(Server {
                    base,
                    produsen_token,
                    admin_token,
                    dir,
                })
                .unwrap();
                satudata_http::serve(listener, state, std::future::pending())
                    .await
                    .unwrap();
            });
        });
        rx.recv().expect("demo server started")
    }
}

/// A tool from PATH, or a failure saying how to install it.
fn tool(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "'{name}' is not on PATH. Run `bash scripts/test-all.sh` (it installs ckanapi, pyshacl, \
                 jsonschema and frictionless from .ci/requirements.txt into target/pyenv and puts them \
                 on PATH), or put target/pyenv/bin on PATH yourself."
            )
        })
}

fn run(program: &str, args: &[&str]) -> Output {
    let out = Command::new(tool(program))
        .args(args)
        .current_dir(&server().dir)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(program: &str, args: &[&str]) -> String {
    let out = run(program, args);
    assert!(
        out.status.success(),
        "{program} {args:?} failed ({}):\n{}\n{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// GET a document of the instance into a file of the temp folder.
fn fetch(path: &str, file: &str) -> PathBuf {
    let url = format!("{}{path}", server().base);
    let body = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let res = reqwest::get(&url).await.unwrap();
            assert_eq!(res.status(), 200, "{url}");
            res.bytes().await.unwrap()
        })
    })
    .join()
    .unwrap();
    let p = server().dir.path().join(file);
    std::fs::write(&p, &body).unwrap();
    p
}

/// The shared conformance material (`../shared/conformance` beside the repository).
fn conformance() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let candidates = [
        std::env::var("SATUDATA_CONFORMANCE")
            .map(PathBuf::from)
            .ok(),
        Some(root.join("../shared/conformance")),
        Some(PathBuf::from("/work/shared/conformance")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("dcat-ap-3.0.1").is_dir())
        .expect("shared/conformance not found beside the repository (set SATUDATA_CONFORMANCE)")
}

fn url() -> &'static str {
    &server().base
}

#[test]
fn ckanapi_status_show() {
    let out = ok("ckanapi", &["action", "status_show", "-r", url()]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ckan_version"], "2.10.4", "{out}");
    assert_eq!(v["site_title"], "Satu Data Kabupaten Musi Banyuasin");
}

#[test]
fn ckanapi_package_search_with_query_filter_and_facets() {
    let out = ok(
        "ckanapi",
        &[
            "action",
            "package_search",
            "-r",
            url(),
            "q=penduduk",
            "rows=5",
            "facet.field=[\"organization\",\"groups\"]",
        ],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let count = v["count"].as_u64().unwrap();
    assert!(count >= 1, "{out}");
    let first = &v["results"][0];
    for key in [
        "name",
        "title",
        "notes",
        "organization",
        "resources",
        "satuan",
        "accessRights",
        "accrualPeriodicity",
        "publisher_type",
    ] {
        assert!(first.get(key).is_some(), "result without {key}");
    }
    assert!(!v["search_facets"]["organization"]["items"]
        .as_array()
        .unwrap()
        .is_empty());
    // A harvester's incremental query.
    let out = ok(
        "ckanapi",
        &[
            "action",
            "package_search",
            "-r",
            url(),
            "fq=metadata_modified:[2000-01-01T00:00:00Z TO *] -organization:dinkes",
            "rows=1000",
        ],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["organization"]["name"].as_str().unwrap())
        .collect();
    assert!(!names.is_empty());
    assert!(names.iter().all(|o| *o != "dinkes"), "{names:?}");
    // Bad syntax: CKAN's Search Query Error (ckanapi exits non-zero and shows it).
    let bad = run(
        "ckanapi",
        &[
            "action",
            "package_search",
            "-r",
            url(),
            "fq=organization:(dinkes",
        ],
    );
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("SearchQueryError"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn ckanapi_dump_datasets_all() {
    let list = ok("ckanapi", &["action", "package_list", "-r", url()]);
    let names: Vec<String> = serde_json::from_str(&list).unwrap();
    assert!(names.len() >= 30, "{}", names.len());
    let file = server().dir.path().join("dump.jsonl");
    ok(
        "ckanapi",
        &[
            "dump",
            "datasets",
            "--all",
            "-r",
            url(),
            "-O",
            file.to_str().unwrap(),
            "-p",
            "1",
        ],
    );
    let dumped: Vec<Value> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut got: Vec<String> = dumped
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_string())
        .collect();
    got.sort();
    // Every listed dataset is dumped; the only extra one may be what the create test adds meanwhile.
    for n in &names {
        assert!(got.contains(n), "{n} not dumped");
    }
    assert!(
        got.iter()
            .all(|g| names.contains(g) || g == "cakupan-imunisasi-ckanapi"),
        "{got:?}"
    );
    // The public never sees closed datasets.
    assert!(dumped
        .iter()
        .all(|d| d["accessRights"] != "tertutup" && d["private"] == false));
}

#[test]
fn ckanapi_search_datasets() {
    let out = ok(
        "ckanapi",
        &["search", "datasets", "-r", url(), "q=penduduk"],
    );
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let count = ok(
        "ckanapi",
        &[
            "action",
            "package_search",
            "-r",
            url(),
            "q=penduduk",
            "rows=0",
        ],
    );
    let count: Value = serde_json::from_str(&count).unwrap();
    assert_eq!(lines.len() as u64, count["count"].as_u64().unwrap());
    assert!(!lines.is_empty());
}

#[test]
fn ckanapi_package_create_with_a_token() {
    let token = server().produsen_token.clone();
    let out = ok(
        "ckanapi",
        &[
            "action",
            "package_create",
            "-r",
            url(),
            "-a",
            &token,
            "name=cakupan-imunisasi-ckanapi",
            "title=Cakupan Imunisasi (lewat ckanapi)",
            "owner_org=dinkes",
            "notes=Dibuat oleh uji ckanapi.",
            "satuan=persen",
            "accessRights=terbuka",
            "tags:[{\"name\": \"imunisasi\"}]",
        ],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["name"], "cakupan-imunisasi-ckanapi");
    assert_eq!(v["organization"]["name"], "dinkes");
    assert_eq!(v["satuan"], "persen");
    let shown: Value = serde_json::from_str(&ok(
        "ckanapi",
        &[
            "action",
            "package_show",
            "-r",
            url(),
            "id=cakupan-imunisasi-ckanapi",
        ],
    ))
    .unwrap();
    assert_eq!(shown["tags"][0]["name"], "imunisasi");
    // Data sent with resource_create (upload@FILE, multipart) is a draft for the walidata to
    // check: the public reads nothing until it is published.
    std::fs::write(
        server().dir.path().join("imunisasi.csv"),
        "tahun,cakupan\n2024,91.5\n2025,93.2\n",
    )
    .unwrap();
    let created: Value = serde_json::from_str(&ok(
        "ckanapi",
        &[
            "action",
            "resource_create",
            "-r",
            url(),
            "-a",
            &token,
            "package_id=cakupan-imunisasi-ckanapi",
            "name=Cakupan per tahun",
            r#"schema={"fields": [{"name": "tahun", "type": "year"}, {"name": "cakupan", "type": "number", "unit": "persen"}]}"#,
            "upload@imunisasi.csv",
        ],
    ))
    .unwrap();
    assert_eq!(created["satudata_version"]["state"], "draf", "{created}");
    assert_eq!(created["satudata_version"]["row_count"], 2, "{created}");
    let rid = created["id"].as_str().unwrap().to_string();
    let public: Value = serde_json::from_str(&ok(
        "ckanapi",
        &[
            "action",
            "datastore_search",
            "-r",
            url(),
            &format!("resource_id={rid}"),
        ],
    ))
    .unwrap();
    assert_eq!(public["total"], 0, "a draft is not public: {public}");
    // The produsen of Dinkes may not write for another organisation, and nobody without a token.
    let other = run(
        "ckanapi",
        &[
            "action",
            "package_create",
            "-r",
            url(),
            "-a",
            &token,
            "name=bukan-milik-dinkes",
            "owner_org=disdik",
        ],
    );
    assert!(!other.status.success());
    assert!(
        text(&other.stderr).contains("Authorization")
            || text(&other.stderr).contains("NotAuthorized"),
        "{}",
        text(&other.stderr)
    );
    let anon = run(
        "ckanapi",
        &[
            "action",
            "package_create",
            "-r",
            url(),
            "name=tanpa-token",
            "owner_org=dinkes",
        ],
    );
    assert!(!anon.status.success());
}

#[test]
fn pyshacl_dcat_ap_catalogue_conforms() {
    let shapes = conformance().join("dcat-ap-3.0.1");
    for (path, file, format) in [
        ("/catalog.ttl", "catalog.ttl", "turtle"),
        ("/catalog.jsonld", "catalog.jsonld", "json-ld"),
        ("/catalog.rdf", "catalog.rdf", "xml"),
        (
            "/dataset/jumlah-penduduk-desa.ttl",
            "jumlah-penduduk-desa.ttl",
            "turtle",
        ),
        (
            "/dataset/jumlah-penduduk-desa.jsonld",
            "jumlah-penduduk-desa.jsonld",
            "json-ld",
        ),
    ] {
        let doc = fetch(path, file);
        if format == "turtle" {
            // Text in Bahasa Indonesia and English, language-tagged.
            let text = std::fs::read_to_string(&doc).unwrap();
            assert!(text.contains("\"@id") && text.contains("\"@en"), "{path}");
        }
        let out = ok(
            "pyshacl",
            &[
                "-s",
                shapes.join("dcat-ap-SHACL.ttl").to_str().unwrap(),
                "-e",
                shapes.join("ranges.ttl").to_str().unwrap(),
                "-df",
                format,
                "-f",
                "human",
                doc.to_str().unwrap(),
            ],
        );
        assert!(out.contains("Conforms: True"), "{path}:\n{out}");
    }
}

#[test]
fn datajson_is_valid_dcat_us() {
    let doc = fetch("/data.json", "data.json");
    let script = conformance().join("dcat-us-1.1-non-federal/validate_datajson.py");
    let out = ok(
        "python3",
        &[script.to_str().unwrap(), doc.to_str().unwrap()],
    );
    assert!(out.trim_end().ends_with("valid"), "{out}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&doc).unwrap()).unwrap();
    assert!(v["dataset"].as_array().unwrap().len() >= 30);
}

#[test]
fn frictionless_validates_data_packages() {
    // The open datasets (whose data anyone may download): a spread of the demo's tables, with
    // several types, units and region codes.
    let open = ok(
        "ckanapi",
        &[
            "action",
            "package_search",
            "-r",
            url(),
            "fq=accessRights:terbuka",
            "rows=1000",
        ],
    );
    let open: Value = serde_json::from_str(&open).unwrap();
    let names: Vec<&str> = open["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["num_resources"].as_u64() > Some(0))
        .map(|r| r["name"].as_str().unwrap())
        // What the create test adds meanwhile has a table but only a draft: no package yet.
        .filter(|n| !n.ends_with("-ckanapi"))
        .collect();
    assert!(names.len() >= 20, "{}", names.len());
    for name in names.iter().step_by(6) {
        let file = format!("{name}.datapackage.json");
        let doc = fetch(&format!("/dataset/{name}/datapackage.json"), &file);
        let out = run("frictionless", &["validate", doc.to_str().unwrap()]);
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(
            out.status.success() && !all.contains("INVALID"),
            "{name}:\n{all}"
        );
        assert!(all.contains("VALID"), "{name}:\n{all}");
    }
}

/// Every example of the OpenAPI document is valid against the schema beside it (JSON Schema
/// 2020-12, as OpenAPI 3.1 uses), so clients generated from the document accept them.
#[test]
fn openapi_examples_match_their_schemas() {
    let doc = fetch("/api/v1/openapi.json", "openapi.json");
    let script = r#"
import json, sys
from jsonschema import Draft202012Validator
doc = json.load(open(sys.argv[1]))
checked, bad = 0, []
def check(where, content):
    global checked
    for media_type, c in content.items():
        if "example" not in c or "schema" not in c:
            continue
        if not media_type.endswith("json"):
            continue
        # '#/components/...' references resolve against this root.
        schema = dict(c["schema"], components=doc["components"])
        errors = list(Draft202012Validator(schema).iter_errors(c["example"]))
        checked += 1
        for e in errors[:3]:
            bad.append(f"{where} {media_type}: {e.message} at {list(e.absolute_path)}")
for path, ops in doc["paths"].items():
    for method, op in ops.items():
        name = f"{method.upper()} {path}"
        if "requestBody" in op:
            check(name + " request", op["requestBody"]["content"])
        for status, r in op["responses"].items():
            check(f"{name} {status}", r.get("content", {}))
print(f"{checked} examples checked")
print("\n".join(bad))
sys.exit(1 if bad or checked < 70 else 0)
"#;
    let out = ok("python", &["-c", script, doc.to_str().unwrap()]);
    assert!(out.contains("examples checked"), "{out}");
}

/// Run schemathesis against the fuzz server's OpenAPI document with the given extra arguments;
/// it fails the test on any 5xx answer or any answer that does not match its documented schema.
fn schemathesis(label: &str, extra: &[&str]) {
    let s = fuzz_server();
    let schema = format!("{}/api/v1/openapi.json", s.base);
    let report = s.dir.path().join(format!("schemathesis-{label}.xml"));
    let mut args = vec![
        "run",
        schema.as_str(),
        // No 5xx, answers as documented (status, media type, schema).
        "--checks",
        "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance",
        "--phases",
        "examples,coverage,fuzzing",
        // Enough cases per operation to reach the edges of every parameter, few enough that the
        // three runs take a few minutes on two shared cores.
        "--max-examples",
        "30",
        "--seed",
        "20261122",
        // One worker: hypothesis on Python 3.11 can fail parsing sources in parallel threads
        // ("AST constructor recursion depth mismatch"), an error of the tool, not of the server.
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--suppress-health-check",
        "too_slow,filter_too_much",
        "--report",
        "junit",
        "--report-junit-path",
        report.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = Command::new(tool("schemathesis"))
        .args(&args)
        .current_dir(&s.dir)
        .env("NO_COLOR", "1")
        .env(
            "SCHEMATHESIS_HOOKS",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.ci/schemathesis_hooks.py"),
        )
        .output()
        .unwrap_or_else(|e| panic!("schemathesis: {e}"));
    assert!(
        out.status.success(),
        "schemathesis ({label}) found problems ({}):\n{}\n{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// schemathesis over every operation of the OpenAPI document: anonymously (every method — writes
/// must answer 401 cleanly), then with an administrator token, reads first and writes last. The
/// writes run on the fuzz server only; afterwards the demo must still be served.
#[test]
fn schemathesis_finds_no_server_errors_or_schema_violations() {
    let s = fuzz_server();
    schemathesis("anonim", &[]);
    let auth = format!("Authorization: Bearer {}", s.admin_token);
    schemathesis("admin-baca", &["-H", &auth, "--include-method", "GET"]);
    schemathesis("admin-tulis", &["-H", &auth, "--exclude-method", "GET"]);
    let status = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            reqwest::get(format!(
                "{}/api/v1/datasets/jumlah-penduduk-desa/rows?limit=1",
                s.base
            ))
            .await
            .unwrap()
            .status()
        })
    })
    .join()
    .unwrap();
    assert_eq!(
        status, 200,
        "the demo table is still served after the fuzzing"
    );
}

#[test]
fn ckanapi_tag_list() {
    let all: Value =
        serde_json::from_str(&ok("ckanapi", &["action", "tag_list", "-r", url()])).unwrap();
    let all: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(all.contains(&"APM") && all.len() >= 20, "{all:?}");
    let some: Value = serde_json::from_str(&ok(
        "ckanapi",
        &["action", "tag_list", "-r", url(), "query=sekolah"],
    ))
    .unwrap();
    let some = some.as_array().unwrap();
    assert!(!some.is_empty());
    assert!(
        some.iter()
            .all(|t| t.as_str().unwrap().to_lowercase().contains("sekolah")),
        "{some:?}"
    );
}
