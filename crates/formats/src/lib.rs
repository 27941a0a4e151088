//! satudata-formats: reading the tables people actually have, and telling them precisely what is wrong.
//!
//! Pure library: no database, no network.
//!
//! # For the CLI and the importer
//! ```no_run
//! use satudata_formats::{read, infer, validate};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let path = std::path::Path::new("data.xlsx");
//! // `satudata infer FILE`: a Table Schema (plus findings, header, notes, wide-years offer).
//! let inferred = infer::infer(read::open_path(path, &read::ReadOptions::default())?, &Default::default())?;
//! println!("{}", serde_json::to_string_pretty(&inferred.schema)?);
//! // `satudata validate --schema S FILE`: a report; exit code from `Report::exit_code` (0/1/2);
//! // `ReadError` and `SetupError` are exit code 2.
//! let reader = read::open_path(path, &read::ReadOptions::default())?;
//! let mut v = validate::Validator::new(reader, &inferred.schema, &validate::ValidateOptions::default())?;
//! while v.next_row() {
//!     if let Some((_row_number, _values)) = v.row() {
//!         // an importer batches these typed rows into the store's version
//!     }
//! }
//! let report = v.finish();
//! println!("{}", serde_json::to_string(&report)?);
//! # Ok(()) }
//! ```
//!
//! # Modules
//! - [`read`]: format detection from content and streaming readers (CSV, XLSX/XLS/ODS, JSON, NDJSON, BPS
//!   HTML tables) behind [`read::TableReader`]; [`read::ReadError`] is unusable input.
//! - [`header`], [`table`]: title rows, merged two-row headers, notes and "Sumber:" lines below the table.
//! - [`cell`]: one cell as its field's type — Indonesian and English numbers, Indonesian dates, region
//!   codes in every written form, missing-value markers.
//! - [`validate`]: the streaming validator and its [`validate::Report`].
//! - [`kinds`]: the problem kinds (Frictionless names and satudata's own).
//! - [`infer`], [`reshape`], [`units`], [`region_names`]: schema inference, wide → long, units, names → codes
//!   (suggestions, and the confirmed code columns added to a file as it streams).
//! - [`profile`], [`plausibility`]: data profile per version and jumps against the previous one.
//!
//! # Fuzzing entry points (never panic on any input)
//! [`read::open_bytes`] (then `read_record` until the end), [`read::detect_format`],
//! [`read::html::HtmlReader::from_bytes`], [`cell::number::classify_number`], [`cell::number::parse_number`],
//! [`cell::number::parse_integer`], [`cell::date::parse_date`], [`cell::date::parse_yearmonth`],
//! [`cell::date::parse_datetime`], [`cell::region::parse_region_code`].

pub mod cell;
pub mod header;
pub mod infer;
pub mod kinds;
pub mod plausibility;
pub mod profile;
pub mod read;
pub mod region_names;
pub mod reshape;
pub mod table;
pub mod units;
pub mod validate;
