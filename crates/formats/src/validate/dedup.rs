//! Duplicate detection in bounded memory: 128-bit hashes of keys with the row that first had them,
//! in memory up to a limit, then spilled to a sorted run on disk; runs are merged at the end.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::PathBuf;

/// The keys are hashes already: use their low bits as the table's hash.
#[derive(Default)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    fn write_u128(&mut self, v: u128) {
        self.0 = v as u64;
    }
}

/// A 128-bit hash of `bytes` (two SipHash-1-3 runs with different keys).
pub fn hash128(bytes: &[u8]) -> u128 {
    let mut a = std::hash::DefaultHasher::new();
    0xA5u8.hash(&mut a);
    bytes.hash(&mut a);
    let mut b = std::hash::DefaultHasher::new();
    0x5Au8.hash(&mut b);
    bytes.hash(&mut b);
    ((a.finish() as u128) << 64) | b.finish() as u128
}

/// One uniqueness check (a unique field or the primary key).
pub struct Dedup {
    mem: HashMap<u128, u64, BuildHasherDefault<PassThrough>>,
    limit: usize,
    runs: Vec<PathBuf>,
}

/// A duplicate found: the row, and the first row with the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duplicate {
    pub row: u64,
    pub first_row: u64,
}

impl Dedup {
    /// A check that keeps at most `limit` keys in memory (about 32 bytes each).
    pub fn new(limit: usize) -> Self {
        Dedup {
            mem: HashMap::default(),
            limit: limit.max(16),
            runs: vec![],
        }
    }

    /// Record the key of `row`; returns the earlier row if the key was seen since the last spill.
    pub fn insert(&mut self, hash: u128, row: u64) -> Option<u64> {
        if let Some(&first) = self.mem.get(&hash) {
            return Some(first);
        }
        if self.mem.len() >= self.limit {
            // A failed spill only loses cross-run detection; keep going in memory.
            if self.spill().is_err() {
                self.limit = usize::MAX;
            }
        }
        self.mem.insert(hash, row);
        None
    }

    fn spill(&mut self) -> std::io::Result<()> {
        let mut entries: Vec<(u128, u64)> = self.mem.drain().collect();
        entries.sort_unstable();
        let path = temp_path();
        let mut w = BufWriter::new(File::create(&path)?);
        for (h, r) in entries {
            w.write_all(&h.to_le_bytes())?;
            w.write_all(&r.to_le_bytes())?;
        }
        w.flush()?;
        self.runs.push(path);
        Ok(())
    }

    /// Duplicates across spilled runs (those within one run were returned by [`Dedup::insert`]).
    pub fn finish(mut self) -> Vec<Duplicate> {
        if self.runs.is_empty() {
            return vec![];
        }
        if self.spill().is_err() {
            return vec![];
        }
        let mut readers: Vec<RunReader> = self
            .runs
            .iter()
            .filter_map(|p| RunReader::open(p).ok())
            .collect();
        let mut heads: Vec<Option<(u128, u64)>> = readers.iter_mut().map(RunReader::next).collect();
        let mut out = vec![];
        while let Some(min) = heads.iter().flatten().map(|&(h, _)| h).min() {
            let mut rows = vec![];
            for (i, head) in heads.iter_mut().enumerate() {
                while let Some((h, r)) = *head {
                    if h != min {
                        break;
                    }
                    rows.push(r);
                    *head = readers[i].next();
                }
            }
            if rows.len() > 1 {
                rows.sort_unstable();
                out.extend(rows[1..].iter().map(|&row| Duplicate {
                    row,
                    first_row: rows[0],
                }));
            }
        }
        out.sort_by_key(|d| d.row);
        out
    }
}

impl Drop for Dedup {
    fn drop(&mut self) {
        for p in &self.runs {
            let _ = std::fs::remove_file(p);
        }
    }
}

struct RunReader(BufReader<File>);

impl RunReader {
    fn open(p: &PathBuf) -> std::io::Result<Self> {
        Ok(RunReader(BufReader::new(File::open(p)?)))
    }
    fn next(&mut self) -> Option<(u128, u64)> {
        let mut buf = [0u8; 24];
        self.0.read_exact(&mut buf).ok()?;
        let h = u128::from_le_bytes(buf[..16].try_into().ok()?);
        let r = u64::from_le_bytes(buf[16..].try_into().ok()?);
        Some((h, r))
    }
}

fn temp_path() -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    std::env::temp_dir().join(format!(
        "satudata-dedup-{}-{}-{nanos}.run",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_duplicates_in_memory_and_across_spills() {
        let mut d = Dedup::new(16);
        let mut found = vec![];
        for row in 0..100u64 {
            // Keys 0..40, then again 0..60 → rows 40..100 duplicate rows 0..60.
            let key = if row < 40 { row } else { row - 40 };
            if let Some(first) = d.insert(hash128(&key.to_le_bytes()), row) {
                found.push(Duplicate {
                    row,
                    first_row: first,
                });
            }
        }
        let runs = d.runs.clone();
        found.extend(d.finish());
        found.sort_by_key(|d| d.row);
        assert_eq!(found.len(), 40);
        assert!(found.iter().all(|d| d.first_row == d.row - 40));
        assert!(runs.iter().all(|p| !p.exists()));
    }
}
