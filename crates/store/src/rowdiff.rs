//! The diff between two versions of a table, shared by the backends: each backend reads the rows
//! added and removed between the versions from its `_vfrom`/`_vto` ranges; [`pair_rows`] cancels rows
//! that left and came back unchanged and pairs the rest by key into "changed" rows.

use std::collections::HashMap;

use satudata_core::review::{ChangedRow, RowDiff};
use satudata_core::row::Row;
use satudata_core::schema::TableSchema;
use satudata_core::value::Value;

/// The fields that identify a row: the primary key; without one, the region and period fields
/// (the usual indicator × region × period shape); without those, none (no pairing).
pub fn key_fields(schema: &TableSchema) -> Vec<usize> {
    let pk: Vec<usize> = schema
        .primary_key
        .iter()
        .filter_map(|k| schema.field_index(k))
        .collect();
    if !pk.is_empty() {
        return pk;
    }
    schema
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.region_level.is_some() || f.period)
        .map(|(i, _)| i)
        .collect()
}

fn key_of(row: &Row, key: &[usize]) -> String {
    key.iter()
        .map(|&i| row.get(i).map(Value::to_text).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("|")
}

/// Rows read on one side of a diff, with the total on that side.
pub struct Side {
    /// `(row hash, row)`, in row order.
    pub rows: Vec<([u8; 16], Row)>,
    /// All rows on this side (the read may be capped).
    pub total: u64,
}

/// Build the diff from the rows added and removed between `from` and `to`.
pub fn pair_rows(
    schema: &TableSchema,
    from: i32,
    to: i32,
    added: Side,
    removed: Side,
    limit: usize,
) -> RowDiff {
    let truncated =
        added.total > added.rows.len() as u64 || removed.total > removed.rows.len() as u64;
    // A row removed and added back unchanged is no change.
    let mut removed_by_hash: HashMap<[u8; 16], usize> = HashMap::new();
    for (h, _) in &removed.rows {
        *removed_by_hash.entry(*h).or_default() += 1;
    }
    let mut cancelled_hashes: HashMap<[u8; 16], usize> = HashMap::new();
    let mut added_rows: Vec<Row> = vec![];
    let mut cancelled_n = 0u64;
    for (h, row) in added.rows {
        match removed_by_hash.get_mut(&h) {
            Some(n) if *n > 0 => {
                *n -= 1;
                cancelled_n += 1;
                *cancelled_hashes.entry(h).or_default() += 1;
            }
            _ => added_rows.push(row),
        }
    }
    let mut removed_rows: Vec<Row> = vec![];
    for (h, row) in removed.rows {
        match cancelled_hashes.get_mut(&h) {
            Some(n) if *n > 0 => *n -= 1,
            _ => removed_rows.push(row),
        }
    }

    // Pair by key.
    let key = key_fields(schema);
    let mut changed_rows = vec![];
    let mut changed = 0u64;
    if !key.is_empty() {
        let mut removed_index: HashMap<String, usize> = HashMap::new();
        for (i, r) in removed_rows.iter().enumerate() {
            removed_index.entry(key_of(r, &key)).or_insert(i);
        }
        let mut taken = vec![false; removed_rows.len()];
        let mut keep_added = vec![];
        for r in added_rows {
            let k = key_of(&r, &key);
            match removed_index.get(&k) {
                Some(&i) if !taken[i] => {
                    taken[i] = true;
                    changed += 1;
                    if changed_rows.len() < limit {
                        let before = removed_rows[i].clone();
                        let fields = schema
                            .fields
                            .iter()
                            .enumerate()
                            .filter(|(j, _)| before.get(*j) != r.get(*j))
                            .map(|(_, f)| f.name.clone())
                            .collect();
                        changed_rows.push(ChangedRow {
                            key: k,
                            before,
                            after: r,
                            fields,
                        });
                    }
                }
                _ => keep_added.push(r),
            }
        }
        added_rows = keep_added;
        removed_rows = removed_rows
            .into_iter()
            .zip(taken)
            .filter(|(_, t)| !t)
            .map(|(r, _)| r)
            .collect();
    }
    let added_n = added.total.saturating_sub(cancelled_n + changed);
    let removed_n = removed.total.saturating_sub(cancelled_n + changed);
    added_rows.truncate(limit);
    removed_rows.truncate(limit);
    RowDiff {
        from,
        to,
        fields: schema.fields.iter().map(|f| f.name.clone()).collect(),
        primary_key: key.iter().map(|&i| schema.fields[i].name.clone()).collect(),
        added: added_n,
        removed: removed_n,
        changed,
        added_rows,
        removed_rows,
        changed_rows,
        truncated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use satudata_core::row::row_hash;
    use satudata_core::schema::{Field, FieldType};

    fn side(rows: Vec<Row>) -> Side {
        let mut buf = vec![];
        let total = rows.len() as u64;
        Side {
            rows: rows
                .into_iter()
                .map(|r| (row_hash(&r, &mut buf), r))
                .collect(),
            total,
        }
    }

    fn r(k: &str, n: i64) -> Row {
        vec![Value::Text(k.into()), Value::Int(n)]
    }

    #[test]
    fn pairs_by_key_and_cancels_returning_rows() {
        let mut s = TableSchema::new(vec![
            Field::new("kode", FieldType::String),
            Field::new("jumlah", FieldType::Integer),
        ]);
        s.primary_key = vec!["kode".into()];
        let d = pair_rows(
            &s,
            1,
            2,
            side(vec![r("a", 2), r("c", 3), r("x", 9)]),
            side(vec![r("a", 1), r("b", 5), r("x", 9)]),
            10,
        );
        assert_eq!((d.added, d.removed, d.changed), (1, 1, 1), "{d:?}");
        assert_eq!(d.changed_rows[0].key, "a");
        assert_eq!(d.changed_rows[0].fields, ["jumlah"]);
        assert_eq!(d.added_rows, vec![r("c", 3)]);
        assert_eq!(d.removed_rows, vec![r("b", 5)]);
        assert!(!d.truncated);
    }

    #[test]
    fn without_a_key_rows_are_only_added_or_removed() {
        let s = TableSchema::new(vec![
            Field::new("kode", FieldType::String),
            Field::new("jumlah", FieldType::Integer),
        ]);
        let d = pair_rows(&s, 0, 1, side(vec![r("a", 1)]), side(vec![]), 10);
        assert_eq!((d.added, d.removed, d.changed), (1, 0, 0));
        assert!(d.primary_key.is_empty());
    }
}
