//! Reading boundary files: a GeoJSON `FeatureCollection` of region polygons → one boundary per
//! Kemendagri code, with a simplified copy for maps. Pure (text in, records out), shared by
//! `satudata boundaries load`, the admin API and the demo.
//!
//! - **The code** comes from a property: the one named by the caller, else the first of
//!   [`CODE_PROPERTIES`] whose value reads as a Kemendagri code (`code` in the files of
//!   `shared/reference/boundaries`). Codes must exist in the embedded Kemendagri list.
//! - **Without a code**, a feature is matched **by name** among the regions of the given level
//!   inside the home region (ignoring case, `Desa`/`Kelurahan` prefixes and punctuation); a name
//!   that is missing, unknown or shared by two regions leaves the feature **unmatched**, listed with
//!   the reason — never guessed.

use std::collections::HashMap;

use satudata_core::region::{Level, RegionCode, Regions};
use serde_json::Value;

use crate::simplify::simplify_geometry;

/// Property names tried for the region code, in order.
pub const CODE_PROPERTIES: &[&str] = &[
    "code",
    "kode",
    "kode_wilayah",
    "kd_wilayah",
    "kode_kemendagri",
    "kdepum",
    "KDEPUM",
    "KODE",
    "kode_desa",
    "kode_kec",
    "KODE_DESA",
    "KODE_KEC",
    "id",
];
/// Property names tried for the region name, in order.
pub const NAME_PROPERTIES: &[&str] = &[
    "name",
    "nama",
    "NAMOBJ",
    "nama_desa",
    "NAMA_DESA",
    "desa",
    "DESA",
    "WADMKD",
    "nama_kec",
    "kecamatan",
    "KECAMATAN",
    "WADMKC",
    "NAMA",
];
/// Douglas–Peucker tolerance of the stored simplified copy, in degrees (≈ 33 m).
pub const STORED_TOLERANCE: f64 = 0.0003;
/// Decimals kept in the simplified copy (5 ≈ 1 m).
pub const STORED_DECIMALS: i32 = 5;

/// One boundary read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedBoundary {
    /// Dotted Kemendagri code.
    pub code: String,
    pub level: Level,
    /// The name in the Kemendagri list (the file's spelling may differ).
    pub name: String,
    /// The geometry as in the file (GeoJSON text).
    pub geometry: String,
    /// The simplified copy (GeoJSON `MultiPolygon` text).
    pub simplified: String,
    /// Whether the code came from the name (not from a code property).
    pub matched_by_name: bool,
}

/// A feature that could not be used, and why (Bahasa Indonesia).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Unmatched {
    /// 1-based position of the feature in the file.
    pub feature: usize,
    /// Its name property, if any.
    pub name: Option<String>,
    pub reason: String,
}

/// What a file gave.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoImport {
    pub boundaries: Vec<ImportedBoundary>,
    pub unmatched: Vec<Unmatched>,
    /// The property the codes were read from (`None`: matched by name only).
    pub code_property: Option<String>,
}

/// Options of [`read_boundaries`].
#[derive(Debug, Clone, Default)]
pub struct GeoOptions {
    /// Only features of this level (and the level to match names at); `None`: the level of each code.
    pub level: Option<Level>,
    /// The code property; `None`: recognised from [`CODE_PROPERTIES`].
    pub code_property: Option<String>,
    /// Where names are matched (the instance's home region).
    pub home: Option<RegionCode>,
}

fn normalise(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut s = lower.trim();
    for p in [
        "desa ",
        "kelurahan ",
        "kel. ",
        "kel ",
        "kecamatan ",
        "kec. ",
        "kec ",
    ] {
        if let Some(rest) = s.strip_prefix(p) {
            s = rest.trim();
        }
    }
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

fn prop_text(props: &Value, key: &str) -> Option<String> {
    match props.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The region's name without its kind ("Sekayu", not "Kecamatan Sekayu"); names written in
/// capitals (regencies) in their display form.
pub fn plain_name(region: &satudata_core::region::Region) -> String {
    if region.name.chars().any(char::is_lowercase) {
        region.name.clone()
    } else {
        region.display_name()
    }
}

/// Read a GeoJSON `FeatureCollection` (or one `Feature`) of region polygons. Errors that make the
/// whole file unusable (not JSON, not GeoJSON, an unknown code property) are `Err` with a message
/// in Bahasa Indonesia; features that cannot be placed are listed in [`GeoImport::unmatched`].
pub fn read_boundaries(text: &str, opts: &GeoOptions) -> Result<GeoImport, String> {
    read_boundaries_with(text, opts, &mut |_, _| {})
}

/// [`read_boundaries`], calling `progress(done, total)` after each feature (for progress bars).
pub fn read_boundaries_with(
    text: &str,
    opts: &GeoOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<GeoImport, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "berkas bukan JSON yang sah (baris {}, kolom {}): {e}",
            e.line(),
            e.column()
        )
    })?;
    let features: Vec<&Value> = match doc.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => doc
            .get("features")
            .and_then(Value::as_array)
            .ok_or("FeatureCollection tanpa larik 'features'")?
            .iter()
            .collect(),
        Some("Feature") => vec![&doc],
        Some(other) => {
            return Err(format!(
                "GeoJSON bertipe '{other}'; yang diterima FeatureCollection atau Feature berisi Polygon/MultiPolygon"
            ))
        }
        None => return Err("bukan GeoJSON: tidak ada 'type' FeatureCollection".to_string()),
    };
    let regions = Regions::get();
    let empty = Value::Object(Default::default());
    let props_of = |f: &Value| {
        f.get("properties")
            .filter(|p| p.is_object())
            .unwrap_or(&empty)
            .clone()
    };
    let code_property = match &opts.code_property {
        Some(p) => {
            if !features
                .iter()
                .any(|f| prop_text(&props_of(f), p).is_some())
            {
                let known: Vec<String> = features
                    .first()
                    .and_then(|f| f.get("properties"))
                    .and_then(Value::as_object)
                    .map(|o| o.keys().cloned().collect())
                    .unwrap_or_default();
                return Err(format!(
                    "tidak ada fitur dengan properti '{p}'; properti yang ada: {}",
                    known.join(", ")
                ));
            }
            Some(p.clone())
        }
        None => CODE_PROPERTIES
            .iter()
            .find(|p| {
                features.iter().any(|f| {
                    prop_text(&props_of(f), p)
                        .and_then(|c| RegionCode::parse(&c).ok())
                        .is_some_and(|c| regions.by_code(&c).is_some())
                })
            })
            .map(|p| p.to_string()),
    };
    // Names of the regions of the level inside home, for matching by name.
    let mut by_name: HashMap<String, Vec<RegionCode>> = HashMap::new();
    if let (Some(level), Some(home)) = (opts.level, &opts.home) {
        let mut stack = vec![*home];
        while let Some(c) = stack.pop() {
            for r in regions.children(&c) {
                if r.code.level() == level {
                    by_name.entry(normalise(&r.name)).or_default().push(r.code);
                } else if r.code.level() < level {
                    stack.push(r.code);
                }
            }
        }
    }

    let mut out = GeoImport {
        boundaries: vec![],
        unmatched: vec![],
        code_property: code_property.clone(),
    };
    let total = features.len();
    for (i, f) in features.iter().enumerate() {
        progress(i, total);
        let props = props_of(f);
        let name = NAME_PROPERTIES.iter().find_map(|k| prop_text(&props, k));
        let miss = |reason: String| Unmatched {
            feature: i + 1,
            name: name.clone(),
            reason,
        };
        let geometry = match f.get("geometry") {
            Some(g) if g.is_object() => g,
            _ => {
                out.unmatched.push(miss("fitur tanpa geometri".to_string()));
                continue;
            }
        };
        let code_text = code_property.as_deref().and_then(|p| prop_text(&props, p));
        let (code, by_name_match) = match code_text {
            Some(t) => match RegionCode::parse(&t) {
                Ok(c) => (c, false),
                Err(e) => {
                    out.unmatched
                        .push(miss(format!("kode '{t}' tidak sah: {e}")));
                    continue;
                }
            },
            None => {
                let Some(n) = &name else {
                    out.unmatched
                        .push(miss("tanpa kode dan tanpa nama".to_string()));
                    continue;
                };
                if opts.level.is_none() || opts.home.is_none() {
                    out.unmatched.push(miss(
                        "tanpa kode; untuk mencocokkan nama, sebutkan --level dan wilayah induk"
                            .to_string(),
                    ));
                    continue;
                }
                match by_name.get(&normalise(n)).map(Vec::as_slice) {
                    Some([one]) => (*one, true),
                    Some(many) if many.len() > 1 => {
                        let codes: Vec<String> = many.iter().map(|c| c.dotted()).collect();
                        out.unmatched.push(miss(format!(
                            "nama '{n}' dipakai {} wilayah ({}); beri kode",
                            many.len(),
                            codes.join(", ")
                        )));
                        continue;
                    }
                    _ => {
                        out.unmatched.push(miss(format!(
                            "nama '{n}' tidak ditemukan di antara {} di wilayah {}",
                            opts.level.map(Level::label_id).unwrap_or(""),
                            opts.home
                                .as_ref()
                                .map(RegionCode::dotted)
                                .unwrap_or_default()
                        )));
                        continue;
                    }
                }
            }
        };
        if let Some(level) = opts.level {
            if code.level() != level {
                // Another level in a mixed file: not asked for.
                if !by_name_match {
                    continue;
                }
            }
        }
        let Some(region) = regions.by_code(&code) else {
            out.unmatched.push(miss(format!(
                "kode {} tidak ada di daftar kode wilayah Kemendagri",
                code.dotted()
            )));
            continue;
        };
        if let Some(home) = &opts.home {
            if !code.is_within(home) {
                out.unmatched.push(miss(format!(
                    "kode {} di luar wilayah induk {}",
                    code.dotted(),
                    home.dotted()
                )));
                continue;
            }
        }
        let simplified = match simplify_geometry(geometry, STORED_TOLERANCE, STORED_DECIMALS) {
            Ok(s) => s,
            Err(e) => {
                out.unmatched
                    .push(miss(format!("geometri {}: {e}", code.dotted())));
                continue;
            }
        };
        out.boundaries.push(ImportedBoundary {
            code: code.dotted(),
            level: code.level(),
            name: plain_name(region),
            geometry: geometry.to_string(),
            simplified: simplified.to_string(),
            matched_by_name: by_name_match,
        });
    }
    progress(total, total);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fc(features: &[Value]) -> String {
        serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
    }

    fn sq() -> Value {
        serde_json::json!({"type": "Polygon", "coordinates": [[[103.0, -2.5], [103.1, -2.5], [103.1, -2.4], [103.0, -2.4], [103.0, -2.5]]]})
    }

    #[test]
    fn codes_names_and_unmatched() {
        let text = fc(&[
            serde_json::json!({"type": "Feature", "properties": {"code": "16.06.01.2001", "name": "Sukarami"}, "geometry": sq()}),
            serde_json::json!({"type": "Feature", "properties": {"name": "Kelurahan Kayu Ara"}, "geometry": sq()}),
            serde_json::json!({"type": "Feature", "properties": {"name": "Tidak Ada Desa Ini"}, "geometry": sq()}),
            serde_json::json!({"type": "Feature", "properties": {"code": "16.06.01.2001x"}, "geometry": sq()}),
            serde_json::json!({"type": "Feature", "properties": {"code": "15.08.01.2001"}, "geometry": sq()}),
            serde_json::json!({"type": "Feature", "properties": {"code": "16.06.01.2002"}, "geometry": {"type": "Point", "coordinates": [1, 2]}}),
            serde_json::json!({"type": "Feature", "properties": {"code": "16.06.01.2003"}}),
        ]);
        let opts = GeoOptions {
            level: Some(Level::Desa),
            code_property: None,
            home: Some(RegionCode::parse("16.06").unwrap()),
        };
        let r = read_boundaries(&text, &opts).unwrap();
        assert_eq!(r.code_property.as_deref(), Some("code"));
        let codes: Vec<(&str, bool)> = r
            .boundaries
            .iter()
            .map(|b| (b.code.as_str(), b.matched_by_name))
            .collect();
        assert_eq!(
            codes,
            vec![("16.06.01.2001", false), ("16.06.01.1009", true)]
        );
        let reasons: Vec<(usize, &str)> = r
            .unmatched
            .iter()
            .map(|u| (u.feature, u.reason.as_str()))
            .collect();
        assert_eq!(reasons.len(), 5, "{reasons:?}");
        assert!(reasons[0].1.contains("tidak ditemukan"), "{reasons:?}");
        assert!(reasons[1].1.contains("tidak sah"));
        assert!(reasons[2].1.contains("di luar wilayah induk"));
        assert!(reasons[3].1.contains("Point"));
        assert!(reasons[4].1.contains("tanpa geometri"));
    }

    #[test]
    fn whole_file_errors() {
        let o = GeoOptions::default();
        assert!(read_boundaries("{", &o).unwrap_err().contains("bukan JSON"));
        assert!(read_boundaries("{\"type\":\"Polygon\"}", &o)
            .unwrap_err()
            .contains("Polygon"));
        let o = GeoOptions {
            code_property: Some("KODE_X".into()),
            ..GeoOptions::default()
        };
        let e = read_boundaries(&fc(&[serde_json::json!({"type": "Feature", "properties": {"code": "16.06"}, "geometry": sq()})]), &o).unwrap_err();
        assert!(e.contains("KODE_X") && e.contains("code"), "{e}");
    }
}
