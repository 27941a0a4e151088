//! satudata-formats: reading the tables people actually have, and telling them precisely what is wrong.
//!
//! - [`cell`]: one cell as its field's type — Indonesian and English numbers, Indonesian dates, region
//!   codes in every written form, missing-value markers.
//! - [`kinds`]: the problem kinds (Frictionless names and satudata's own).
//!
//! Pure library: no database, no network. Every parser that takes bytes or text from a file is a plain
//! function that never panics, so that fuzzers can call it directly.

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
