//! package_search over 50,000 datasets (issue 5: p95 ≤ 20 ms), on SQLite, over a real socket.
//!
//! ```text
//! cargo run --release -p satudata-http --example package_search [-- DATASETS]
//! ```
//! The catalogue (300 organisations, 12 topics, 600 tags, access 80/15/5 % terbuka/terbatas/
//! tertutup) is generated once into `target/bench-package-search-N.db` and reused. Each query kind
//! is sent 300 times, one at a time, and the latency percentiles are printed as a Markdown table.

use std::sync::Arc;
use std::time::{Duration, Instant};

use satudata_core::dataset::{Access, DatasetMeta, Topic};
use satudata_core::organization::{OrgKind, OrganizationMeta};
use satudata_core::region::RegionCode;
use satudata_http::{AppState, HttpConfig};
use satudata_store::{DatasetQuery, Store};
use satudata_store_sqlite::SqliteStore;

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: &[&str] = &[
    "jumlah",
    "penduduk",
    "sekolah",
    "kesehatan",
    "jalan",
    "desa",
    "kecamatan",
    "produksi",
    "padi",
    "karet",
    "sawit",
    "ternak",
    "ikan",
    "guru",
    "murid",
    "bidan",
    "posyandu",
    "stunting",
    "miskin",
    "bantuan",
    "air",
    "listrik",
    "internet",
    "wisata",
    "pasar",
    "koperasi",
    "umkm",
    "bencana",
    "banjir",
    "kebakaran",
    "hutan",
    "lahan",
    "sampah",
    "anggaran",
    "realisasi",
    "pajak",
    "retribusi",
    "akta",
];

async fn generate(store: &dyn Store, n: usize) {
    let mut rng = Rng(0x5eed_1606);
    let mut orgs = vec![];
    for i in 0..300 {
        let o = store
            .create_organization(
                OrganizationMeta {
                    slug: format!("org-{i:03}"),
                    name: format!("Organisasi {i:03}"),
                    acronym: None,
                    kind: if i < 20 { OrgKind::Opd } else { OrgKind::Desa },
                    description: String::new(),
                    region_code: None,
                    parent_id: None,
                    email: None,
                    phone: None,
                    address: None,
                    website: None,
                },
                None,
            )
            .await
            .expect("organisation");
        orgs.push(o.id);
    }
    let topics: Vec<String> = (0..12).map(|i| format!("topik-{i:02}")).collect();
    for t in &topics {
        store
            .upsert_topic(
                Topic {
                    slug: t.clone(),
                    name: t.to_uppercase(),
                    name_en: None,
                    description: String::new(),
                },
                None,
            )
            .await
            .expect("topic");
    }
    let started = Instant::now();
    for i in 0..n {
        let w = |rng: &mut Rng| WORDS[rng.below(WORDS.len() as u64) as usize];
        let title = format!("{} {} {} {i}", w(&mut rng), w(&mut rng), w(&mut rng));
        let mut m = DatasetMeta::new(
            title,
            format!("dataset-{i:06}"),
            orgs[(rng.below(300) as usize).min(rng.below(300) as usize)],
        );
        m.description = format!(
            "Data {} menurut {} dan {}.",
            w(&mut rng),
            w(&mut rng),
            w(&mut rng)
        );
        m.access = match rng.below(100) {
            0..=79 => Access::Terbuka,
            80..=94 => Access::Terbatas,
            _ => Access::Tertutup,
        };
        m.topics = (0..1 + rng.below(2))
            .map(|_| topics[rng.below(12) as usize].clone())
            .collect();
        m.topics.dedup();
        m.tags = (0..2 + rng.below(3))
            .map(|_| format!("tag-{:03}", rng.below(600).min(rng.below(600))))
            .collect();
        m.tags.sort();
        m.tags.dedup();
        store.create_dataset(m, None).await.expect("dataset");
        if i % 5000 == 4999 {
            eprintln!(
                "  {} datasets, {:.0} s",
                i + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
}

/// The request path of the i-th request of a kind.
type PathOf = Box<dyn Fn(u64) -> String>;

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50_000);
    let path = std::path::PathBuf::from(format!("target/bench-package-search-{n}.db"));
    let fresh = !path.exists();
    let store = Arc::new(SqliteStore::open(&path).await.expect("open store"));
    if fresh {
        eprintln!("generating {n} datasets into {}", path.display());
        generate(store.as_ref(), n).await;
    }
    let total = store
        .list_datasets(&DatasetQuery {
            limit: 1,
            ..DatasetQuery::default()
        })
        .await
        .expect("count")
        .total;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let state = AppState::new(
        store.clone(),
        HttpConfig {
            home_region: RegionCode::parse("16.06").expect("code"),
            instance_name: "Bench".into(),
            base_url: base.clone(),
            secure_cookies: false,
        },
    );
    tokio::spawn(satudata_http::serve(
        listener,
        state,
        std::future::pending(),
    ));
    let client = reqwest::Client::new();
    let facets = "facet.field=%5B%22organization%22,%22groups%22,%22tags%22,%22res_format%22%5D";
    let kinds: Vec<(&str, PathOf)> = vec![
        (
            "portal home: all, 4 facets, rows=10",
            Box::new(move |_| format!("/api/3/action/package_search?{facets}")),
        ),
        (
            "q=word, 4 facets",
            Box::new(move |i| {
                format!(
                    "/api/3/action/package_search?q={}&{facets}",
                    WORDS[i as usize % WORDS.len()]
                )
            }),
        ),
        (
            "fq=organization:X, 4 facets",
            Box::new(move |i| {
                format!(
                    "/api/3/action/package_search?fq=organization:org-{:03}&{facets}",
                    i % 300
                )
            }),
        ),
        (
            "fq=tags:X groups:Y",
            Box::new(|i| {
                format!(
                    "/api/3/action/package_search?fq=tags:tag-{:03}%20groups:topik-{:02}",
                    i % 600,
                    i % 12
                )
            }),
        ),
        (
            "harvester: fq=metadata_modified:[T TO *], sort id asc, rows=100",
            Box::new(|_| {
                "/api/3/action/package_search?fq=metadata_modified:%5B2020-01-01T00:00:00Z%20TO%20*%5D&sort=id%20asc&rows=100&start=1000".to_string()
            }),
        ),
        (
            "no facets, rows=10, sort metadata_modified desc",
            Box::new(|_| "/api/3/action/package_search?sort=metadata_modified%20desc".to_string()),
        ),
    ];
    println!(
        "package_search over {total} datasets (SQLite), one request at a time, 300 per kind\n"
    );
    println!("| query | p50 ms | p95 ms | p99 ms | count |");
    println!("|---|---:|---:|---:|---:|");
    for (name, url) in &kinds {
        let mut times = vec![];
        let mut count = 0;
        for i in 0..330u64 {
            let t = Instant::now();
            let res = client
                .get(format!("{base}{}", url(i)))
                .send()
                .await
                .expect("request");
            assert!(res.status().is_success(), "{}", res.status());
            let body: serde_json::Value = res.json().await.expect("json");
            if i >= 30 {
                times.push(t.elapsed());
            }
            count = body["result"]["count"].as_u64().unwrap_or(0);
        }
        times.sort();
        println!(
            "| {name} | {:.1} | {:.1} | {:.1} | {count} |",
            pct(&times, 0.5),
            pct(&times, 0.95),
            pct(&times, 0.99)
        );
    }
}
