//! `satudata audit verify` against a real database: an intact chain exits 0; a row changed directly
//! in SQL is found (exit 1, naming the entry) — on SQLite and on PostgreSQL.

mod common;

use chrono::Utc;
use satudata_core::audit::AuditRecord;
use satudata_store::Store;

fn record(i: i64) -> AuditRecord {
    AuditRecord {
        at: Utc::now(),
        actor: None,
        actor_name: "walidata".into(),
        action: "write".into(),
        entity: "http".into(),
        entity_id: format!("/api/v1/datasets/data-{i}"),
        detail: format!(r#"{{"status":201,"i":{i}}}"#),
        ip: "127.0.0.1".into(),
    }
}

async fn fill(store: &dyn Store) {
    for i in 1..=5 {
        store.append_audit(record(i)).await.expect("append");
    }
}

fn verify(url: &str) -> (i32, String) {
    let out = common::satudata()
        .args(["audit", "verify", "--database-url", url])
        .output()
        .expect("run satudata audit verify");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[tokio::test]
async fn tampering_in_sqlite_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("satudata.db");
    let url = format!("sqlite://{}", path.display());
    let store = satudata_store_sqlite::SqliteStore::open(&path)
        .await
        .unwrap();
    fill(&store).await;
    let (code, text) = verify(&url);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("UTUH: 5 entri"), "{text}");

    // The table refuses changes; someone with the database file drops the guard and edits a row.
    let refused = sqlx::query("UPDATE audit_log SET actor_name = 'penyusup' WHERE seq = 3")
        .execute(store.pool())
        .await;
    assert!(
        refused.is_err(),
        "the append-only guard must refuse updates"
    );
    sqlx::query("DROP TRIGGER audit_log_no_update")
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET actor_name = 'penyusup' WHERE seq = 3")
        .execute(store.pool())
        .await
        .unwrap();
    let (code, text) = verify(&url);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("RUSAK") && text.contains("entri 3"), "{text}");
    assert!(text.contains("2 entri sebelumnya utuh"), "{text}");
}

#[tokio::test]
async fn tampering_in_postgres_is_found() {
    let (store, db) = satudata_store_postgres::testing::fresh_store()
        .await
        .unwrap_or_else(|m| panic!("{m}"));
    fill(&store).await;
    let base = std::env::var(satudata_store_postgres::testing::TEST_URL_VAR)
        .unwrap_or_else(|_| satudata_store_postgres::testing::DEFAULT_TEST_URL.to_string());
    let url = format!("{}/{}", base.rsplit_once('/').unwrap().0, db.name());
    let (code, text) = verify(&url);
    assert_eq!(code, 0, "{text}");
    // Rewrite an entry *and* its hash, as a careful attacker would: the next entry still breaks.
    sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
        .execute(store.pool())
        .await
        .unwrap();
    let (prev, rec) = {
        let row: (String, String) =
            sqlx::query_as("SELECT prev_hash, detail FROM audit_log WHERE seq = 2")
                .fetch_one(store.pool())
                .await
                .unwrap();
        row
    };
    let mut changed = record(2);
    changed.detail = rec.replace("201", "200");
    changed.at = sqlx::query_scalar("SELECT at FROM audit_log WHERE seq = 2")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let hash = satudata_core::audit::entry_hash(&prev, 2, &changed);
    sqlx::query("UPDATE audit_log SET detail = $1, hash = $2 WHERE seq = 2")
        .bind(&changed.detail)
        .bind(&hash)
        .execute(store.pool())
        .await
        .unwrap();
    let (code, text) = verify(&url);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("entri 3"), "{text}");
    drop(store);
    drop(db);
}
