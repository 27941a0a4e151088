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
}

impl MissingValues {
    /// The schema's markers, plus [`INDONESIAN_MISSING`] when `indonesian` is set.
    pub fn new(schema: &[String], indonesian: bool) -> Self {
        let mut list: Vec<String> = schema.iter().filter(|s| !s.is_empty()).cloned().collect();
        if indonesian {
            list.extend(INDONESIAN_MISSING.iter().map(|s| s.to_string()));
        }
        MissingValues {
            list,
            empty: schema.iter().any(String::is_empty) || indonesian,
        }
    }

    /// Whether `raw` is missing. Surrounding spaces are ignored for the Indonesian markers, since a
    /// lone ` - ` in a spreadsheet is no different from `-`.
    pub fn is_missing(&self, raw: &str) -> bool {
        if raw.is_empty() {
            return self.empty;
        }
        // Missing markers are short; most cells are not: a cheap first test.
        if raw.len() > 8 && self.list.iter().all(|m| m.len() < raw.len()) {
            return false;
        }
        let t = raw.trim();
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
