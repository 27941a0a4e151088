//! A guard for .xls (Compound File Binary) files before calamine opens them.
//!
//! calamine 0.38 follows the sector chains of a CFB file (the directory, the mini stream, the mini
//! FAT and each stream) until the end-of-chain marker, appending a sector per step. In a corrupt file
//! whose chain loops, that never ends: the buffer grows until the process runs out of memory (a
//! 5.6 KB fuzz input made it ask for 2 GB; in the server that is a memory DoS by upload, and an
//! allocation failure aborts instead of panicking, so `catch_unwind` cannot help). This module walks
//! the same chains calamine will walk, with a visited set, and refuses a file in which any of them
//! loops. It reads only the file's own bytes and allocates in proportion to the file size.

const SIGNATURE: &[u8; 8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
/// Streams shorter than this live in the mini stream (64-byte mini sectors).
const MINI_CUTOFF: u64 = 4096;

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u32s(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

/// Sector `id` as calamine reads it: the bytes after the header, cut at the end of the file.
fn sector(bytes: &[u8], header: usize, size: usize, id: u32) -> &[u8] {
    let start = header.saturating_add((id as usize).saturating_mul(size));
    let end = start.saturating_add(size).min(bytes.len());
    bytes.get(start..end).unwrap_or(&[])
}

/// Follow a chain from `start` through `table`; `false` if it visits an entry twice (a loop).
/// Ids outside the table end the walk: calamine refuses those itself.
fn chain_ends(table: &[u32], start: u32) -> bool {
    let mut seen = vec![false; table.len()];
    let mut id = start;
    while id != ENDOFCHAIN {
        let Some(v) = seen.get_mut(id as usize) else {
            return true;
        };
        if *v {
            return false;
        }
        *v = true;
        id = table[id as usize];
    }
    true
}

/// A chain from `start` through `table` as bytes (for the directory and the mini FAT), at most
/// `limit` bytes; `None` if it loops.
fn read_chain(
    bytes: &[u8],
    header: usize,
    size: usize,
    table: &[u32],
    start: u32,
    limit: usize,
) -> Option<Vec<u8>> {
    if !chain_ends(table, start) {
        return None;
    }
    let mut out = vec![];
    let mut id = start;
    while id != ENDOFCHAIN && (id as usize) < table.len() && out.len() < limit {
        out.extend_from_slice(sector(bytes, header, size, id));
        id = table[id as usize];
    }
    out.truncate(limit);
    Some(out)
}

/// Whether calamine can open `bytes` (a CFB file) without following a looping sector chain. Files
/// that are not CFB at all, or whose header calamine refuses, pass: calamine reports those itself.
pub fn chains_are_finite(bytes: &[u8]) -> bool {
    if bytes.len() < 512 || &bytes[..8] != SIGNATURE {
        return true;
    }
    let (size, header) = match u16::from_le_bytes([bytes[30], bytes[31]]) {
        9 => (512usize, 512usize),
        12 => (4096, 4096),
        _ => return true,
    };
    let maxid = bytes.len() / size;
    let dir_start = u32_at(bytes, 48);
    let mini_fat_start = u32_at(bytes, 60);
    let mini_fat_len = u32_at(bytes, 64) as usize;

    // The DIFAT: 109 entries in the header, then a chain of DIFAT sectors (calamine bounds it).
    let mut difat: Vec<u32> = u32s(&bytes[76..512]).collect();
    let mut id = u32_at(bytes, 68);
    let mut steps = 0usize;
    while id < RESERVED_SECTORS {
        steps += 1;
        if steps > maxid + 1 || id as usize > maxid {
            return true; // calamine: SectorBeyondEof
        }
        difat.extend(u32s(sector(bytes, header, size, id)));
        match difat.pop() {
            Some(next) => id = next,
            None => return true,
        }
    }
    let mut fat: Vec<u32> = vec![];
    for id in difat.into_iter().filter(|id| *id < DIFSECT) {
        if id as usize > maxid {
            return true; // calamine: SectorBeyondEof
        }
        fat.extend(u32s(sector(bytes, header, size, id)));
        if fat.len() > bytes.len() {
            // More FAT entries than the file has bytes: each extra FAT sector is a real sector of
            // the file, so this cannot happen without repeats; calamine copes, we stop counting.
            break;
        }
    }

    // The directory: read to its end (calamine passes no length).
    let Some(dirs) = read_chain(bytes, header, size, &fat, dir_start, usize::MAX) else {
        return false;
    };
    let entries: Vec<(u32, u64)> = dirs
        .chunks_exact(128)
        .map(|d| {
            let start = u32_at(d, 116);
            let len = if size == 512 {
                u32_at(d, 120) as u64
            } else {
                u64::from_le_bytes(d[120..128].try_into().unwrap_or([0; 8]))
            };
            (start, len)
        })
        .collect();
    let Some(&(root_start, _)) = entries.first() else {
        return true; // calamine: EmptyRootDir
    };

    let mut mini_fat: Vec<u32> = vec![];
    if mini_fat_len > 0 {
        if !chain_ends(&fat, root_start) {
            return false;
        }
        let limit = mini_fat_len.saturating_mul(size).min(bytes.len());
        match read_chain(bytes, header, size, &fat, mini_fat_start, limit) {
            Some(m) => mini_fat = u32s(&m).collect(),
            None => return false,
        }
    }
    // Every stream (calamine opens some by name; checking all costs little).
    entries.iter().skip(1).all(|&(start, len)| {
        if len < MINI_CUTOFF {
            chain_ends(&mini_fat, start)
        } else {
            chain_ends(&fat, start)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal CFB: header, one FAT sector (sector 0), one directory sector (sector 1) whose chain
    /// is given by `fat`.
    fn cfb(fat: &[u32], dir_len_entry: u64) -> Vec<u8> {
        let mut b = vec![0u8; 512 * 3];
        b[..8].copy_from_slice(SIGNATURE);
        b[30..32].copy_from_slice(&9u16.to_le_bytes());
        b[32..34].copy_from_slice(&6u16.to_le_bytes());
        b[44..48].copy_from_slice(&1u32.to_le_bytes());
        b[48..52].copy_from_slice(&1u32.to_le_bytes()); // directory starts at sector 1
        b[60..64].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        b[68..72].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        for i in 0..109 {
            b[76 + i * 4..80 + i * 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        b[76..80].copy_from_slice(&0u32.to_le_bytes()); // FAT in sector 0
        for (i, v) in fat.iter().enumerate() {
            b[512 + i * 4..516 + i * 4].copy_from_slice(&v.to_le_bytes());
        }
        for i in fat.len()..128 {
            b[512 + i * 4..516 + i * 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        // Root entry, then one stream entry starting at sector 1 with the given length.
        let dir = 1024;
        b[dir + 116..dir + 120].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        b[dir + 128 + 116..dir + 128 + 120].copy_from_slice(&1u32.to_le_bytes());
        b[dir + 128 + 120..dir + 128 + 124].copy_from_slice(&(dir_len_entry as u32).to_le_bytes());
        b
    }

    #[test]
    fn a_looping_directory_chain_is_refused() {
        // FAT: sector 0 is the FAT itself, sector 1 points at itself.
        assert!(!chains_are_finite(&cfb(&[0xFFFF_FFFD, 1], 0)));
        assert!(chains_are_finite(&cfb(&[0xFFFF_FFFD, ENDOFCHAIN], 0)));
    }

    #[test]
    fn a_looping_stream_chain_is_refused() {
        // The directory ends, but a large stream starting at sector 1 ... loops through 2 → 2.
        let mut f = cfb(&[0xFFFF_FFFD, ENDOFCHAIN, 2], 8192);
        // Point the stream at sector 2.
        let at = 1024 + 128 + 116;
        f[at..at + 4].copy_from_slice(&2u32.to_le_bytes());
        assert!(!chains_are_finite(&f));
    }

    #[test]
    fn other_files_pass_to_calamine() {
        assert!(chains_are_finite(b""));
        assert!(chains_are_finite(b"kode,nama\n1,a\n"));
        assert!(chains_are_finite(
            &cfb(&[0xFFFF_FFFD, ENDOFCHAIN], 100)[..600]
        ));
    }
}
