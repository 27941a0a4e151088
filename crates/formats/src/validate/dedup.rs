//! Duplicate detection in bounded memory: 128-bit hashes of keys with the row that first had them,
//! in memory up to a limit, then spilled to a sorted run on disk; runs are merged at the end.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::PathBuf;

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

/// Keys in a table past which it grows straight to its limit (see [`Dedup::grow`]).
const EARLY_FULL_SIZE: usize = 1 << 17;

/// An open-addressing table of key hashes with the row that first had each: linear probing from the
/// slot the hash's low bits pick, at most 7/8 full. A slot is three words, the hash's two and the
/// row plus one (0 marks an empty slot). Its own table rather than a `HashMap`, so that
/// [`KeyTable::touch`] can read a key's slot ahead of the insert (see [`Dedup::warm`]).
#[derive(Default)]
struct KeyTable {
    slots: Vec<[u64; 3]>,
    len: usize,
}

impl KeyTable {
    /// Keys the table holds before it must grow.
    fn capacity(&self) -> usize {
        self.slots.len() / 8 * 7
    }

    /// The slot a hash starts probing at.
    fn home(&self, hash: [u64; 2]) -> usize {
        hash[0] as usize & (self.slots.len() - 1)
    }

    /// The row stored for `hash`, or store `row` for it.
    fn get_or_insert(&mut self, hash: [u64; 2], row: u64) -> Option<u64> {
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        loop {
            let slot = &mut self.slots[i];
            if slot[2] == 0 {
                *slot = [hash[0], hash[1], row + 1];
                self.len += 1;
                return None;
            }
            if slot[0] == hash[0] && slot[1] == hash[1] {
                return Some(slot[2] - 1);
            }
            i = (i + 1) & mask;
        }
    }

    /// The row stored for `hash`.
    fn get(&self, hash: [u64; 2]) -> Option<u64> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        loop {
            let slot = &self.slots[i];
            if slot[2] == 0 {
                return None;
            }
            if slot[0] == hash[0] && slot[1] == hash[1] {
                return Some(slot[2] - 1);
            }
            i = (i + 1) & mask;
        }
    }

    /// Read the home slot of `hash` (to bring its memory into cache).
    fn touch(&self, hash: [u64; 2]) -> u64 {
        self.slots[self.home(hash)][2]
    }

    /// A table of at least `keys` capacity holding the same keys.
    fn grown(self, keys: usize) -> KeyTable {
        let slots = (keys / 7 * 8 + 8).next_power_of_two().max(16);
        // Zeros written, not `vec!`'s zeroed allocation: the kernel would map such pages lazily, and
        // a page first read by `touch` and then written would fault twice.
        let mut zeroed = Vec::with_capacity(slots);
        zeroed.resize(slots, [0; 3]);
        let mut t = KeyTable {
            slots: zeroed,
            len: 0,
        };
        for s in self.slots.into_iter().filter(|s| s[2] != 0) {
            t.get_or_insert([s[0], s[1]], s[2] - 1);
        }
        t
    }

    /// Hand every key and row to `each` in hash order (`[hash high word, hash low word, row]`), then
    /// empty the table, which keeps its size. Sorted where they lie: the entries are moved to the
    /// front of the slots and sorted there, so a spill needs no second buffer (a copy would be
    /// nearly as large as the table, on top of it, at the moment memory is fullest).
    fn drain_sorted<E>(
        &mut self,
        mut each: impl FnMut(&[u64; 3]) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut n = 0;
        for i in 0..self.slots.len() {
            let s = self.slots[i];
            if s[2] != 0 {
                self.slots[n] = [s[1], s[0], s[2] - 1];
                n += 1;
            }
        }
        debug_assert_eq!(n, self.len);
        self.slots[..n].sort_unstable();
        let written = self.slots[..n].iter().try_for_each(&mut each);
        self.slots.fill([0; 3]);
        self.len = 0;
        written
    }
}

fn key(h: u128) -> [u64; 2] {
    [h as u64, (h >> 64) as u64]
}

/// One uniqueness check (a unique field or the primary key).
pub struct Dedup {
    mem: KeyTable,
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
            mem: KeyTable::default(),
            limit: limit.max(16),
            runs: vec![],
        }
    }

    /// Record the key of `row`; returns the earlier row if the key was seen since the last spill.
    pub fn insert(&mut self, hash: u128, row: u64) -> Option<u64> {
        let hash = key(hash);
        if self.mem.len >= self.limit {
            if let Some(first) = self.mem.get(hash) {
                return Some(first);
            }
            // A failed spill only loses cross-run detection; keep going in memory.
            if self.spill().is_err() {
                self.limit = usize::MAX;
            }
        }
        if self.mem.len >= self.mem.capacity() {
            self.grow();
        }
        self.mem.get_or_insert(hash, row)
    }

    /// Look `hashes` up without recording them: for a batch of keys about to be inserted, so
    /// that the memory of their slots is fetched with the misses overlapping (the reads do not
    /// depend on each other) and the inserts then find it in cache.
    pub fn warm(&self, hashes: impl Iterator<Item = u128>) {
        if self.mem.slots.is_empty() {
            return;
        }
        let sum = hashes.fold(0u64, |acc, h| acc ^ self.mem.touch(key(h)));
        std::hint::black_box(sum);
    }

    /// Make room before the table is full. Small tables double; once past [`EARLY_FULL_SIZE`] keys
    /// the table grows to its limit at once: every doubling moves all keys into a table that is new
    /// memory to the kernel (a page fault per 4 KiB), so doubling up to a 50 MB table cost about as
    /// much again in page faults and moves as the final table itself, on the thread that runs the
    /// sequential checks. The limit is the memory budget anyway.
    fn grow(&mut self) {
        let len = self.mem.len;
        // (The limit is `usize::MAX` once a spill failed: keep doubling then.)
        let keys = if len >= EARLY_FULL_SIZE && self.limit != usize::MAX {
            self.limit.max(len + 1)
        } else {
            len + 1
        };
        self.mem = std::mem::take(&mut self.mem).grown(keys);
    }

    fn spill(&mut self) -> std::io::Result<()> {
        let path = temp_path();
        let mut w = BufWriter::new(File::create(&path)?);
        self.mem.drain_sorted(|&[hi, lo, r]| {
            let h = ((hi as u128) << 64) | lo as u128;
            w.write_all(&h.to_le_bytes())?;
            w.write_all(&r.to_le_bytes())
        })?;
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
    fn the_table_grows_and_keeps_first_rows() {
        // Past EARLY_FULL_SIZE keys the table grows to its limit; every key keeps its first row.
        let mut d = Dedup::new(400_000);
        let n = 300_000u64;
        for row in 0..n {
            assert_eq!(d.insert(hash128(&row.to_le_bytes()), row), None);
        }
        assert!(d.mem.capacity() >= 400_000);
        d.warm((0..10u64).map(|k| hash128(&k.to_le_bytes())));
        for key in (0..n).step_by(997) {
            let again = d.insert(hash128(&key.to_le_bytes()), n + key);
            assert_eq!(again, Some(key));
        }
        assert_eq!(d.mem.len, n as usize);
        assert!(d.runs.is_empty());
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
