//! Region codes as files write them: dotted (`32.01`), undotted (`3201`), and as spreadsheets export
//! them, as floats (`3201.0`, `1606012001.0`, `1.606012001E+09`).

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use satudata_core::region::{RegionCode, RegionCodeError, Regions};

/// A region code as a number plus its digit count, for fast look-ups: `(digits value, digit count)`.
pub type CodeKey = (u64, u8);

/// Read the digits of a code written plainly (`1606012001`) or properly dotted (`16.06.01.2001`)
/// without allocating. Anything else (floats, spaces inside, wrong dots) gives `None`: the caller falls
/// back to [`parse_region_code`], which also explains what is wrong.
pub fn fast_code_key(t: &str) -> Option<CodeKey> {
    let b = t.as_bytes();
    if b.is_empty() || b.len() > 13 {
        return None;
    }
    let mut val: u64 = 0;
    let mut n: u8 = 0;
    let mut dots = 0;
    let mut prev_digit = false;
    for &c in b {
        if c.is_ascii_digit() {
            val = val * 10 + (c - b'0') as u64;
            n += 1;
            prev_digit = true;
        } else if c == b'.' && prev_digit && matches!(n, 2 | 4 | 6) && dots == (n / 2 - 1) {
            dots += 1;
            prev_digit = false;
        } else {
            return None;
        }
    }
    let groups_ok = dots == 0
        || dots
            == match n {
                4 => 1,
                6 => 2,
                10 => 3,
                _ => 99,
            };
    (matches!(n, 2 | 4 | 6 | 10) && prev_digit && groups_ok).then_some((val, n))
}

/// Multiply-shift hashing for integer keys (the keys are not attacker-chosen in a way that matters:
/// the set is fixed and known).
#[derive(Default)]
struct IntHasher(u64);

impl Hasher for IntHasher {
    fn finish(&self) -> u64 {
        // MurmurHash3's finaliser: every output bit depends on every input bit, so the table's index
        // bits (low) and tag bits (high) are both well spread.
        let mut k = self.0;
        k ^= k >> 33;
        k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
        k ^= k >> 33;
        k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        k ^ (k >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u8(&mut self, v: u8) {
        self.write_u64(v as u64);
    }
}

fn known_codes() -> &'static HashSet<CodeKey, BuildHasherDefault<IntHasher>> {
    static SET: OnceLock<HashSet<CodeKey, BuildHasherDefault<IntHasher>>> = OnceLock::new();
    // Built from the embedded files' code column, not from `Regions::get()`: that parses and indexes
    // every name too (≈ 300 M instructions, a tenth of validating 200,000 rows), which the fast path
    // never needs.
    SET.get_or_init(|| {
        let mut set = HashSet::with_capacity_and_hasher(92_000, Default::default());
        set.extend(Regions::embedded_codes().filter_map(fast_code_key));
        set
    })
}

/// Whether the code exists in the Kemendagri registry.
pub fn code_exists(key: CodeKey) -> bool {
    known_codes().contains(&key)
}

/// Whether `code` is `home` or lies inside it.
pub fn key_within(code: CodeKey, home: CodeKey) -> bool {
    code.1 >= home.1 && code.0 / 10u64.pow((code.1 - home.1) as u32) == home.0
}

/// Append the dotted form of a code written (validly, see [`fast_code_key`]) as `t` to `out`, from
/// its digits: no arithmetic, one append.
pub fn push_dotted_text(t: &str, out: &mut String) {
    // The two ways files write codes, appended without a character loop (every region cell of a
    // valid file takes one of these).
    let b = t.as_bytes();
    let digits_at = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
    match b.len() {
        // Already dotted: `16`, `16.06`, `16.06.01`, `16.06.01.2001`.
        2 | 5 | 8 | 13
            if digits_at(0..2)
                && [2, 5, 8]
                    .iter()
                    .filter(|&&i| i < b.len())
                    .all(|&i| b[i] == b'.' && digits_at(i + 1..(i + 3).min(b.len())))
                && (b.len() < 13 || digits_at(11..13)) =>
        {
            out.push_str(t);
            return;
        }
        // Undotted: `1606012001` and its prefixes.
        4 | 6 | 10 if digits_at(0..b.len()) => {
            out.push_str(&t[..2]);
            for (a, z) in [(2, 4), (4, 6), (6, 10)] {
                if z > b.len() {
                    break;
                }
                out.push('.');
                out.push_str(&t[a..z]);
            }
            return;
        }
        _ => {}
    }
    let mut buf = [b'.'; 13];
    let mut n = 0;
    let mut digits = 0;
    for &b in t.as_bytes() {
        if b.is_ascii_digit() && n < buf.len() {
            if matches!(digits, 2 | 4 | 6) {
                n += 1; // keep the dot
            }
            if n < buf.len() {
                buf[n] = b;
            }
            n += 1;
            digits += 1;
        }
    }
    out.push_str(std::str::from_utf8(&buf[..n.min(buf.len())]).unwrap_or_default());
}

/// Append the dotted form of a code to `out`.
pub fn push_dotted_key(key: CodeKey, out: &mut String) {
    let mut digits = [b'0'; 10];
    let n = key.1.min(10) as usize;
    let mut v = key.0;
    for i in (0..n).rev() {
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    for (i, (a, b)) in [(0, 2), (2, 4), (4, 6), (6, 10)].into_iter().enumerate() {
        if b > n {
            break;
        }
        if i > 0 {
            out.push('.');
        }
        for &d in &digits[a..b] {
            out.push(d as char);
        }
    }
}

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
    fn fast_keys_match_the_registry() {
        assert_eq!(fast_code_key("16.06.01.2001"), Some((1606012001, 10)));
        assert_eq!(fast_code_key("1606012001"), Some((1606012001, 10)));
        assert_eq!(fast_code_key("16.06"), Some((1606, 4)));
        for bad in [
            "16.0601",
            "1.606",
            "16..06",
            "16.06.",
            "3201.0",
            "",
            "123",
            "16.06.01.20.01",
        ] {
            assert_eq!(fast_code_key(bad), None, "{bad}");
        }
        assert!(code_exists((1606012001, 10)));
        assert!(!code_exists((1606019999, 10)));
        assert!(key_within((1606012001, 10), (1606, 4)));
        assert!(!key_within((1607012001, 10), (1606, 4)));
        let mut s = String::new();
        push_dotted_key((1606012001, 10), &mut s);
        assert_eq!(s, "16.06.01.2001");
        for t in [
            "1606012001",
            "16.06.01.2001",
            "16",
            "1606",
            "16.06",
            "160601",
            "16.06.01",
        ] {
            let mut a = String::new();
            push_dotted_text(t, &mut a);
            let mut b = String::new();
            push_dotted_key(fast_code_key(t).unwrap(), &mut b);
            assert_eq!(a, b, "{t}");
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
