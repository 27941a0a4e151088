//! Imports of tabular files into new versions of a table, and the background runner of the server.
//!
//! - [`import`]: read, validate and write a file as the next version — all of it or nothing (one
//!   store transaction), streaming in bounded memory. `satudata import` and the runner both use it.
//! - [`runner`]: the task `satudata serve` starts; it claims queued jobs
//!   ([`satudata_store::JobStore`]), runs the import, reports progress and renews its lease, and
//!   stores the report. See docs/decisions/0008-jobs.md.

pub mod import;
pub mod plausibility;
pub mod runner;

pub use import::{import_table, load_code_lists, ImportError, ImportOutcome, ImportTarget};
pub use plausibility::PlausibilityReport;
pub use runner::{Runner, RunnerConfig};
