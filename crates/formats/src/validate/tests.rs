use super::*;
use crate::read::{open_bytes, ReadOptions};
use satudata_core::region::Level;
use satudata_core::schema::{Field, FieldType, ForeignKey, ForeignKeyReference};

fn run(
    csv: &str,
    schema: &TableSchema,
    opts: &ValidateOptions,
) -> (Report, Vec<(u64, Vec<Value>)>) {
    let r = open_bytes(csv.as_bytes(), &ReadOptions::default()).unwrap();
    let mut rows = vec![];
    let report = validate_with(r, schema, opts, |n, v| rows.push((n, v.to_vec()))).unwrap();
    // Without typed values (text cells checked where they lie) the report is the same.
    let r = open_bytes(csv.as_bytes(), &ReadOptions::default()).unwrap();
    let untyped = ValidateOptions {
        typed_values: false,
        ..opts.clone()
    };
    let mut typed_rows = 0;
    let report_only = validate_with(r, schema, &untyped, |_, _| typed_rows += 1).unwrap();
    assert_eq!(report_only, report);
    assert_eq!(typed_rows, 0);
    (report, rows)
}

fn kinds(r: &Report) -> Vec<(&'static str, Option<u64>, Option<usize>)> {
    r.errors
        .iter()
        .map(|e| (e.kind.as_str(), e.row_number, e.field_number))
        .collect()
}

fn region_schema() -> TableSchema {
    let mut kode = Field::new("kode_kabupaten_kota", FieldType::String);
    kode.region_level = Some(Level::Kabupaten);
    let mut jumlah = Field::new("jumlah_penduduk_miskin", FieldType::Number);
    jumlah.unit = Some("jiwa".into());
    jumlah.multiplier = Some(1000.0);
    let mut s = TableSchema::new(vec![
        kode,
        jumlah,
        Field::new("satuan", FieldType::String),
        Field::new("tahun", FieldType::Year),
    ]);
    s.primary_key = vec!["kode_kabupaten_kota".into(), "tahun".into()];
    s
}

#[test]
fn valid_rows_come_out_typed() {
    let csv = "kode_kabupaten_kota,jumlah_penduduk_miskin,satuan,tahun\n3201,451.3,RIBU JIWA,2002\n32.02,362.2,RIBU JIWA,2002\n";
    let (report, rows) = run(csv, &region_schema(), &ValidateOptions::default());
    assert!(report.valid, "{:?}", report.errors);
    assert_eq!(report.exit_code(), 0);
    assert_eq!(report.stats.rows, 2);
    assert_eq!(rows[0].0, 2);
    assert_eq!(
        rows[0].1,
        [
            Value::Text("32.01".into()),
            Value::Num(451.3),
            Value::Text("RIBU JIWA".into()),
            Value::Int(2002)
        ]
    );
}

#[test]
fn region_unit_and_key_errors() {
    let csv = "kode_kabupaten_kota,jumlah_penduduk_miskin,satuan,tahun\n\
3201,451.3,RIBU JIWA,2002\n\
3201,451.3,RIBU JIWA,2002\n\
3299,1,RIBU JIWA,2002\n\
1606,1,RIBU JIWA,2002\n\
320101,1,RIBU JIWA,2002\n\
3202,362200,JIWA,2002\n";
    let opts = ValidateOptions {
        home_region: Some(RegionCode::parse("32").unwrap()),
        ..Default::default()
    };
    let (report, rows) = run(csv, &region_schema(), &opts);
    assert_eq!(
        kinds(&report),
        [
            ("primary-key", Some(3), None),
            ("unknown-region-code", Some(4), Some(1)),
            ("region-outside-home", Some(5), Some(1)),
            ("region-level-mismatch", Some(6), Some(1)),
            ("unit-mismatch", Some(7), Some(3)),
        ]
    );
    assert_eq!(rows.len(), 1);
    assert_eq!(report.exit_code(), 1);
    let e = &report.errors[1];
    assert!(!e.message.is_empty() && !e.message_en.is_empty() && !e.hint.is_empty());
}

#[test]
fn frictionless_structure_errors() {
    let schema = TableSchema::new(vec![
        Field::new("id", FieldType::Integer),
        Field::new("name", FieldType::String),
        Field::new("age", FieldType::Integer),
    ]);
    let csv = "id,name,age\n1101,John,30\n1102,Julie,26\n,,\n1,2,3,4,5,6\n7,x\n";
    let (report, _) = run(csv, &schema, &ValidateOptions::default());
    assert_eq!(
        kinds(&report),
        [
            ("blank-row", Some(4), None),
            ("extra-cell", Some(5), Some(4)),
            ("extra-cell", Some(5), Some(5)),
            ("extra-cell", Some(5), Some(6)),
            ("missing-cell", Some(6), Some(3)),
        ]
    );
}

#[test]
fn label_errors() {
    let schema = TableSchema::new(vec![
        Field::new("id", FieldType::Integer),
        Field::new("name", FieldType::String),
        Field::new("age", FieldType::Integer),
        Field::new("kota", FieldType::String),
    ]);
    let csv = "id,nama,,id,extra\n1,a,3,b,c\n";
    let (report, _) = run(csv, &schema, &ValidateOptions::default());
    let k: Vec<_> = report.errors.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        k,
        [
            "incorrect-label",
            "blank-label",
            "duplicate-label",
            "extra-label",
            "extra-cell"
        ]
    );
}

#[test]
fn columns_in_another_order_are_mapped_by_name() {
    let schema = TableSchema::new(vec![
        Field::new("a", FieldType::Integer),
        Field::new("b", FieldType::String),
    ]);
    let (report, rows) = run("B,A\nx,1\n", &schema, &ValidateOptions::default());
    assert!(report.valid, "{:?}", report.errors);
    assert_eq!(rows[0].1, [Value::Int(1), Value::Text("x".into())]);
}

#[test]
fn constraints_unique_and_foreign_keys() {
    let mut id = Field::new("id", FieldType::Integer);
    id.constraints.unique = true;
    id.constraints.minimum = Some(1.into());
    let mut jk = Field::new("jk", FieldType::String);
    jk.constraints.required = true;
    let mut s = TableSchema::new(vec![id, jk]);
    s.foreign_keys = vec![ForeignKey {
        fields: vec!["jk".into()],
        reference: ForeignKeyReference {
            resource: "jenis-kelamin".into(),
            fields: vec!["kode".into()],
        },
    }];
    let mut opts = ValidateOptions::default();
    opts.code_lists.insert(
        "jenis-kelamin".into(),
        ["L".to_string(), "P".to_string()].into(),
    );
    let (report, _) = run("id,jk\n1,L\n1,P\n0,L\n2,X\n3,\n", &s, &opts);
    assert_eq!(
        kinds(&report),
        [
            ("unique-error", Some(3), Some(1)),
            ("constraint-error", Some(4), Some(1)),
            ("foreign-key", Some(5), Some(2)),
            ("constraint-error", Some(6), Some(2)),
        ]
    );
}

#[test]
fn codelist_field_extension_checks_standard_codes_with_a_hint() {
    let mut agama = Field::new("agama", FieldType::Integer);
    agama.codelist = Some("agama@1".into());
    let mut jk = Field::new("jk", FieldType::String);
    jk.codelist = Some("jenis-kelamin".into());
    let mut s = TableSchema::new(vec![agama, jk]);
    // A foreign key and the extension on the same field and list are checked once.
    s.foreign_keys = vec![ForeignKey {
        fields: vec!["jk".into()],
        reference: ForeignKeyReference {
            resource: "jenis-kelamin".into(),
            fields: vec!["code".into()],
        },
    }];
    let refs = super::code_list_refs(&s);
    assert_eq!(
        refs.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>(),
        ["jenis-kelamin", "agama@1"]
    );
    let mut opts = ValidateOptions::default();
    for (written, r) in refs {
        let list = satudata_core::codelist::standard()
            .into_iter()
            .find(|l| l.slug == r.slug)
            .unwrap();
        opts.code_lists.insert(written, list.allowed());
    }
    let (report, rows) = run("agama,jk\n1,1\n8,2\n7,3\n1,\n", &s, &opts);
    assert_eq!(
        kinds(&report),
        [
            ("foreign-key", Some(3), Some(1)),
            ("foreign-key", Some(4), Some(2))
        ]
    );
    let e = &report.errors[0];
    assert_eq!(e.message, "'8' tidak ada di daftar kode 'agama@1'");
    assert!(e.hint.contains("(1, 2, 3, 4, 5, 6, 7)"), "{}", e.hint);
    assert_eq!(rows.len(), 2);
    // Without the list the key is not checked, and the report says so.
    let (report, _) = run("agama,jk\n8,3\n", &s, &ValidateOptions::default());
    assert!(report.valid);
    assert!(
        report.source.notes.iter().any(|n| n.contains("'agama@1'")),
        "{:?}",
        report.source.notes
    );
}

#[test]
fn ambiguous_numbers_are_reported_not_guessed() {
    let schema = TableSchema::new(vec![Field::new("n", FieldType::Number)]);
    let (report, _) = run("n\n1.234\n2.500\n", &schema, &ValidateOptions::default());
    assert_eq!(report.count(ErrorKind::AmbiguousNumberFormat), 2);
    // Evidence anywhere in the look-ahead decides the column, also for rows before it.
    let (report, rows) = run(
        "n\n1.234\n2.500\n\"3,5\"\n",
        &schema,
        &ValidateOptions::default(),
    );
    assert!(report.valid, "{:?}", report.errors);
    assert_eq!(rows[0].1, [Value::Num(1234.0)]);
    assert_eq!(
        report.number_styles.get("n"),
        Some(&crate::cell::number::NumberStyle::Indonesian)
    );
}

#[test]
fn errors_are_capped_with_totals_kept() {
    let schema = TableSchema::new(vec![Field::new("n", FieldType::Integer)]);
    let mut csv = "n\n".to_string();
    for _ in 0..50 {
        csv.push_str("x\n");
    }
    let opts = ValidateOptions {
        max_errors: 10,
        ..Default::default()
    };
    let (report, _) = run(&csv, &schema, &opts);
    assert_eq!(report.errors.len(), 10);
    assert!(report.errors_truncated);
    assert_eq!(report.stats.errors, 50);
    assert_eq!(report.count(ErrorKind::TypeError), 50);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["errors"][0]["type"], "type-error");
    assert_eq!(json["errors"][0]["rowNumber"], 2);
    assert_eq!(json["errorCounts"]["type-error"], 50);
}

#[test]
fn unique_checks_spill_to_disk_and_still_find_duplicates() {
    let mut id = Field::new("id", FieldType::Integer);
    id.constraints.unique = true;
    let schema = TableSchema::new(vec![id]);
    let mut csv = "id\n".to_string();
    for i in 0..500 {
        csv.push_str(&format!("{i}\n"));
    }
    csv.push_str("7\n");
    let opts = ValidateOptions {
        unique_memory_keys: 50,
        ..Default::default()
    };
    let (report, _) = run(&csv, &schema, &opts);
    assert_eq!(kinds(&report), [("unique-error", Some(502), Some(1))]);
}

#[test]
fn bad_schemas_are_setup_errors() {
    let mut f = Field::new("x", FieldType::String);
    f.constraints.pattern = Some("(".into());
    let r = open_bytes(b"x\n1\n", &ReadOptions::default()).unwrap();
    assert!(matches!(
        validate(r, &TableSchema::new(vec![f]), &ValidateOptions::default()),
        Err(SetupError::Schema(_))
    ));
}

#[test]
fn number_style_evidence_deep_in_the_file_decides_early_rows() {
    let schema = TableSchema::new(vec![Field::new("n", FieldType::Number)]);
    let mut csv = "n\n".to_string();
    for _ in 0..500 {
        csv.push_str("1.234\n");
    }
    csv.push_str("\"7,5\"\n");
    let (report, rows) = run(&csv, &schema, &ValidateOptions::default());
    assert!(report.valid, "{:?}", &report.errors[..1]);
    assert_eq!(rows[0].1, [Value::Num(1234.0)]);
    assert_eq!(rows[500].1, [Value::Num(7.5)]);
}

#[test]
fn an_empty_line_before_the_source_line_is_not_a_blank_row() {
    // Small files are read whole into the look-ahead buffer while the header is detected.
    let schema = TableSchema::new(vec![
        Field::new("kode_desa", FieldType::String),
        Field::new("tahun", FieldType::Year),
        Field::new("jumlah", FieldType::Integer),
    ]);
    let csv =
        "kode_desa;tahun;jumlah\n1606012001;2024;3\n1606012002;2024;2\n\nSumber: Dinas Kesehatan\n";
    let (report, rows) = run(csv, &schema, &ValidateOptions::default());
    assert!(report.valid, "{:?}", kinds(&report));
    assert_eq!(rows.len(), 2);
    assert_eq!(report.notes.len(), 1);
}

#[test]
fn text_constraints_are_the_same_checked_in_place() {
    // Text cells are checked where they lie when typed values are not wanted (`run` compares both
    // ways): every string constraint, missing and required cells, region codes, over enough rows
    // for the batches to be split across threads.
    let mut nama = Field::new("nama", FieldType::String);
    nama.constraints.required = true;
    nama.constraints.min_length = Some(2);
    nama.constraints.max_length = Some(6);
    nama.constraints.minimum = Some("B".into());
    nama.constraints.maximum = Some("y".into());
    let mut kode = Field::new("kode", FieldType::String);
    kode.constraints.pattern = Some("[0-9]{4}".into());
    let mut pola = Field::new("pola", FieldType::Any);
    pola.constraints.pattern = Some("[a-z]+-[0-9]".into());
    let mut jk = Field::new("jk", FieldType::String);
    jk.constraints.enum_values = Some(vec!["L".into(), "P".into()]);
    let mut desa = Field::new("desa", FieldType::String);
    desa.region_level = Some(Level::Desa);
    let mut kec = Field::new("kec", FieldType::String);
    kec.region_level = Some(Level::Kecamatan);
    kec.constraints.enum_values = Some(vec!["16.06.01".into()]);
    let schema = TableSchema::new(vec![nama, kode, pola, jk, desa, kec]);
    let rows = [
        "Budi,1234,ab-1,L,1606012002,16.06.01",
        ",123,ab1,X,1606012999,160601",
        "A,12345,AB-1,l,16.06.01.2002,16.06.02",
        "Sekayu Kota,12a4,-,-,-,-",
        "Zé,٤٤٤٤,x-9,P,,",
        "zzz,1234,ab-1,P,1606,16",
    ];
    let mut csv = String::from("nama,kode,pola,jk,desa,kec\n");
    for i in 0..300 {
        csv.push_str(rows[i % rows.len()]);
        csv.push('\n');
    }
    let (report, _) = run(&csv, &schema, &ValidateOptions::default());
    assert!(report.stats.errors > 500, "{}", report.stats.errors);
}
