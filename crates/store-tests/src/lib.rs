//! The one conformance suite every [`Store`] backend must pass, so that SQLite and PostgreSQL
//! behave the same.
//!
//! Each case is a `pub async fn case(store: Arc<dyn Store>)` in [`cases`], run on a fresh, empty
//! store. A backend crate runs them all with one line in `tests/conformance.rs`:
//!
//! ```ignore
//! satudata_store_tests::store_suite!(async { fresh_store().await });
//! ```
//!
//! The expression is evaluated once per case and must give something that converts into a
//! [`Fixture`]: an `Arc<dyn Store>`, or a [`Fixture`] that also holds what must live as long as
//! the store (a temporary directory, a guard that drops a test database).

use std::any::Any;
use std::sync::Arc;

use satudata_store::Store;

pub mod bench;
pub mod boundaries;
pub mod cases;
pub mod codelists;
pub mod governance;
pub mod jobs;

/// A store under test and whatever must be kept alive until the case ends.
pub struct Fixture {
    /// The store.
    pub store: Arc<dyn Store>,
    // Declared after `store`, so dropped after it (fields drop in declaration order): the store
    // closes before its directory or database goes away.
    _guard: Option<Box<dyn Any + Send>>,
}

impl Fixture {
    /// A fixture holding `guard` (e.g. a `tempfile::TempDir`) until the case ends.
    pub fn with_guard(store: Arc<dyn Store>, guard: impl Any + Send) -> Fixture {
        Fixture {
            store,
            _guard: Some(Box::new(guard)),
        }
    }
}

impl From<Arc<dyn Store>> for Fixture {
    fn from(store: Arc<dyn Store>) -> Fixture {
        Fixture {
            store,
            _guard: None,
        }
    }
}

/// Expand to one `#[tokio::test]` per conformance case, each on a store made by `$factory`
/// (an expression of a future whose output converts into [`Fixture`]). The calling crate needs
/// `tokio` with the `macros` and `rt-multi-thread` features.
#[macro_export]
macro_rules! store_suite {
    ($factory:expr) => {
        $crate::store_suite!(@cases $factory;
            health_and_backend,
            orgs_crud,
            orgs_slug_conflict_and_validation,
            orgs_bulk_create_skips_existing,
            orgs_list_filters_and_paging,
            topics_upsert,
            users_create_and_conflict,
            users_login_hash_and_password,
            users_memberships,
            users_disable,
            users_list_paging,
            tokens_lifecycle,
            sessions_lifecycle,
            datasets_crud,
            datasets_delete_is_tombstone,
            datasets_list_filters,
            datasets_search_conditions_sort_facets,
            datasets_validation,
            resources_table_and_file,
            versions_counts,
            versions_are_immutable,
            versions_reorder_and_insert_between,
            versions_checksum,
            versions_failing_source_writes_nothing,
            versions_duplicate_rows,
            versions_type_mismatch_rejected,
            versions_errors,
            versions_concurrent_writers,
            versions_large_and_sparse_changes,
            query_filters_each_op,
            query_sort_paging_total,
            query_errors,
            stream_rows_in_order,
            query_within_region_and_ranges,
            query_select_and_keyset,
            aggregate_group_by_and_rollup,
            aggregate_refusals,
            stream_csv_matches_rows,
            seq_and_changes,
        );
        $crate::store_suite!(@governance $factory;
            gov_drafts_are_not_read_by_default,
            gov_transition_journey,
            gov_supersede_and_withdraw,
            gov_review_queue,
            gov_diff_versions,
            gov_plan_items,
            gov_plan_facts,
            gov_notifications,
            gov_usage_and_snapshots,
            gov_most_used,
            gov_metadata_reviews,
            gov_audit_chain,
        );
        $crate::store_suite!(@boundaries $factory;
            boundaries_put_get_list,
            boundaries_all_or_nothing,
        );
        $crate::store_suite!(@jobs $factory;
            jobs_queue_claim_and_complete,
            jobs_lease_expiry_and_requeue,
            jobs_cancel,
        );
        $crate::store_suite!(@codelists $factory;
            codelists_versions,
            codelists_validation,
            codelists_concurrent_versions,
        );
    };
    (@codelists $factory:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let fixture: $crate::Fixture = ($factory).await.into();
                $crate::codelists::$case(fixture.store.clone()).await;
                drop(fixture);
            }
        )*
    };
    (@boundaries $factory:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let fixture: $crate::Fixture = ($factory).await.into();
                $crate::boundaries::$case(fixture.store.clone()).await;
                drop(fixture);
            }
        )*
    };
    (@jobs $factory:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let fixture: $crate::Fixture = ($factory).await.into();
                $crate::jobs::$case(fixture.store.clone()).await;
                drop(fixture);
            }
        )*
    };
    (@governance $factory:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let fixture: $crate::Fixture = ($factory).await.into();
                $crate::governance::$case(fixture.store.clone()).await;
                drop(fixture);
            }
        )*
    };
    (@cases $factory:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let fixture: $crate::Fixture = ($factory).await.into();
                $crate::cases::$case(fixture.store.clone()).await;
                drop(fixture);
            }
        )*
    };
}
