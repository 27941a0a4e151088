//! `package_search`: `q`, `fq`, `rows`, `start`, `sort`, `facet.field`, `include_private`.
//! The query is parsed by `satudata_interop::ckan::fq`, turned into a store
//! [`DatasetCondition`] (organisation slugs resolved here) and answered by the store's indexed
//! search and facet counts.

use std::collections::HashMap;

use satudata_core::dataset::Access;
use satudata_interop::ckan::fq::{self, Fq, FqField, MetaKey};
use satudata_interop::ckan::sort::{self, SortField};
use satudata_store::{
    DatasetCondition as C, DatasetFacet, DatasetSort, DatasetSortField, MetaField,
};
use serde_json::{json, Map, Value};

use super::read::package_dicts;
use super::{Caller, CkanError, CkanResult, Params};
use crate::publish;
use crate::state::AppState;

fn none() -> C {
    C::Or(vec![])
}

fn meta_field(k: MetaKey) -> MetaField {
    match k {
        MetaKey::Jenis => MetaField::Jenis,
        MetaKey::Satuan => MetaField::Satuan,
        MetaKey::Ukuran => MetaField::Ukuran,
        MetaKey::Periodicity => MetaField::Periodicity,
        MetaKey::PrioritasTahun => MetaField::PrioritasTahun,
        MetaKey::IdDds => MetaField::IdDds,
        MetaKey::IdSds => MetaField::IdSds,
        MetaKey::Author => MetaField::Author,
        MetaKey::Maintainer => MetaField::Maintainer,
    }
}

/// Media types of file formats a `res_format` may name.
fn file_media_types(format: &str) -> Vec<String> {
    let t = match format.to_ascii_lowercase().as_str() {
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "geojson" => "application/geo+json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        other => return vec![other.to_string()],
    };
    vec![t.to_string()]
}

/// Organisation slugs named in a query.
fn org_slugs(q: &Fq, out: &mut Vec<String>) {
    match q {
        Fq::Term {
            field: FqField::Organization,
            value,
        } => out.push(value.clone()),
        Fq::And(v) | Fq::Or(v) => v.iter().for_each(|x| org_slugs(x, out)),
        Fq::Not(x) => org_slugs(x, out),
        _ => {}
    }
}

fn convert(q: &Fq, orgs: &HashMap<String, satudata_core::Id>) -> C {
    match q {
        Fq::All => C::All,
        Fq::And(v) => C::And(v.iter().map(|x| convert(x, orgs)).collect()),
        Fq::Or(v) => C::Or(v.iter().map(|x| convert(x, orgs)).collect()),
        Fq::Not(x) => C::Not(Box::new(convert(x, orgs))),
        Fq::Range { field, from, to } => match field {
            FqField::MetadataCreated => C::Created(*from, *to),
            _ => C::Modified(*from, *to),
        },
        Fq::Term { value, .. } if value == "*" => C::All,
        Fq::Term { field, value } => {
            let v = value.as_str();
            match field {
                FqField::Organization => orgs
                    .get(v)
                    .map(|id| C::Organization(*id))
                    .unwrap_or_else(none),
                FqField::OwnerOrg => v.parse().map(C::Organization).unwrap_or_else(|_| none()),
                FqField::Groups => C::Topic(v.to_string()),
                FqField::Tags => C::Tag(v.to_string()),
                FqField::ResFormat => match v.to_ascii_uppercase().as_str() {
                    "CSV" | "XLSX" | "JSON" => C::HasTable,
                    _ => C::HasFile(file_media_types(v)),
                },
                FqField::LicenseId => {
                    let mut ids = vec![v.to_string()];
                    if let Some(l) = satudata_interop::license::find(v) {
                        ids.push(l.spdx.to_string());
                    }
                    C::License(ids)
                }
                FqField::Name => C::Slug(v.to_string()),
                FqField::Id => v
                    .parse()
                    .map(C::Id)
                    .unwrap_or_else(|_| C::Slug(v.to_string())),
                FqField::Type => {
                    if v == "dataset" || v == "package" {
                        C::All
                    } else {
                        none()
                    }
                }
                FqField::State => {
                    if v == "active" {
                        C::All
                    } else {
                        none()
                    }
                }
                FqField::Private | FqField::Capacity => {
                    let private = matches!(v, "true" | "True" | "private");
                    let closed = C::Access(Access::Tertutup);
                    if private {
                        closed
                    } else {
                        C::Not(Box::new(closed))
                    }
                }
                FqField::Text => C::Text(v.to_string()),
                FqField::AccessRights => v
                    .parse::<Access>()
                    .map(C::Access)
                    .unwrap_or_else(|_| none()),
                FqField::Meta(k) => C::Meta {
                    field: meta_field(*k),
                    value: v.to_string(),
                },
                FqField::MetadataModified | FqField::MetadataCreated => none(),
            }
        }
    }
}

/// The `facet.field` names satudata counts, and how.
enum Facet {
    Store(DatasetFacet),
    ResFormat,
}

fn facet_of(name: &str) -> Option<Facet> {
    Some(match name {
        "organization" | "owner_org" => Facet::Store(DatasetFacet::Organization),
        "groups" | "theme" => Facet::Store(DatasetFacet::Topic),
        "tags" => Facet::Store(DatasetFacet::Tag),
        "license_id" => Facet::Store(DatasetFacet::License),
        "accessRights" => Facet::Store(DatasetFacet::Access),
        "res_format" => Facet::ResFormat,
        _ => return None,
    })
}

/// `package_search`.
pub async fn package_search(state: &AppState, caller: &Caller, p: &Params) -> CkanResult {
    let now = chrono::Utc::now();
    let q = fq::parse_q(&p.str("q").unwrap_or_default(), now)
        .map_err(|e| CkanError::SearchQuery(e.message))?;
    let mut fqs = vec![q];
    for f in p.list("fq_list").into_iter().chain(p.str("fq")) {
        fqs.push(fq::parse(&f, now).map_err(|e| CkanError::SearchQuery(e.message))?);
    }
    let mut slugs = vec![];
    fqs.iter().for_each(|f| org_slugs(f, &mut slugs));
    let mut orgs = HashMap::new();
    for s in slugs {
        if let Some(o) = state.store.get_organization(&s).await? {
            orgs.insert(s, o.id);
        }
    }
    let condition = C::And(fqs.iter().map(|f| convert(f, &orgs)).collect());
    let include_private = p.bool("include_private", false);
    let mut query = publish::visible_query(&caller.principal, !include_private);
    query.condition = Some(match query.condition.take() {
        Some(c) => C::And(vec![c, condition]),
        None => condition,
    });
    let sort_text = p
        .str("sort")
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| sort::DEFAULT_SORT.to_string());
    let keys = sort::parse(&sort_text).map_err(|e| CkanError::SearchQuery(e.message))?;
    query.sort = keys
        .iter()
        .filter_map(|k| {
            let field = match k.field {
                SortField::Score => return None,
                SortField::MetadataModified => DatasetSortField::Modified,
                SortField::MetadataCreated => DatasetSortField::Created,
                SortField::Name => DatasetSortField::Slug,
                SortField::Title => DatasetSortField::Title,
                SortField::Id => DatasetSortField::Id,
            };
            Some(DatasetSort {
                field,
                descending: k.descending,
            })
        })
        .collect();
    if query.sort.is_empty() {
        query.sort = vec![DatasetSort {
            field: DatasetSortField::Modified,
            descending: true,
        }];
    }
    let rows = p.uint("rows")?.unwrap_or(10).min(1000);
    query.limit = rows.max(1) as u32;
    query.offset = p.uint("start")?.unwrap_or(0);

    let facet_names = p.list("facet.field");
    let facet_limit = match p
        .str("facet.limit")
        .and_then(|s| s.trim().parse::<i64>().ok())
    {
        Some(n) if n < 0 => 100_000,
        Some(n) => n as u32,
        None => 50,
    };
    let mincount = p
        .str("facet.mincount")
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(1);
    let wanted: Vec<(String, Facet)> = facet_names
        .into_iter()
        .filter_map(|n| facet_of(&n).map(|f| (n, f)))
        .collect();
    let store_facets: Vec<DatasetFacet> = wanted
        .iter()
        .filter_map(|(_, f)| match f {
            Facet::Store(s) => Some(*s),
            Facet::ResFormat => None,
        })
        .collect();
    // The in-memory index answers with the store's meaning (see crate::catalog_index).
    let snapshot = state.catalog.snapshot(state.store.as_ref()).await?;
    let found = snapshot.search(&query, &store_facets, facet_limit);
    let results = if rows == 0 {
        vec![]
    } else {
        package_dicts(state, caller, found.items).await?
    };

    let mut facets = Map::new();
    let mut search_facets = Map::new();
    let mut store_counts = found.facets.into_iter();
    let topics = if store_facets.contains(&DatasetFacet::Topic) {
        state.store.list_topics().await?
    } else {
        vec![]
    };
    for (name, f) in wanted {
        let items: Vec<(String, String, u64)> = match f {
            Facet::Store(kind) => {
                let counts = store_counts.next().unwrap_or_default();
                let mut items = vec![];
                for c in counts {
                    let (value, display) = match kind {
                        DatasetFacet::Organization => {
                            let Ok(id) = c.value.parse() else { continue };
                            match snapshot.organization(id) {
                                Some(o) => (o.meta.slug.clone(), o.meta.name.clone()),
                                None => continue,
                            }
                        }
                        DatasetFacet::Topic => {
                            let display = topics
                                .iter()
                                .find(|t| t.slug == c.value)
                                .map(|t| t.name.clone())
                                .unwrap_or_else(|| c.value.clone());
                            (c.value, display)
                        }
                        DatasetFacet::License => {
                            let l = satudata_interop::license::describe(&c.value);
                            (l.ckan.to_string(), l.title.to_string())
                        }
                        _ => (c.value.clone(), c.value),
                    };
                    items.push((value, display, c.count));
                }
                items
            }
            Facet::ResFormat => ["CSV", "XLSX", "JSON"]
                .iter()
                .map(|f| (f.to_string(), f.to_string(), found.with_table))
                .collect(),
        };
        let items: Vec<_> = items.into_iter().filter(|i| i.2 >= mincount).collect();
        facets.insert(
            name.clone(),
            Value::Object(
                items
                    .iter()
                    .map(|(v, _, n)| (v.clone(), json!(n)))
                    .collect(),
            ),
        );
        search_facets.insert(
            name.clone(),
            json!({
                "title": name,
                "items": items.iter().map(|(v, d, n)| json!({"name": v, "display_name": d, "count": n})).collect::<Vec<_>>(),
            }),
        );
    }
    let page_total = found.total;
    Ok(json!({
        "count": page_total,
        "facets": facets,
        "results": results,
        "sort": sort_text,
        "search_facets": search_facets,
    }))
}
