//! HTML pages: Bahasa Indonesia first (English on request), escaped output (maud), no JavaScript
//! needed, no third-party requests. Public pages (home, search, dataset, organisations, topics,
//! places, kemutakhiran) and the workspace after login.

pub mod about;
pub mod catalog;
pub mod codelists;
pub mod dataset;
pub mod error;
pub mod extract;
pub mod home;
pub mod i18n;
pub mod kemutakhiran;
pub mod layout;
pub mod login;
pub mod region;
pub mod search;
pub mod table_view;
pub mod version;
pub mod words;
pub mod workspace;
