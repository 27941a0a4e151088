//! One module per subcommand.

pub mod audit;
pub mod boundaries;
pub mod codelist;
pub mod demo;
pub mod import;
pub mod infer;
pub mod serve;
pub mod tabular;
pub mod user;
pub mod validate;
