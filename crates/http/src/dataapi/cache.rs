//! In-process caches of data API answers. A published version never changes, so the answer to
//! (resource, version, query) is the same for ever: no invalidation is needed, only eviction of the
//! least recently used entries. Concurrent requests for the same key wait for one computation
//! instead of each running it (the first requests after a release would otherwise all run the same
//! GROUP BY at once).
//!
//! Two caches use this: aggregate answers, and JSON pages of rows (small pages only, so memory stays
//! bounded: entries × largest entry).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use satudata_core::aggregate::AggregatePage;
use tokio::sync::OnceCell;

/// Aggregate answers with more groups than this are not kept (they are rare and large).
pub const MAX_CACHED_GROUPS: usize = 20_000;
/// JSON pages of rows larger than this are not kept.
pub const MAX_CACHED_PAGE: usize = 128 * 1024;

/// What a cache keeps, and whether one answer is small enough to keep.
pub trait Cacheable: Clone + Send + Sync + 'static {
    /// Whether to keep this answer.
    fn keep(&self) -> bool;
}

impl Cacheable for Arc<AggregatePage> {
    fn keep(&self) -> bool {
        self.rows.len() <= MAX_CACHED_GROUPS
    }
}

impl Cacheable for Bytes {
    fn keep(&self) -> bool {
        self.len() <= MAX_CACHED_PAGE
    }
}

/// A cache of at most `capacity` answers.
#[derive(Debug)]
pub struct AnswerCache<T> {
    capacity: usize,
    entries: Mutex<Entries<T>>,
}

#[derive(Debug)]
struct Entries<T> {
    map: HashMap<String, (Arc<OnceCell<T>>, u64)>,
    tick: u64,
}

/// The cache of aggregate answers.
pub type AggregateCache = AnswerCache<Arc<AggregatePage>>;
/// The cache of JSON pages of rows.
pub type PageCache = AnswerCache<Bytes>;

impl<T: Cacheable> AnswerCache<T> {
    /// A cache of at most `capacity` answers (0 disables it).
    pub fn new(capacity: usize) -> Self {
        AnswerCache {
            capacity,
            entries: Mutex::new(Entries {
                map: HashMap::new(),
                tick: 0,
            }),
        }
    }

    fn cell(&self, key: &str) -> Arc<OnceCell<T>> {
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
        let cell = Arc::new(OnceCell::new());
        e.map.insert(key.to_string(), (cell.clone(), tick));
        cell
    }

    fn forget(&self, key: &str) {
        let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        e.map.remove(key);
    }

    /// The answer for `key`, computing it with `compute` when it is not cached (once, however many
    /// requests ask at the same time). Errors are not cached, nor answers too large to keep.
    pub async fn get_or_compute<E, F>(&self, key: &str, compute: F) -> Result<T, E>
    where
        F: Future<Output = Result<T, E>>,
    {
        if self.capacity == 0 {
            return compute.await;
        }
        let cell = self.cell(key);
        let answer = match cell.get_or_try_init(|| compute).await {
            Ok(a) => a.clone(),
            Err(e) => {
                self.forget(key);
                return Err(e);
            }
        };
        if !answer.keep() {
            self.forget(key);
        }
        Ok(answer)
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

    fn page(n: usize) -> Arc<AggregatePage> {
        Arc::new(AggregatePage {
            version: 1,
            columns: vec![],
            rows: vec![vec![]; n],
            notes: vec![],
            limit: 10,
            offset: 0,
        })
    }

    #[tokio::test]
    async fn computes_once_and_evicts_the_oldest() {
        let cache = AggregateCache::new(2);
        let (a, b) = tokio::join!(
            cache.get_or_compute("a", async { Ok::<_, ()>(page(1)) }),
            cache.get_or_compute::<(), _>("a", async { panic!("computed twice") })
        );
        assert_eq!(a.unwrap().rows.len(), b.unwrap().rows.len());
        cache
            .get_or_compute("b", async { Ok::<_, ()>(page(2)) })
            .await
            .unwrap();
        cache
            .get_or_compute("a", async { Ok::<_, ()>(page(1)) })
            .await
            .unwrap();
        cache
            .get_or_compute("c", async { Ok::<_, ()>(page(3)) })
            .await
            .unwrap();
        assert_eq!(cache.len(), 2, "b was the least recently used");
        assert!(cache
            .get_or_compute("x", async { Err::<Arc<AggregatePage>, ()>(()) })
            .await
            .is_err());
        assert_eq!(cache.len(), 1, "errors are not kept");
        let pages = PageCache::new(4);
        let big = Bytes::from(vec![b' '; MAX_CACHED_PAGE + 1]);
        pages
            .get_or_compute("big", async { Ok::<_, ()>(big) })
            .await
            .unwrap();
        assert_eq!(pages.len(), 0, "too large to keep");
    }
}
