//! Region codes as files write them: dotted (`32.01`), undotted (`3201`), and as spreadsheets export
//! them, as floats (`3201.0`, `1606012001.0`, `1.606012001E+09`).

use satudata_core::region::{RegionCode, RegionCodeError};

/// Read a Kemendagri region code written in any of the forms above. Never panics.
///
/// A 7- or 10-digit BPS-style code cannot be told from a Kemendagri one by form alone for desa; a 7-digit
/// code (BPS kecamatan `PPKKCCC`) is rejected with a reason that names BPS.
pub fn parse_region_code(raw: &str) -> Result<RegionCode, RegionCodeError> {
    let t = raw.trim();
    let err = |reason| RegionCodeError {
        input: raw.to_string(),
        reason,
    };
    if t.is_empty() {
        return Err(err("kosong"));
    }
    if t.len() > 40 {
        return Err(err("terlalu panjang"));
    }
    // Float forms: digits, a point, zeros only ("3201.0", "1606012001.00").
    if let Some((int, frac)) = t.split_once('.') {
        let int_ok = matches!(int.len(), 2 | 4 | 6 | 10) && int.bytes().all(|b| b.is_ascii_digit());
        if int_ok && !frac.is_empty() && frac.bytes().all(|b| b == b'0') && !frac.contains('.') {
            // "32.00"-like is ambiguous with a dotted code only when frac has exactly two digits and int two:
            // "32.00" is not a valid dotted code either way (kabupaten 00 does not exist), so reading it as
            // the float 32 is the only sensible reading.
            return RegionCode::parse(int);
        }
    }
    // Exponent forms ("1.606012001E+09").
    if t.contains(['e', 'E']) {
        if let Ok(v) = t.parse::<f64>() {
            if v.is_finite() && v > 0.0 && v.fract() == 0.0 && v < 1e10 {
                return RegionCode::parse(&format!("{}", v as u64));
            }
        }
        return Err(err("bukan angka kode wilayah"));
    }
    if t.len() == 7 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(
            "7 angka adalah bentuk kode kecamatan BPS; pakai kode Kemendagri 6 angka (PP.KK.CC)",
        ));
    }
    RegionCode::parse(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_written_form() {
        for (s, want) in [
            ("32.01", "32.01"),
            ("3201", "32.01"),
            ("3201.0", "32.01"),
            ("32", "32"),
            ("32.0", "32"),
            ("1606012001.0", "16.06.01.2001"),
            ("1606012001", "16.06.01.2001"),
            ("16.06.01.2001", "16.06.01.2001"),
            ("1.606012001E+09", "16.06.01.2001"),
            (" 160601 ", "16.06.01"),
        ] {
            assert_eq!(
                parse_region_code(s).map(|c| c.dotted()).as_deref(),
                Ok(want),
                "{s}"
            );
        }
    }

    #[test]
    fn rejects_with_reasons() {
        assert!(parse_region_code("1606010")
            .unwrap_err()
            .reason
            .contains("BPS"));
        for s in ["", "abc", "3.2", "320", "1e400", "-3201", "32.01.0"] {
            assert!(parse_region_code(s).is_err(), "{s}");
        }
    }
}
