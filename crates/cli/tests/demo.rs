//! README's run command, as a newcomer uses it: `satudata demo` serves the regency on both stores.

mod common;

use common::{demo, drop_postgres_database, fresh_postgres_database};

async fn check_demo_instance(server: &common::Server) {
    assert!(
        server.stdout.contains("admin"),
        "banner shows the logins:\n{}",
        server.stdout
    );
    assert!(
        server.stdout.contains("/masuk"),
        "banner shows where to log in"
    );

    let health = server.get_json("/healthz", 200).await;
    assert_eq!(health["status"], "ok");

    let datasets = server.get_json("/api/v1/datasets?limit=100", 200).await;
    assert!(datasets["total"].as_u64().unwrap() >= 30, "{datasets}");

    let children = server.get_json("/api/v1/regions/16.06/children", 200).await;
    let kecamatan = children["items"].as_array().unwrap();
    assert_eq!(kecamatan.len(), 15);
    assert!(kecamatan.iter().all(|k| k["level"] == "kecamatan"));

    let desa = server
        .get_json("/api/v1/organizations?kind=desa&limit=1", 200)
        .await;
    let kelurahan = server
        .get_json("/api/v1/organizations?kind=kelurahan&limit=1", 200)
        .await;
    assert_eq!(
        desa["total"].as_u64().unwrap() + kelurahan["total"].as_u64().unwrap(),
        242,
        "one organisation per desa/kelurahan of Musi Banyuasin"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_serves_the_regency_on_sqlite_and_reuses_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let first_seq;
    {
        let server = demo(dir.path(), None);
        check_demo_instance(&server).await;
        assert_eq!(server.get_json("/healthz", 200).await["store"], "sqlite");
        first_seq = server.get_json("/api/v1/datasets?limit=1", 200).await["total"].clone();
    }
    assert!(
        dir.path().join("satudata.db").exists(),
        "embedded store lives in the data directory"
    );
    // A second start reuses the data directory: same catalogue, nothing seeded twice.
    let server = demo(dir.path(), None);
    check_demo_instance(&server).await;
    assert_eq!(
        server.get_json("/api/v1/datasets?limit=1", 200).await["total"],
        first_seq
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_serves_the_same_regency_on_postgres() {
    let url = fresh_postgres_database().await;
    let dir = tempfile::tempdir().unwrap();
    let server = demo(dir.path(), Some(&url));
    check_demo_instance(&server).await;
    assert_eq!(server.get_json("/healthz", 200).await["store"], "postgres");
    assert!(
        !dir.path().join("satudata.db").exists(),
        "no SQLite file when PostgreSQL is configured"
    );
    drop(server);
    drop_postgres_database(&url).await;
}
