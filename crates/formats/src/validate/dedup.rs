//! Duplicate detection in bounded memory: 128-bit hashes of keys with the row that first had them,
//! in memory up to a limit, then spilled to a sorted run on disk; runs are merged at the end.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
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
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// A 128-bit hash of `bytes`: two independent 64-bit multiply-xor lanes with a strong finaliser. Fast
/// and well spread for real keys; not meant to resist crafted collisions (whose only effect would be a
/// false duplicate report).
pub fn hash128(bytes: &[u8]) -> u128 {
    const P1: u64 = 0x9E37_79B9_7F4A_7C15;
    const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
    let mut a: u64 = 0x243F_6A88_85A3_08D3 ^ bytes.len() as u64;
    let mut b: u64 = 0x1319_8A2E_0370_7344 ^ (bytes.len() as u64).rotate_left(32);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        a = (a ^ w).wrapping_mul(P1).rotate_left(31);
        b = (b ^ w.rotate_left(17)).wrapping_mul(P2).rotate_left(29);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        let w = u64::from_le_bytes(buf);
        a = (a ^ w).wrapping_mul(P1).rotate_left(31);
        b = (b ^ w.rotate_left(17)).wrapping_mul(P2).rotate_left(29);
    }
    ((fmix64(a ^ b.rotate_left(7)) as u128) << 64) | fmix64(b ^ a) as u128
}

/// MurmurHash3's 64-bit finaliser.
fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

/// A key hash as two words: 8-byte alignment keeps a table entry (key + row) at 24 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key([u64; 2]);

impl std::hash::Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // The first word is already a well-mixed hash.
        state.write_u64(self.0[0]);
    }
}

fn key(h: u128) -> Key {
    Key([h as u64, (h >> 64) as u64])
}

/// Keys in a table past which it grows straight to its limit (see [`Dedup::grow`]).
const EARLY_FULL_SIZE: usize = 1 << 17;

/// One uniqueness check (a unique field or the primary key).
pub struct Dedup {
    mem: HashMap<Key, u64, BuildHasherDefault<PassThrough>>,
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
    /// A check that keeps at most `limit` keys in memory (24 bytes each, in a table at most 8/7 full).
    pub fn new(limit: usize) -> Self {
        Dedup {
            mem: HashMap::default(),
            limit: limit.max(16),
            runs: vec![],
        }
    }

    /// Record the key of `row`; returns the earlier row if the key was seen since the last spill.
    pub fn insert(&mut self, hash: u128, row: u64) -> Option<u64> {
        let hash = key(hash);
        let len = self.mem.len();
        if len < self.limit {
            if len == self.mem.capacity() {
                self.grow();
            }
            // One probe finds the key or the slot for it.
            return match self.mem.entry(hash) {
                Entry::Occupied(e) => Some(*e.get()),
                Entry::Vacant(e) => {
                    e.insert(row);
                    None
                }
            };
        }
        if let Some(&first) = self.mem.get(&hash) {
            return Some(first);
        }
        // A failed spill only loses cross-run detection; keep going in memory.
        if self.spill().is_err() {
            self.limit = usize::MAX;
        }
        self.mem.insert(hash, row);
        None
    }

    /// Make room before the table is full. Small tables double; once past [`EARLY_FULL_SIZE`] keys
    /// the table grows to its limit at once: every doubling moves all keys into a table that is new
    /// memory to the kernel (a page fault per 4 KiB), so doubling up to a 50 MB table cost about as
    /// much again in page faults and moves as the final table itself, on the thread that runs the
    /// sequential checks. The limit is the memory budget anyway.
    fn grow(&mut self) {
        let len = self.mem.len();
        // (The limit is `usize::MAX` once a spill failed: keep doubling then.)
        let want = if len >= EARLY_FULL_SIZE && self.limit != usize::MAX {
            self.limit.saturating_sub(len)
        } else {
            len.max(16)
        };
        self.mem.reserve(want);
    }

    fn spill(&mut self) -> std::io::Result<()> {
        // 24-byte entries (no u128 alignment padding): the sort buffer stays smaller than the table.
        let mut entries: Vec<[u64; 3]> = std::mem::take(&mut self.mem)
            .into_iter()
            .map(|(k, r)| [k.0[1], k.0[0], r])
            .collect();
        entries.sort_unstable();
        let path = temp_path();
        let mut w = BufWriter::new(File::create(&path)?);
        for [hi, lo, r] in entries {
            let h = ((hi as u128) << 64) | lo as u128;
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
    fn hashes_differ_for_near_keys() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..100_000u64 {
            assert!(seen.insert(hash128(i.to_string().as_bytes())));
        }
        assert_ne!(hash128(b""), hash128(b"\0"));
        assert_ne!(hash128(b"a\x1f"), hash128(b"a"));
    }

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
