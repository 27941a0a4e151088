//! Missing-value markers.

/// What Indonesian tables write for "no data" besides an empty cell: a dash, an ellipsis, NA and its
/// variants. BPS also writes `-` for "nil" (zero); a field says so with `zeroValues`.
pub const INDONESIAN_MISSING: &[&str] = &[
    "-", "–", "—", "…", "...", "NA", "N/A", "n/a", "na", "n.a.", "N.A.", "#N/A",
];

/// The missing-value markers of one column.
#[derive(Debug, Clone)]
pub struct MissingValues {
    list: Vec<String>,
    empty: bool,
    /// First bytes of the markers: a cell starting with any other (non-space) byte is not missing.
    first: [bool; 256],
    longest: usize,
}

impl MissingValues {
    /// The schema's markers, plus [`INDONESIAN_MISSING`] when `indonesian` is set.
    pub fn new(schema: &[String], indonesian: bool) -> Self {
        let mut list: Vec<String> = schema.iter().filter(|s| !s.is_empty()).cloned().collect();
        if indonesian {
            list.extend(INDONESIAN_MISSING.iter().map(|s| s.to_string()));
        }
        let mut first = [false; 256];
        for m in &list {
            for b in [
                m.as_bytes()[0],
                m.trim().as_bytes().first().copied().unwrap_or(b' '),
            ] {
                first[b as usize] = true;
            }
        }
        let longest = list.iter().map(String::len).max().unwrap_or(0);
        MissingValues {
            list,
            empty: schema.iter().any(String::is_empty) || indonesian,
            first,
            longest,
        }
    }

    /// Whether `raw` is missing. Surrounding spaces are ignored for the Indonesian markers, since a
    /// lone ` - ` in a spreadsheet is no different from `-`.
    pub fn is_missing(&self, raw: &str) -> bool {
        if raw.is_empty() {
            return self.empty;
        }
        // Most cells are not missing: rule them out by their first byte.
        let b0 = raw.as_bytes()[0];
        if !b0.is_ascii_whitespace() && !self.first[b0 as usize] {
            return false;
        }
        let t = raw.trim();
        if t.len() > self.longest {
            return t.is_empty() && self.empty;
        }
        if t.is_empty() {
            return self.empty;
        }
        self.list.iter().any(|m| m == raw || m == t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_and_indonesian_markers() {
        let m = MissingValues::new(&["".into(), "x".into()], true);
        assert!(m.is_missing(""));
        assert!(m.is_missing("x"));
        assert!(m.is_missing(" n.a. "));
        assert!(!m.is_missing("0"));
        let strict = MissingValues::new(&["".into()], false);
        assert!(!strict.is_missing("-"));
        assert!(strict.is_missing(""));
        let none = MissingValues::new(&[], false);
        assert!(!none.is_missing(""));
    }
}
