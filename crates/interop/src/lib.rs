//! satudata's open interfaces, as pure functions from the domain types of `satudata-core` to the
//! documents other systems read:
//!
//! - [`ckan`]: CKAN 2.9/2.10 package, resource, organisation, group, tag and licence dicts (with
//!   the national Satu Data Indonesia portal's fields as top-level keys, so that its harvester takes
//!   them unchanged), the `fq` filter syntax harvesters send and the `sort` parameter;
//! - [`dcat`]: DCAT-AP 3.0.1 for the catalogue and each dataset, serialised by [`rdf`] as Turtle,
//!   JSON-LD or RDF/XML;
//! - [`datajson`]: DCAT-US 1.1 `data.json` (Project Open Data, non-federal);
//! - [`datapackage`]: Frictionless Data Packages.
//!
//! Nothing here reads files, the network or a database: the HTTP layer loads the records, checks
//! permissions and hands them over as a [`Package`].

pub mod ckan;
pub mod datajson;
pub mod datapackage;
pub mod dcat;
pub mod license;
pub mod rdf;
mod site;

pub use site::{DownloadFormat, Package, ResourceEntry, Site};

/// A timestamp as CKAN writes it: `2024-01-31T08:00:00.000000` (UTC, microseconds, no zone).
pub fn ckan_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// A timestamp in ISO 8601 with the zone: `2024-01-31T08:00:00Z`.
pub fn iso_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A stable UUID derived from a name, for records that have no id of their own in satudata
/// (tags, and topics in their role as CKAN groups): the same name always gives the same id.
pub fn name_id(kind: &str, name: &str) -> uuid::Uuid {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("satudata:{kind}:{name}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

#[cfg(test)]
pub(crate) mod testdata;
