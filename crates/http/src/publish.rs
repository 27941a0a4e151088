//! Loading what the open interfaces (CKAN API, DCAT, data.json, Data Packages, downloads) publish
//! about a dataset, and the [`Site`] of this instance. Permission checks use
//! [`satudata_core::access::decide`] like every other route.

use std::collections::HashMap;

use satudata_core::access::{decide, Action, Principal};
use satudata_core::dataset::{Access, Dataset, Topic};
use satudata_core::organization::Organization;
use satudata_core::Id;
use satudata_interop::{Package, ResourceEntry, Site};
use satudata_store::{DatasetCondition, DatasetQuery, StoreResult};

use crate::api::visible_datasets;
use crate::state::AppState;

/// The [`Site`] of this instance.
pub fn site(state: &AppState) -> Site {
    Site::new(
        &state.config.base_url,
        &state.config.instance_name,
        &state.config.home_region,
    )
}

/// Whether `who` may read the metadata of `dataset`.
pub fn can_see(who: &Principal, dataset: &Dataset) -> bool {
    decide(
        who,
        Action::ReadMetadata {
            access: dataset.meta.access,
            organization: dataset.meta.organization_id,
        },
    )
    .is_allowed()
}

/// Whether `who` may read the data of `dataset`.
pub fn can_read_data(who: &Principal, dataset: &Dataset) -> bool {
    decide(
        who,
        Action::ReadData {
            access: dataset.meta.access,
            organization: dataset.meta.organization_id,
        },
    )
    .is_allowed()
}

/// The catalogue query of the datasets `who` may see; with `public_only`, *tertutup* datasets
/// are left out even for those who may see them (CKAN's `include_private=false`, and every
/// published catalogue).
pub fn visible_query(who: &Principal, public_only: bool) -> DatasetQuery {
    let (access, also_organizations) = visible_datasets(who);
    DatasetQuery {
        access,
        also_organizations,
        condition: public_only
            .then(|| DatasetCondition::Not(Box::new(DatasetCondition::Access(Access::Tertutup)))),
        ..DatasetQuery::default()
    }
}

/// Records shared by the packages of one answer (topics and organisations are loaded once).
#[derive(Default)]
pub struct Cache {
    topics: Option<Vec<Topic>>,
    orgs: HashMap<Id, Organization>,
}

impl Cache {
    /// Every topic.
    pub async fn topics(&mut self, state: &AppState) -> StoreResult<&[Topic]> {
        if self.topics.is_none() {
            self.topics = Some(state.store.list_topics().await?);
        }
        Ok(self.topics.as_deref().unwrap_or(&[]))
    }

    /// An organisation by id (`None` if it is gone).
    pub async fn org(&mut self, state: &AppState, id: Id) -> StoreResult<Option<Organization>> {
        if let Some(o) = self.orgs.get(&id) {
            return Ok(Some(o.clone()));
        }
        let o = state.store.get_organization(&id.to_string()).await?;
        if let Some(o) = &o {
            self.orgs.insert(id, o.clone());
        }
        Ok(o)
    }
}

/// A dataset with everything the mappings need, owned.
pub struct PackageData {
    pub dataset: Dataset,
    pub organization: Organization,
    pub resources: Vec<ResourceEntry>,
    pub topics: Vec<Topic>,
    pub data_readable: bool,
}

impl PackageData {
    /// The borrowed view the mappings take.
    pub fn package(&self) -> Package<'_> {
        Package {
            dataset: &self.dataset,
            organization: &self.organization,
            resources: &self.resources,
            topics: &self.topics,
            data_readable: self.data_readable,
        }
    }
}

/// Load the organisation, resources (with their latest versions) and topics of a dataset.
pub async fn load(
    state: &AppState,
    cache: &mut Cache,
    who: &Principal,
    dataset: Dataset,
) -> StoreResult<PackageData> {
    let organization = match cache.org(state, dataset.meta.organization_id).await? {
        Some(o) => o,
        None => {
            return Err(satudata_store::StoreError::NotFound(format!(
                "organisation of dataset {}",
                dataset.meta.slug
            )))
        }
    };
    let mut resources = vec![];
    for r in state.store.list_resources(dataset.id).await? {
        let latest = match r.kind {
            satudata_core::dataset::ResourceKind::Table { .. } => {
                // What is published: drafts and submissions stay out of open catalogues.
                state.store.latest_version(r.id).await?
            }
            _ => None,
        };
        resources.push(ResourceEntry {
            resource: r,
            latest,
        });
    }
    let all = cache.topics(state).await?;
    let topics = dataset
        .meta
        .topics
        .iter()
        .filter_map(|slug| all.iter().find(|t| &t.slug == slug).cloned())
        .collect();
    let data_readable = can_read_data(who, &dataset);
    Ok(PackageData {
        dataset,
        organization,
        resources,
        topics,
        data_readable,
    })
}
