//! A guard for .xls (Compound File Binary) files before calamine opens them.
//!
//! calamine 0.38 follows the sector chains of a CFB file (the directory, the mini stream, the mini
//! FAT and each stream) until the end-of-chain marker, appending a sector per step. In a corrupt file
//! whose chain loops, that never ends: the buffer grows until the process runs out of memory (a
//! 5.6 KB fuzz input made it ask for 2 GB; in the server that is a memory DoS by upload, and an
//! allocation failure aborts instead of panicking, so `catch_unwind` cannot help). This module walks
//! the same chains calamine will walk, with a visited set, and refuses a file in which any of them
//! loops. It reads only the file's own bytes and allocates in proportion to the file size.
//!
//! [`workbook_stream`] also hands out the `Workbook` stream exactly as calamine will see it, so that
//! `read::xls_guard` can check its BIFF records before calamine builds its sheets.

const SIGNATURE: &[u8; 8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
/// Streams shorter than this live in the mini stream (64-byte mini sectors).
const MINI_CUTOFF: u64 = 4096;
const MINI_SECTOR: usize = 64;

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

/// One directory entry: its name (UTF-16 up to the first NUL, as calamine decodes it), first
/// sector and length.
struct Entry {
    name: String,
    start: u32,
    len: u64,
}

/// The parts of a CFB file calamine reads when it opens it, once every chain is known to end.
struct Layout<'a> {
    bytes: &'a [u8],
    header: usize,
    size: usize,
    /// calamine's bound on sector ids (`file length / sector size`).
    maxid: usize,
    fat: Vec<u32>,
    /// Empty when the header declares no mini FAT (calamine then loads no mini stream).
    mini_fat: Vec<u32>,
    has_mini: bool,
    entries: Vec<Entry>,
}

/// What parsing the CFB structure found.
enum Parsed<'a> {
    /// Not a CFB file, or one whose header or FAT calamine refuses by itself: nothing to guard.
    Pass,
    /// A sector chain loops.
    Loops,
    Layout(Layout<'a>),
}

fn parse(bytes: &[u8]) -> Parsed<'_> {
    if bytes.len() < 512 || &bytes[..8] != SIGNATURE {
        return Parsed::Pass;
    }
    let (size, header) = match u16::from_le_bytes([bytes[30], bytes[31]]) {
        9 => (512usize, 512usize),
        12 => (4096, 4096),
        _ => return Parsed::Pass,
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
            return Parsed::Pass; // calamine: SectorBeyondEof
        }
        difat.extend(u32s(sector(bytes, header, size, id)));
        match difat.pop() {
            Some(next) => id = next,
            None => return Parsed::Pass,
        }
    }
    let mut fat: Vec<u32> = vec![];
    for id in difat.into_iter().filter(|id| *id < DIFSECT) {
        if id as usize > maxid {
            return Parsed::Pass; // calamine: SectorBeyondEof
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
        return Parsed::Loops;
    };
    let entries: Vec<Entry> = dirs
        .chunks_exact(128)
        .map(|d| {
            let name: String = char::decode_utf16(
                d[..64]
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]])),
            )
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .take_while(|c| *c != '\0')
            .collect();
            let start = u32_at(d, 116);
            let len = if size == 512 {
                u32_at(d, 120) as u64
            } else {
                u64::from_le_bytes(d[120..128].try_into().unwrap_or([0; 8]))
            };
            Entry { name, start, len }
        })
        .collect();
    let Some(root_start) = entries.first().map(|e| e.start) else {
        return Parsed::Pass; // calamine: EmptyRootDir
    };

    let mut mini_fat: Vec<u32> = vec![];
    if mini_fat_len > 0 {
        if !chain_ends(&fat, root_start) {
            return Parsed::Loops;
        }
        let limit = mini_fat_len.saturating_mul(size).min(bytes.len());
        match read_chain(bytes, header, size, &fat, mini_fat_start, limit) {
            Some(m) => mini_fat = u32s(&m).collect(),
            None => return Parsed::Loops,
        }
    }
    // Every stream (calamine opens some by name; checking all costs little).
    let finite = entries.iter().skip(1).all(|e| {
        if e.len < MINI_CUTOFF {
            chain_ends(&mini_fat, e.start)
        } else {
            chain_ends(&fat, e.start)
        }
    });
    if !finite {
        return Parsed::Loops;
    }
    Parsed::Layout(Layout {
        bytes,
        header,
        size,
        maxid,
        fat,
        mini_fat,
        has_mini: mini_fat_len > 0,
        entries,
    })
}

/// Whether calamine can open `bytes` (a CFB file) without following a looping sector chain. Files
/// that are not CFB at all, or whose header calamine refuses, pass: calamine reports those itself.
pub fn chains_are_finite(bytes: &[u8]) -> bool {
    !matches!(parse(bytes), Parsed::Loops)
}

/// Why the workbook stream of an .xls cannot be checked before calamine reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamProblem {
    /// A sector chain loops (calamine would grow a buffer without end).
    Loops,
    /// The stream runs through a sector cut off by the end of the file, or past the end of the mini
    /// stream: calamine would then fill it with bytes read from wherever its reader stands, which
    /// nothing here can predict. Intact files never do this.
    OutsideFile,
}

impl<'a> Layout<'a> {
    /// The bytes of a chain in the regular sectors, as calamine's `Sectors::get_chain` builds them:
    /// `Ok(None)` where calamine fails by itself (an id past its bound or outside the FAT).
    fn main_chain(&self, start: u32, len: usize) -> Result<Option<Vec<u8>>, StreamProblem> {
        let mut out = vec![];
        let mut id = start;
        let mut steps = 0usize;
        while id != ENDOFCHAIN {
            steps += 1;
            if steps > self.fat.len() + 1 {
                return Err(StreamProblem::Loops);
            }
            if id as usize > self.maxid {
                return Ok(None);
            }
            let s = sector(self.bytes, self.header, self.size, id);
            let take = s.len().min(len - out.len());
            // A sector cut by the end of the file is fine only as the chain's last piece: calamine
            // caches sectors zero-padded, so a later read of the same sector would differ.
            if s.len() < self.size && take < len - out.len() {
                return Err(StreamProblem::OutsideFile);
            }
            out.extend_from_slice(&s[..take]);
            if out.len() >= len {
                break;
            }
            match self.fat.get(id as usize) {
                Some(next) => id = *next,
                None => return Ok(None), // calamine: index out of bounds, a caught panic
            }
        }
        Ok(Some(out))
    }

    /// A stream's bytes as calamine's `Cfb::get_stream` returns them.
    fn stream(&self, e: &Entry) -> Result<Option<Vec<u8>>, StreamProblem> {
        let len = usize::try_from(e.len).unwrap_or(usize::MAX);
        if e.len >= MINI_CUTOFF {
            return self.main_chain(e.start, len);
        }
        if len == 0 || e.start == ENDOFCHAIN {
            return Ok(Some(vec![]));
        }
        // calamine's mini stream: the root entry's chain, cut at the root entry's length (empty
        // without a mini FAT).
        let ministream = if self.has_mini {
            let root = &self.entries[0];
            let root_len = usize::try_from(root.len).unwrap_or(usize::MAX);
            match self.main_chain(root.start, root_len)? {
                Some(m) => m,
                None => return Ok(None),
            }
        } else {
            vec![]
        };
        let mut out = vec![];
        let mut id = e.start;
        let mut steps = 0usize;
        while id != ENDOFCHAIN {
            steps += 1;
            if steps > self.mini_fat.len() + 1 {
                return Err(StreamProblem::Loops);
            }
            if id as usize > self.maxid.saturating_mul(8) {
                return Ok(None); // calamine: SectorBeyondEof
            }
            let start = (id as usize) * MINI_SECTOR;
            let take = MINI_SECTOR.min(len - out.len());
            let Some(piece) = ministream.get(start..start + take) else {
                // calamine would read the missing bytes from the file at its reader's position.
                return Err(StreamProblem::OutsideFile);
            };
            out.extend_from_slice(piece);
            if out.len() >= len {
                break;
            }
            match self.mini_fat.get(id as usize) {
                Some(next) => id = *next,
                None => return Ok(None),
            }
        }
        Ok(Some(out))
    }
}

/// The `Workbook` (BIFF8) or `Book` (BIFF5) stream of an .xls as calamine will read it.
/// `Ok(None)`: not a CFB file, or one calamine refuses before reading that stream (no stream by
/// that name, a sector id past the end): nothing of it reaches calamine's sheet parser.
pub fn workbook_stream(bytes: &[u8]) -> Result<Option<Vec<u8>>, StreamProblem> {
    let layout = match parse(bytes) {
        Parsed::Pass => return Ok(None),
        Parsed::Loops => return Err(StreamProblem::Loops),
        Parsed::Layout(l) => l,
    };
    // calamine looks for "Workbook" in every entry first, then for "Book" (ASCII, any case).
    let entry = ["Workbook", "Book"].iter().find_map(|want| {
        layout
            .entries
            .iter()
            .find(|e| e.name.as_bytes().eq_ignore_ascii_case(want.as_bytes()))
    });
    match entry {
        Some(e) => layout.stream(e),
        None => Ok(None),
    }
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
