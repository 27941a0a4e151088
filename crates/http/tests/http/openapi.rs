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
