//! The kinds of problems a validation reports: Frictionless's error types, by their Frictionless names,
//! and satudata's own.

use serde::{Serialize, Serializer};

/// One kind of problem. [`ErrorKind::as_str`] gives the stable machine name used in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    // Frictionless: source and table.
    SourceError,
    EncodingError,
    // Frictionless: labels (the header row).
    BlankLabel,
    DuplicateLabel,
    IncorrectLabel,
    MissingLabel,
    ExtraLabel,
    // Frictionless: rows and cells.
    BlankRow,
    MissingCell,
    ExtraCell,
    TypeError,
    ConstraintError,
    UniqueError,
    PrimaryKey,
    ForeignKey,
    // satudata.
    UnknownRegionCode,
    RegionOutsideHome,
    RegionLevelMismatch,
    UnitMismatch,
    AmbiguousNumberFormat,
    SuspiciousJump,
    SuspiciousZero,
}

impl ErrorKind {
    /// Every kind, in report order.
    pub const ALL: [ErrorKind; 22] = [
        ErrorKind::SourceError,
        ErrorKind::EncodingError,
        ErrorKind::BlankLabel,
        ErrorKind::DuplicateLabel,
        ErrorKind::IncorrectLabel,
        ErrorKind::MissingLabel,
        ErrorKind::ExtraLabel,
        ErrorKind::BlankRow,
        ErrorKind::MissingCell,
        ErrorKind::ExtraCell,
        ErrorKind::TypeError,
        ErrorKind::ConstraintError,
        ErrorKind::UniqueError,
        ErrorKind::PrimaryKey,
        ErrorKind::ForeignKey,
        ErrorKind::UnknownRegionCode,
        ErrorKind::RegionOutsideHome,
        ErrorKind::RegionLevelMismatch,
        ErrorKind::UnitMismatch,
        ErrorKind::AmbiguousNumberFormat,
        ErrorKind::SuspiciousJump,
        ErrorKind::SuspiciousZero,
    ];

    /// The machine name (Frictionless's where Frictionless has the kind).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::SourceError => "source-error",
            ErrorKind::EncodingError => "encoding-error",
            ErrorKind::BlankLabel => "blank-label",
            ErrorKind::DuplicateLabel => "duplicate-label",
            ErrorKind::IncorrectLabel => "incorrect-label",
            ErrorKind::MissingLabel => "missing-label",
            ErrorKind::ExtraLabel => "extra-label",
            ErrorKind::BlankRow => "blank-row",
            ErrorKind::MissingCell => "missing-cell",
            ErrorKind::ExtraCell => "extra-cell",
            ErrorKind::TypeError => "type-error",
            ErrorKind::ConstraintError => "constraint-error",
            ErrorKind::UniqueError => "unique-error",
            ErrorKind::PrimaryKey => "primary-key",
            ErrorKind::ForeignKey => "foreign-key",
            ErrorKind::UnknownRegionCode => "unknown-region-code",
            ErrorKind::RegionOutsideHome => "region-outside-home",
            ErrorKind::RegionLevelMismatch => "region-level-mismatch",
            ErrorKind::UnitMismatch => "unit-mismatch",
            ErrorKind::AmbiguousNumberFormat => "ambiguous-number-format",
            ErrorKind::SuspiciousJump => "suspicious-jump",
            ErrorKind::SuspiciousZero => "suspicious-zero",
        }
    }

    /// A short title in Bahasa Indonesia.
    pub fn title_id(self) -> &'static str {
        match self {
            ErrorKind::SourceError => "Berkas tidak dapat dibaca",
            ErrorKind::EncodingError => "Pengodean karakter salah",
            ErrorKind::BlankLabel => "Judul kolom kosong",
            ErrorKind::DuplicateLabel => "Judul kolom ganda",
            ErrorKind::IncorrectLabel => "Judul kolom tidak sesuai skema",
            ErrorKind::MissingLabel => "Kolom skema tidak ada di berkas",
            ErrorKind::ExtraLabel => "Kolom berkas tidak ada di skema",
            ErrorKind::BlankRow => "Baris kosong",
            ErrorKind::MissingCell => "Sel kurang",
            ErrorKind::ExtraCell => "Sel berlebih",
            ErrorKind::TypeError => "Tipe isi salah",
            ErrorKind::ConstraintError => "Batasan dilanggar",
            ErrorKind::UniqueError => "Nilai ganda",
            ErrorKind::PrimaryKey => "Kunci utama ganda",
            ErrorKind::ForeignKey => "Kode tidak ada di daftar referensi",
            ErrorKind::UnknownRegionCode => "Kode wilayah tidak dikenal",
            ErrorKind::RegionOutsideHome => "Wilayah di luar daerah ini",
            ErrorKind::RegionLevelMismatch => "Tingkat wilayah tidak sesuai",
            ErrorKind::UnitMismatch => "Satuan tidak sesuai",
            ErrorKind::AmbiguousNumberFormat => "Format angka meragukan",
            ErrorKind::SuspiciousJump => "Lonjakan nilai mencurigakan",
            ErrorKind::SuspiciousZero => "Nilai nol mencurigakan",
        }
    }

    /// A short title in English.
    pub fn title_en(self) -> &'static str {
        match self {
            ErrorKind::SourceError => "Source error",
            ErrorKind::EncodingError => "Encoding error",
            ErrorKind::BlankLabel => "Blank label",
            ErrorKind::DuplicateLabel => "Duplicate label",
            ErrorKind::IncorrectLabel => "Incorrect label",
            ErrorKind::MissingLabel => "Missing label",
            ErrorKind::ExtraLabel => "Extra label",
            ErrorKind::BlankRow => "Blank row",
            ErrorKind::MissingCell => "Missing cell",
            ErrorKind::ExtraCell => "Extra cell",
            ErrorKind::TypeError => "Type error",
            ErrorKind::ConstraintError => "Constraint error",
            ErrorKind::UniqueError => "Unique error",
            ErrorKind::PrimaryKey => "Primary key error",
            ErrorKind::ForeignKey => "Foreign key error",
            ErrorKind::UnknownRegionCode => "Unknown region code",
            ErrorKind::RegionOutsideHome => "Region outside the home region",
            ErrorKind::RegionLevelMismatch => "Region level mismatch",
            ErrorKind::UnitMismatch => "Unit mismatch",
            ErrorKind::AmbiguousNumberFormat => "Ambiguous number format",
            ErrorKind::SuspiciousJump => "Suspicious jump",
            ErrorKind::SuspiciousZero => "Suspicious zero",
        }
    }

    /// Whether the kind is a warning about plausibility rather than an error that makes the table invalid.
    pub fn is_warning(self) -> bool {
        matches!(self, ErrorKind::SuspiciousJump | ErrorKind::SuspiciousZero)
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_frictionless_style() {
        let mut names: Vec<_> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ErrorKind::ALL.len());
        assert!(names
            .iter()
            .all(|n| n.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')));
    }
}
