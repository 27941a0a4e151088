//! SQL for queries over typed row tables, shared by both backends so that filters, keyset paging
//! and aggregates mean exactly the same thing on SQLite and PostgreSQL. The only text interpolated
//! is what this module generates itself (column names `c<i>`, operators, placeholders); every value
//! is a bound parameter collected in [`SqlBuilder::args`].

use satudata_core::aggregate::AggFn;
use satudata_core::row::{Cursor, FilterOp};
use satudata_core::schema::StorageType;
use satudata_core::value::Value;

use crate::rowtable::{column_name, ResolvedAggregate, ResolvedFilter};

/// The SQL dialect of a backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `?n` placeholders, `LIKE` is case-insensitive for ASCII.
    Sqlite,
    /// `$n` placeholders, `ILIKE`, `IS DISTINCT FROM`.
    Postgres,
}

/// Builds a statement's SQL while collecting its bound values in order.
#[derive(Debug)]
pub struct SqlBuilder {
    dialect: Dialect,
    /// The values to bind, in placeholder order.
    pub args: Vec<Value>,
}

impl SqlBuilder {
    /// A builder with no values yet.
    pub fn new(dialect: Dialect) -> Self {
        SqlBuilder {
            dialect,
            args: vec![],
        }
    }

    /// Add a bound value; returns its placeholder.
    pub fn bind(&mut self, v: Value) -> String {
        self.args.push(v);
        match self.dialect {
            // Numbered, so that a placeholder may appear more than once (keyset conditions repeat
            // the equal keys of earlier alternatives).
            Dialect::Sqlite => format!("?{}", self.args.len()),
            Dialect::Postgres => format!("${}", self.args.len()),
        }
    }

    /// Which rows belong to `version`: the current rows for the latest, else by the version range.
    pub fn version_cond(&mut self, version: i32, latest: bool) -> String {
        if latest {
            "_vto IS NULL".to_string()
        } else {
            let a = self.bind(Value::Int(i64::from(version)));
            let b = self.bind(Value::Int(i64::from(version)));
            format!("_vfrom <= {a} AND (_vto IS NULL OR _vto > {b})")
        }
    }

    /// SQL for one resolved filter.
    pub fn filter(&mut self, f: &ResolvedFilter) -> String {
        let c = column_name(f.column);
        let first = f.values.first().cloned().unwrap_or(Value::Null);
        let pg = self.dialect == Dialect::Postgres;
        match f.op {
            FilterOp::Eq if first.is_null() => format!("{c} IS NULL"),
            FilterOp::Ne if first.is_null() => format!("{c} IS NOT NULL"),
            FilterOp::Eq => format!("{c} = {}", self.bind(first)),
            // Missing cells differ from any value, so they match `ne`.
            FilterOp::Ne if pg => format!("{c} IS DISTINCT FROM {}", self.bind(first)),
            FilterOp::Ne => format!("{c} IS NOT {}", self.bind(first)),
            FilterOp::Lt => format!("{c} < {}", self.bind(first)),
            FilterOp::Le => format!("{c} <= {}", self.bind(first)),
            FilterOp::Gt => format!("{c} > {}", self.bind(first)),
            FilterOp::Ge => format!("{c} >= {}", self.bind(first)),
            FilterOp::Like if pg => format!("{c} ILIKE {}", self.bind(first)),
            FilterOp::Like => format!("{c} LIKE {}", self.bind(first)),
            FilterOp::IsMissing => format!("{c} IS NULL"),
            FilterOp::In if f.values.is_empty() => "1 = 0".to_string(),
            FilterOp::In => {
                let list: Vec<String> = f.values.iter().map(|v| self.bind(v.clone())).collect();
                format!("{c} IN ({})", list.join(", "))
            }
            FilterOp::Within => {
                // Dotted codes are fixed-width and '/' sorts right after '.', so this range is the
                // code itself and every code under it; both backends compare text bytewise here
                // (SQLite's BINARY, PostgreSQL's "C" collation of row tables), so the index serves it.
                let code = match first {
                    Value::Text(t) => t,
                    _ => String::new(),
                };
                let lo = self.bind(Value::Text(code.clone()));
                let hi = self.bind(Value::Text(format!("{code}/")));
                format!("{c} >= {lo} AND {c} < {hi}")
            }
        }
    }

    /// The rows after `cursor` in the order `sort` (each key ascending or descending, missing cells
    /// last), then by `_ord`: an OR of "equal on the first k keys, after on key k+1".
    pub fn keyset(&mut self, sort: &[(usize, bool)], cursor: &Cursor) -> String {
        let mut alternatives = vec![];
        let mut equal: Vec<String> = vec![];
        for ((col, desc), v) in sort.iter().zip(&cursor.keys) {
            let c = column_name(*col);
            // With missing cells last, nothing non-missing comes after a missing cell.
            let after = if v.is_null() {
                None
            } else {
                let p = self.bind(v.clone());
                Some(format!(
                    "({c} {} {p} OR {c} IS NULL)",
                    if *desc { "<" } else { ">" }
                ))
            };
            if let Some(a) = after {
                let mut parts = equal.clone();
                parts.push(a);
                alternatives.push(format!("({})", parts.join(" AND ")));
            }
            equal.push(if v.is_null() {
                format!("{c} IS NULL")
            } else {
                let p = self.bind(v.clone());
                format!("{c} = {p}")
            });
        }
        let ord = self.bind(Value::Int(cursor.ord));
        equal.push(format!("_ord > {ord}"));
        alternatives.push(format!("({})", equal.join(" AND ")));
        format!("({})", alternatives.join(" OR "))
    }

    /// The SELECT of an aggregate query over `table` where `wh` holds.
    pub fn aggregate(
        &mut self,
        table: &str,
        wh: &str,
        agg: &ResolvedAggregate,
        types: &[StorageType],
        limit: u32,
        offset: u64,
    ) -> String {
        let pg = self.dialect == Dialect::Postgres;
        let mut select = vec![];
        let mut groups = vec![];
        for g in &agg.group_by {
            let c = column_name(g.column);
            let e = match g.prefix {
                Some(n) => format!("substr({c}, 1, {n})"),
                None => c,
            };
            groups.push(e.clone());
            select.push(e);
        }
        for (func, col) in &agg.aggregates {
            let c = col.map(column_name).unwrap_or_default();
            let t = col.map(|i| types[i]);
            select.push(match (func, col) {
                (AggFn::Count, None) => "COUNT(*)".to_string(),
                (AggFn::Count, Some(_)) => format!("COUNT({c})"),
                (AggFn::CountDistinct, _) => format!("COUNT(DISTINCT {c})"),
                (AggFn::Sum, _) if pg && t == Some(StorageType::Integer) => {
                    format!("CAST(SUM({c}) AS BIGINT)")
                }
                (AggFn::Sum, _) => format!("SUM({c})"),
                // An integer mean is the exact sum divided as a double on both backends (what
                // SQLite's AVG does), so both give the same figure to the last bit.
                (AggFn::Avg, _) if pg && t == Some(StorageType::Integer) => {
                    format!("(CAST(SUM({c}) AS DOUBLE PRECISION) / NULLIF(COUNT({c}), 0))")
                }
                (AggFn::Avg, _) if pg => format!("CAST(AVG({c}) AS DOUBLE PRECISION)"),
                (AggFn::Avg, _) => format!("AVG({c})"),
                // PostgreSQL has no MIN/MAX of booleans: false < true, so they are AND/OR.
                (AggFn::Min, _) if pg && t == Some(StorageType::Boolean) => {
                    format!("BOOL_AND({c})")
                }
                (AggFn::Max, _) if pg && t == Some(StorageType::Boolean) => {
                    format!("BOOL_OR({c})")
                }
                (AggFn::Min, _) => format!("MIN({c})"),
                (AggFn::Max, _) => format!("MAX({c})"),
            });
        }
        let mut sql = format!("SELECT {} FROM {table} WHERE {wh}", select.join(", "));
        if !groups.is_empty() {
            sql.push_str(&format!(" GROUP BY {}", groups.join(", ")));
        }
        if !agg.order.is_empty() {
            let order: Vec<String> = agg
                .order
                .iter()
                .map(|(p, desc)| {
                    format!(
                        "{} {} NULLS LAST",
                        p + 1,
                        if *desc { "DESC" } else { "ASC" }
                    )
                })
                .collect();
            sql.push_str(&format!(" ORDER BY {}", order.join(", ")));
        }
        let l = self.bind(Value::Int(i64::from(limit)));
        let o = self.bind(Value::Int(i64::try_from(offset).unwrap_or(i64::MAX)));
        sql.push_str(&format!(" LIMIT {l} OFFSET {o}"));
        sql
    }
}

impl SqlBuilder {
    /// An expression giving one CSV record (no line end) of the columns `select`, formatted in SQL
    /// the way [`write_csv_cell`] formats values: `true`/`false`, whole numbers without a fraction,
    /// other numbers with the fewest digits that read back exactly, dates `YYYY-MM-DD`, date-times
    /// `YYYY-MM-DDTHH:MM:SS`, missing cells empty, text quoted when it holds `"`, `,` or a line
    /// break. Letting the database write the text spares decoding every cell (exports).
    pub fn csv_line(&self, types: &[StorageType], select: &[usize]) -> String {
        let pg = self.dialect == Dialect::Postgres;
        let cells: Vec<String> = select
            .iter()
            .map(|i| {
                let c = column_name(*i);
                match (types[*i], pg) {
                    (StorageType::Integer, _) => format!("COALESCE(CAST({c} AS TEXT), '')"),
                    (StorageType::Real, false) => format!(
                        "CASE WHEN {c} IS NULL THEN '' \
                         WHEN {c} = CAST({c} AS INTEGER) AND abs({c}) < 1e15 THEN CAST(CAST({c} AS INTEGER) AS TEXT) \
                         WHEN CAST(printf('%!.15g', {c}) AS REAL) = {c} THEN printf('%!.15g', {c}) \
                         WHEN CAST(printf('%!.16g', {c}) AS REAL) = {c} THEN printf('%!.16g', {c}) \
                         ELSE printf('%!.17g', {c}) END"
                    ),
                    // float8 text is already the shortest exact form.
                    (StorageType::Real, true) => format!(
                        "CASE WHEN {c} IS NULL THEN '' \
                         WHEN {c} = trunc({c}) AND abs({c}) < 1e15 THEN CAST(CAST({c} AS BIGINT) AS TEXT) \
                         ELSE CAST({c} AS TEXT) END"
                    ),
                    (StorageType::Boolean, false) => {
                        format!("CASE {c} WHEN 1 THEN 'true' WHEN 0 THEN 'false' ELSE '' END")
                    }
                    (StorageType::Boolean, true) => {
                        format!("CASE WHEN {c} THEN 'true' WHEN NOT {c} THEN 'false' ELSE '' END")
                    }
                    (StorageType::Date, false) => format!("COALESCE({c}, '')"),
                    (StorageType::Date, true) => format!("COALESCE(to_char({c}, 'YYYY-MM-DD'), '')"),
                    (StorageType::DateTime, false) => format!("COALESCE(substr({c}, 1, 19), '')"),
                    (StorageType::DateTime, true) => {
                        format!("COALESCE(to_char({c}, 'YYYY-MM-DD\"T\"HH24:MI:SS'), '')")
                    }
                    (StorageType::Text, false) => format!(
                        "CASE WHEN {c} IS NULL THEN '' \
                         WHEN instr({c}, '\"') > 0 OR instr({c}, ',') > 0 OR instr({c}, char(10)) > 0 OR instr({c}, char(13)) > 0 \
                         THEN '\"' || replace({c}, '\"', '\"\"') || '\"' ELSE {c} END"
                    ),
                    (StorageType::Text, true) => format!(
                        "CASE WHEN {c} IS NULL THEN '' \
                         WHEN strpos({c}, '\"') > 0 OR strpos({c}, ',') > 0 OR strpos({c}, chr(10)) > 0 OR strpos({c}, chr(13)) > 0 \
                         THEN '\"' || replace({c}, '\"', '\"\"') || '\"' ELSE {c} END"
                    ),
                }
            })
            .collect();
        if cells.is_empty() {
            return "''".to_string();
        }
        cells.join(" || ',' || ")
    }

    /// `group_concat`/`string_agg` of `expr` over rows ordered by `_ord`, lines joined by `\n`.
    pub fn concat_lines(&self, expr: &str) -> String {
        match self.dialect {
            Dialect::Sqlite => format!("group_concat({expr}, char(10) ORDER BY _ord)"),
            Dialect::Postgres => format!("string_agg({expr}, chr(10) ORDER BY _ord)"),
        }
    }
}

/// Append one CSV cell: the text of the value as [`Value::to_text`] gives it, quoted (RFC 4180)
/// when it holds `"`, `,` or a line break.
pub fn write_csv_cell(buf: &mut Vec<u8>, v: &Value) {
    use std::io::Write;
    match v {
        Value::Null => {}
        Value::Bool(b) => buf.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Int(i) => {
            let _ = write!(buf, "{i}");
        }
        Value::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
            let _ = write!(buf, "{}", *n as i64);
        }
        Value::Num(n) => {
            let _ = write!(buf, "{n}");
        }
        Value::Text(s) => {
            if s.bytes().any(|b| matches!(b, b'"' | b',' | b'\n' | b'\r')) {
                buf.push(b'"');
                for b in s.bytes() {
                    if b == b'"' {
                        buf.push(b'"');
                    }
                    buf.push(b);
                }
                buf.push(b'"');
            } else {
                buf.extend_from_slice(s.as_bytes());
            }
        }
        other => buf.extend_from_slice(other.to_text().as_bytes()),
    }
}

/// `ORDER BY` terms of a row query: the sort keys (missing cells last), then upload order.
pub fn row_order(sort: &[(usize, bool)]) -> String {
    let mut order: Vec<String> = sort
        .iter()
        .map(|(i, desc)| {
            format!(
                "{} {} NULLS LAST",
                column_name(*i),
                if *desc { "DESC" } else { "ASC" }
            )
        })
        .collect();
    order.push("_ord".to_string());
    order.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyset_is_an_or_of_prefixes() {
        let mut b = SqlBuilder::new(Dialect::Postgres);
        let sql = b.keyset(
            &[(2, true), (0, false)],
            &Cursor {
                keys: vec![Value::Int(5), Value::Null],
                ord: 7,
            },
        );
        assert_eq!(
            sql,
            "(((c2 < $1 OR c2 IS NULL)) OR (c2 = $2 AND c0 IS NULL AND _ord > $3))"
        );
        assert_eq!(b.args, vec![Value::Int(5), Value::Int(5), Value::Int(7)]);
        // The equal keys repeat in later alternatives: same placeholder, bound once.
        let mut b = SqlBuilder::new(Dialect::Sqlite);
        let sql = b.keyset(
            &[(1, false), (3, true)],
            &Cursor {
                keys: vec![Value::Int(2020), Value::Text("x".into())],
                ord: 9,
            },
        );
        assert_eq!(
            sql,
            "(((c1 > ?1 OR c1 IS NULL)) OR (c1 = ?2 AND (c3 < ?3 OR c3 IS NULL)) OR (c1 = ?2 AND c3 = ?4 AND _ord > ?5))"
        );
    }

    #[test]
    fn within_is_a_range() {
        let mut b = SqlBuilder::new(Dialect::Sqlite);
        let sql = b.filter(&ResolvedFilter {
            column: 0,
            storage: StorageType::Text,
            op: FilterOp::Within,
            values: vec![Value::Text("16.06.01".into())],
        });
        assert_eq!(sql, "c0 >= ?1 AND c0 < ?2");
        assert_eq!(b.args[1], Value::Text("16.06.01/".into()));
    }
}
