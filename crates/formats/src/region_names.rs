//! Region names matched to Kemendagri codes, for tables that name regions instead of coding them
//! ("Sekayu", "KABUPATEN BOGOR", "Kec. Lais"). Matches are suggestions to show for confirmation, never
//! applied silently.

use serde::Serialize;

use satudata_core::region::{Level, RegionCode, Regions};

/// A suggested code for a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionMatch {
    /// The name as written.
    pub written: String,
    /// The suggested code (dotted).
    pub code: String,
    /// The region's display name ("Kecamatan Sekayu").
    pub region: String,
    /// Whether the name matched exactly (after dropping the kind and case); otherwise several regions
    /// share the name and `alternatives` lists them.
    pub exact: bool,
    /// Other regions with the same name, when it is not unique.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
}

/// Drop the kind in front ("Kabupaten", "Kab.", "Kota", "Kecamatan", "Kec.", "Desa", "Kelurahan", "Kel.")
/// and normalise case and spaces.
pub fn bare_name(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let mut s = lower.as_str();
    for prefix in [
        "kabupaten ",
        "kab. ",
        "kab ",
        "kota ",
        "kecamatan ",
        "kec. ",
        "kec ",
        "desa ",
        "kelurahan ",
        "kel. ",
        "kel ",
        "provinsi ",
        "prov. ",
        "prov ",
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest;
            break;
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Suggest codes for region names of `level`, optionally inside `within` (the home region). Names
/// without any match are left out. Never panics.
pub fn suggest_codes(
    names: &[&str],
    level: Level,
    within: Option<&RegionCode>,
) -> Vec<RegionMatch> {
    let regions = Regions::get();
    let candidates: Vec<_> = match within {
        Some(w) => regions.descendants(w, level),
        None => regions.all().iter().filter(|r| r.level == level).collect(),
    };
    let wants_kota = |n: &str| n.trim().to_lowercase().starts_with("kota ");
    let mut out = vec![];
    for &written in names {
        let bare = bare_name(written);
        if bare.is_empty() {
            continue;
        }
        let mut hits: Vec<_> = candidates
            .iter()
            .filter(|r| bare_name(&r.name) == bare)
            .collect();
        // "Kota Bogor" and "Kabupaten Bogor" share a bare name: the written kind decides.
        if hits.len() > 1 && level == Level::Kabupaten {
            let kota = wants_kota(written);
            hits.retain(|r| (r.kind == satudata_core::region::RegionKind::Kota) == kota);
        }
        let Some(first) = hits.first() else {
            continue;
        };
        out.push(RegionMatch {
            written: written.to_string(),
            code: first.code.dotted(),
            region: first.display_name(),
            exact: hits.len() == 1,
            alternatives: hits[1..]
                .iter()
                .map(|r| format!("{} {}", r.code.dotted(), r.display_name()))
                .collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_names_with_and_without_kinds() {
        let home = RegionCode::parse("16.06").unwrap();
        let m = suggest_codes(
            &["Sekayu", "Kec. Lais", "Atlantis"],
            Level::Kecamatan,
            Some(&home),
        );
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].code, "16.06.01");
        assert!(m[0].exact);
        let k = suggest_codes(&["KABUPATEN BOGOR", "KOTA BOGOR"], Level::Kabupaten, None);
        assert_eq!(k[0].code, "32.01");
        assert_eq!(k[1].code, "32.71");
    }
}
