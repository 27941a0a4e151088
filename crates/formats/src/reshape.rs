//! Wide → long: a table with years as columns (`kecamatan, 2019, 2020, 2021`) becomes one row per
//! region and year (`kecamatan, tahun, nilai`) — the indicator × region × period shape satudata stores.
//! Row by row, so it streams.

use satudata_core::schema::{Field, FieldType, TableSchema};

use crate::infer::WideYears;

/// The long table's labels: the id columns, then `tahun` and `nilai`.
pub fn long_labels(labels: &[String], wide: &WideYears) -> Vec<String> {
    let mut out: Vec<String> = wide
        .id_columns
        .iter()
        .map(|&i| labels.get(i).cloned().unwrap_or_default())
        .collect();
    out.push("tahun".into());
    out.push("nilai".into());
    out
}

/// Reshape one wide row into long rows (one per year column). Empty year cells give no row.
pub fn wide_row_to_long(row: &[String], wide: &WideYears) -> Vec<Vec<String>> {
    let ids: Vec<String> = wide
        .id_columns
        .iter()
        .map(|&i| row.get(i).cloned().unwrap_or_default())
        .collect();
    wide.year_columns
        .iter()
        .filter_map(|&(col, year)| {
            let v = row.get(col).map(|s| s.trim()).unwrap_or("");
            (!v.is_empty()).then(|| {
                let mut r = ids.clone();
                r.push(year.to_string());
                r.push(v.to_string());
                r
            })
        })
        .collect()
}

/// The long table's schema from the wide one: id fields kept, then a `tahun` year field (the period)
/// and a `nilai` field typed, with unit and number format, like the year columns.
pub fn long_schema(wide_schema: &TableSchema, wide: &WideYears) -> TableSchema {
    let mut fields: Vec<Field> = wide
        .id_columns
        .iter()
        .filter_map(|&i| wide_schema.fields.get(i).cloned())
        .collect();
    let mut tahun = Field::new("tahun", FieldType::Year);
    tahun.period = true;
    fields.push(tahun);
    let template = wide
        .year_columns
        .first()
        .and_then(|&(i, _)| wide_schema.fields.get(i));
    let mut nilai = Field::new(
        "nilai",
        template.map(|f| f.field_type).unwrap_or(FieldType::Number),
    );
    if let Some(t) = template {
        nilai.decimal_char = t.decimal_char.clone();
        nilai.group_char = t.group_char.clone();
        nilai.unit = t.unit.clone();
        nilai.multiplier = t.multiplier;
    }
    // Integer in some years and decimals in others: store all as numbers.
    if wide.year_columns.iter().any(|&(i, _)| {
        wide_schema
            .fields
            .get(i)
            .is_some_and(|f| f.field_type == FieldType::Number)
    }) {
        nilai.field_type = FieldType::Number;
    }
    fields.push(nilai);
    let mut s = TableSchema::new(fields);
    s.primary_key = wide
        .id_columns
        .iter()
        .filter_map(|&i| wide_schema.fields.get(i).map(|f| f.name.clone()))
        .chain(std::iter::once("tahun".to_string()))
        .collect();
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::{infer_from_rows, InferOptions};

    #[test]
    fn reshapes_years_as_columns() {
        let labels: Vec<String> = ["Kecamatan", "2019", "2020"].map(String::from).to_vec();
        let rows = vec![
            ["Sekayu", "100", "110"].map(String::from).to_vec(),
            ["Lais", "90", ""].map(String::from).to_vec(),
        ];
        let inf = infer_from_rows(&labels, &rows, &InferOptions::default());
        let wide = inf.wide_years.clone().unwrap();
        assert_eq!(long_labels(&labels, &wide), ["Kecamatan", "tahun", "nilai"]);
        let long: Vec<Vec<String>> = rows
            .iter()
            .flat_map(|r| wide_row_to_long(r, &wide))
            .collect();
        assert_eq!(long.len(), 3);
        assert_eq!(long[1], ["Sekayu", "2020", "110"]);
        let s = long_schema(&inf.schema, &wide);
        assert_eq!(
            s.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
            ["kecamatan", "tahun", "nilai"]
        );
        assert_eq!(s.fields[2].field_type, FieldType::Integer);
        assert_eq!(s.primary_key, ["kecamatan", "tahun"]);
    }
}
