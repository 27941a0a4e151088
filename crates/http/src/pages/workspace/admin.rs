//! Admin pages.
