//! The rows of a table version: filtered by field, sorted, paged.

use axum::extract::State;
use axum::Json as JsonResponse;
use satudata_core::access::Action;
use satudata_core::dataset::{Dataset, Resource, ResourceKind};
use satudata_core::row::{Filter, FilterOp, Row, RowQuery, SortKey};
use satudata_core::schema::{Field, TableSchema};
use satudata_core::value::{parse_canonical, Value};
use satudata_core::Id;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::{find_dataset, find_resource, MAX_LIMIT};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Path, Query};
use crate::state::AppState;

/// The default number of rows per page.
pub const DEFAULT_ROWS: u32 = 100;

/// A page of rows.
#[derive(Debug, Serialize, ToSchema)]
pub struct RowsPage {
    /// The table's fields (Frictionless Table Schema), in the order of the row cells.
    pub fields: Vec<Field>,
    /// Rows as arrays of cells, in the order of `fields`.
    #[schema(value_type = Vec<Vec<Object>>)]
    pub rows: Vec<Row>,
    /// All rows matching the filters.
    pub total: Option<u64>,
    pub limit: u32,
    pub offset: u64,
    /// The version the rows belong to.
    pub version: i32,
    pub links: Links,
}

/// Links to the neighbouring pages.
#[derive(Debug, Serialize, ToSchema)]
pub struct Links {
    pub next: Option<String>,
    pub prev: Option<String>,
}

/// Paging, version and sort. Every other parameter named like a field is an equality filter
/// typed to the field (`kecamatan=16.06.01&tahun=2024`); repeat it to match any of several values;
/// an empty value matches missing cells.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct RowsParams {
    /// Rows per page (default 100, at most 1000).
    limit: Option<u32>,
    /// Rows to skip.
    offset: Option<u64>,
    /// The version (default: the latest).
    version: Option<i32>,
    /// Sort keys, comma-separated; `-` in front sorts descending: `tahun,-jumlah`.
    sort: Option<String>,
}

/// Rows of a table resource.
#[utoipa::path(get, path = "/api/v1/resources/{id}/rows", tag = super::tags::DATA,
    params(("id" = String, Path, format = Uuid, description = "Resource id"), RowsParams),
    responses(
        (status = 200, body = RowsPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn resource_rows(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Id>,
    Query(params): Query<Vec<(String, String)>>,
) -> ApiResult<JsonResponse<RowsPage>> {
    let (resource, dataset) = find_resource(&state, id).await?;
    let path = format!("/api/v1/resources/{id}/rows");
    rows(&state, &auth, &resource, &dataset, params, &path).await
}

/// Rows of the dataset's first table resource.
#[utoipa::path(get, path = "/api/v1/datasets/{slug}/rows", tag = super::tags::DATA,
    params(("slug" = String, Path, description = "Dataset slug or id"), RowsParams),
    responses(
        (status = 200, body = RowsPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn dataset_rows(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> ApiResult<JsonResponse<RowsPage>> {
    let dataset = find_dataset(&state, &slug).await?;
    allow_data(&auth, &dataset)?;
    let resource = state
        .store
        .list_resources(dataset.id)
        .await?
        .into_iter()
        .find(|r| matches!(r.kind, ResourceKind::Table { .. }))
        .ok_or_else(|| ApiError::not_found(format!("Dataset '{slug}' belum punya tabel data.")))?;
    let path = format!("/api/v1/datasets/{slug}/rows");
    rows(&state, &auth, &resource, &dataset, params, &path).await
}

fn allow_data(auth: &Auth, dataset: &Dataset) -> ApiResult<()> {
    auth.allow(Action::ReadData {
        access: dataset.meta.access,
        organization: dataset.meta.organization_id,
    })
}

async fn rows(
    state: &AppState,
    auth: &Auth,
    resource: &Resource,
    dataset: &Dataset,
    params: Vec<(String, String)>,
    path: &str,
) -> ApiResult<JsonResponse<RowsPage>> {
    allow_data(auth, dataset)?;
    let ResourceKind::Table { schema } = &resource.kind else {
        return Err(ApiError::not_found(
            "Sumber data ini lampiran berkas, bukan tabel.",
        ));
    };
    let query = parse_query(schema, &params)?;
    let page = state.store.query_rows(resource.id, &query).await?;
    let more = match page.total {
        Some(total) => page.offset + (page.rows.len() as u64) < total,
        None => page.rows.len() as u64 == u64::from(page.limit),
    };
    let link = |offset: u64| {
        let mut pairs: Vec<(&str, String)> = params
            .iter()
            .filter(|(k, _)| k != "offset")
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        pairs.push(("offset", offset.to_string()));
        let qs = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        state.url(&format!("{path}?{qs}"))
    };
    let links = Links {
        next: more.then(|| link(page.offset + u64::from(page.limit))),
        prev: (page.offset > 0).then(|| link(page.offset.saturating_sub(u64::from(page.limit)))),
    };
    Ok(JsonResponse(RowsPage {
        fields: schema.fields.clone(),
        rows: page.rows,
        total: page.total,
        limit: page.limit,
        offset: page.offset,
        version: page.version,
        links,
    }))
}

/// Turn query parameters into a [`RowQuery`], typing filter values to their fields.
fn parse_query(schema: &TableSchema, params: &[(String, String)]) -> ApiResult<RowQuery> {
    let mut query = RowQuery {
        limit: DEFAULT_ROWS,
        ..RowQuery::default()
    };
    let mut filters: Vec<(&Field, Vec<&str>)> = vec![];
    for (key, value) in params {
        match key.as_str() {
            "limit" => {
                let n: u32 = value.parse().map_err(|_| {
                    ApiError::invalid_field("limit", "limit harus bilangan bulat positif.")
                })?;
                query.limit = n.clamp(1, MAX_LIMIT);
            }
            "offset" => {
                query.offset = value.parse().map_err(|_| {
                    ApiError::invalid_field("offset", "offset harus bilangan bulat 0 atau lebih.")
                })?;
            }
            "version" => {
                let n: i32 = value.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    ApiError::invalid_field("version", "version harus nomor versi (1, 2, …).")
                })?;
                query.version = Some(n);
            }
            "sort" => {
                for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    let (descending, name) = match part.strip_prefix('-') {
                        Some(rest) => (true, rest),
                        None => (false, part.strip_prefix('+').unwrap_or(part)),
                    };
                    if schema.field_index(name).is_none() {
                        return Err(ApiError::invalid_field(
                            "sort",
                            format!(
                                "Tidak bisa mengurutkan menurut '{name}': kolom itu tidak ada."
                            ),
                        ));
                    }
                    query.sort.push(SortKey {
                        field: name.to_string(),
                        descending,
                    });
                }
            }
            name => {
                let field = schema
                    .fields
                    .iter()
                    .find(|f| f.name == name)
                    .ok_or_else(|| {
                        ApiError::invalid_field(
                            name,
                            format!("Parameter '{name}' bukan kolom tabel ini dan bukan limit, offset, version atau sort."),
                        )
                    })?;
                match filters.iter_mut().find(|(f, _)| f.name == name) {
                    Some((_, values)) => values.push(value),
                    None => filters.push((field, vec![value])),
                }
            }
        }
    }
    for (field, raws) in filters {
        let mut values = Vec::with_capacity(raws.len());
        for raw in &raws {
            let v = parse_canonical(field, raw, &schema.missing_values).map_err(|e| {
                ApiError::invalid_field(
                    &field.name,
                    format!("Filter '{}': {}", field.name, e.message),
                )
            })?;
            values.push(v);
        }
        let filter = match values.as_slice() {
            [Value::Null] => Filter {
                field: field.name.clone(),
                op: FilterOp::IsMissing,
                values: vec![],
            },
            [_] => Filter {
                field: field.name.clone(),
                op: FilterOp::Eq,
                values,
            },
            _ if values.iter().any(Value::is_null) => {
                return Err(ApiError::invalid_field(
                    &field.name,
                    format!(
                        "Filter '{}': nilai kosong tidak bisa digabung dengan nilai lain.",
                        field.name
                    ),
                ))
            }
            _ => Filter {
                field: field.name.clone(),
                op: FilterOp::In,
                values,
            },
        };
        query.filters.push(filter);
    }
    Ok(query)
}

#[cfg(test)]
mod tests {
    use super::*;
    use satudata_core::schema::FieldType;

    fn schema() -> TableSchema {
        TableSchema::new(vec![
            Field::new("kecamatan", FieldType::String),
            Field::new("tahun", FieldType::Year),
            Field::new("jumlah", FieldType::Integer),
        ])
    }

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn filters_are_typed_to_their_fields() {
        let q = parse_query(
            &schema(),
            &p(&[
                ("tahun", "2024"),
                ("sort", "kecamatan,-jumlah"),
                ("limit", "5000"),
            ]),
        )
        .unwrap();
        assert_eq!(q.filters[0].values, vec![Value::Int(2024)]);
        assert_eq!(q.filters[0].op, FilterOp::Eq);
        assert_eq!(q.sort.len(), 2);
        assert!(q.sort[1].descending);
        assert_eq!(q.limit, MAX_LIMIT);
        let q = parse_query(
            &schema(),
            &p(&[("tahun", "2023"), ("tahun", "2024"), ("jumlah", "")]),
        )
        .unwrap();
        assert_eq!(q.filters[0].op, FilterOp::In);
        assert_eq!(q.filters[1].op, FilterOp::IsMissing);
    }

    #[test]
    fn bad_parameters_name_the_field() {
        for bad in [
            ("tahun", "dua ribu"),
            ("nama", "x"),
            ("sort", "-nama"),
            ("version", "0"),
        ] {
            let e = parse_query(&schema(), &p(&[bad])).unwrap_err();
            assert_eq!(e.status(), 422, "{bad:?}");
        }
    }
}
