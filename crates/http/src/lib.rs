//! satudata HTTP layer (work in progress).
