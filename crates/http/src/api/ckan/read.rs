//! The read actions: packages, organisations, groups (topics), tags and resources.

use std::collections::HashMap;

use satudata_core::dataset::Dataset;
use satudata_interop::ckan::{
    group_dict, organization_dict, package_dict, resource_dict, tag_dict, OrgCounts,
};
use satudata_store::{DatasetFacet, DatasetQuery, DatasetSort, DatasetSortField, OrgQuery};
use serde_json::{json, Value};

use super::{Caller, CkanError, CkanResult, Params};
use crate::publish::{self, can_see, Cache};
use crate::state::AppState;

/// The dataset `id` (id or name) if the caller may see it; else Not Found (the public never
/// learns that a closed dataset exists).
pub(super) async fn visible_dataset(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Dataset, CkanError> {
    match state.store.get_dataset(id).await? {
        Some(d) if can_see(&caller.principal, &d) => Ok(d),
        _ => Err(CkanError::NotFound(format!("dataset '{id}'"))),
    }
}

/// Package dicts of datasets, loading what each needs once.
pub(super) async fn package_dicts(
    state: &AppState,
    caller: &Caller,
    datasets: Vec<Dataset>,
) -> Result<Vec<Value>, CkanError> {
    let site = publish::site(state);
    let mut cache = Cache::default();
    let mut out = Vec::with_capacity(datasets.len());
    for d in datasets {
        let data = publish::load(state, &mut cache, &caller.principal, d).await?;
        out.push(package_dict(&site, &data.package()));
    }
    Ok(out)
}

fn required(p: &Params, key: &str) -> Result<String, CkanError> {
    p.str(key)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| CkanError::field(key, "Wajib diisi (Missing value)."))
}

fn page(p: &Params, default_limit: u64, max: u64) -> Result<(u32, u64), CkanError> {
    let limit = p.uint("limit")?.unwrap_or(default_limit).min(max) as u32;
    let offset = p.uint("offset")?.unwrap_or(0);
    Ok((limit, offset))
}

/// Every dataset of a query, page by page (for lists CKAN gives whole).
async fn all(
    state: &AppState,
    mut q: DatasetQuery,
    limit: u32,
    offset: u64,
) -> Result<Vec<Dataset>, CkanError> {
    let mut out = vec![];
    q.offset = offset;
    loop {
        q.limit = (limit as usize - out.len()).min(1000) as u32;
        if q.limit == 0 {
            break;
        }
        let page = state.store.list_datasets(&q).await?;
        let n = page.items.len();
        out.extend(page.items);
        q.offset += n as u64;
        if n == 0 || q.offset >= page.total {
            break;
        }
    }
    Ok(out)
}

/// `package_list`: the names of the public datasets, by name.
pub async fn package_list(state: &AppState, caller: &Caller, p: &Params) -> CkanResult {
    let (limit, offset) = page(p, u32::MAX as u64, u32::MAX as u64)?;
    let mut q = publish::visible_query(&caller.principal, true);
    q.sort = vec![DatasetSort {
        field: DatasetSortField::Slug,
        descending: false,
    }];
    let ds = all(state, q, limit, offset).await?;
    Ok(ds.into_iter().map(|d| Value::String(d.meta.slug)).collect())
}

/// `package_show`.
pub async fn package_show(state: &AppState, caller: &Caller, p: &Params) -> CkanResult {
    let id = p
        .str("id")
        .or_else(|| p.str("name"))
        .ok_or_else(|| CkanError::field("id", "Wajib diisi (Missing value)."))?;
    let d = visible_dataset(state, caller, &id).await?;
    Ok(package_dicts(state, caller, vec![d]).await?.remove(0))
}

/// `current_package_list_with_resources`: public packages, newest change first.
pub async fn current_packages(state: &AppState, caller: &Caller, p: &Params) -> CkanResult {
    let (limit, mut offset) = page(p, 10, 1000)?;
    if let Some(pg) = p.uint("page")? {
        offset = pg.saturating_sub(1) * u64::from(limit);
    }
    let mut q = publish::visible_query(&caller.principal, true);
    q.sort = vec![DatasetSort {
        field: DatasetSortField::Modified,
        descending: true,
    }];
    let ds = all(state, q, limit, offset).await?;
    Ok(Value::Array(package_dicts(state, caller, ds).await?))
}

async fn counts(
    state: &AppState,
    caller: &Caller,
    facet: DatasetFacet,
) -> Result<HashMap<String, u64>, CkanError> {
    let q = publish::visible_query(&caller.principal, true);
    let f = state.store.dataset_facets(&q, &[facet], 100_000).await?;
    Ok(f.into_iter()
        .next()
        .unwrap_or_default()
        .into_iter()
        .map(|c| (c.value, c.count))
        .collect())
}

/// `organization_list`: names, or dicts with `all_fields`.
pub async fn organization_list(state: &AppState, caller: &Caller, p: &Params) -> CkanResult {
    let all_fields = p.bool("all_fields", false);
    let (limit, offset) = page(p, if all_fields { 25 } else { 1000 }, 1000)?;
    let wanted = p.list("organizations");
    let mut orgs = vec![];
    let mut q = OrgQuery {
        limit: 1000,
        offset: 0,
        ..OrgQuery::default()
    };
    loop {
        let page = state.store.list_organizations(&q).await?;
        let n = page.items.len();
        orgs.extend(page.items);
        q.offset += n as u64;
        if n == 0 || q.offset >= page.total {
            break;
        }
    }
    if !wanted.is_empty() {
        orgs.retain(|o| wanted.contains(&o.meta.slug));
    }
    let sort = p.str("sort").unwrap_or_else(|| "name asc".into());
    let desc = sort.to_ascii_lowercase().ends_with("desc");
    let counts = if all_fields || sort.starts_with("package_count") {
        counts(state, caller, DatasetFacet::Organization).await?
    } else {
        HashMap::new()
    };
    let count = |o: &satudata_core::organization::Organization| {
        counts.get(&o.id.to_string()).copied().unwrap_or(0)
    };
    match sort.split_whitespace().next().unwrap_or("name") {
        "title" | "display_name" => orgs.sort_by_key(|o| o.meta.name.to_lowercase()),
        "package_count" => orgs.sort_by_key(|o| std::cmp::Reverse(count(o))),
        _ => orgs.sort_by(|a, b| a.meta.slug.cmp(&b.meta.slug)),
    }
    if desc && !sort.starts_with("package_count") {
        orgs.reverse();
    }
    let orgs = orgs.into_iter().skip(offset as usize).take(limit as usize);
    Ok(if all_fields {
        orgs.map(|o| {
            organization_dict(
                &o,
                Some(OrgCounts {
                    package_count: count(&o),
                }),
            )
        })
        .collect()
    } else {
        orgs.map(|o| Value::String(o.meta.slug)).collect()
    })
}

/// `organization_show`, with `include_datasets`.
pub async fn organization_show(state: &AppState, caller: &Caller, p: &Params) -> CkanResult {
    let id = required(p, "id")?;
    let org = state
        .store
        .get_organization(&id)
        .await?
        .ok_or_else(|| CkanError::NotFound(format!("organisasi '{id}'")))?;
    let mut q = publish::visible_query(&caller.principal, true);
    q.organization_id = Some(org.id);
    q.limit = 10;
    q.sort = vec![DatasetSort {
        field: DatasetSortField::Modified,
        descending: true,
    }];
    let page = state.store.list_datasets(&q).await?;
    let mut d = organization_dict(
        &org,
        Some(OrgCounts {
            package_count: page.total,
        }),
    );
    d["users"] = json!([]);
    d["tags"] = json!([]);
    d["groups"] = json!([]);
    if p.bool("include_datasets", false) {
        d["packages"] = Value::Array(package_dicts(state, caller, page.items).await?);
    }
    Ok(d)
}

/// `group_list`: topics.
pub async fn group_list(state: &AppState, caller: &Caller, p: &Params) -> CkanResult {
    let site = publish::site(state);
    let all_fields = p.bool("all_fields", false);
    let mut topics = state.store.list_topics().await?;
    topics.sort_by(|a, b| a.slug.cmp(&b.slug));
    let counts = counts(state, caller, DatasetFacet::Topic).await?;
    let (limit, offset) = page(p, 1000, 1000)?;
    let topics = topics
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize);
    Ok(if all_fields {
        topics
            .map(|t| group_dict(&site, &t, Some(counts.get(&t.slug).copied().unwrap_or(0))))
            .collect()
    } else {
        topics.map(|t| Value::String(t.slug)).collect()
    })
}

/// `group_show`, by name or the id `group_list` gives.
pub async fn group_show(state: &AppState, caller: &Caller, p: &Params) -> CkanResult {
    let id = required(p, "id")?;
    let site = publish::site(state);
    let topic = state
        .store
        .list_topics()
        .await?
        .into_iter()
        .find(|t| t.slug == id || satudata_interop::name_id("group", &t.slug).to_string() == id)
        .ok_or_else(|| CkanError::NotFound(format!("grup '{id}'")))?;
    let mut q = publish::visible_query(&caller.principal, true);
    q.topic = Some(topic.slug.clone());
    q.limit = 10;
    q.sort = vec![DatasetSort {
        field: DatasetSortField::Modified,
        descending: true,
    }];
    let page = state.store.list_datasets(&q).await?;
    let mut d = group_dict(&site, &topic, Some(page.total));
    d["users"] = json!([]);
    d["extras"] = json!([]);
    if p.bool("include_datasets", false) {
        d["packages"] = Value::Array(package_dicts(state, caller, page.items).await?);
    }
    Ok(d)
}

/// `tag_list`: the tags of public datasets, with an optional `query` substring.
pub async fn tag_list(state: &AppState, caller: &Caller, p: &Params) -> CkanResult {
    let mut tags: Vec<String> = counts(state, caller, DatasetFacet::Tag)
        .await?
        .into_keys()
        .collect();
    if let Some(q) = p
        .str("query")
        .map(|q| q.to_lowercase())
        .filter(|q| !q.is_empty())
    {
        tags.retain(|t| t.to_lowercase().contains(&q));
    }
    tags.sort();
    Ok(if p.bool("all_fields", false) {
        tags.iter().map(|t| tag_dict(t)).collect()
    } else {
        tags.into_iter().map(Value::String).collect()
    })
}

/// `tag_show`.
pub async fn tag_show(state: &AppState, caller: &Caller, p: &Params) -> CkanResult {
    let id = required(p, "id")?;
    let counts = counts(state, caller, DatasetFacet::Tag).await?;
    let name = counts
        .keys()
        .find(|t| **t == id || satudata_interop::name_id("tag", t).to_string() == id)
        .cloned()
        .ok_or_else(|| CkanError::NotFound(format!("tag '{id}'")))?;
    let mut d = tag_dict(&name);
    if p.bool("include_datasets", false) {
        let mut q = publish::visible_query(&caller.principal, true);
        q.tag = Some(name);
        q.limit = 1000;
        let page = state.store.list_datasets(&q).await?;
        d["packages"] = Value::Array(package_dicts(state, caller, page.items).await?);
    }
    Ok(d)
}

/// `resource_show`.
pub async fn resource_show(state: &AppState, caller: &Caller, p: &Params) -> CkanResult {
    let id = required(p, "id")?;
    let rid: satudata_core::Id = id
        .parse()
        .map_err(|_| CkanError::NotFound(format!("sumber data '{id}'")))?;
    let r = state
        .store
        .get_resource(rid)
        .await?
        .ok_or_else(|| CkanError::NotFound(format!("sumber data '{id}'")))?;
    let d = visible_dataset(state, caller, &r.dataset_id.to_string()).await?;
    let site = publish::site(state);
    let data = publish::load(state, &mut Cache::default(), &caller.principal, d).await?;
    let pkg = data.package();
    let (pos, entry) = data
        .resources
        .iter()
        .enumerate()
        .find(|(_, e)| e.resource.id == rid)
        .ok_or_else(|| CkanError::NotFound(format!("sumber data '{id}'")))?;
    Ok(resource_dict(&site, &pkg, entry, pos))
}
