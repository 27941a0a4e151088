//! For tests that need a PostgreSQL store: a fresh, empty database per test, dropped afterwards.
//!
//! The server is `SATUDATA_TEST_POSTGRES_URL` (default [`DEFAULT_TEST_URL`]). When it cannot be
//! reached, [`fresh_store`] fails with a message saying how to start it: a missing database must
//! fail a test run, never skip it silently.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection};

use crate::PostgresStore;

/// The server tests use when `SATUDATA_TEST_POSTGRES_URL` is not set.
pub const DEFAULT_TEST_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The environment variable naming the test server.
pub const TEST_URL_VAR: &str = "SATUDATA_TEST_POSTGRES_URL";

/// Drops its test database when dropped (best effort, also when the test panicked).
pub struct TestDatabase {
    admin: PgConnectOptions,
    name: String,
}

impl TestDatabase {
    /// The name of the database.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let name = self.name.clone();
        // Drop may run inside or outside a runtime, and must not block one: use a thread of its own.
        let handle = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut conn) = PgConnection::connect_with(&admin).await {
                    // FORCE: the store's pool may still hold connections to it.
                    let _ =
                        sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                            .execute(&mut conn)
                            .await;
                    let _ = conn.close().await;
                }
            });
        });
        let _ = handle.join();
    }
}

/// Where the test server is, without any password, for messages.
fn describe(o: &PgConnectOptions) -> String {
    format!(
        "{}:{} (user {})",
        o.get_host(),
        o.get_port(),
        o.get_username()
    )
}

/// Create a fresh database `satudata_test_<uuid>` on the test server and open a store on it.
/// The error is a message for the person running the tests.
pub async fn fresh_store() -> Result<(PostgresStore, TestDatabase), String> {
    let url = std::env::var(TEST_URL_VAR).unwrap_or_else(|_| DEFAULT_TEST_URL.to_string());
    let admin = PgConnectOptions::from_str(&url)
        .map_err(|e| format!("{TEST_URL_VAR} is not a PostgreSQL URL: {e}"))?
        .disable_statement_logging();
    let unreachable = |e: String| {
        format!(
            "PostgreSQL not reachable at {}: start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` \
             or set {TEST_URL_VAR} ({e})",
            describe(&admin)
        )
    };
    let mut conn =
        tokio::time::timeout(Duration::from_secs(10), PgConnection::connect_with(&admin))
            .await
            .map_err(|_| unreachable("timed out".to_string()))?
            .map_err(|e| unreachable(e.to_string()))?;
    let name = format!("satudata_test_{}", satudata_core::new_id().simple());
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut conn)
        .await
        .map_err(|e| format!("cannot create test database {name}: {e}"))?;
    let _ = conn.close().await;
    let guard = TestDatabase {
        admin: admin.clone(),
        name: name.clone(),
    };
    let store = PostgresStore::connect_with(admin.database(&name))
        .await
        .map_err(|e| format!("cannot open the store on {name}: {e}"))?;
    Ok((store, guard))
}
