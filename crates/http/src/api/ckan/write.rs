//! The write actions with a token: `package_create`, `package_update`, `package_patch` and
//! `resource_create` (a table resource described by its Table Schema). Rows sent with a resource
//! (`records`, or an uploaded CSV) become a draft version that goes through pemeriksaan
//! ([`super::data`]); nothing is published by these actions.

use satudata_core::access::Action;
use satudata_core::dataset::{NewResource, ResourceKind};
use satudata_core::schema::TableSchema;
use satudata_interop::ckan::input::{read_package, Mode};
use serde_json::{Map, Value};

use super::read::{package_dicts, visible_dataset};
use super::{Caller, CkanError, CkanResult, Params};
use crate::state::AppState;

fn validation(errors: std::collections::BTreeMap<String, Vec<String>>) -> CkanError {
    CkanError::Validation(
        errors
            .into_iter()
            .map(|(k, v)| (k, Value::from(v)))
            .collect::<Map<_, _>>(),
    )
}

/// `package_create`, `package_update`, `package_patch`.
pub async fn package_write(
    state: &AppState,
    caller: &Caller,
    p: &Params,
    mode: Mode,
) -> CkanResult {
    if caller.user_id.is_none() {
        return Err(CkanError::Authorization(
            "perlu token API untuk mengubah data".into(),
        ));
    }
    let existing = match mode {
        Mode::Create => None,
        _ => {
            let id = p
                .str("id")
                .or_else(|| p.str("name"))
                .ok_or_else(|| CkanError::field("id", "Wajib diisi (Missing value)."))?;
            let d = visible_dataset(state, caller, &id).await?;
            CkanError::check(
                &caller.principal,
                Action::WriteDataset {
                    organization: d.meta.organization_id,
                },
            )?;
            Some(d)
        }
    };
    let mut input =
        read_package(&p.0, existing.as_ref().map(|d| &d.meta), mode).map_err(validation)?;
    if let Some(org) = &input.owner_org {
        let o = state.store.get_organization(org).await?.ok_or_else(|| {
            CkanError::field("owner_org", format!("Organisasi '{org}' tidak ditemukan."))
        })?;
        input.meta.organization_id = o.id;
    }
    CkanError::check(
        &caller.principal,
        Action::WriteDataset {
            organization: input.meta.organization_id,
        },
    )?;
    if let Some(groups) = input.groups {
        let topics = state.store.list_topics().await?;
        let mut slugs = vec![];
        for g in groups {
            match topics.iter().find(|t| {
                t.slug == g || satudata_interop::name_id("group", &t.slug).to_string() == g
            }) {
                Some(t) => slugs.push(t.slug.clone()),
                None => {
                    return Err(CkanError::field(
                        "groups",
                        format!("Grup '{g}' tidak ada (lihat group_list)."),
                    ))
                }
            }
        }
        input.meta.topics = slugs;
    }
    let resources = match p.0.get("resources") {
        Some(Value::Array(rs)) if mode != Mode::Patch || !rs.is_empty() => Some(rs.clone()),
        _ => None,
    };
    // Every resource and its rows are read and typed before anything is written.
    let new_resources = match &resources {
        Some(rs) => rs
            .iter()
            .map(|v| {
                let r = new_resource(v)?;
                let rows = match (&r.kind, v.as_object()) {
                    (ResourceKind::Table { schema }, Some(o)) => {
                        super::data::read_rows(&Params(o.clone()), schema)?
                    }
                    _ => None,
                };
                let submit = v
                    .as_object()
                    .map(|o| Params(o.clone()).bool("submit", false))
                    .unwrap_or(false);
                Ok((r, rows, submit || p.bool("submit", false)))
            })
            .collect::<Result<Vec<_>, CkanError>>()?,
        None => vec![],
    };
    let saved = match existing {
        None => {
            state
                .store
                .create_dataset(input.meta, caller.user_id)
                .await?
        }
        Some(d) => {
            state
                .store
                .update_dataset(d.id, input.meta, caller.user_id)
                .await?
        }
    };
    let mut versions = vec![];
    if resources.is_some() {
        let have = state.store.list_resources(saved.id).await?;
        for (r, rows, submit) in new_resources {
            let resource = match have.iter().find(|h| h.name == r.name) {
                // Rows for a resource that exists: its next version (a draft, like a new one).
                Some(h) => h.clone(),
                None => {
                    state
                        .store
                        .create_resource(saved.id, r, caller.user_id)
                        .await?
                }
            };
            if let Some(rows) = rows {
                let mut v = super::data::store_rows(state, caller, &resource, rows, submit).await?;
                v["resource_id"] = Value::String(resource.id.to_string());
                versions.push(v);
            }
        }
    }
    let mut dict = package_dicts(state, caller, vec![saved]).await?.remove(0);
    if !versions.is_empty() {
        if let Some(o) = dict.as_object_mut() {
            o.insert("satudata_versions".into(), Value::Array(versions));
        }
    }
    Ok(dict)
}

/// A resource dict as a new table resource: `name`, `description` and a Table Schema in `schema`.
fn new_resource(v: &Value) -> Result<NewResource, CkanError> {
    let o = v
        .as_object()
        .ok_or_else(|| CkanError::field("resources", "Setiap sumber data harus objek."))?;
    read_resource(&Params(o.clone()), "resources")
}

fn read_resource(p: &Params, field: &str) -> Result<NewResource, CkanError> {
    let schema = match p.0.get("schema") {
        Some(Value::Object(_)) => p.0.get("schema").cloned(),
        Some(Value::String(s)) => serde_json::from_str::<Value>(s).ok(),
        _ => None,
    }
    .ok_or_else(|| {
        CkanError::field(
            field,
            "Sumber data lewat API CKAN harus tabel dengan Table Schema di 'schema'; unggah berkas dan data lewat /api/v1.",
        )
    })?;
    let schema: TableSchema = serde_json::from_value(schema)
        .map_err(|e| CkanError::field("schema", format!("Table Schema tidak sah: {e}")))?;
    if let Err(problems) = schema.check() {
        return Err(CkanError::field("schema", problems.join(" ")));
    }
    let title = p.str("name").unwrap_or_else(|| "Tabel".into());
    let name = p
        .str("resource_name")
        .unwrap_or_else(|| satudata_core::ids::slugify(&title));
    Ok(NewResource {
        name,
        title,
        description: p.str("description").unwrap_or_default(),
        kind: ResourceKind::Table { schema },
    })
}

/// `resource_create`.
pub async fn resource_create(state: &AppState, caller: &Caller, p: &Params) -> CkanResult {
    if caller.user_id.is_none() {
        return Err(CkanError::Authorization(
            "perlu token API untuk mengubah data".into(),
        ));
    }
    let pid = p
        .str("package_id")
        .ok_or_else(|| CkanError::field("package_id", "Wajib diisi (Missing value)."))?;
    let d = visible_dataset(state, caller, &pid).await?;
    CkanError::check(
        &caller.principal,
        Action::WriteDataset {
            organization: d.meta.organization_id,
        },
    )?;
    let new = read_resource(p, "schema")?;
    let rows = match &new.kind {
        ResourceKind::Table { schema } => super::data::read_rows(p, schema)?,
        ResourceKind::File { .. } => None,
    };
    let r = state
        .store
        .create_resource(d.id, new, caller.user_id)
        .await?;
    let version = match rows {
        Some(rows) => {
            Some(super::data::store_rows(state, caller, &r, rows, p.bool("submit", false)).await?)
        }
        None => None,
    };
    let site = crate::publish::site(state);
    let data = crate::publish::load(
        state,
        &mut crate::publish::Cache::default(),
        &caller.principal,
        d,
    )
    .await?;
    let pkg = data.package();
    let (pos, entry) = data
        .resources
        .iter()
        .enumerate()
        .find(|(_, e)| e.resource.id == r.id)
        .ok_or(CkanError::Internal)?;
    let mut dict = satudata_interop::ckan::resource_dict(&site, &pkg, entry, pos);
    super::data::attach_version(&mut dict, version);
    Ok(dict)
}
