//! The OpenAPI document describes every API route of the router.

use serde_json::Value;

use crate::common::spawn;

#[tokio::test]
async fn openapi_document_is_3_1_and_lists_every_api_route() {
    let app = spawn().await;
    let res = app.get("/api/v1/openapi.json", &[]).await;
    assert_eq!(res.status, 200);
    assert!(res.header("content-type").starts_with("application/json"));
    let doc: Value = res.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc["servers"][0]["url"], app.base);
    let paths = doc["paths"].as_object().unwrap();
    let mut documented = 0;
    for r in satudata_http::routes() {
        if !(r.path.starts_with("/api/") || r.path == "/healthz") {
            continue;
        }
        let method = r.method.as_str().to_ascii_lowercase();
        let op = &paths
            .get(r.path)
            .unwrap_or_else(|| panic!("{} is not in the OpenAPI document", r.path))[&method];
        assert!(
            op.is_object(),
            "{} {} is not in the OpenAPI document",
            r.method,
            r.path
        );
        assert!(op["responses"].is_object(), "{} {}", r.method, r.path);
        documented += 1;
    }
    // And nothing is documented that is not served.
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            assert!(
                satudata_http::routes()
                    .iter()
                    .any(|r| r.path == path && r.method.as_str().eq_ignore_ascii_case(method)),
                "documented but not served: {method} {path}"
            );
        }
    }
    assert!(documented >= 33, "{documented}");
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for s in [
        "Problem",
        "DatasetMeta",
        "TableSchema",
        "Organization",
        "Version",
        "RowsPage",
    ] {
        assert!(schemas.contains_key(s), "schema {s} missing");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert_eq!(satudata_http::openapi().paths.paths.len(), paths.len());
}

/// Every `/api/v1` operation shows an example of its request body and of each success answer
/// (except file bodies such as XLSX), and every success answer except 204 says what it returns.
#[tokio::test]
async fn every_api_v1_operation_has_examples() {
    let doc = serde_json::to_value(satudata_http::openapi()).unwrap();
    let binary = |media_type: &str| {
        media_type == "application/octet-stream"
            || media_type.starts_with("application/vnd.openxmlformats")
    };
    let mut missing = Vec::new();
    let mut checked = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/") {
            continue;
        }
        for (method, op) in ops.as_object().unwrap() {
            checked += 1;
            let name = format!("{} {path}", method.to_ascii_uppercase());
            if let Some(body) = op.get("requestBody") {
                for (media_type, c) in body["content"].as_object().unwrap() {
                    if binary(media_type) {
                        assert_eq!(c["schema"]["format"], "binary", "{name}: {media_type}");
                    } else if c.get("example").is_none() && c.get("examples").is_none() {
                        missing.push(format!("{name}: request body {media_type}"));
                    }
                }
            }
            let mut successes = 0;
            for (status, response) in op["responses"].as_object().unwrap() {
                if !status.starts_with('2') {
                    continue;
                }
                successes += 1;
                let content = response.get("content").and_then(Value::as_object);
                let Some(content) = content.filter(|c| !c.is_empty()) else {
                    if status != "204" {
                        missing.push(format!("{name}: {status} declares no body"));
                    }
                    continue;
                };
                for (media_type, c) in content {
                    if binary(media_type) {
                        assert_eq!(c["schema"]["format"], "binary", "{name}: {media_type}");
                    } else if c.get("example").is_none() && c.get("examples").is_none() {
                        missing.push(format!("{name}: {status} {media_type}"));
                    }
                }
            }
            assert!(successes > 0, "{name}: no success answer documented");
        }
    }
    let served = satudata_http::routes()
        .iter()
        .filter(|r| r.path.starts_with("/api/v1/"))
        .count();
    assert_eq!(checked, served);
    assert!(
        missing.is_empty(),
        "examples missing:\n{}",
        missing.join("\n")
    );
}
