//! Kode referensi wilayah: the Kemendagri region codes `PP.KK.CC.DDDD`, embedded in the binary.
//!
//! The codes (38 provinsi, 514 kabupaten/kota, 7,277 kecamatan, 83,763 desa/kelurahan) come from
//! `idn-area-data` under the ODbL 1.0; see `data/wilayah/NOTICE.md`. [`ODBL_NOTICE`] is the text every
//! instance shows on its About page.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The attribution every instance shows (About page, API, repository).
pub const ODBL_NOTICE: &str = "Kode wilayah: Kemendagri (Kepmendagri No. 300.2.2-2138 Tahun 2025), \
dari paket idn-area-data 3.1.2, dilisensikan di bawah Open Database License (ODbL) 1.0. \
Region codes: Kemendagri, via idn-area-data 3.1.2, licensed under the Open Database License (ODbL) 1.0.";

/// The full text of the ODbL 1.0.
pub const ODBL_LICENSE: &str = include_str!("../data/wilayah/LICENSE.md");

const PROVINCES: &str = include_str!("../data/wilayah/provinces.csv");
const REGENCIES: &str = include_str!("../data/wilayah/regencies.csv");
const DISTRICTS: &str = include_str!("../data/wilayah/districts.csv");
const VILLAGES: &str = include_str!("../data/wilayah/villages.csv");

/// The level of a region in the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Provinsi,
    /// Kabupaten or kota.
    Kabupaten,
    Kecamatan,
    /// Desa or kelurahan.
    Desa,
}

impl Level {
    /// Number of digits of an undotted code of this level.
    pub fn digits(self) -> usize {
        match self {
            Level::Provinsi => 2,
            Level::Kabupaten => 4,
            Level::Kecamatan => 6,
            Level::Desa => 10,
        }
    }

    /// The name in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            Level::Provinsi => "provinsi",
            Level::Kabupaten => "kabupaten/kota",
            Level::Kecamatan => "kecamatan",
            Level::Desa => "desa/kelurahan",
        }
    }

    /// The machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Provinsi => "provinsi",
            Level::Kabupaten => "kabupaten",
            Level::Kecamatan => "kecamatan",
            Level::Desa => "desa",
        }
    }

    /// The level below, if any.
    pub fn child(self) -> Option<Level> {
        match self {
            Level::Provinsi => Some(Level::Kabupaten),
            Level::Kabupaten => Some(Level::Kecamatan),
            Level::Kecamatan => Some(Level::Desa),
            Level::Desa => None,
        }
    }
}

/// The precise kind of a region (from its code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RegionKind {
    Provinsi,
    Kabupaten,
    Kota,
    Kecamatan,
    Desa,
    Kelurahan,
}

impl RegionKind {
    /// The name in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            RegionKind::Provinsi => "Provinsi",
            RegionKind::Kabupaten => "Kabupaten",
            RegionKind::Kota => "Kota",
            RegionKind::Kecamatan => "Kecamatan",
            RegionKind::Desa => "Desa",
            RegionKind::Kelurahan => "Kelurahan",
        }
    }
}

/// Why a text is not a region code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{input}' bukan kode wilayah Kemendagri: {reason}")]
pub struct RegionCodeError {
    pub input: String,
    pub reason: &'static str,
}

/// A syntactically valid Kemendagri region code, held as its digits (2, 4, 6 or 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode {
    digits: [u8; 10],
    len: u8,
}

impl RegionCode {
    /// Parse a code with or without dots: `16.06.01.2001` and `1606012001` are the same place.
    /// Spaces around the code are ignored. Existence is checked by [`Regions::get`].
    pub fn parse(input: &str) -> Result<RegionCode, RegionCodeError> {
        let s = input.trim();
        let err = |reason| RegionCodeError {
            input: input.to_string(),
            reason,
        };
        if s.is_empty() {
            return Err(err("kosong"));
        }
        let mut digits = [0u8; 10];
        let mut len = 0usize;
        if s.contains('.') {
            // Dotted: groups of 2, 2, 2, 4 digits.
            const WIDTHS: [usize; 4] = [2, 2, 2, 4];
            let parts: Vec<&str> = s.split('.').collect();
            if parts.len() > 4 {
                return Err(err("terlalu banyak bagian (bentuknya PP.KK.CC.DDDD)"));
            }
            for (part, width) in parts.iter().zip(WIDTHS) {
                if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(err(
                        "setiap bagian harus angka: PP.KK.CC.DDDD (2, 2, 2 dan 4 angka)",
                    ));
                }
                for b in part.bytes() {
                    digits[len] = b;
                    len += 1;
                }
            }
        } else {
            if !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("hanya boleh berisi angka dan titik"));
            }
            if !matches!(s.len(), 2 | 4 | 6 | 10) {
                return Err(err("panjangnya harus 2, 4, 6 atau 10 angka"));
            }
            digits[..s.len()].copy_from_slice(s.as_bytes());
            len = s.len();
        }
        Ok(RegionCode {
            digits,
            len: len as u8,
        })
    }

    /// The code without dots.
    pub fn undotted(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.digits[..self.len as usize]).unwrap_or_default()
    }

    /// The code with dots, `PP.KK.CC.DDDD`.
    pub fn dotted(&self) -> String {
        let d = self.undotted();
        let mut out = String::with_capacity(13);
        for (i, (start, end)) in [(0, 2), (2, 4), (4, 6), (6, 10)].into_iter().enumerate() {
            if end > d.len() {
                break;
            }
            if i > 0 {
                out.push('.');
            }
            out.push_str(&d[start..end]);
        }
        out
    }

    /// The level the code's length implies.
    pub fn level(&self) -> Level {
        match self.len {
            2 => Level::Provinsi,
            4 => Level::Kabupaten,
            6 => Level::Kecamatan,
            _ => Level::Desa,
        }
    }

    /// The kind the code implies: kota for regency numbers 71–99, kelurahan for village numbers starting with 1.
    pub fn kind(&self) -> RegionKind {
        let d = self.undotted();
        match self.level() {
            Level::Provinsi => RegionKind::Provinsi,
            Level::Kabupaten if d.as_bytes()[2] >= b'7' => RegionKind::Kota,
            Level::Kabupaten => RegionKind::Kabupaten,
            Level::Kecamatan => RegionKind::Kecamatan,
            Level::Desa if d.as_bytes()[6] == b'1' => RegionKind::Kelurahan,
            Level::Desa => RegionKind::Desa,
        }
    }

    /// The parent's code, if any.
    pub fn parent(&self) -> Option<RegionCode> {
        let len = match self.len {
            4 => 2,
            6 => 4,
            10 => 6,
            _ => return None,
        };
        let mut digits = [0u8; 10];
        digits[..len].copy_from_slice(&self.digits[..len]);
        Some(RegionCode {
            digits,
            len: len as u8,
        })
    }

    /// Whether `self` is `other` or lies inside it.
    pub fn is_within(&self, other: &RegionCode) -> bool {
        self.undotted().starts_with(other.undotted())
    }
}

impl std::fmt::Display for RegionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.dotted())
    }
}

impl Serialize for RegionCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.dotted())
    }
}

impl<'de> Deserialize<'de> for RegionCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        RegionCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A region of the registry.
#[derive(Debug, Clone, Serialize)]
pub struct Region {
    pub code: RegionCode,
    /// The name as Kemendagri writes it (provinces and regencies in capitals).
    pub name: String,
    pub level: Level,
    pub kind: RegionKind,
}

impl Region {
    /// The name for display: title case for names written in capitals, with the kind in front
    /// ("Kabupaten Musi Banyuasin", "Kecamatan Sekayu", "Desa Sukarami").
    pub fn display_name(&self) -> String {
        let name = if self.name.chars().any(|c| c.is_lowercase()) {
            self.name.clone()
        } else {
            title_case(&self.name)
        };
        let kind = self.kind.label_id();
        if name.to_lowercase().starts_with(&kind.to_lowercase()) {
            name
        } else {
            format!("{kind} {name}")
        }
    }
}

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(c.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The registry of all regions, built once from the embedded files.
pub struct Regions {
    regions: Vec<Region>,
    by_code: HashMap<RegionCode, usize>,
    children: HashMap<RegionCode, Vec<usize>>,
    /// Lower-case names, for search.
    names_lower: Vec<String>,
}

static REGISTRY: OnceLock<Regions> = OnceLock::new();

impl Regions {
    /// The embedded registry (parsed on first use, in a few tens of milliseconds).
    pub fn get() -> &'static Regions {
        REGISTRY.get_or_init(Regions::load_embedded)
    }

    fn load_embedded() -> Regions {
        let mut regions = Vec::with_capacity(91_600);
        for (text, level) in [
            (PROVINCES, Level::Provinsi),
            (REGENCIES, Level::Kabupaten),
            (DISTRICTS, Level::Kecamatan),
            (VILLAGES, Level::Desa),
        ] {
            // Files are `code,[parent_code,]name`; names never contain commas except in quotes.
            for line in text.lines().skip(1) {
                let line = line.trim_end_matches('\r');
                if line.is_empty() {
                    continue;
                }
                let (code, rest) = line
                    .split_once(',')
                    .expect("embedded region file: code column");
                let name = if level == Level::Provinsi {
                    rest
                } else {
                    rest.split_once(',')
                        .expect("embedded region file: name column")
                        .1
                };
                let name = name.trim_matches('"').to_string();
                let code = RegionCode::parse(code).expect("embedded region code is valid");
                debug_assert_eq!(code.level(), level);
                regions.push(Region {
                    code,
                    kind: code.kind(),
                    level,
                    name,
                });
            }
        }
        let mut by_code = HashMap::with_capacity(regions.len());
        let mut children: HashMap<RegionCode, Vec<usize>> = HashMap::new();
        for (i, r) in regions.iter().enumerate() {
            by_code.insert(r.code, i);
            if let Some(p) = r.code.parent() {
                children.entry(p).or_default().push(i);
            }
        }
        let names_lower = regions.iter().map(|r| r.name.to_lowercase()).collect();
        Regions {
            regions,
            by_code,
            children,
            names_lower,
        }
    }

    /// The codes of every embedded region as written in the files (dotted, `16.06.01.2001`), without
    /// building the registry: the first column of each line. For membership indexes (validation
    /// checks every region cell against the registry) this costs a few milliseconds where
    /// [`Regions::get`] parses names, builds maps and lower-cases 91,000 names (≈ 300 M instructions).
    pub fn embedded_codes() -> impl Iterator<Item = &'static str> {
        [PROVINCES, REGENCIES, DISTRICTS, VILLAGES]
            .into_iter()
            .flat_map(|text| text.lines().skip(1))
            .filter_map(|line| {
                let code = line.split_once(',').map_or(line, |(c, _)| c);
                let code = code.trim_end_matches('\r');
                (!code.is_empty()).then_some(code)
            })
    }

    /// All regions, provinces first, then regencies, kecamatan and desa, each in code order.
    pub fn all(&self) -> &[Region] {
        &self.regions
    }

    /// Look a region up by code, with or without dots.
    pub fn lookup(&self, code: &str) -> Option<&Region> {
        let code = RegionCode::parse(code).ok()?;
        self.by_code(&code)
    }

    /// Look a region up by parsed code.
    pub fn by_code(&self, code: &RegionCode) -> Option<&Region> {
        self.by_code.get(code).map(|&i| &self.regions[i])
    }

    /// The parent region.
    pub fn parent(&self, code: &RegionCode) -> Option<&Region> {
        self.by_code(&code.parent()?)
    }

    /// The chain from the province down to the region itself.
    pub fn ancestry(&self, code: &RegionCode) -> Vec<&Region> {
        let mut chain = vec![];
        let mut cur = Some(*code);
        while let Some(c) = cur {
            if let Some(r) = self.by_code(&c) {
                chain.push(r);
            }
            cur = c.parent();
        }
        chain.reverse();
        chain
    }

    /// The direct children, in code order.
    pub fn children(&self, code: &RegionCode) -> Vec<&Region> {
        self.children
            .get(code)
            .map(|v| v.iter().map(|&i| &self.regions[i]).collect())
            .unwrap_or_default()
    }

    /// All regions of `level` inside `code` (e.g. every desa of a kabupaten).
    pub fn descendants(&self, code: &RegionCode, level: Level) -> Vec<&Region> {
        let mut out = vec![];
        let mut frontier = vec![*code];
        while let Some(c) = frontier.pop() {
            for child in self.children(&c) {
                if child.level == level {
                    out.push(child);
                } else if child.level < level {
                    frontier.push(child.code);
                }
            }
        }
        out.sort_by_key(|r| r.code);
        out
    }

    /// Regions whose name contains `query` (case-insensitive), optionally of one level and inside
    /// one region; at most `limit`, bigger levels first.
    pub fn search(
        &self,
        query: &str,
        level: Option<Level>,
        within: Option<&RegionCode>,
        limit: usize,
    ) -> Vec<&Region> {
        let q = query.trim().to_lowercase();
        self.regions
            .iter()
            .zip(&self.names_lower)
            .filter(|(r, n)| {
                n.contains(&q)
                    && level.is_none_or(|l| r.level == l)
                    && within.is_none_or(|w| r.code.is_within(w))
            })
            .map(|(r, _)| r)
            .take(limit)
            .collect()
    }

    /// Number of regions of each level: (provinsi, kabupaten/kota, kecamatan, desa/kelurahan).
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut c = (0, 0, 0, 0);
        for r in &self.regions {
            match r.level {
                Level::Provinsi => c.0 += 1,
                Level::Kabupaten => c.1 += 1,
                Level::Kecamatan => c.2 += 1,
                Level::Desa => c.3 += 1,
            }
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_registry_has_all_regions() {
        assert_eq!(Regions::get().counts(), (38, 514, 7277, 83763));
    }

    #[test]
    fn embedded_codes_are_the_registry_codes_in_order() {
        let codes: Vec<&str> = Regions::embedded_codes().collect();
        let registry: Vec<String> = Regions::get()
            .all()
            .iter()
            .map(|r| r.code.dotted())
            .collect();
        assert_eq!(codes, registry);
    }

    #[test]
    fn codes_with_and_without_dots_are_the_same_place() {
        let a = RegionCode::parse("16.06.01.2001").unwrap();
        let b = RegionCode::parse("1606012001").unwrap();
        assert_eq!(a, b);
        assert_eq!(b.dotted(), "16.06.01.2001");
        let r = Regions::get().lookup("1606012001").unwrap();
        assert_eq!(r.name, "Sukarami");
        assert_eq!(r.kind, RegionKind::Desa);
        assert_eq!(
            Regions::get().lookup("16.06.01.1009").unwrap().kind,
            RegionKind::Kelurahan
        );
    }

    #[test]
    fn musi_banyuasin_has_15_kecamatan_and_242_desa() {
        let regs = Regions::get();
        let mb = RegionCode::parse("16.06").unwrap();
        assert_eq!(
            regs.lookup("16.06").unwrap().display_name(),
            "Kabupaten Musi Banyuasin"
        );
        assert_eq!(regs.children(&mb).len(), 15);
        assert_eq!(regs.descendants(&mb, Level::Desa).len(), 242);
        assert_eq!(
            regs.parent(&RegionCode::parse("16.06.01").unwrap())
                .unwrap()
                .code,
            mb
        );
    }

    #[test]
    fn bad_codes_say_why() {
        for bad in ["", "1.6", "16.6", "123", "16.06.01.20011", "abc"] {
            assert!(RegionCode::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            RegionCode::parse("71").unwrap().kind(),
            RegionKind::Provinsi
        );
        assert_eq!(RegionCode::parse("16.71").unwrap().kind(), RegionKind::Kota);
    }

    #[test]
    fn search_finds_by_name() {
        let hits = Regions::get().search("sekayu", Some(Level::Kecamatan), None, 10);
        assert!(hits.iter().any(|r| r.code.dotted() == "16.06.01"));
    }
}
