//! Code lists (kode referensi) in the catalogue, with versions (see [`satudata_core::codelist`]).
//!
//! Contract every backend keeps:
//! - A version is never changed: [`CodeListStore::create_codelist`] adds version N + 1 of the slug
//!   (1 for a new slug), in one transaction; two writers racing for the same number get one
//!   [`crate::StoreError::Conflict`].
//! - Saving a list identical (title, description, source, codes) to the newest version adds nothing
//!   and returns that version, so seeding twice is harmless.

use async_trait::async_trait;
use satudata_core::codelist::{CodeList, CodeListMeta};
use satudata_core::Id;

use crate::StoreResult;

/// Code lists; see the module docs for the contract.
#[async_trait]
pub trait CodeListStore: Send + Sync {
    /// Add the next version of `meta.slug` (checked with [`CodeListMeta::check`]; problems are
    /// [`crate::StoreError::Invalid`]), or return the newest one if it is identical.
    async fn create_codelist(&self, meta: CodeListMeta, actor: Option<Id>)
        -> StoreResult<CodeList>;

    /// One version of a code list; the newest when `version` is `None`.
    async fn get_codelist(&self, slug: &str, version: Option<i32>)
        -> StoreResult<Option<CodeList>>;

    /// The newest version of every code list, by slug.
    async fn list_codelists(&self) -> StoreResult<Vec<CodeList>>;

    /// The version numbers of a code list, newest first (empty when there is no such list).
    async fn codelist_versions(&self, slug: &str) -> StoreResult<Vec<i32>>;
}

/// Check `meta` for [`CodeListStore::create_codelist`]: the problems joined into one
/// [`crate::StoreError::Invalid`].
pub fn check(meta: &CodeListMeta) -> StoreResult<()> {
    meta.check().map_err(|p| {
        crate::StoreError::Invalid(p.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" "))
    })
}

/// Whether `meta` says the same as the stored `list` (then no new version is needed).
pub fn same_content(list: &CodeList, meta: &CodeListMeta) -> bool {
    list.meta == *meta
}
