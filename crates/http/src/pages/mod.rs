//! HTML pages: Bahasa Indonesia first, escaped output (maud), no JavaScript, no third-party
//! requests. The full portal comes later; these are the home page, About, and login/logout.

pub mod about;
pub mod home;
pub mod kemutakhiran;
pub mod layout;
pub mod login;
