//! Rows and the queries over them.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::value::Value;

/// One row: values in the order of the schema's fields.
pub type Row = Vec<Value>;

/// A 16-byte content hash of a row, used to tell unchanged rows from changed ones between versions.
pub fn row_hash(row: &[Value], buf: &mut Vec<u8>) -> [u8; 16] {
    buf.clear();
    for v in row {
        v.write_canonical(buf);
    }
    let digest = Sha256::digest(&buf[..]);
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

/// Comparison operators of row filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// One of `values`.
    In,
    /// SQL LIKE with `%` and `_` (case-insensitive).
    Like,
    /// The cell is missing (no values).
    IsMissing,
}

/// A condition on one field.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub field: String,
    pub op: FilterOp,
    /// The operands: one for comparisons, many for `In`, none for `IsMissing`. Values are typed to
    /// the field's storage type by the caller.
    pub values: Vec<Value>,
}

/// One sort key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    pub field: String,
    pub descending: bool,
}

/// A query over the rows of one version of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct RowQuery {
    /// The version; `None` means the latest.
    pub version: Option<i32>,
    pub filters: Vec<Filter>,
    /// Sort keys; rows with equal keys keep their upload order.
    pub sort: Vec<SortKey>,
    pub limit: u32,
    pub offset: u64,
    /// Whether to count all matching rows.
    pub with_total: bool,
}

impl Default for RowQuery {
    fn default() -> Self {
        RowQuery {
            version: None,
            filters: vec![],
            sort: vec![],
            limit: 100,
            offset: 0,
            with_total: true,
        }
    }
}

/// A page of rows.
#[derive(Debug, Clone, Serialize)]
pub struct RowPage {
    /// The version the rows belong to.
    pub version: i32,
    /// Field names, in order.
    pub fields: Vec<String>,
    pub rows: Vec<Row>,
    pub total: Option<u64>,
    pub limit: u32,
    pub offset: u64,
}
