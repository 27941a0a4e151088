//! An in-memory index of the live catalogue, for `package_search`.
//!
//! Facet counts and substring search over tens of thousands of datasets are scans; SQLite does them
//! in hundreds of milliseconds on a small server (measured, docs/BENCHMARKS.md), a scan over compact
//! structs in memory in a few. The index is built from [`Store::catalog_entries`] (one query) and
//! rebuilt when the store's sequence number moves, which every change of a dataset, resource or
//! version does — so it is never stale, on one node or on several behind a load balancer. Its
//! answers are the store's: [`DatasetCondition`]s are evaluated with the same meaning as the SQL
//! of both backends (a test compares them).

use std::cmp::Ordering;
use std::collections::HashMap;
use std::ops::Bound;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use satudata_core::dataset::{DataKind, Dataset};
use satudata_core::organization::Organization;
use satudata_store::{
    CatalogEntry, DatasetCondition, DatasetFacet, DatasetQuery, DatasetSortField, FacetCount,
    MetaField, Store, StoreResult,
};

/// One dataset with the lower-cased texts search compares.
struct Entry {
    e: CatalogEntry,
    title: String,
    description: String,
    tags: Vec<String>,
    license: String,
    /// The values of each facet kind (in [`FACETS`] order) as numbers into [`Snapshot::values`],
    /// so that counting is array arithmetic.
    facet_ids: [Vec<u32>; 5],
}

/// The facet kinds, in the order of [`Entry::facet_ids`].
const FACETS: [DatasetFacet; 5] = [
    DatasetFacet::Organization,
    DatasetFacet::Topic,
    DatasetFacet::Tag,
    DatasetFacet::License,
    DatasetFacet::Access,
];

/// The catalogue as of one sequence number.
pub struct Snapshot {
    seq: i64,
    entries: Vec<Entry>,
    /// Every organisation by id (facets show their slugs and names).
    orgs: HashMap<satudata_core::Id, Organization>,
    /// The distinct values of each facet kind, numbered.
    values: [Vec<String>; 5],
}

/// What a search finds.
pub struct Found {
    /// All matching datasets.
    pub total: u64,
    /// The requested page, in order.
    pub items: Vec<Dataset>,
    /// Counts per requested facet.
    pub facets: Vec<Vec<FacetCount>>,
    /// How many matching datasets have a table (the `res_format` facet).
    pub with_table: u64,
}

/// The index, shared by every request of a node.
#[derive(Default)]
pub struct CatalogIndex {
    current: tokio::sync::RwLock<Option<Arc<Snapshot>>>,
    rebuilding: tokio::sync::Mutex<()>,
}

impl CatalogIndex {
    /// The snapshot of the store's current state, rebuilt first if the store changed.
    pub async fn snapshot(&self, store: &dyn Store) -> StoreResult<Arc<Snapshot>> {
        let seq = store.current_seq().await?;
        if let Some(s) = self.current.read().await.as_ref().filter(|s| s.seq == seq) {
            return Ok(s.clone());
        }
        // One rebuild at a time; requests that waited use its result.
        let _guard = self.rebuilding.lock().await;
        if let Some(s) = self.current.read().await.as_ref().filter(|s| s.seq == seq) {
            return Ok(s.clone());
        }
        let entries = store.catalog_entries().await?;
        let mut orgs = HashMap::new();
        let mut q = satudata_store::OrgQuery {
            limit: 1000,
            ..satudata_store::OrgQuery::default()
        };
        loop {
            let page = store.list_organizations(&q).await?;
            let n = page.items.len();
            orgs.extend(page.items.into_iter().map(|o| (o.id, o)));
            q.offset += n as u64;
            if n == 0 || q.offset >= page.total {
                break;
            }
        }
        let snap = Arc::new(Snapshot::new(seq, entries, orgs));
        *self.current.write().await = Some(snap.clone());
        Ok(snap)
    }
}

/// The `limit` largest counts, largest first, ties by value (as the store orders them).
fn top(values: &[String], counts: Vec<u64>, limit: u32) -> Vec<FacetCount> {
    let mut v: Vec<(&str, u64)> = counts
        .into_iter()
        .enumerate()
        .filter(|(_, n)| *n > 0)
        .map(|(i, n)| (values[i].as_str(), n))
        .collect();
    v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    v.truncate(limit as usize);
    v.into_iter()
        .map(|(value, count)| FacetCount {
            value: value.to_string(),
            count,
        })
        .collect()
}

fn in_range(t: DateTime<Utc>, from: &Bound<DateTime<Utc>>, to: &Bound<DateTime<Utc>>) -> bool {
    let lo = match from {
        Bound::Included(f) => t >= *f,
        Bound::Excluded(f) => t > *f,
        Bound::Unbounded => true,
    };
    let hi = match to {
        Bound::Included(x) => t <= *x,
        Bound::Excluded(x) => t < *x,
        Bound::Unbounded => true,
    };
    lo && hi
}

fn jenis(k: DataKind) -> &'static str {
    match k {
        DataKind::Statistik => "statistik",
        DataKind::Geospasial => "geospasial",
        DataKind::Keuangan => "keuangan",
        DataKind::Lainnya => "lainnya",
    }
}

impl Entry {
    fn meta(&self, f: MetaField) -> Option<String> {
        let m = &self.e.dataset.meta;
        match f {
            MetaField::Jenis => Some(jenis(m.jenis).to_string()),
            MetaField::Satuan => m.satuan.clone(),
            MetaField::Ukuran => m.ukuran.clone(),
            MetaField::Periodicity => Some(m.periodicity.as_str().to_string()),
            MetaField::PrioritasTahun => m.prioritas_tahun.map(|y| y.to_string()),
            MetaField::IdDds => m.id_dds.clone(),
            MetaField::IdSds => m.id_sds.clone(),
            MetaField::Author => m.author.clone(),
            MetaField::Maintainer => m.maintainer.clone(),
        }
    }

    fn text_contains(&self, needle: &str) -> bool {
        self.title.contains(needle)
            || self.description.contains(needle)
            || self.tags.iter().any(|t| t.contains(needle))
    }

    fn matches(&self, c: &DatasetCondition) -> bool {
        use DatasetCondition as C;
        let d = &self.e.dataset;
        match c {
            C::All => true,
            C::And(cs) => cs.iter().all(|c| self.matches(c)),
            C::Or(cs) => cs.iter().any(|c| self.matches(c)),
            C::Not(c) => !self.matches(c),
            C::Organization(id) => d.meta.organization_id == *id,
            C::Topic(t) => d.meta.topics.contains(t),
            C::Tag(t) => d.meta.tags.contains(t),
            C::Access(a) => d.meta.access == *a,
            C::Slug(s) => d.meta.slug == *s,
            C::Id(id) => d.id == *id,
            C::License(ids) => ids.iter().any(|i| i.to_lowercase() == self.license),
            C::Meta { field, value } => self.meta(*field).as_deref() == Some(value.as_str()),
            C::Modified(from, to) => in_range(self.e.modified, from, to),
            C::Created(from, to) => in_range(d.created_at, from, to),
            C::HasTable => self.e.has_table,
            C::HasFile(types) if types.is_empty() => !self.e.file_types.is_empty(),
            C::HasFile(types) => types
                .iter()
                .any(|t| self.e.file_types.contains(&t.to_lowercase())),
            C::Text(t) => self.text_contains(&t.trim().to_lowercase()),
        }
    }

    fn visible(&self, q: &DatasetQuery) -> bool {
        let d = &self.e.dataset;
        if let Some(o) = q.organization_id {
            if d.meta.organization_id != o {
                return false;
            }
        }
        if let Some(t) = &q.topic {
            if !d.meta.topics.contains(t) {
                return false;
            }
        }
        if let Some(t) = &q.tag {
            if !d.meta.tags.contains(t) {
                return false;
            }
        }
        if !q.access.is_empty()
            && !q.access.contains(&d.meta.access)
            && !q.also_organizations.contains(&d.meta.organization_id)
        {
            return false;
        }
        if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let t = text.to_lowercase();
            if !self.title.contains(&t) && !self.description.contains(&t) {
                return false;
            }
        }
        if let Some(s) = q.since_seq {
            if d.seq <= s {
                return false;
            }
        }
        q.condition.as_ref().is_none_or(|c| self.matches(c))
    }

    /// The values of one facet kind, as text.
    fn facet_strings(e: &CatalogEntry, f: DatasetFacet) -> Vec<String> {
        let m = &e.dataset.meta;
        match f {
            DatasetFacet::Organization => vec![m.organization_id.to_string()],
            DatasetFacet::Topic => m.topics.clone(),
            DatasetFacet::Tag => m.tags.clone(),
            DatasetFacet::License => vec![m.license.clone()],
            DatasetFacet::Access => vec![m.access.as_str().to_string()],
        }
    }
}

impl Snapshot {
    fn new(
        seq: i64,
        entries: Vec<CatalogEntry>,
        orgs: HashMap<satudata_core::Id, Organization>,
    ) -> Snapshot {
        let mut values: [Vec<String>; 5] = Default::default();
        let mut numbers: [HashMap<String, u32>; 5] = Default::default();
        let entries = entries
            .into_iter()
            .map(|e| {
                let facet_ids = std::array::from_fn(|k| {
                    Entry::facet_strings(&e, FACETS[k])
                        .into_iter()
                        .map(|v| {
                            *numbers[k].entry(v.clone()).or_insert_with(|| {
                                values[k].push(v);
                                (values[k].len() - 1) as u32
                            })
                        })
                        .collect()
                });
                Entry {
                    title: e.dataset.meta.title.to_lowercase(),
                    description: e.dataset.meta.description.to_lowercase(),
                    tags: e
                        .dataset
                        .meta
                        .tags
                        .iter()
                        .map(|t| t.to_lowercase())
                        .collect(),
                    license: e.dataset.meta.license.to_lowercase(),
                    facet_ids,
                    e,
                }
            })
            .collect();
        Snapshot {
            seq,
            entries,
            orgs,
            values,
        }
    }

    /// Every entry `q` lets through (its access rules and condition; limit, offset and sort are
    /// ignored), in no particular order: for pages that count their own facets.
    pub fn matching<'s, 'q>(
        &'s self,
        q: &'q DatasetQuery,
    ) -> impl Iterator<Item = &'s CatalogEntry> + use<'s, 'q> {
        self.entries
            .iter()
            .filter(move |e| e.visible(q))
            .map(|e| &e.e)
    }

    /// Every organisation of the catalogue.
    pub fn organizations(&self) -> impl Iterator<Item = &Organization> {
        self.orgs.values()
    }

    /// An organisation of the catalogue.
    pub fn organization(&self, id: satudata_core::Id) -> Option<&Organization> {
        self.orgs.get(&id)
    }

    /// The datasets `q` matches, one page of them in `q`'s order, and the facet counts over all.
    pub fn search(&self, q: &DatasetQuery, facets: &[DatasetFacet], facet_limit: u32) -> Found {
        let mut hits: Vec<&Entry> = self.entries.iter().filter(|e| e.visible(q)).collect();
        let kinds: Vec<usize> = facets
            .iter()
            .map(|f| FACETS.iter().position(|k| k == f).unwrap_or(0))
            .collect();
        let mut counts: Vec<Vec<u64>> = kinds
            .iter()
            .map(|&k| vec![0; self.values[k].len()])
            .collect();
        let mut with_table = 0;
        for e in &hits {
            with_table += u64::from(e.e.has_table);
            for (c, &k) in counts.iter_mut().zip(&kinds) {
                for &id in &e.facet_ids[k] {
                    c[id as usize] += 1;
                }
            }
        }
        let cmp = |a: &&Entry, b: &&Entry| -> Ordering {
            let (da, db) = (&a.e.dataset, &b.e.dataset);
            let keys: Vec<(DatasetSortField, bool)> = if q.sort.is_empty() {
                vec![(DatasetSortField::Title, false)]
            } else {
                q.sort.iter().map(|s| (s.field, s.descending)).collect()
            };
            for (field, desc) in keys {
                let o = match field {
                    DatasetSortField::Title => a.title.cmp(&b.title),
                    DatasetSortField::Slug => da.meta.slug.cmp(&db.meta.slug),
                    DatasetSortField::Modified => a.e.modified.cmp(&b.e.modified),
                    DatasetSortField::Created => da.created_at.cmp(&db.created_at),
                    DatasetSortField::Id => da.id.cmp(&db.id),
                };
                let o = if desc { o.reverse() } else { o };
                if o != Ordering::Equal {
                    return o;
                }
            }
            da.id.cmp(&db.id)
        };
        let total = hits.len() as u64;
        let limit = if q.limit == 0 { 100 } else { q.limit as usize };
        let offset = usize::try_from(q.offset).unwrap_or(usize::MAX);
        // Only the requested page needs ordering.
        let end = offset.saturating_add(limit).min(hits.len());
        if offset < hits.len() {
            if end < hits.len() {
                hits.select_nth_unstable_by(end, cmp);
                hits.truncate(end);
            }
            hits.sort_by(cmp);
        }
        let items = hits
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|e| e.e.dataset.clone())
            .collect();
        Found {
            total,
            items,
            facets: counts
                .into_iter()
                .zip(&kinds)
                .map(|(c, &k)| top(&self.values[k], c, facet_limit))
                .collect(),
            with_table,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use satudata_core::dataset::{Access, DatasetMeta, NewResource, ResourceKind};
    use satudata_core::organization::{OrgKind, OrganizationMeta};
    use satudata_core::schema::{Field, FieldType, TableSchema};
    use satudata_store::{DatasetCondition as C, DatasetSort};

    /// The index and the SQL of the store agree on every kind of query.
    #[tokio::test]
    async fn answers_exactly_as_the_store_does() {
        let dir = tempfile::tempdir().unwrap();
        let store = satudata_store_sqlite::SqliteStore::open(&dir.path().join("i.db"))
            .await
            .unwrap();
        let mut orgs = vec![];
        for i in 0..3 {
            let o = store
                .create_organization(
                    OrganizationMeta {
                        slug: format!("org-{i}"),
                        name: format!("Org {i}"),
                        acronym: None,
                        kind: OrgKind::Opd,
                        description: String::new(),
                        region_code: None,
                        parent_id: None,
                        email: None,
                        phone: None,
                        address: None,
                        website: None,
                    },
                    None,
                )
                .await
                .unwrap();
            orgs.push(o.id);
        }
        let words = ["Padi", "sawit", "Sekolah", "bidan", "jalan"];
        let mut ids = vec![];
        for i in 0..40usize {
            let mut m = DatasetMeta::new(
                format!("{} {} {i}", words[i % 5], words[(i / 5) % 5]),
                format!("ds-{i:02}"),
                orgs[i % 3],
            );
            m.description = format!("Uraian {}", words[(i * 7) % 5]);
            m.access = [Access::Terbuka, Access::Terbatas, Access::Tertutup][i % 3];
            m.topics = vec![format!("topik-{}", i % 4)];
            m.tags = vec![format!("tag-{}", i % 6), format!("tag-{}", (i * 5) % 7)];
            m.tags.dedup();
            m.satuan = (i % 2 == 0).then(|| "jiwa".to_string());
            m.prioritas_tahun = (i % 5 == 0).then_some(2024);
            if i % 4 == 0 {
                m.license = "CC0-1.0".into();
            }
            ids.push(store.create_dataset(m, None).await.unwrap());
        }
        let mid = Utc::now();
        for d in ids.iter().step_by(9) {
            store
                .create_resource(
                    d.id,
                    NewResource {
                        name: "tabel".into(),
                        title: "Tabel".into(),
                        description: String::new(),
                        kind: ResourceKind::Table {
                            schema: TableSchema::new(vec![Field::new("x", FieldType::Integer)]),
                        },
                    },
                    None,
                )
                .await
                .unwrap();
        }
        store.delete_dataset(ids[1].id, None).await.unwrap();
        let index = CatalogIndex::default();
        let snap = index.snapshot(&store).await.unwrap();
        let conditions = vec![
            C::All,
            C::Organization(orgs[1]),
            C::Topic("topik-2".into()),
            C::Tag("tag-3".into()),
            C::Not(Box::new(C::Access(Access::Tertutup))),
            C::Or(vec![C::Tag("tag-1".into()), C::Topic("topik-0".into())]),
            C::And(vec![
                C::Text("padi".into()),
                C::Not(Box::new(C::Organization(orgs[0]))),
            ]),
            C::Text("URAIAN SEK".into()),
            C::License(vec!["cc0-1.0".into()]),
            C::Meta {
                field: MetaField::Satuan,
                value: "jiwa".into(),
            },
            C::Meta {
                field: MetaField::PrioritasTahun,
                value: "2024".into(),
            },
            C::Modified(Bound::Excluded(mid), Bound::Unbounded),
            C::Created(Bound::Unbounded, Bound::Included(ids[10].created_at)),
            C::HasTable,
            C::Not(Box::new(C::HasFile(vec![]))),
            C::Slug("ds-07".into()),
            C::Or(vec![]),
        ];
        let sorts = [
            vec![],
            vec![DatasetSort {
                field: DatasetSortField::Modified,
                descending: true,
            }],
            vec![DatasetSort {
                field: DatasetSortField::Slug,
                descending: false,
            }],
            vec![DatasetSort {
                field: DatasetSortField::Title,
                descending: true,
            }],
        ];
        let facets = [
            DatasetFacet::Organization,
            DatasetFacet::Topic,
            DatasetFacet::Tag,
            DatasetFacet::License,
            DatasetFacet::Access,
        ];
        for c in &conditions {
            for sort in &sorts {
                for (access, also) in [
                    (vec![], vec![]),
                    (vec![Access::Terbuka, Access::Terbatas], vec![orgs[2]]),
                ] {
                    let q = DatasetQuery {
                        access,
                        also_organizations: also,
                        condition: Some(c.clone()),
                        sort: sort.clone(),
                        limit: 7,
                        offset: 3,
                        ..DatasetQuery::default()
                    };
                    let want = store.list_datasets(&q).await.unwrap();
                    let got = snap.search(&q, &facets, 4);
                    let slugs =
                        |v: &[Dataset]| v.iter().map(|d| d.meta.slug.clone()).collect::<Vec<_>>();
                    assert_eq!(got.total, want.total, "{c:?} {sort:?}");
                    assert_eq!(slugs(&got.items), slugs(&want.items), "{c:?} {sort:?}");
                    let want_f = store.dataset_facets(&q, &facets, 4).await.unwrap();
                    assert_eq!(got.facets, want_f, "{c:?}");
                }
            }
        }
        // A change moves the sequence and the next snapshot sees it.
        store.delete_dataset(ids[0].id, None).await.unwrap();
        let snap2 = index.snapshot(&store).await.unwrap();
        assert_eq!(snap2.entries.len() + 1, snap.entries.len());
    }
}
