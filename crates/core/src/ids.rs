//! Identifiers. Every record gets a UUIDv7: time-ordered (good for B-tree indexes) and safe to mint
//! offline, so a village node can create records before it ever talks to the regency server.

/// The id type of every record.
pub type Id = uuid::Uuid;

/// Mint a new time-ordered id.
pub fn new_id() -> Id {
    uuid::Uuid::now_v7()
}

/// Turn a title into a URL slug: lower-case ASCII letters, digits and single dashes.
///
/// ```
/// assert_eq!(satudata_core::ids::slugify("Jumlah Penduduk (Jiwa) 2024"), "jumlah-penduduk-jiwa-2024");
/// ```
pub fn slugify(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut dash = false;
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Whether a string is a valid slug (what [`slugify`] produces; 2 to 100 characters).
pub fn is_valid_slug(s: &str) -> bool {
    (2..=100).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !s.starts_with('-')
        && !s.ends_with('-')
}
