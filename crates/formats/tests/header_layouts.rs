//! Header layouts of real Indonesian statistical tables, end to end (reader → header detection →
//! inference → validation): BPS "Dalam Angka" tables exported to CSV (Windows-1252, `;`, CRLF) and
//! BPS's ".xls" files that are HTML tables with spans, both with blank rows between the title, the
//! two header rows and the column-number row, and a source line below the table.

use satudata_formats::infer::{infer, InferOptions};
use satudata_formats::read::{open_path, ReadOptions};
use satudata_formats::validate::{validate, ValidateOptions};

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("satudata-header-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Infer and validate `path`: the header's labels, the rows, the skipped blank rows and the source
/// note below the table. `ambiguous` columns hold only dotted thousands like `15.123`, which satudata
/// reports as ambiguous-number-format rather than guessing (issue 3, item 3); nothing else may fail.
fn check(path: &std::path::Path, want_labels: &[&str], want_rows: u64, ambiguous: &[&str]) {
    let inferred = infer(
        open_path(path, &ReadOptions::default()).expect("open"),
        &InferOptions::default(),
    )
    .expect("infer");
    let names: Vec<&str> = inferred
        .schema
        .fields
        .iter()
        .map(|f| f.title.as_deref().unwrap_or(&f.name))
        .collect();
    assert_eq!(names, want_labels, "{}", path.display());
    let report = validate(
        open_path(path, &ReadOptions::default()).expect("reopen"),
        &inferred.schema,
        &ValidateOptions::default(),
    )
    .expect("validate");
    for e in &report.errors {
        assert!(
            e.kind == satudata_formats::kinds::ErrorKind::AmbiguousNumberFormat
                && ambiguous.contains(&e.field_name.as_deref().unwrap_or("")),
            "{e:#?}"
        );
    }
    assert_eq!(report.valid, ambiguous.is_empty());
    assert_eq!(report.stats.rows, want_rows);
    let header = report.header.as_ref().expect("header");
    assert!(
        header
            .skipped
            .iter()
            .any(|s| s.reason == "baris kosong di antara baris judul kolom"),
        "{:?}",
        header.skipped
    );
    assert!(
        report.notes.iter().any(|n| n.text.starts_with("Sumber")),
        "{:?}",
        report.notes
    );
}

#[test]
fn bps_csv_export_with_blank_rows_between_header_rows() {
    // Windows-1252 (the "²" of km² is 0xB2), `;` delimiter, CRLF, Indonesian numbers.
    let text = "Tabel 1.1.3 Luas Wilayah dan Jumlah Penduduk Menurut Kecamatan di Kabupaten Musi Banyuasin, 2023;;;;\r\n\
;;;;\r\n\
Kecamatan;Luas (km\u{b2});Jumlah Penduduk (Jiwa);;Kepadatan\r\n\
;;;;\r\n\
;;Laki-laki;Perempuan;(jiwa/km\u{b2})\r\n\
(1);(2);(3);(4);(5)\r\n\
Sanga Desa;317,51;15.123;14.876;94,48\r\n\
Babat Toman;1.269,00;17.004;16.522;26,42\r\n\
Batang Hari Leko;2.134,29;11.210;10.874;10,35\r\n\
Sekayu;701,60;48.213;47.190;135,98\r\n\
;;;;\r\n\
Sumber: BPS Kabupaten Musi Banyuasin, Proyeksi Penduduk 2023;;;;\r\n";
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| if c == '\u{b2}' { 0xB2 } else { c as u8 })
        .collect();
    let p = temp_file("luas-penduduk.csv", &bytes);
    check(
        &p,
        &[
            "Kecamatan",
            "Luas (km²)",
            "Jumlah Penduduk (Jiwa) / Laki-laki",
            "Jumlah Penduduk (Jiwa) / Perempuan",
            "Kepadatan / (jiwa/km²)",
        ],
        4,
        &[
            "jumlah_penduduk_jiwa_laki_laki",
            "jumlah_penduduk_jiwa_perempuan",
        ],
    );
}

#[test]
fn bps_html_xls_with_spans_and_a_blank_row_between_header_rows() {
    let html = r#"<html><head><meta charset="utf-8"></head><body>
<table border="1">
<tr><td colspan="4">Jumlah Sekolah, Guru, dan Murid Sekolah Dasar (SD) Menurut Kecamatan, 2023</td></tr>
<tr><td colspan="4"></td></tr>
<tr><td>Kecamatan</td><td>Sekolah</td><td colspan="2">Jumlah</td></tr>
<tr><td colspan="4"></td></tr>
<tr><td></td><td></td><td>Guru</td><td>Murid</td></tr>
<tr><td>Sanga Desa</td><td>31</td><td>287</td><td>4.102</td></tr>
<tr><td>Babat Toman</td><td>38</td><td>340</td><td>4.877</td></tr>
<tr><td>Sekayu</td><td>52</td><td>611</td><td>9.954</td></tr>
<tr><td colspan="4">Sumber: Dinas Pendidikan Kabupaten Musi Banyuasin</td></tr>
</table></body></html>"#;
    let p = temp_file("sekolah-sd.xls", html.as_bytes());
    check(
        &p,
        &["Kecamatan", "Sekolah", "Jumlah / Guru", "Jumlah / Murid"],
        3,
        &["jumlah_murid"],
    );
}
