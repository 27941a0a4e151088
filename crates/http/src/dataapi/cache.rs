//! An in-process cache of aggregate answers. A published version never changes, so the groups of
//! (resource, version, query) are the same for ever: no invalidation is needed, only eviction of
//! the least recently used entries. Concurrent requests for the same key wait for one computation
//! instead of each running the GROUP BY (the first request after a release would otherwise be
//! repeated by every client that arrives while it runs).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use satudata_core::aggregate::AggregatePage;
use tokio::sync::OnceCell;

/// Answers with more groups than this are not kept (they are rare and large).
pub const MAX_CACHED_GROUPS: usize = 20_000;

type Cell = Arc<OnceCell<Arc<AggregatePage>>>;

/// The cache: at most `capacity` answers.
#[derive(Debug)]
pub struct AggregateCache {
    capacity: usize,
    entries: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<String, (Cell, u64)>,
    tick: u64,
}

impl AggregateCache {
    /// A cache of at most `capacity` answers (0 disables it).
    pub fn new(capacity: usize) -> Self {
        AggregateCache {
            capacity,
            entries: Mutex::new(Entries::default()),
        }
    }

    fn cell(&self, key: &str) -> Cell {
        let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        e.tick += 1;
        let tick = e.tick;
        if let Some((cell, used)) = e.map.get_mut(key) {
            *used = tick;
            return cell.clone();
        }
        if e.map.len() >= self.capacity {
            // Evict the least recently used; the map is small, a scan is cheap.
            if let Some(oldest) = e
                .map
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            {
                e.map.remove(&oldest);
            }
        }
        let cell: Cell = Arc::new(OnceCell::new());
        e.map.insert(key.to_string(), (cell.clone(), tick));
        cell
    }

    fn forget(&self, key: &str) {
        let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        e.map.remove(key);
    }

    /// The answer for `key`, computing it with `compute` when it is not cached (once, however many
    /// requests ask at the same time). Errors are not cached.
    pub async fn get_or_compute<E, F>(&self, key: &str, compute: F) -> Result<Arc<AggregatePage>, E>
    where
        F: Future<Output = Result<AggregatePage, E>>,
    {
        if self.capacity == 0 {
            return compute.await.map(Arc::new);
        }
        let cell = self.cell(key);
        let page = match cell
            .get_or_try_init(|| async { compute.await.map(Arc::new) })
            .await
        {
            Ok(p) => p.clone(),
            Err(e) => {
                self.forget(key);
                return Err(e);
            }
        };
        if page.rows.len() > MAX_CACHED_GROUPS {
            self.forget(key);
        }
        Ok(page)
    }

    /// How many answers are kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .map
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn page(n: usize) -> AggregatePage {
        AggregatePage {
            version: 1,
            columns: vec![],
            rows: vec![vec![]; n],
            notes: vec![],
            limit: 10,
            offset: 0,
        }
    }

    #[tokio::test]
    async fn computes_once_and_evicts_the_oldest() {
        let cache = AggregateCache::new(2);
        let runs = AtomicUsize::new(0);
        let compute = |n| {
            runs.fetch_add(1, Ordering::SeqCst);
            async move { Ok::<_, ()>(page(n)) }
        };
        let (a, b) = tokio::join!(
            cache.get_or_compute("a", compute(1)),
            cache.get_or_compute("a", compute(1))
        );
        assert_eq!(a.unwrap().rows.len(), b.unwrap().rows.len());
        cache.get_or_compute("b", compute(2)).await.unwrap();
        cache.get_or_compute("a", compute(1)).await.unwrap();
        cache.get_or_compute("c", compute(3)).await.unwrap();
        assert_eq!(cache.len(), 2, "b was the least recently used");
        assert!(cache
            .get_or_compute::<(), _>("x", async { Err(()) })
            .await
            .is_err());
        assert_eq!(cache.len(), 1, "errors are not kept");
    }
}
