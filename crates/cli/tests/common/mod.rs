//! Running the real `satudata` binary in tests: start it, wait until it listens, stop it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The binary under test.
pub fn satudata() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_satudata"));
    c.env_remove("SATUDATA_DATABASE_URL")
        .env_remove("SATUDATA_HOME_REGION")
        .env_remove("SATUDATA_LISTEN")
        .env_remove("SATUDATA_DATA_DIR")
        .env("SATUDATA_LOG", "info");
    c
}

/// A running server, killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    pub stdout: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Kill the process at once (SIGKILL), as a power cut or the OOM killer would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Start `cmd` (with `--log-format json`) and wait for its "listening" log line.
    pub fn start(mut cmd: Command) -> Server {
        cmd.arg("--log-format").arg("json");
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start satudata");
        let stderr = child.stderr.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel::<Result<String, String>>();
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            let mut log = String::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                log.push_str(&line);
                log.push('\n');
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
                    if v["fields"]["message"] == "listening" {
                        let addr = v["fields"]["addr"].as_str().unwrap_or_default().to_string();
                        let _ = tx.send(Ok(addr));
                    }
                }
            }
            let _ = tx.send(Err(log));
        });
        let out = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let out2 = out.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                out2.lock().unwrap().push_str(&format!("{line}\n"));
            }
            let _ = tx2.send(Err("stdout closed".into()));
        });
        let addr = loop {
            match rx.recv_timeout(Duration::from_secs(120)) {
                Ok(Ok(addr)) => break addr,
                Ok(Err(log)) if log == "stdout closed" => continue,
                Ok(Err(log)) => panic!("satudata stopped before listening:\n{log}"),
                Err(_) => panic!("satudata did not listen within 120 s"),
            }
        };
        // The demo prints its banner right after the log line; give stdout a moment.
        std::thread::sleep(Duration::from_millis(200));
        let stdout = out.lock().unwrap().clone();
        Server {
            child,
            base: format!("http://{addr}"),
            stdout,
        }
    }

    /// GET a path and parse JSON, asserting the status.
    pub async fn get_json(&self, path: &str, status: u16) -> serde_json::Value {
        let resp = reqwest::get(format!("{}{path}", self.base))
            .await
            .expect("GET");
        assert_eq!(resp.status().as_u16(), status, "GET {path}");
        resp.json().await.expect("JSON body")
    }
}

/// Start `satudata demo` on a free port with `data_dir`.
pub fn demo(data_dir: &Path, database_url: Option<&str>) -> Server {
    let mut cmd = satudata();
    cmd.args(["demo", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir);
    if let Some(url) = database_url {
        cmd.env("SATUDATA_DATABASE_URL", url);
    }
    Server::start(cmd)
}

/// Run a `satudata` command to completion with `stdin`, returning (exit code, stdout, stderr).
pub fn run(args: &[&str], data_dir: &Path, stdin: &str) -> (i32, String, String) {
    let mut child = satudata()
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run satudata");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh PostgreSQL database for one test; fails loudly when PostgreSQL is not reachable.
pub async fn fresh_postgres_database() -> String {
    use sqlx::Connection;
    let admin = std::env::var("SATUDATA_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL not reachable at {admin}: {e}. Start it with \
             `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` \
             or set SATUDATA_TEST_POSTGRES_URL"
            )
        });
    let name = format!("satudata_cli_{}", uuid::Uuid::now_v7().simple());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    format!("{base}/{name}")
}

/// Drop a database made by [`fresh_postgres_database`] (best effort).
pub async fn drop_postgres_database(url: &str) {
    use sqlx::Connection;
    let Some((base, name)) = url.rsplit_once('/') else {
        return;
    };
    if let Ok(mut conn) = sqlx::PgConnection::connect(&format!("{base}/postgres")).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await;
    }
}
