//! The validation report: Frictionless-like JSON, every error with row, field, cell, messages in Bahasa
//! Indonesia and English and a fix hint; counts per kind; long lists capped with totals kept.
//!
//! JSON shape (keys camelCase):
//! ```json
//! {
//!   "valid": false,
//!   "stats": {"rows": 120, "validRows": 117, "errors": 4, "warnings": 0, "fields": 8},
//!   "errorCounts": {"type-error": 3, "blank-row": 1},
//!   "errors": [{"type": "type-error", "title": "Tipe isi salah", "rowNumber": 5, "fieldNumber": 3,
//!               "fieldName": "jumlah", "cell": "12a", "message": "'12a' bukan angka",
//!               "messageEn": "'12a' is not a number", "hint": "Isi hanya dengan angka …"}],
//!   "errorsTruncated": false,
//!   "header": {"rowNumbers": [1], "labels": ["…"], "skipped": []},
//!   "notes": [{"rowNumber": 130, "text": "Sumber: BPS"}],
//!   "source": {"format": "csv", "encoding": "utf-8", "delimiter": ","},
//!   "numberStyles": {"jumlah": "indonesian"}
//! }
//! ```
//! Row numbers are as in the file (1-based, the header row included, like Frictionless); field numbers
//! are 1-based positions in the schema.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cell::number::NumberStyle;
use crate::header::Header;
use crate::kinds::ErrorKind;
use crate::read::SourceInfo;
use crate::table::Note;

/// One problem.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationError {
    #[serde(rename = "type")]
    pub kind: ErrorKind,
    /// The kind's title in Bahasa Indonesia.
    pub title: &'static str,
    /// Row number as in the file (header = 1); none for problems of the whole table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row_number: Option<u64>,
    /// 1-based field position in the schema (or column position for labels and extra cells).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_number: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    /// The cell (or label) as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// What is wrong, in Bahasa Indonesia.
    pub message: String,
    /// What is wrong, in English.
    pub message_en: String,
    /// How to fix it, in Bahasa Indonesia.
    pub hint: String,
}

impl ValidationError {
    /// A problem with the given messages; position fields are set with the builder methods.
    pub fn new(
        kind: ErrorKind,
        message: String,
        message_en: String,
        hint: impl Into<String>,
    ) -> Self {
        ValidationError {
            kind,
            title: kind.title_id(),
            row_number: None,
            field_number: None,
            field_name: None,
            cell: None,
            message,
            message_en,
            hint: hint.into(),
        }
    }

    /// At this row.
    pub fn at_row(mut self, row: u64) -> Self {
        self.row_number = Some(row);
        self
    }

    /// In this field (1-based number).
    pub fn in_field(mut self, number: usize, name: &str) -> Self {
        self.field_number = Some(number);
        self.field_name = Some(name.to_string());
        self
    }

    /// With this cell text.
    pub fn with_cell(mut self, cell: &str) -> Self {
        self.cell = Some(cell.to_string());
        self
    }
}

/// Counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Data rows read (blank rows inside the table included; header, title and note rows not).
    pub rows: u64,
    /// Rows without errors.
    pub valid_rows: u64,
    /// Errors found (all of them, also those not kept in the list).
    pub errors: u64,
    /// Plausibility warnings found (they do not make the table invalid).
    pub warnings: u64,
    /// Fields of the schema.
    pub fields: usize,
}

/// The result of validating one table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub valid: bool,
    pub stats: Stats,
    /// Errors and warnings per kind (all of them).
    pub error_counts: BTreeMap<&'static str, u64>,
    /// The first errors (up to the cap), in file order.
    pub errors: Vec<ValidationError>,
    /// Whether errors were left out of `errors` (the counts still hold all).
    pub errors_truncated: bool,
    pub header: Option<Header>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    pub source: SourceInfo,
    /// How each number field's numbers were read.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub number_styles: BTreeMap<String, NumberStyle>,
}

impl Report {
    /// The CLI's exit code: 0 valid, 1 invalid, 2 the source could not be read to the end.
    pub fn exit_code(&self) -> i32 {
        if self
            .error_counts
            .contains_key(ErrorKind::SourceError.as_str())
        {
            2
        } else if self.valid {
            0
        } else {
            1
        }
    }

    /// How many problems of `kind` were found.
    pub fn count(&self, kind: ErrorKind) -> u64 {
        self.error_counts.get(kind.as_str()).copied().unwrap_or(0)
    }
}

/// Collects errors with a cap.
#[derive(Debug)]
pub(crate) struct Collector {
    pub report: Report,
    cap: usize,
}

impl Collector {
    pub fn new(cap: usize) -> Self {
        Collector {
            report: Report {
                valid: true,
                ..Default::default()
            },
            cap,
        }
    }

    pub fn push(&mut self, e: ValidationError) {
        *self.report.error_counts.entry(e.kind.as_str()).or_default() += 1;
        if e.kind.is_warning() {
            self.report.stats.warnings += 1;
        } else {
            self.report.stats.errors += 1;
            self.report.valid = false;
        }
        if self.report.errors.len() < self.cap {
            self.report.errors.push(e);
        } else {
            self.report.errors_truncated = true;
        }
    }
}
