//! satudata's domain core.
//!
//! Everything here is pure: no files, no network, no database. The store, the HTTP layer and the CLI
//! build on these types; the rules that decide who may do what ([`access`]), what a valid region code is
//! ([`region`]) and what a typed value is ([`value`]) live here and only here.

pub mod access;
pub mod aggregate;
pub mod audit;
pub mod checks;
pub mod codelist;
pub mod dataset;
pub mod ids;
pub mod notification;
pub mod organization;
pub mod plan;
pub mod quality;
pub mod region;
pub mod review;
pub mod row;
pub mod schema;
pub mod user;
pub mod value;

pub use ids::{new_id, Id};
