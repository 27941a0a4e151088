//! The data API over HTTP (issue 5): the query language, aggregates and rollups that respect
//! units, keyset cursors, exports in every format, ETags and 304s, CORS, compression and rate
//! limits, on a real server and a real SQLite store.

use std::sync::Arc;

use reqwest::header;
use satudata_core::dataset::{Access, DatasetMeta, NewResource, ResourceKind};
use satudata_core::organization::{OrgKind, OrganizationMeta};
use satudata_core::region::{Level, RegionCode};
use satudata_core::row::Row;
use satudata_core::schema::{Field, FieldType, TableSchema};
use satudata_core::value::Value;
use satudata_http::{AppState, HttpConfig, Limit, RateLimits};
use satudata_store::{NewVersion, Store, VecRowSource};
use satudata_store_sqlite::SqliteStore;
use serde_json::Value as Json;

struct Server {
    base: String,
    store: Arc<dyn Store>,
    resource: satudata_core::Id,
    http: reqwest::Client,
    _shutdown: tokio::sync::oneshot::Sender<()>,
    _dir: tempfile::TempDir,
}

fn schema() -> TableSchema {
    let mut desa = Field::new("kode_desa", FieldType::String);
    desa.region_level = Some(Level::Desa);
    let mut tahun = Field::new("tahun", FieldType::Year);
    tahun.period = true;
    let mut penduduk = Field::new("penduduk", FieldType::Integer);
    penduduk.unit = Some("jiwa".into());
    let mut miskin = Field::new("persen_miskin", FieldType::Number);
    miskin.unit = Some("persen".into());
    TableSchema::new(vec![
        desa,
        tahun,
        penduduk,
        miskin,
        Field::new("catatan", FieldType::String),
    ])
}

/// Row `i`: 3 kecamatan × 4 desa, 3 years.
fn row(i: i64) -> Row {
    vec![
        Value::Text(format!("16.06.{:02}.{}", 1 + i % 3, 2001 + (i / 3) % 4)),
        Value::Int(2020 + (i / 12) % 3),
        Value::Int(100 + i),
        Value::Num((i % 40) as f64 / 2.0),
        if i % 10 == 9 {
            Value::Null
        } else {
            Value::Text(format!("catatan, \"ke\" {i}"))
        },
    ]
}

async fn start(rows: i64, limits: RateLimits) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(&dir.path().join("api.db")).await.unwrap();
    let store: Arc<dyn Store> = Arc::new(sqlite);
    let org = store
        .create_organization(
            OrganizationMeta {
                slug: "dinkes".into(),
                name: "Dinas Kesehatan".into(),
                acronym: None,
                kind: OrgKind::Opd,
                description: String::new(),
                region_code: Some("16.06".into()),
                parent_id: None,
                email: None,
                phone: None,
                address: None,
                website: None,
            },
            None,
        )
        .await
        .unwrap();
    let mut meta = DatasetMeta::new("Penduduk per desa", "penduduk-desa", org.id);
    meta.access = Access::Terbuka;
    let ds = store.create_dataset(meta, None).await.unwrap();
    let res = store
        .create_resource(
            ds.id,
            NewResource {
                name: "tabel".into(),
                title: "Tabel".into(),
                description: String::new(),
                kind: ResourceKind::Table { schema: schema() },
            },
            None,
        )
        .await
        .unwrap();
    store
        .create_version(
            res.id,
            NewVersion::default(),
            &mut VecRowSource::new((0..rows).map(row).collect()),
        )
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(
        store.clone(),
        HttpConfig {
            home_region: RegionCode::parse("16.06").unwrap(),
            instance_name: "Uji".into(),
            base_url: base.clone(),
            secure_cookies: false,
        },
    )
    .with_rate_limits(limits);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        satudata_http::serve(listener, state, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    Server {
        base,
        store,
        resource: res.id,
        http: reqwest::Client::new(),
        _shutdown: tx,
        _dir: dir,
    }
}

fn no_limits() -> RateLimits {
    RateLimits {
        per_ip: Limit::OFF,
        per_token: Limit::OFF,
        trust_forwarded_for: false,
    }
}

impl Server {
    async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    async fn json(&self, path: &str) -> Json {
        let res = self.get(path).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, 200, "{path}: {text}");
        serde_json::from_str(&text).unwrap()
    }

    async fn problem(&self, path: &str) -> String {
        let res = self.get(path).await;
        assert_eq!(res.status(), 422, "{path}");
        let p: Json = res.json().await.unwrap();
        format!("{} {}", p["detail"], p["errors"])
    }
}

const ROWS: &str = "/api/v1/datasets/penduduk-desa/rows";
const AGG: &str = "/api/v1/datasets/penduduk-desa/aggregate";

#[tokio::test]
async fn rows_speak_the_query_language() {
    let s = start(120, no_limits()).await;
    let all: Vec<Row> = (0..120).map(row).collect();
    let count = |pred: &dyn Fn(&Row) -> bool| all.iter().filter(|r| pred(r)).count() as u64;
    let text = |v: &Value| match v {
        Value::Text(t) => t.clone(),
        _ => String::new(),
    };

    let page = s.json(&format!("{ROWS}?within=16.06.02&limit=1000")).await;
    assert_eq!(
        page["total"],
        count(&|r| text(&r[0]).starts_with("16.06.02."))
    );
    let page = s
        .json(&format!(
            "{ROWS}?within=160602&period=2021..2022&penduduk__gte=150"
        ))
        .await;
    assert_eq!(
        page["total"].as_u64().unwrap(),
        count(&|r| text(&r[0]).starts_with("16.06.02.")
            && matches!(r[1], Value::Int(2021 | 2022))
            && matches!(r[2], Value::Int(p) if p >= 150))
    );
    let page = s
        .json(&format!(
            "{ROWS}?select=penduduk,kode_desa&sort=-penduduk&limit=3&total=false"
        ))
        .await;
    assert_eq!(page["fields"][0]["name"], "penduduk");
    assert_eq!(page["fields"].as_array().unwrap().len(), 2);
    assert_eq!(
        page["rows"][0],
        serde_json::json!([219, text(&row(119)[0])])
    );
    assert!(page["total"].is_null());
    let page = s.json(&format!("{ROWS}?catatan__missing=true")).await;
    assert_eq!(page["total"], count(&|r| r[4].is_null()));
    let page = s
        .json(&format!("{ROWS}?catatan__like=%25ke%22 11%25"))
        .await;
    assert_eq!(
        page["total"].as_u64().unwrap(),
        count(&|r| text(&r[4]).contains("ke\" 11")),
        "like is a pattern"
    );
    let page = s
        .json(&format!("{ROWS}?tahun__in=2020,2022&penduduk__lt=130"))
        .await;
    assert_eq!(
        page["total"].as_u64().unwrap(),
        count(&|r| matches!(r[1], Value::Int(2020 | 2022))
            && matches!(r[2], Value::Int(p) if p < 130))
    );

    // Every comparison operator of the issue: eq, ne, lt, le, gt, ge (and their long names).
    let penduduk = |r: &Row| match r[2] {
        Value::Int(p) => Some(p),
        _ => None,
    };
    let ops: [(&str, &dyn Fn(i64) -> bool); 7] = [
        ("eq", &|p| p == 150),
        ("ne", &|p| p != 150),
        ("lt", &|p| p < 150),
        ("le", &|p| p <= 150),
        ("lte", &|p| p <= 150),
        ("gt", &|p| p > 150),
        ("ge", &|p| p >= 150),
    ];
    for (op, pred) in ops {
        let page = s.json(&format!("{ROWS}?penduduk__{op}=150")).await;
        assert_eq!(
            page["total"].as_u64().unwrap(),
            count(&|r| penduduk(r).is_some_and(pred)),
            "__{op}"
        );
    }

    // Keyset paging with a sort gives the same rows as offsets.
    let mut by_cursor = vec![];
    let mut url = format!("{ROWS}?sort=-persen_miskin&limit=7");
    for _ in 0..30 {
        let p = s.json(&url).await;
        by_cursor.extend(p["rows"].as_array().unwrap().clone());
        match p["next_cursor"].as_str() {
            Some(c) => {
                url = format!("{ROWS}?sort=-persen_miskin&limit=7&cursor={c}");
                let link = p["links"]["next_cursor"].as_str().unwrap();
                assert!(
                    link.starts_with(&s.base) && link.contains("cursor="),
                    "{link}"
                );
            }
            None => break,
        }
    }
    let one = s
        .json(&format!("{ROWS}?sort=-persen_miskin&limit=1000"))
        .await;
    assert_eq!(by_cursor, one["rows"].as_array().unwrap().clone());

    // Mistakes are 422s that name the parameter.
    for (q, word) in [
        ("penduduk__between=1", "between"),
        ("within=16.6", "16.6"),
        ("period=dua..tiga", "period"),
        ("cursor=xyz", "Kursor"),
        ("select=nama", "nama"),
        ("umur=5", "umur"),
    ] {
        let m = s.problem(&format!("{ROWS}?{q}")).await;
        assert!(m.contains(word), "{q}: {m}");
    }
}

#[tokio::test]
async fn aggregates_roll_up_and_respect_units() {
    let s = start(120, no_limits()).await;
    let a = s
        .json(&format!(
            "{AGG}?rollup=kecamatan&count&sum=penduduk&avg=persen_miskin&sort=-sum_penduduk"
        ))
        .await;
    let names: Vec<&str> = a["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["kode_desa", "count", "sum_penduduk", "avg_persen_miskin"]
    );
    assert_eq!(a["columns"][2]["unit"], "jiwa");
    assert_eq!(a["columns"][0]["level"], "kecamatan");
    let rows = a["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let mut expect: Vec<(String, i64, i64)> = (1..=3)
        .map(|k| {
            let rs: Vec<Row> = (0..120)
                .map(row)
                .filter(
                    |r| matches!(&r[0], Value::Text(t) if t.starts_with(&format!("16.06.{k:02}."))),
                )
                .collect();
            let sum = rs
                .iter()
                .map(|r| match r[2] {
                    Value::Int(p) => p,
                    _ => 0,
                })
                .sum();
            (format!("16.06.{k:02}"), rs.len() as i64, sum)
        })
        .collect();
    expect.sort_by_key(|e| std::cmp::Reverse(e.2));
    for (r, (code, n, sum)) in rows.iter().zip(&expect) {
        assert_eq!(
            (
                r[0].as_str().unwrap(),
                r[1].as_i64().unwrap(),
                r[2].as_i64().unwrap()
            ),
            (code.as_str(), *n, *sum)
        );
    }
    assert!(
        a["region_names"]["16.06.01"]
            .as_str()
            .unwrap()
            .contains("Sekayu"),
        "{}",
        a["region_names"]
    );
    assert!(
        a["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("tidak berbobot")),
        "{}",
        a["notes"]
    );

    // Percentages are never summed, at any level.
    let m = s
        .problem(&format!("{AGG}?rollup=kabupaten&sum=persen_miskin"))
        .await;
    assert!(
        m.contains("tidak boleh dijumlahkan") && m.contains("persen"),
        "{m}"
    );
    let m = s
        .problem(&format!("{AGG}?group_by=catatan:kecamatan&count"))
        .await;
    assert!(m.contains("kode wilayah"), "{m}");
    s.problem(&format!("{AGG}?group_by=kode_desa")).await;

    // Filters and group keys of any field; CSV of the groups.
    let res = s
        .get(&format!(
            "{AGG}?group_by=tahun&count&min=penduduk&max=penduduk&within=16.06.03&format=csv"
        ))
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "tahun,count,min_penduduk,max_penduduk");
    assert_eq!(lines.len(), 4, "{csv}");

    // The resource route answers the same.
    let b = s
        .json(&format!("/api/v1/resources/{}/aggregate?rollup=kecamatan&count&sum=penduduk&avg=persen_miskin&sort=-sum_penduduk", s.resource))
        .await;
    assert_eq!(a["rows"], b["rows"]);
}

#[tokio::test]
async fn etags_304_versions_cors_and_compression() {
    let s = start(50, no_limits()).await;
    let url = format!("{ROWS}?tahun=2021");
    let res = s.get(&url).await;
    let etag = res.headers()[header::ETAG].to_str().unwrap().to_string();
    assert!(etag.starts_with("\"v1-"), "strong: {etag}");
    assert_eq!(res.headers()[header::CACHE_CONTROL], "public, max-age=60");
    let modified = res.headers()[header::LAST_MODIFIED]
        .to_str()
        .unwrap()
        .to_string();
    let again = s
        .http
        .get(format!("{}{url}", s.base))
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()[header::ETAG].to_str().unwrap(), etag);
    let since = s
        .http
        .get(format!("{}{url}", s.base))
        .header(header::IF_MODIFIED_SINCE, &modified)
        .send()
        .await
        .unwrap();
    assert_eq!(since.status(), 304);
    let agg = format!("{AGG}?group_by=tahun&count");
    let a1 = s.get(&agg).await.headers()[header::ETAG].clone();

    // A new version changes what the latest is; the pinned version keeps its ETag and is immutable.
    s.store
        .create_version(
            s.resource,
            NewVersion::default(),
            &mut VecRowSource::new((10..70).map(row).collect()),
        )
        .await
        .unwrap();
    let res = s.get(&url).await;
    assert_ne!(res.headers()[header::ETAG].to_str().unwrap(), etag);
    assert_ne!(s.get(&agg).await.headers()[header::ETAG], a1);
    let pinned = s.get(&format!("{url}&version=1")).await;
    assert_eq!(
        pinned.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let p: Json = pinned.json().await.unwrap();
    assert_eq!(p["version"], 1);
    let a: Json = s.json(&format!("{AGG}?count&version=1")).await;
    assert_eq!(a["rows"][0][0], 50);
    let a: Json = s.json(&format!("{AGG}?count")).await;
    assert_eq!(a["rows"][0][0], 60);
    assert_eq!(s.get(&format!("{ROWS}?version=9")).await.status(), 404);

    // CORS for reading from any origin; preflight for GET.
    let res = s
        .http
        .get(format!("{}{url}", s.base))
        .header(header::ORIGIN, "https://dasbor.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let expose = res.headers()[header::ACCESS_CONTROL_EXPOSE_HEADERS]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        expose.contains("etag") && expose.contains("retry-after"),
        "{expose}"
    );
    let pre = s
        .http
        .request(reqwest::Method::OPTIONS, format!("{}{url}", s.base))
        .header(header::ORIGIN, "https://dasbor.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
        .send()
        .await
        .unwrap();
    assert!(pre.status().is_success(), "{}", pre.status());
    assert!(pre.headers()[header::ACCESS_CONTROL_ALLOW_METHODS]
        .to_str()
        .unwrap()
        .contains("GET"));

    // Compressed when asked.
    let res = s
        .http
        .get(format!("{}{ROWS}?limit=1000", s.base))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
}

#[tokio::test]
async fn exports_stream_every_selected_row() {
    let s = start(12_345, no_limits()).await;
    let res = s.get(&format!("{ROWS}?format=csv&sort=-penduduk")).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("penduduk-desa-tabel-v1.csv"));
    assert!(res.headers().contains_key(header::ETAG));
    let csv = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["kode_desa", "tahun", "penduduk", "persen_miskin", "catatan"]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 12_345, "every row, past the first batch");
    assert_eq!(&records[0][2], "12444");
    let nine = records.iter().find(|r| &r[2] == "109").unwrap();
    assert_eq!(&nine[4], "", "missing cell");
    let one = records.iter().find(|r| &r[2] == "101").unwrap();
    assert_eq!(&one[4], "catatan, \"ke\" 1", "quoted as CSV");

    // Accept picks the format too; `limit` caps an export; filters and select apply.
    let res = s
        .http
        .get(format!(
            "{}{ROWS}?within=16.06.01.2001&select=penduduk&limit=5",
            s.base
        ))
        .header(header::ACCEPT, "text/csv")
        .send()
        .await
        .unwrap();
    let text = res.text().await.unwrap();
    assert_eq!(text.lines().count(), 6, "{text}");
    assert_eq!(text.lines().next().unwrap(), "penduduk");

    let res = s
        .get(&format!("{ROWS}?format=ndjson&tahun=2020&limit=3"))
        .await;
    assert_eq!(res.headers()[header::CONTENT_TYPE], "application/x-ndjson");
    let text = res.text().await.unwrap();
    let lines: Vec<Json> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0][0], "kode_desa");
    assert_eq!(lines[1][1], 2020);

    let res = s.get(&format!("{ROWS}?format=xlsx&period=2021")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..4], b"PK\x03\x04", "a zip (XLSX) file");
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after() {
    let s = start(
        10,
        RateLimits {
            per_ip: Limit {
                per_second: 0.5,
                burst: 2.0,
            },
            per_token: Limit::OFF,
            trust_forwarded_for: false,
        },
    )
    .await;
    for _ in 0..2 {
        let res = s.get(ROWS).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers().contains_key("x-ratelimit-remaining"));
    }
    let res = s.get(&format!("{AGG}?count")).await;
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
    assert!(res.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/problem+json"));
    let p: Json = res.json().await.unwrap();
    assert_eq!(p["status"], 429);
    // Other routes are not limited.
    assert_eq!(s.get("/healthz").await.status(), 200);
}
