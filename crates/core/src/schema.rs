//! Frictionless Table Schema (v2), the subset real tabular data needs, with satudata's extensions
//! kept as extra field properties so that any Frictionless tool still reads the schema:
//! `unit` (satuan), `multiplier` (e.g. 1000 for "RIBU JIWA"), `regionLevel` (a region-code field)
//! and `period` (the field that says which period a row is about).

use serde::{Deserialize, Serialize};

use crate::region::Level;

/// A Table Schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TableSchema {
    pub fields: Vec<Field>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    pub primary_key: Vec<String>,
    #[serde(default = "default_missing_values")]
    pub missing_values: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
}

fn default_missing_values() -> Vec<String> {
    vec![String::new()]
}

/// `primaryKey` may be a string or a list of strings.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// A foreign key to a code list (`reference.resource` = `codelist:<slug>` or `codelist:<slug>@<version>`;
/// see [`crate::codelist`]) or another resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForeignKey {
    #[serde(deserialize_with = "one_or_many")]
    pub fields: Vec<String>,
    pub reference: ForeignKeyReference,
}

/// The target of a foreign key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForeignKeyReference {
    #[serde(default)]
    pub resource: String,
    #[serde(deserialize_with = "one_or_many")]
    pub fields: Vec<String>,
}

/// A field (column) of a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Field {
    pub name: String,
    #[serde(rename = "type", default)]
    pub field_type: FieldType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
    /// Values read as `true` (boolean fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub true_values: Option<Vec<String>>,
    /// Values read as `false` (boolean fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub false_values: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimal_char: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_char: Option<String>,
    /// Field-level missing values (override the schema's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_values: Option<Vec<String>>,
    /// satudata: satuan (unit) of the values, e.g. `jiwa`, `persen`, `rupiah`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// satudata: the values are in multiples of this (1000 for "ribu jiwa").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiplier: Option<f64>,
    /// satudata: this field holds Kemendagri region codes of this level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_level: Option<Level>,
    /// satudata: this field says which period (year, month) a row is about.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub period: bool,
    /// satudata: cells read as zero in a numeric field (BPS tables write `-` for "nil"). Without it, `-`
    /// is a missing value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zero_values: Option<Vec<String>>,
    /// satudata: the values are codes of this code list (kode referensi), `slug` or `slug@version`;
    /// the same as a one-field foreign key to [`crate::codelist::RESOURCE_PREFIX`] + slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codelist: Option<String>,
}

impl Field {
    /// A field of the given name and type with no constraints.
    pub fn new(name: impl Into<String>, field_type: FieldType) -> Self {
        Field {
            name: name.into(),
            field_type,
            format: None,
            title: None,
            description: None,
            constraints: Constraints::default(),
            true_values: None,
            false_values: None,
            decimal_char: None,
            group_char: None,
            missing_values: None,
            unit: None,
            multiplier: None,
            region_level: None,
            period: false,
            zero_values: None,
            codelist: None,
        }
    }

    /// How the store keeps this field's values.
    pub fn storage_type(&self) -> StorageType {
        if self.region_level.is_some() {
            return StorageType::Text;
        }
        match self.field_type {
            FieldType::Integer | FieldType::Year => StorageType::Integer,
            FieldType::Number => StorageType::Real,
            FieldType::Boolean => StorageType::Boolean,
            FieldType::Date => StorageType::Date,
            FieldType::Datetime => StorageType::DateTime,
            FieldType::String
            | FieldType::Yearmonth
            | FieldType::Time
            | FieldType::Any
            | FieldType::Unsupported => StorageType::Text,
        }
    }
}

/// Field types of Table Schema that satudata stores typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    #[default]
    String,
    Integer,
    Number,
    Boolean,
    Date,
    Datetime,
    Time,
    Year,
    Yearmonth,
    Any,
    /// A type satudata does not store typed (object, array, geopoint, duration, …): kept as text.
    #[serde(other)]
    Unsupported,
}

impl FieldType {
    /// The Table Schema name.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::Time => "time",
            FieldType::Year => "year",
            FieldType::Yearmonth => "yearmonth",
            FieldType::Any => "any",
            FieldType::Unsupported => "string",
        }
    }
}

/// Field constraints.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Constraints {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<serde_json::Value>>,
}

impl Constraints {
    /// Whether no constraint is set.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// The column types the store uses. Each backend maps them to its own SQL types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StorageType {
    Integer,
    Real,
    Text,
    Boolean,
    /// A calendar date.
    Date,
    /// A date and time (UTC when no offset was given).
    DateTime,
}

impl TableSchema {
    /// A schema with the given fields and the default missing value (empty cell).
    pub fn new(fields: Vec<Field>) -> Self {
        TableSchema {
            fields,
            primary_key: vec![],
            missing_values: default_missing_values(),
            foreign_keys: vec![],
        }
    }

    /// Index of the field named `name`.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// Check the schema itself; problems in Bahasa Indonesia naming the field.
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut problems = vec![];
        if self.fields.is_empty() {
            problems.push("Skema tidak punya kolom (fields kosong).".to_string());
        }
        let mut seen = std::collections::HashSet::new();
        for (i, f) in self.fields.iter().enumerate() {
            if f.name.trim().is_empty() {
                problems.push(format!("Kolom ke-{} tidak punya nama.", i + 1));
            }
            if !seen.insert(f.name.as_str()) {
                problems.push(format!(
                    "Nama kolom '{}' dipakai lebih dari sekali.",
                    f.name
                ));
            }
            if f.field_type == FieldType::Unsupported {
                problems.push(format!(
                    "Kolom '{}': tipe tidak didukung; pakai string, integer, number, boolean, date, datetime, time, year atau yearmonth.",
                    f.name
                ));
            }
            if let Some(m) = f.multiplier {
                if !(m.is_finite() && m > 0.0) {
                    problems.push(format!(
                        "Kolom '{}': multiplier harus bilangan positif.",
                        f.name
                    ));
                }
            }
        }
        for (i, f) in self.fields.iter().enumerate() {
            if let Some(c) = &f.codelist {
                if crate::codelist::CodeListRef::parse(c).is_none() {
                    problems.push(format!(
                        "Kolom ke-{} ('{}'): codelist '{c}' bukan rujukan daftar kode yang sah; tulis slug-nya, misalnya 'jenis-kelamin' atau 'agama@2'.",
                        i + 1,
                        f.name
                    ));
                }
            }
        }
        for fk in &self.foreign_keys {
            for k in &fk.fields {
                if self.field_index(k).is_none() {
                    problems.push(format!("foreignKeys menyebut kolom '{k}' yang tidak ada."));
                }
            }
        }
        for k in &self.primary_key {
            if self.field_index(k).is_none() {
                problems.push(format!("primaryKey menyebut kolom '{k}' yang tidak ada."));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}
