//! Uploads through the API become import jobs run by the server: progress, a stored report, and
//! exactly one version even when the server is killed midway and restarted.

mod common;

use common::{demo, run, Server};
use serde_json::{json, Value};
use std::io::Write;
use std::time::{Duration, Instant};

/// An admin token for the demo in `dir` (seeded by a first start).
fn admin_token(dir: &std::path::Path) -> String {
    let (code, out, err) = run(
        &["user", "token", "create", "admin", "--name", "uji-unggah"],
        dir,
        "",
    );
    assert_eq!(code, 0, "{err}");
    out.lines()
        .find(|l| l.starts_with("sdt_"))
        .expect("secret")
        .to_string()
}

/// A dataset with a table (kode_desa, tahun, jumlah); returns the table's resource id.
async fn make_table(server: &Server, token: &str) -> String {
    let http = reqwest::Client::new();
    let org = server.get_json("/api/v1/organizations/dinkes", 200).await;
    let r = http
        .post(format!("{}/api/v1/datasets", server.base))
        .bearer_auth(token)
        .json(&json!({"title": "Jumlah Kader Posyandu", "slug": "jumlah-kader-posyandu", "organization_id": org["id"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let r = http
        .post(format!(
            "{}/api/v1/datasets/jumlah-kader-posyandu/resources",
            server.base
        ))
        .bearer_auth(token)
        .json(
            &json!({"name": "data", "title": "Per desa", "kind": "table", "schema": {"fields": [
                {"name": "kode_desa", "type": "string", "regionLevel": "desa"},
                {"name": "tahun", "type": "year", "period": true},
                {"name": "jumlah", "type": "integer", "unit": "orang"}
            ]}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn upload(
    server: &Server,
    token: &str,
    resource: &str,
    filename: &str,
    body: Vec<u8>,
) -> String {
    let r = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/resources/{resource}/uploads?filename={filename}",
            server.base
        ))
        .bearer_auth(token)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    assert!(r.headers().get("location").is_some());
    r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn job(server: &Server, token: &str, id: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{}/api/v1/jobs/{id}", server.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Poll until `done(job)` or a minute passes.
async fn wait_for(server: &Server, token: &str, id: &str, done: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let j = job(server, token, id).await;
        if done(&j) {
            return j;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "job did not get there: {j}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn versions(server: &Server, token: &str, resource: &str) -> Vec<Value> {
    let v: Value = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/resources/{resource}/versions",
            server.base
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_upload_becomes_a_job_with_a_report_and_a_draft_version() {
    let dir = tempfile::tempdir().unwrap();
    drop(demo(dir.path(), None));
    let token = admin_token(dir.path());
    let server = demo(dir.path(), None);
    let resource = make_table(&server, &token).await;

    let bad = upload(
        &server,
        &token,
        &resource,
        "salah.csv",
        b"kode_desa,tahun,jumlah\n1606012001,2024,x\n".to_vec(),
    )
    .await;
    let j = wait_for(&server, &token, &bad, |j| {
        j["state"] == "done" || j["state"] == "failed"
    })
    .await;
    assert_eq!(j["state"], "done", "{j}");
    assert_eq!(j["report"]["valid"], false, "the report is kept: {j}");
    assert!(j["version"].is_null());
    assert!(
        versions(&server, &token, &resource).await.is_empty(),
        "an invalid file changes nothing"
    );

    let good = upload(
        &server,
        &token,
        &resource,
        "kader.csv",
        b"kode_desa;tahun;jumlah\n1606012001;2024;12\n1606012002;2024;9\n".to_vec(),
    )
    .await;
    let j = wait_for(&server, &token, &good, |j| {
        j["state"] == "done" || j["state"] == "failed"
    })
    .await;
    assert_eq!(j["report"]["valid"], true, "{j}");
    assert_eq!(j["version"], 1, "{j}");
    assert_eq!(
        j["report"]["profile"]["rows"], 2,
        "the profile is kept: {j}"
    );
    assert!(
        j["report"]["plausibility"].is_null(),
        "nothing published to compare with: {j}"
    );
    assert_eq!(versions(&server, &token, &resource).await.len(), 1);
    assert_eq!(
        j["rows_processed"], 2,
        "a fast job still counts its rows: {j}"
    );
    // A finished job cannot be cancelled, and the answer says so.
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/jobs/{good}/cancel", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let problem: Value = res.json().await.unwrap();
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("sudah selesai"),
        "{problem}"
    );

    // Publish version 1; version 2 has the RIBU mistake (1,000×) in one row.
    for step in ["submit", "publish"] {
        let r = post(&server, &token, &format!("{resource}/versions/1/{step}")).await;
        assert!(r["state"].is_string(), "{step}: {r}");
    }
    let ribu = upload(
        &server,
        &token,
        &resource,
        "kader-2025.csv",
        b"kode_desa,tahun,jumlah\n1606012001,2025,12000\n1606012002,2025,10\n".to_vec(),
    )
    .await;
    let j = wait_for(&server, &token, &ribu, |j| {
        j["state"] == "done" || j["state"] == "failed"
    })
    .await;
    assert_eq!(j["version"], 2, "{j}");
    let plaus = &j["report"]["plausibility"];
    assert_eq!(plaus["againstVersion"], 1, "{j}");
    assert_eq!(plaus["items"][0]["rowNumber"], 2, "{j}");

    // The automatic checks at submission carry the validation report and the plausibility.
    let sub = post(&server, &token, &format!("{resource}/versions/2/submit")).await;
    let result = |report: &Value, p: &str| {
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["principle"] == p)
            .cloned()
            .unwrap_or_else(|| panic!("no {p} in {report}"))
    };
    assert_eq!(result(&sub["checks"], "validasi")["passed"], true, "{sub}");
    let p = result(&sub["checks"], "plausibilitas");
    assert_eq!(p["passed"], false, "{sub}");
    let reasons = p["reasons"].to_string();
    assert!(reasons.contains("versi terbit 1"), "{reasons}");
    assert!(reasons.contains("Baris 2, kolom 'jumlah'"), "{reasons}");
    assert_eq!(sub["checks"]["passed"], false);
    // The walidata's review shows them, with the stored upload report.
    let detail: Value = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/resources/{resource}/versions/2/review",
            server.base
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        result(&detail["checks"], "plausibilitas")["passed"],
        false,
        "{detail}"
    );
    assert_eq!(detail["upload"]["filename"], "kader-2025.csv", "{detail}");
    assert_eq!(detail["upload"]["validation"]["valid"], true);
    // The row, and the column's largest value (12 → 12,000).
    assert_eq!(detail["upload"]["plausibility"]["warnings"], 2, "{detail}");
    assert_eq!(detail["upload"]["profile"]["rows"], 2);
}

/// POST `{base}/api/v1/resources/{path}` with no body; the JSON answer (status checked: 200).
async fn post(server: &Server, token: &str, path: &str) -> Value {
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/resources/{path}", server.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{path}: {body}");
    body
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_killed_midway_finishes_the_job_once_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    drop(demo(dir.path(), None));
    let token = admin_token(dir.path());
    let mut server = demo(dir.path(), None);
    let resource = make_table(&server, &token).await;

    let mut csv = Vec::with_capacity(64 << 20);
    writeln!(csv, "kode_desa,tahun,jumlah").unwrap();
    for i in 0..2_000_000u32 {
        writeln!(csv, "16.06.01.2001,{},{}", 1900 + (i % 300), i).unwrap();
    }
    let id = upload(&server, &token, &resource, "besar.csv", csv).await;
    let running = wait_for(&server, &token, &id, |j| {
        j["state"] == "running"
            && j["rows_processed"].as_i64() > Some(0)
            && j["bytes_processed"].as_i64() > Some(0)
    })
    .await;
    assert!(
        running["rows_processed"].as_i64().unwrap() < 2_000_000,
        "progress is visible while running"
    );
    // Progress in bytes of the file, too.
    assert!(
        running["bytes_processed"].as_i64() <= running["bytes_total"].as_i64(),
        "{running}"
    );
    server.kill(); // SIGKILL mid-import: no cleanup code runs
    drop(server);

    server = demo(dir.path(), None);
    let j = wait_for(&server, &token, &id, |j| {
        j["state"] == "done" || j["state"] == "failed"
    })
    .await;
    assert_eq!(j["state"], "done", "{j}");
    assert_eq!(j["version"], 1, "{j}");
    let v = versions(&server, &token, &resource).await;
    assert_eq!(
        v.len(),
        1,
        "exactly one version after a kill and a restart: {v:?}"
    );
    assert_eq!(v[0]["row_count"], 2_000_000);
}
