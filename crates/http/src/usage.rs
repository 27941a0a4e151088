//! Usage counters: downloads and API calls per dataset per day (WIB), for the quality score's
//! "ketersediaan dan pemanfaatan" indicator, the dataset JSON's `usage` and the home page's most
//! used datasets.
//!
//! **What counts.** One *download* is one answered request of a download route: `/dataset/SLUG/FILE`
//! (CSV, JSON, XLSX), `datapackage.json`, `datapackage.zip`, an attachment
//! (`/api/v1/resources/{id}/file`) and the data API in a file format (`rows?format=csv|ndjson|xlsx`,
//! `aggregate?format=…`). One *API call* is one answered JSON request of the data API (`rows`,
//! `aggregate`) or CKAN `datastore_search`. Refused requests (401/403/404/422/429) and
//! `304 Not Modified` answers do not count; a download counts when its answer starts, also if the
//! client then stops reading.
//!
//! **How.** Counting is one short mutex-guarded map update per request (no database write). The
//! map is added to the store ([`satudata_store::GovernanceStore::add_usage`], one transaction) every
//! [`FLUSH_EVERY`] by [`spawn_flusher`], and once more when the server stops gracefully
//! ([`crate::serve`]). A flush that fails puts its counts back (and logs a warning), so they are
//! added at the next flush instead of being lost. What a process counted but had not flushed is
//! lost only if the process dies without a graceful stop (SIGKILL, power loss): at most
//! [`FLUSH_EVERY`] of counts. [`UsageCounter::pending`] shows the unflushed counts, so that the
//! dataset JSON answers with stored + pending counts and is exact on a single node.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::NaiveDate;
use satudata_core::Id;
use satudata_store::governance::{UsageDelta, UsageTotals};
use satudata_store::{Store, StoreResult};

/// How often counts are written to the store.
pub const FLUSH_EVERY: Duration = Duration::from_secs(10);

/// Counts not yet in the store, per dataset and day.
#[derive(Debug, Default)]
pub struct UsageCounter {
    pending: Mutex<HashMap<(Id, NaiveDate), UsageTotals>>,
}

impl UsageCounter {
    fn add(&self, dataset: Id, downloads: u64, api_calls: u64) {
        let day = crate::api::plan::today_wib();
        // A poisoned lock only means another request panicked mid-update; the map is still sound.
        let mut m = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let t = m.entry((dataset, day)).or_default();
        t.downloads += downloads;
        t.api_calls += api_calls;
    }

    /// Count one download of `dataset`.
    pub fn download(&self, dataset: Id) {
        self.add(dataset, 1, 0);
    }

    /// Count one API call on `dataset`.
    pub fn api_call(&self, dataset: Id) {
        self.add(dataset, 0, 1);
    }

    /// Counts of `dataset` not yet in the store (all days), and those since `since` (inclusive).
    pub fn pending(&self, dataset: Id, since: NaiveDate) -> (UsageTotals, UsageTotals) {
        let m = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let (mut all, mut recent) = (UsageTotals::default(), UsageTotals::default());
        for ((d, day), t) in m.iter() {
            if *d == dataset {
                all.downloads += t.downloads;
                all.api_calls += t.api_calls;
                if *day >= since {
                    recent.downloads += t.downloads;
                    recent.api_calls += t.api_calls;
                }
            }
        }
        (all, recent)
    }

    /// Write the counts to the store; on failure they are kept for the next flush. Returns how
    /// many (dataset, day) counters were written.
    pub async fn flush(&self, store: &dyn Store) -> StoreResult<usize> {
        let taken: Vec<UsageDelta> = {
            let mut m = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            m.drain()
                .map(|((dataset_id, day), t)| UsageDelta {
                    dataset_id,
                    day,
                    downloads: t.downloads,
                    api_calls: t.api_calls,
                })
                .collect()
        };
        let n = taken.len();
        if n == 0 {
            return Ok(0);
        }
        match store.add_usage(taken.clone()).await {
            Ok(()) => Ok(n),
            Err(e) => {
                let mut m = self.pending.lock().unwrap_or_else(|e| e.into_inner());
                for c in taken {
                    let t = m.entry((c.dataset_id, c.day)).or_default();
                    t.downloads += c.downloads;
                    t.api_calls += c.api_calls;
                }
                Err(e)
            }
        }
    }
}

/// Flush `state`'s usage counts every [`FLUSH_EVERY`] until the task is aborted.
pub fn spawn_flusher(state: crate::AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(FLUSH_EVERY);
        tick.tick().await;
        loop {
            tick.tick().await;
            flush_logged(&state).await;
        }
    })
}

/// Flush, logging a failure (the counts stay for the next attempt).
pub async fn flush_logged(state: &crate::AppState) {
    if let Err(e) = state.usage.flush(state.store.as_ref()).await {
        tracing::warn!(error = %e, "usage counts not written; kept for the next flush");
    }
}

/// The most used datasets of the last `days` days (today included) whose metadata the public may
/// see (access terbuka or terbatas), most uses first: for the home page's list. Counts not yet
/// flushed are not included.
pub async fn most_used(
    state: &crate::AppState,
    days: i64,
    limit: u32,
) -> StoreResult<Vec<satudata_store::governance::MostUsed>> {
    use satudata_core::dataset::Access;
    let since = crate::api::plan::today_wib() - chrono::Duration::days(days.max(1) - 1);
    state
        .store
        .most_used_datasets(since, &[Access::Terbuka, Access::Terbatas], limit)
        .await
}
