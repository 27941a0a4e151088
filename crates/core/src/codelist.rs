//! Code lists (kode referensi): jenis kelamin, agama, status perkawinan, jenjang pendidikan, …
//!
//! A code list lives in the catalogue under a slug, with versions: a change never rewrites a
//! published list, it adds version N + 1, so that a table validated against version N stays
//! explainable. A Table Schema points at a code list with a Frictionless foreign key whose
//! `reference.resource` is [`RESOURCE_PREFIX`] + slug (optionally `@version`), or with satudata's
//! field extension `"codelist": "slug"` (see [`crate::schema::Field::codelist`]).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::is_valid_slug;
use crate::Id;

/// The prefix that marks a foreign key's `reference.resource` as a code list: `codelist:agama`.
/// A reference without it names a code list too when no resource of the package has that name.
pub const RESOURCE_PREFIX: &str = "codelist:";

/// Most codes one list may hold (KBLI 2020, the largest common Indonesian code list, has about 1,800).
pub const MAX_CODES: usize = 100_000;

/// One code and its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Code {
    /// The code as written in data, e.g. `1`.
    pub code: String,
    /// Its meaning in Bahasa Indonesia, e.g. `Laki-laki`.
    pub label: String,
    /// Its meaning in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
}

/// What a caller gives for a new code list or a new version of one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeListMeta {
    /// Lower-case name, e.g. `jenis-kelamin`; the same for every version.
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Who defines the codes (e.g. `BPS, Susenas`).
    #[serde(default)]
    pub source: String,
    pub codes: Vec<Code>,
}

/// One version of a code list, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeList {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub id: Id,
    #[serde(flatten)]
    pub meta: CodeListMeta,
    /// 1 for the first version, then one more for each change.
    pub version: i32,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Uuid))]
    pub created_by: Option<Id>,
    pub created_at: DateTime<Utc>,
}

impl CodeListMeta {
    /// Check the list; problems as (field, message in Bahasa Indonesia).
    pub fn check(&self) -> Result<(), Vec<(String, String)>> {
        let mut problems = vec![];
        if !is_valid_slug(&self.slug) {
            problems.push((
                "slug".into(),
                "Slug hanya boleh huruf kecil, angka, '-' dan '_' (2–100 karakter), misalnya 'jenis-kelamin'.".into(),
            ));
        }
        if self.title.trim().is_empty() {
            problems.push(("title".into(), "Judul daftar kode wajib diisi.".into()));
        }
        if self.codes.is_empty() {
            problems.push((
                "codes".into(),
                "Daftar kode kosong; isi paling sedikit satu kode.".into(),
            ));
        }
        if self.codes.len() > MAX_CODES {
            problems.push((
                "codes".into(),
                format!(
                    "Daftar kode terlalu panjang ({} kode; paling banyak {MAX_CODES}).",
                    self.codes.len()
                ),
            ));
        }
        let mut seen = HashSet::new();
        for (i, c) in self.codes.iter().enumerate() {
            if c.code.trim().is_empty() || c.code.trim() != c.code {
                problems.push((
                    format!("codes[{i}].code"),
                    format!(
                        "Kode ke-{} kosong atau diawali/diakhiri spasi: '{}'.",
                        i + 1,
                        c.code
                    ),
                ));
            } else if !seen.insert(c.code.as_str()) {
                problems.push((
                    format!("codes[{i}].code"),
                    format!("Kode '{}' muncul lebih dari sekali.", c.code),
                ));
            }
            if c.label.trim().is_empty() {
                problems.push((
                    format!("codes[{i}].label"),
                    format!("Kode '{}' tidak punya label.", c.code),
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The codes, for checking cells.
    pub fn allowed(&self) -> HashSet<String> {
        self.codes.iter().map(|c| c.code.clone()).collect()
    }
}

/// A reference to a code list: a slug and, optionally, a pinned version (`agama@2`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CodeListRef {
    pub slug: String,
    /// `None`: the newest version.
    pub version: Option<i32>,
}

impl CodeListRef {
    /// Parse `slug`, `slug@N`, optionally prefixed by [`RESOURCE_PREFIX`]; `None` if it is not a
    /// valid reference.
    pub fn parse(s: &str) -> Option<CodeListRef> {
        let s = s.trim();
        let s = s.strip_prefix(RESOURCE_PREFIX).unwrap_or(s);
        let (slug, version) = match s.split_once('@') {
            Some((slug, v)) => (slug, Some(v.parse::<i32>().ok().filter(|v| *v >= 1)?)),
            None => (s, None),
        };
        is_valid_slug(slug).then(|| CodeListRef {
            slug: slug.to_string(),
            version,
        })
    }
}

impl std::fmt::Display for CodeListRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.version {
            Some(v) => write!(f, "{}@{v}", self.slug),
            None => f.write_str(&self.slug),
        }
    }
}

/// The standard code lists satudata ships (and the demo seeds): real codes used in Indonesian
/// population data. An instance's own versions in the catalogue take precedence over these.
pub fn standard() -> Vec<CodeListMeta> {
    [
        include_str!("../data/codelists/jenis-kelamin.json"),
        include_str!("../data/codelists/agama.json"),
        include_str!("../data/codelists/status-perkawinan.json"),
        include_str!("../data/codelists/jenjang-pendidikan.json"),
    ]
    .iter()
    .map(|s| serde_json::from_str(s).expect("bundled code lists are valid JSON"))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_lists_are_valid() {
        let lists = standard();
        assert_eq!(lists.len(), 4);
        for l in &lists {
            l.check().unwrap_or_else(|p| panic!("{}: {p:?}", l.slug));
        }
        let jk = &lists[0];
        assert_eq!(jk.slug, "jenis-kelamin");
        assert!(jk.allowed().contains("2"));
    }

    #[test]
    fn references_parse() {
        assert_eq!(
            CodeListRef::parse("codelist:agama@2"),
            Some(CodeListRef {
                slug: "agama".into(),
                version: Some(2)
            })
        );
        assert_eq!(
            CodeListRef::parse("jenis-kelamin").unwrap().to_string(),
            "jenis-kelamin"
        );
        assert_eq!(CodeListRef::parse("agama@0"), None);
        assert_eq!(CodeListRef::parse("Agama"), None);
        assert_eq!(CodeListRef::parse(""), None);
    }

    #[test]
    fn check_names_every_problem() {
        let mut l = standard().remove(0);
        l.codes.push(Code {
            code: "1".into(),
            label: String::new(),
            label_en: None,
        });
        l.codes.push(Code {
            code: " 3".into(),
            label: "x".into(),
            label_en: None,
        });
        let p = l.check().unwrap_err();
        let fields: Vec<&str> = p.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["codes[2].code", "codes[2].label", "codes[3].code"]);
    }
}
