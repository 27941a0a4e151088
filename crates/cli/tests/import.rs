//! `satudata import`: a valid file becomes the next version (a draf); an invalid one changes nothing; a
//! process killed midway leaves no version behind.

mod common;

use common::run;
use satudata_core::dataset::{DatasetMeta, NewResource, ResourceKind};
use satudata_core::region::Level;
use satudata_core::schema::{Field, FieldType, TableSchema};
use satudata_store::{GovernanceStore, Store};
use satudata_store_sqlite::SqliteStore;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// A dataset with a table (kode_desa, tahun, jumlah) in a fresh data directory. Returns the resource id.
async fn table_dataset(dir: &Path) -> uuid::Uuid {
    let store = SqliteStore::open(&dir.join("satudata.db")).await.unwrap();
    let org = store
        .create_organization(
            satudata_core::organization::OrganizationMeta {
                slug: "dinkes".into(),
                name: "Dinas Kesehatan".into(),
                acronym: None,
                kind: satudata_core::organization::OrgKind::Opd,
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
        .unwrap();
    let ds = store
        .create_dataset(
            DatasetMeta::new("Jumlah Posyandu", "jumlah-posyandu", org.id),
            None,
        )
        .await
        .unwrap();
    let mut desa = Field::new("kode_desa", FieldType::String);
    desa.region_level = Some(Level::Desa);
    let mut tahun = Field::new("tahun", FieldType::Year);
    tahun.period = true;
    let mut jumlah = Field::new("jumlah", FieldType::Integer);
    jumlah.unit = Some("unit".into());
    let res = store
        .create_resource(
            ds.id,
            NewResource {
                name: "data".into(),
                title: "Jumlah posyandu per desa".into(),
                description: String::new(),
                kind: ResourceKind::Table {
                    schema: TableSchema::new(vec![desa, tahun, jumlah]),
                },
            },
            None,
        )
        .await
        .unwrap();
    res.id
}

async fn version_count(dir: &Path, resource: uuid::Uuid) -> usize {
    let store = SqliteStore::open(&dir.join("satudata.db")).await.unwrap();
    store.version_states(resource).await.unwrap().len()
}

#[tokio::test(flavor = "multi_thread")]
async fn valid_file_becomes_a_draft_version_and_invalid_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let resource = table_dataset(dir.path()).await;

    // Indonesian habits: semicolons, codes without dots, a title row and a source line.
    let good = dir.path().join("posyandu.csv");
    std::fs::write(
        &good,
        "Jumlah Posyandu per Desa\nkode_desa;tahun;jumlah\n1606012001;2024;3\n1606012002;2024;2\n\nSumber: Dinas Kesehatan\n",
    )
    .unwrap();
    let (code, out, err) = run(
        &[
            "import",
            "--dataset",
            "jumlah-posyandu",
            good.to_str().unwrap(),
        ],
        dir.path(),
        "",
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("Versi 1 dibuat sebagai draf: 2 baris"),
        "{out}"
    );
    assert_eq!(version_count(dir.path(), resource).await, 1);

    let bad = dir.path().join("salah.csv");
    std::fs::write(
        &bad,
        "kode_desa,tahun,jumlah\n1606012001,2025,3\n9999999999,2025,x\n",
    )
    .unwrap();
    let (code, out, _) = run(
        &[
            "import",
            "--dataset",
            "jumlah-posyandu",
            bad.to_str().unwrap(),
        ],
        dir.path(),
        "",
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("baris 3"), "the report names the row: {out}");
    assert!(out.contains("Tidak ada yang disimpan"), "{out}");
    assert_eq!(
        version_count(dir.path(), resource).await,
        1,
        "nothing half-imported"
    );

    let (code, _, err) = run(
        &["import", "--dataset", "tidak-ada", good.to_str().unwrap()],
        dir.path(),
        "",
    );
    assert_ne!(code, 0);
    assert!(err.contains("tidak-ada"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn import_killed_midway_leaves_no_version() {
    let dir = tempfile::tempdir().unwrap();
    let resource = table_dataset(dir.path()).await;
    let big = dir.path().join("besar.csv");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
        writeln!(f, "kode_desa,tahun,jumlah").unwrap();
        for i in 0..3_000_000u32 {
            writeln!(f, "16.06.01.2001,{},{}", 1900 + (i % 300), i).unwrap();
        }
    }
    let mut child = common::satudata()
        .args(["import", "--dataset", "jumlah-posyandu", "--data-dir"])
        .arg(dir.path())
        .arg(&big)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import must still be running when killed"
    );
    child.kill().unwrap(); // SIGKILL: no cleanup code runs
    child.wait().unwrap();

    assert_eq!(
        version_count(dir.path(), resource).await,
        0,
        "no version after a killed import"
    );
    // The store is usable afterwards and the next import works.
    let small = dir.path().join("kecil.csv");
    std::fs::write(&small, "kode_desa,tahun,jumlah\n16.06.01.2001,2024,1\n").unwrap();
    let (code, out, err) = run(
        &[
            "import",
            "--dataset",
            "jumlah-posyandu",
            small.to_str().unwrap(),
        ],
        dir.path(),
        "",
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(version_count(dir.path(), resource).await, 1);
}
