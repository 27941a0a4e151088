//! The Daftar Data in the workspace.
