//! CKAN compatibility: the dicts CKAN 2.9/2.10 actions return, built from satudata's records, and
//! the query syntax (`fq`, `sort`) and input dicts (`package_create`) CKAN clients send.

mod dicts;
pub mod fq;
pub mod input;
pub mod sort;

pub use dicts::{
    datastore_fields, datastore_type, group_dict, organization_dict, package_dict, resource_dict,
    status_dict, tag_dict, OrgCounts, CKAN_VERSION,
};
