//! CKAN's `sort` parameter: `metadata_modified desc`, `name asc`, `score desc, metadata_modified
//! desc` (the default), `id asc` (what the CKAN harvester pages by), …

/// What a dataset list can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortField {
    /// Relevance. Text search has no ranking yet, so it orders nothing and the next key decides.
    Score,
    MetadataModified,
    MetadataCreated,
    /// The slug.
    Name,
    /// The title (`title_string`).
    Title,
    Id,
}

/// One key of a sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SortKey {
    pub field: SortField,
    pub descending: bool,
}

/// CKAN's default sort.
pub const DEFAULT_SORT: &str = "score desc, metadata_modified desc";

/// Parse a `sort` value. Errors are CKAN's `Search Query Error` ('Invalid "sort" parameter').
pub fn parse(input: &str) -> Result<Vec<SortKey>, super::fq::FqError> {
    let bad = |why: String| super::fq::FqError {
        message: format!("Invalid \"sort\" parameter: {why}"),
    };
    let mut keys = vec![];
    for part in input.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let mut words = part.split_whitespace();
        let name = words.next().unwrap_or("");
        let dir = words.next().unwrap_or("");
        if words.next().is_some() {
            return Err(bad(format!("'{part}'")));
        }
        let field = match name {
            "score" => SortField::Score,
            "metadata_modified" => SortField::MetadataModified,
            "metadata_created" => SortField::MetadataCreated,
            "name" => SortField::Name,
            "title_string" | "title" => SortField::Title,
            "id" => SortField::Id,
            other => {
                return Err(bad(format!(
                    "kolom '{other}' tidak dapat dipakai untuk mengurutkan"
                )))
            }
        };
        let descending = match dir.to_ascii_lowercase().as_str() {
            "asc" => false,
            "desc" => true,
            _ => {
                return Err(bad(format!(
                    "Can't determine a Sort Order (asc or desc) in sort spec '{part}'"
                )))
            }
        };
        keys.push(SortKey { field, descending });
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ckan_sorts() {
        assert_eq!(
            parse(DEFAULT_SORT).unwrap(),
            vec![
                SortKey {
                    field: SortField::Score,
                    descending: true
                },
                SortKey {
                    field: SortField::MetadataModified,
                    descending: true
                }
            ]
        );
        assert_eq!(
            parse("name asc").unwrap(),
            vec![SortKey {
                field: SortField::Name,
                descending: false
            }]
        );
        assert_eq!(parse("id asc").unwrap()[0].field, SortField::Id);
        assert_eq!(
            parse("title_string ASC").unwrap()[0].field,
            SortField::Title
        );
        assert!(parse("").unwrap().is_empty());
    }

    #[test]
    fn bad_sorts_are_refused() {
        assert!(parse("name")
            .unwrap_err()
            .message
            .contains("Invalid \"sort\""));
        assert!(parse("colour asc").is_err());
        assert!(parse("name up").is_err());
        assert!(parse("name asc extra").is_err());
    }
}
