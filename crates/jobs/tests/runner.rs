//! The runner on SQLite with a local file store: a valid workbook becomes a draft version with its
//! rows, an invalid CSV leaves a report and no version, and progress is visible while running.

use std::sync::Arc;
use std::time::Duration;

use satudata_core::dataset::{DatasetMeta, NewResource, ResourceKind};
use satudata_core::organization::{OrgKind, OrganizationMeta};
use satudata_core::review::ReviewState;
use satudata_core::schema::{Field, FieldType, TableSchema};
use satudata_core::Id;
use satudata_files::FileStore;
use satudata_formats::infer::{infer, InferOptions};
use satudata_formats::read::{open_path, ReadOptions};
use satudata_jobs::{Runner, RunnerConfig};
use satudata_store::jobs::{JobState, NewJob};
use satudata_store::Store;
use satudata_store_sqlite::SqliteStore;

async fn setup() -> (Arc<dyn Store>, FileStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("db.sqlite"))
        .await
        .expect("store");
    let files = FileStore::local(dir.path().join("files")).expect("files");
    (Arc::new(store), files, dir)
}

async fn table(store: &Arc<dyn Store>, schema: TableSchema) -> Id {
    let org = store
        .create_organization(
            OrganizationMeta {
                slug: "dinkes".into(),
                name: "Dinas Kesehatan".into(),
                acronym: None,
                kind: OrgKind::Opd,
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
        .expect("org");
    let ds = store
        .create_dataset(DatasetMeta::new("Data", "data", org.id), None)
        .await
        .expect("dataset");
    store
        .create_resource(
            ds.id,
            NewResource {
                name: "t".into(),
                title: "Tabel".into(),
                description: String::new(),
                kind: ResourceKind::Table { schema },
            },
            None,
        )
        .await
        .expect("resource")
        .id
}

fn job(resource_id: Id, key: &str, filename: &str) -> NewJob {
    NewJob {
        kind: "import".into(),
        resource_id,
        file_key: key.into(),
        filename: filename.into(),
        options: serde_json::json!({}),
        bytes_total: None,
        created_by: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn valid_workbook_becomes_a_draft_version() {
    let xlsx = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/sample-data/opendk/Format_Upload_AKI_&_AKB.xlsx");
    if !xlsx.exists() {
        eprintln!("skipped: {} is missing", xlsx.display());
        return;
    }
    let inferred = infer(
        open_path(&xlsx, &ReadOptions::default()).expect("open"),
        &InferOptions::default(),
    )
    .expect("infer");
    let (store, files, _dir) = setup().await;
    let res = table(&store, inferred.schema).await;
    files
        .put_bytes("uploads/a.xlsx", std::fs::read(&xlsx).expect("read"))
        .await
        .expect("put");
    let j = store
        .create_job(job(res, "uploads/a.xlsx", "AKI.xlsx"))
        .await
        .expect("job");
    let runner = Runner::new(store.clone(), files, RunnerConfig::default());
    assert!(runner.run_next().await.expect("run"));
    let done = store.get_job(j.id).await.expect("get").expect("job");
    assert_eq!(done.state, JobState::Done, "{done:?}");
    assert_eq!(done.version, Some(1));
    let report = done.report.expect("report");
    assert_eq!(report["valid"], true);
    let versions = store.list_versions(res).await.expect("versions");
    assert_eq!(versions.len(), 1);
    assert_eq!(
        versions[0].row_count as u64,
        report["stats"]["validRows"].as_u64().expect("rows")
    );
    assert!(versions[0].row_count > 0);
    assert_eq!(
        store.version_states(res).await.expect("states")[0].state,
        ReviewState::Draf
    );
    assert!(!runner.run_next().await.expect("run"), "queue is empty");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_csv_keeps_the_report_and_writes_nothing() {
    let (store, files, _dir) = setup().await;
    let res = table(
        &store,
        TableSchema::new(vec![
            Field::new("kode", FieldType::String),
            Field::new("jumlah", FieldType::Integer),
        ]),
    )
    .await;
    files
        .put_bytes("uploads/b.csv", "kode,jumlah\na,1\nb,dua\n")
        .await
        .expect("put");
    let j = store
        .create_job(job(res, "uploads/b.csv", "b.csv"))
        .await
        .expect("job");
    let runner = Runner::new(store.clone(), files, RunnerConfig::default());
    runner.run_next().await.expect("run");
    let done = store.get_job(j.id).await.expect("get").expect("job");
    assert_eq!(
        (done.state, done.version),
        (JobState::Done, None),
        "{done:?}"
    );
    assert_eq!(done.report.expect("report")["valid"], false);
    assert!(store.list_versions(res).await.expect("versions").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_lists_come_from_the_catalogue_by_version() {
    use satudata_core::codelist::{standard, Code};
    let (store, files, _dir) = setup().await;
    let agama = standard().into_iter().find(|l| l.slug == "agama").unwrap();
    store.create_codelist(agama.clone(), None).await.unwrap();
    let mut v2 = agama.clone();
    v2.codes.push(Code {
        code: "8".into(),
        label: "Lainnya".into(),
        label_en: None,
    });
    store.create_codelist(v2, None).await.unwrap();
    let mut newest = Field::new("agama", FieldType::Integer);
    newest.codelist = Some("agama".into());
    let mut pinned = Field::new("agama_v1", FieldType::Integer);
    pinned.codelist = Some("agama@1".into());
    let res = table(&store, TableSchema::new(vec![newest, pinned])).await;
    files
        .put_bytes("uploads/c.csv", "agama,agama_v1\n1,1\n8,8\n9,7\n")
        .await
        .expect("put");
    let j = store
        .create_job(job(res, "uploads/c.csv", "c.csv"))
        .await
        .expect("job");
    let runner = Runner::new(store.clone(), files, RunnerConfig::default());
    runner.run_next().await.expect("run");
    let done = store.get_job(j.id).await.expect("get").expect("job");
    assert_eq!(done.version, None, "{done:?}");
    let report = done.report.expect("report");
    let errors: Vec<(String, u64, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap().to_string(),
                e["rowNumber"].as_u64().unwrap(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (
                "foreign-key".to_string(),
                3,
                "'8' tidak ada di daftar kode 'agama@1'".to_string()
            ),
            (
                "foreign-key".to_string(),
                4,
                "'9' tidak ada di daftar kode 'agama'".to_string()
            ),
        ],
        "{report}"
    );
    assert!(store.list_versions(res).await.expect("versions").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_is_visible_while_running() {
    let (store, files, _dir) = setup().await;
    let res = table(
        &store,
        TableSchema::new(vec![
            Field::new("kode", FieldType::String),
            Field::new("jumlah", FieldType::Integer),
        ]),
    )
    .await;
    let mut csv = String::from("kode,jumlah\n");
    for i in 0..400_000 {
        csv.push_str(&format!("k{i},{i}\n"));
    }
    let size = csv.len() as i64;
    files.put_bytes("uploads/c.csv", csv).await.expect("put");
    let j = store
        .create_job(job(res, "uploads/c.csv", "c.csv"))
        .await
        .expect("job");
    let runner = Runner::new(
        store.clone(),
        files,
        RunnerConfig {
            heartbeat: Duration::from_millis(50),
            ..RunnerConfig::default()
        },
    );
    let task = tokio::spawn(async move { runner.run_next().await });
    let mut seen = 0;
    let mut seen_bytes = None;
    for _ in 0..400 {
        tokio::time::sleep(Duration::from_millis(25)).await;
        let now = store.get_job(j.id).await.expect("get").expect("job");
        if now.state == JobState::Running && now.rows_processed > 0 {
            seen = now.rows_processed;
        }
        if now.state == JobState::Running && now.bytes_processed.is_some_and(|b| b > 0) {
            seen_bytes = now.bytes_processed;
        }
        if now.state.is_final() {
            break;
        }
    }
    task.await.expect("join").expect("run");
    assert!(seen > 0, "progress was reported while running");
    // Bytes read are reported too, never more than the file has.
    let b = seen_bytes.expect("bytes read were reported while running");
    assert!(b > 0 && b <= size, "{b} of {size}");
    let done = store.get_job(j.id).await.expect("get").expect("job");
    assert_eq!((done.state, done.version), (JobState::Done, Some(1)));
    assert_eq!(
        store.list_versions(res).await.expect("v")[0].row_count,
        400_000
    );
}
