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
    /// A region-code cell lies inside (or is) the region given as the one operand: `16.06.01` matches
    /// the kecamatan itself and every desa in it. Only for region-code fields; answered with a range
    /// on the dotted code, so the field's index serves it.
    Within,
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

/// A keyset position: the sort-key values and the upload order (`_ord`) of the last row of a page.
/// The next page starts right after it, whatever was skipped before, so paging deep into a table
/// costs the same as the first page (unlike `offset`).
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    /// One value per sort key of the query, in order.
    pub keys: Vec<Value>,
    /// The `_ord` of the row.
    pub ord: i64,
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
    /// The fields to return, in this order; empty means every field.
    pub select: Vec<String>,
    /// Start after this row (keyset paging); its keys must match `sort`. Combined with `offset`, the
    /// offset counts from the cursor.
    pub after: Option<Cursor>,
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
            select: vec![],
            after: None,
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
    /// Where the next page starts (keyset paging), when this page is full; `None` after the last.
    #[serde(skip)]
    pub next_cursor: Option<Cursor>,
}
