//! Units (satuan) as tables write them: `JIWA`, `RIBU JIWA`, `Juta Rupiah`, and in headers, `Jumlah
//! (jiwa)`, `Penduduk (Ribu Jiwa)`. A unit is split into its base (`jiwa`) and a multiplier (1000).

/// Words that multiply a unit.
const MULTIPLIERS: &[(&str, f64)] = &[
    ("ratus", 100.0),
    ("ribu", 1e3),
    ("rb", 1e3),
    ("thousand", 1e3),
    ("juta", 1e6),
    ("jt", 1e6),
    ("million", 1e6),
    ("miliar", 1e9),
    ("milyar", 1e9),
    ("billion", 1e9),
    ("triliun", 1e12),
    ("trilyun", 1e12),
];

/// A unit split into base and multiplier.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// The base unit in lower case (`jiwa`, `rupiah`, `persen`); empty when only a multiplier was written.
    pub base: String,
    /// 1 when none was written.
    pub multiplier: f64,
}

/// Read a unit: `RIBU JIWA` → (`jiwa`, 1000); `%` → `persen`. Never panics.
pub fn parse_unit(raw: &str) -> Option<Unit> {
    let lower = raw.trim().to_lowercase();
    if lower.is_empty() || lower.len() > 60 {
        return None;
    }
    let mut multiplier = 1.0;
    let mut rest: Vec<&str> = vec![];
    for w in lower.split_whitespace() {
        match MULTIPLIERS
            .iter()
            .find(|(m, _)| *m == w.trim_end_matches('.'))
        {
            Some((_, f)) if rest.is_empty() => multiplier *= f,
            _ => rest.push(w),
        }
    }
    let base = rest.join(" ");
    let base = match base.as_str() {
        "%" | "persentase" | "percent" => "persen".to_string(),
        "rp" | "rp." | "idr" => "rupiah".to_string(),
        "orang" => "jiwa".to_string(),
        _ => base,
    };
    Some(Unit { base, multiplier })
}

/// The unit written in parentheses at the end of a header: `Jumlah Penduduk (Ribu Jiwa)` →
/// (`Jumlah Penduduk`, unit). Returns the label without the unit.
pub fn unit_from_label(label: &str) -> Option<(String, Unit)> {
    let t = label.trim();
    let open = t.rfind('(')?;
    let inner = t[open + 1..].strip_suffix(')')?;
    let unit = parse_unit(inner)?;
    // Years, numbering and notes in parentheses are not units.
    if unit.base.bytes().any(|b| b.is_ascii_digit()) || unit.base.len() > 25 {
        return None;
    }
    Some((t[..open].trim().to_string(), unit))
}

/// Whether two units are the same (base compared case-insensitively; "orang" = "jiwa").
pub fn same_unit(a: &Unit, b: &Unit) -> bool {
    a.base == b.base && (a.multiplier - b.multiplier).abs() < 1e-9 * a.multiplier.abs().max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_multipliers() {
        assert_eq!(
            parse_unit("RIBU JIWA"),
            Some(Unit {
                base: "jiwa".into(),
                multiplier: 1000.0
            })
        );
        assert_eq!(
            parse_unit("Juta Rupiah"),
            Some(Unit {
                base: "rupiah".into(),
                multiplier: 1e6
            })
        );
        assert_eq!(
            parse_unit("%"),
            Some(Unit {
                base: "persen".into(),
                multiplier: 1.0
            })
        );
        assert_eq!(parse_unit("JIWA").unwrap().multiplier, 1.0);
        assert_eq!(parse_unit(""), None);
    }

    #[test]
    fn finds_units_in_labels() {
        let (label, u) = unit_from_label("Jumlah Penduduk (Ribu Jiwa)").unwrap();
        assert_eq!(label, "Jumlah Penduduk");
        assert_eq!(
            u,
            Unit {
                base: "jiwa".into(),
                multiplier: 1000.0
            }
        );
        assert_eq!(unit_from_label("Jumlah (jiwa)").unwrap().1.base, "jiwa");
        assert!(unit_from_label("Penduduk (2020)").is_none());
        assert!(unit_from_label("Penduduk").is_none());
    }
}
