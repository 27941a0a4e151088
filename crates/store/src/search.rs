//! Catalogue search beyond [`crate::DatasetQuery`]'s simple filters: a boolean condition tree, sort
//! keys and facet counts, as CKAN's `package_search` (and the portal's search page) need them.
//! Both backends compile a [`DatasetCondition`] to SQL over indexed columns.

use std::ops::Bound;

use chrono::{DateTime, Utc};
use satudata_core::dataset::Access;
use satudata_core::Id;

/// A condition on datasets.
#[derive(Debug, Clone, PartialEq)]
pub enum DatasetCondition {
    /// Every dataset.
    All,
    /// Every condition holds.
    And(Vec<DatasetCondition>),
    /// At least one condition holds.
    Or(Vec<DatasetCondition>),
    /// The condition does not hold.
    Not(Box<DatasetCondition>),
    /// Produced by this organisation.
    Organization(Id),
    /// Has this topic (slug).
    Topic(String),
    /// Has this tag.
    Tag(String),
    /// Has this access level.
    Access(Access),
    /// Has this slug.
    Slug(String),
    /// Has this id.
    Id(Id),
    /// Has a licence among these stored ids (compared case-insensitively).
    License(Vec<String>),
    /// A metadata field equals a value (compared as text).
    Meta { field: MetaField, value: String },
    /// Last changed (metadata, resources or data) within the range.
    Modified(Bound<DateTime<Utc>>, Bound<DateTime<Utc>>),
    /// Created within the range.
    Created(Bound<DateTime<Utc>>, Bound<DateTime<Utc>>),
    /// Has a live table resource.
    HasTable,
    /// Has a live file resource with one of these media types (any file when empty).
    HasFile(Vec<String>),
    /// The text occurs in the title, the description or a tag (case-insensitive substring).
    Text(String),
}

/// Metadata fields a [`DatasetCondition::Meta`] can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetaField {
    Jenis,
    Satuan,
    Ukuran,
    Periodicity,
    PrioritasTahun,
    IdDds,
    IdSds,
    Author,
    Maintainer,
}

impl MetaField {
    /// The key in the stored [`satudata_core::dataset::DatasetMeta`] JSON (a fixed list, so the
    /// backends can put it into SQL).
    pub fn key(self) -> &'static str {
        match self {
            MetaField::Jenis => "jenis",
            MetaField::Satuan => "satuan",
            MetaField::Ukuran => "ukuran",
            MetaField::Periodicity => "periodicity",
            MetaField::PrioritasTahun => "prioritas_tahun",
            MetaField::IdDds => "id_dds",
            MetaField::IdSds => "id_sds",
            MetaField::Author => "author",
            MetaField::Maintainer => "maintainer",
        }
    }
}

/// What datasets can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DatasetSortField {
    Title,
    Slug,
    /// The last change of metadata, resources or data.
    Modified,
    Created,
    Id,
}

/// One sort key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DatasetSort {
    pub field: DatasetSortField,
    pub descending: bool,
}

/// What facet counts can be asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DatasetFacet {
    /// By organisation (values are organisation ids).
    Organization,
    Topic,
    Tag,
    /// By stored licence id.
    License,
    /// By access level.
    Access,
}

/// One value of a facet with the number of matching datasets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// The `limit` largest counts, largest first, ties by value.
pub fn top_counts(counts: std::collections::HashMap<String, u64>, limit: u32) -> Vec<FacetCount> {
    let mut v: Vec<FacetCount> = counts
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v.truncate(limit as usize);
    v
}

/// What the catalogue index of the HTTP layer keeps of one live dataset: the record with the time of
/// its last change of metadata, resources or data, and what resources it has.
#[derive(Debug, Clone)]
pub struct CatalogEntry {
    pub dataset: satudata_core::dataset::Dataset,
    /// The last change of metadata, resources or data (`metadata_modified`).
    pub modified: DateTime<Utc>,
    /// Whether it has a live table resource.
    pub has_table: bool,
    /// The media types of its live file resources (lower case).
    pub file_types: Vec<String>,
}
