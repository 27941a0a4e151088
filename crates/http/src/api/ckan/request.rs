//! The request data of an action, read as CKAN reads it: URL parameters for GET; for POST a JSON
//! object, a form (whose only key may itself be the JSON, as old clients send it) or a multipart
//! form (text fields only).

use axum::body::Body;
use axum::extract::FromRequest;
use axum::http::{header, HeaderMap, Request};
use serde_json::{Map, Value};

use crate::layers::JSON_LIMIT;

/// The parameters of an action call.
#[derive(Debug, Default, Clone)]
pub struct Params(pub Map<String, Value>);

impl Params {
    /// A parameter as text (numbers and booleans as written).
    pub fn str(&self, key: &str) -> Option<String> {
        match self.0.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            Value::Array(a) => a.first().and_then(|v| v.as_str().map(str::to_string)),
            other => Some(other.to_string()),
        }
    }

    /// A boolean parameter (`true`, `True`, `1`, …).
    pub fn bool(&self, key: &str, default: bool) -> bool {
        match self.0.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(n)) => n.as_i64() == Some(1),
            Some(Value::String(s)) => {
                matches!(s.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on")
            }
            _ => default,
        }
    }

    /// A non-negative integer parameter; a bad one is a Validation Error.
    pub fn uint(&self, key: &str) -> Result<Option<u64>, super::CkanError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .map(Some)
                .ok_or_else(|| super::CkanError::field(key, "Harus bilangan bulat tidak negatif.")),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s.trim().parse::<u64>().map(Some).map_err(|_| {
                super::CkanError::field(
                    key,
                    "Harus bilangan bulat tidak negatif. (Invalid integer)",
                )
            }),
            Some(_) => Err(super::CkanError::field(
                key,
                "Harus bilangan bulat tidak negatif.",
            )),
        }
    }

    /// A list parameter: a JSON list, a JSON-encoded list in a string, repeated parameters, or
    /// comma-separated text.
    pub fn list(&self, key: &str) -> Vec<String> {
        let as_strings = |a: &Vec<Value>| {
            a.iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.clone()),
                    Value::Null => None,
                    other => Some(other.to_string()),
                })
                .collect::<Vec<_>>()
        };
        match self.0.get(key) {
            Some(Value::Array(a)) => {
                // Repeated URL parameters may each hold a JSON list.
                let mut out = vec![];
                for s in as_strings(a) {
                    match serde_json::from_str::<Value>(&s) {
                        Ok(Value::Array(inner)) => out.extend(as_strings(&inner)),
                        _ => out.push(s),
                    }
                }
                out
            }
            Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
                Ok(Value::Array(a)) => as_strings(&a),
                _ => s
                    .split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect(),
            },
            _ => vec![],
        }
    }
}

/// URL parameters; a key given more than once becomes a list.
pub fn from_query(query: &str) -> Params {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    from_pairs(pairs)
}

fn from_pairs(pairs: Vec<(String, String)>) -> Params {
    let mut m = Map::new();
    for (k, v) in pairs {
        match m.get_mut(&k) {
            Some(Value::Array(a)) => a.push(Value::String(v)),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, Value::String(v)]);
            }
            None => {
                m.insert(k, Value::String(v));
            }
        }
    }
    Params(m)
}

/// What a multipart file field the actions do not read becomes.
pub const FILE_MARK: &str = "<berkas>";

/// The body of a POST.
pub async fn from_body(headers: &HeaderMap, body: Body) -> Result<Params, String> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ct.starts_with("multipart/form-data") {
        let mut req = Request::new(body);
        *req.headers_mut() = headers.clone();
        let mut mp = axum::extract::Multipart::from_request(req, &())
            .await
            .map_err(|e| format!("multipart tidak dapat dibaca: {e}"))?;
        let mut pairs = vec![];
        while let Some(field) = mp
            .next_field()
            .await
            .map_err(|e| format!("multipart tidak dapat dibaca: {e}"))?
        {
            let name = field.name().unwrap_or("").to_string();
            if field.file_name().is_some() {
                // Only `upload` (a CSV of a table resource's rows) is read; other files are not
                // stored through this API, and the field says so to the action.
                if name == "upload" {
                    let bytes = field
                        .bytes()
                        .await
                        .map_err(|e| format!("multipart tidak dapat dibaca: {e}"))?;
                    let text =
                        String::from_utf8(bytes.to_vec()).unwrap_or_else(|_| FILE_MARK.to_string());
                    pairs.push((name, text));
                } else {
                    pairs.push((name, FILE_MARK.to_string()));
                }
                continue;
            }
            let text = field
                .text()
                .await
                .map_err(|e| format!("multipart tidak dapat dibaca: {e}"))?;
            pairs.push((name, text));
        }
        return Ok(from_pairs(pairs));
    }
    let bytes = axum::body::to_bytes(body, JSON_LIMIT)
        .await
        .map_err(|_| "isi permintaan terlalu besar atau terputus".to_string())?;
    if ct.starts_with("application/x-www-form-urlencoded") {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| format!("formulir tidak dapat dibaca: {e}"))?;
        if pairs.len() == 1 && (pairs[0].1.is_empty() || pairs[0].1 == "1") {
            if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(&pairs[0].0) {
                return Ok(Params(m));
            }
        }
        return Ok(from_pairs(pairs));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Params::default());
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(m)) => Ok(Params(m)),
        Ok(other) => Err(format!(
            "Request data JSON decoded to {other} but it needs to be a dictionary."
        )),
        Err(e) => Err(format!("Error decoding JSON data. Error: {e}")),
    }
}
