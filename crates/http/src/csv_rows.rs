//! Reading a clean CSV upload into typed rows, in bounded memory.
//!
//! The request body arrives as byte chunks on the async side; [`ChannelReader`] turns them into a
//! blocking [`std::io::Read`] for the `csv` reader, which runs on a blocking thread and sends
//! batches of [`BATCH`] typed rows to the store through a
//! [`satudata_store::ChannelRowSource`]. Both channels are bounded, so at most a few batches are
//! in memory whatever the size of the file. The first bad cell stops everything: an `Err` goes to
//! the store (which then writes nothing) and the problem, naming row, column, value and why, is
//! returned to the handler.

use std::io::{self, Read};

use bytes::{Buf, Bytes};
use satudata_core::row::Row;
use satudata_core::schema::TableSchema;
use satudata_core::value::{parse_canonical, Value};
use tokio::sync::mpsc;

use crate::error::ProblemItem;

/// Rows per batch sent to the store.
pub const BATCH: usize = 1000;

/// Why a CSV upload was not read.
#[derive(Debug)]
pub enum CsvError {
    /// The file does not match the schema (422): a summary and the problems.
    Invalid {
        detail: String,
        items: Vec<ProblemItem>,
    },
    /// The body could not be read (400).
    Io(String),
    /// The store stopped taking rows; its own error says why.
    Aborted,
}

/// A blocking reader over byte chunks arriving on a channel.
pub struct ChannelReader {
    rx: mpsc::Receiver<io::Result<Bytes>>,
    current: Bytes,
}

impl ChannelReader {
    /// Read the chunks of `rx` until it closes.
    pub fn new(rx: mpsc::Receiver<io::Result<Bytes>>) -> Self {
        ChannelReader {
            rx,
            current: Bytes::new(),
        }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(chunk)) => self.current = chunk,
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        self.current.advance(n);
        Ok(n)
    }
}

fn invalid(detail: String, items: Vec<ProblemItem>) -> CsvError {
    CsvError::Invalid { detail, items }
}

/// Map each schema field to its column in the header; problems name the columns.
fn match_header(header: &csv::StringRecord, schema: &TableSchema) -> Result<Vec<usize>, CsvError> {
    let names: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = if i == 0 {
                h.trim_start_matches('\u{feff}')
            } else {
                h
            };
            h.trim().to_string()
        })
        .collect();
    let mut items = vec![];
    if names.iter().all(String::is_empty) {
        return Err(invalid(
            "Berkas CSV kosong: baris pertama harus berisi nama kolom sesuai skema.".into(),
            vec![ProblemItem {
                row: Some(1),
                ..ProblemItem::new("", "Baris judul kolom tidak ada.")
            }],
        ));
    }
    for (i, n) in names.iter().enumerate() {
        if names[..i].contains(n) {
            items.push(ProblemItem {
                row: Some(1),
                value: Some(n.clone()),
                ..ProblemItem::new(n.clone(), format!("Kolom '{n}' muncul lebih dari sekali."))
            });
        } else if schema.field_index(n).is_none() {
            items.push(ProblemItem {
                row: Some(1),
                value: Some(n.clone()),
                ..ProblemItem::new(
                    n.clone(),
                    format!("Kolom '{n}' tidak ada dalam skema tabel."),
                )
            });
        }
    }
    let mut positions = Vec::with_capacity(schema.fields.len());
    for f in &schema.fields {
        match names.iter().position(|n| *n == f.name) {
            Some(p) => positions.push(p),
            None => items.push(ProblemItem {
                row: Some(1),
                ..ProblemItem::new(
                    f.name.clone(),
                    format!("Kolom '{}' dari skema tidak ada di berkas.", f.name),
                )
            }),
        }
    }
    if items.is_empty() {
        Ok(positions)
    } else {
        let expected: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
        Err(invalid(
            format!(
                "Judul kolom berkas CSV tidak cocok dengan skema (diharapkan: {}). Tidak ada data yang disimpan.",
                expected.join(", ")
            ),
            items,
        ))
    }
}

fn csv_error(e: csv::Error) -> CsvError {
    let row = |pos: Option<&csv::Position>| pos.map(|p| p.record() + 1);
    match e.kind() {
        csv::ErrorKind::Io(io) => CsvError::Io(format!("Gagal membaca isi unggahan: {io}")),
        csv::ErrorKind::Utf8 { pos, .. } => {
            let r = row(pos.as_ref());
            invalid(
                format!(
                    "Berkas bukan teks UTF-8{}. Simpan ulang sebagai \"CSV UTF-8\". Tidak ada data yang disimpan.",
                    r.map(|r| format!(" (baris {r})")).unwrap_or_default()
                ),
                vec![ProblemItem { row: r, ..ProblemItem::new("", "Bukan teks UTF-8.") }],
            )
        }
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => {
            let r = row(pos.as_ref());
            let msg =
                format!("Baris ini punya {len} kolom, padahal judul kolom punya {expected_len}.");
            invalid(
                format!(
                    "Baris {}: {msg} Tidak ada data yang disimpan.",
                    r.map(|r| r.to_string()).unwrap_or_else(|| "?".into())
                ),
                vec![ProblemItem {
                    row: r,
                    ..ProblemItem::new("", msg)
                }],
            )
        }
        other => invalid(
            format!("Berkas CSV tidak dapat dibaca: {other:?}. Tidak ada data yang disimpan."),
            vec![],
        ),
    }
}

/// Read a clean CSV (header = the schema's field names, in any order; each cell in canonical form)
/// and send its rows in batches to `tx`. Returns the number of rows. Runs on a blocking thread.
pub fn read_csv(
    input: impl Read,
    schema: &TableSchema,
    tx: mpsc::Sender<Result<Vec<Row>, String>>,
) -> Result<u64, CsvError> {
    let result = read_into(input, schema, &tx);
    if let Err(CsvError::Invalid { detail, .. } | CsvError::Io(detail)) = &result {
        // Tell the store to write nothing; it may have stopped listening already.
        let _ = tx.blocking_send(Err(detail.clone()));
    }
    result
}

fn read_into(
    input: impl Read,
    schema: &TableSchema,
    tx: &mpsc::Sender<Result<Vec<Row>, String>>,
) -> Result<u64, CsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(input);
    let positions = match_header(reader.headers().map_err(csv_error)?, schema)?;
    let mut record = csv::StringRecord::new();
    let mut batch: Vec<Row> = Vec::with_capacity(BATCH);
    let mut count: u64 = 0;
    while reader.read_record(&mut record).map_err(csv_error)? {
        let row_number = count + 2;
        let mut row: Row = Vec::with_capacity(schema.fields.len());
        for (field, &pos) in schema.fields.iter().zip(&positions) {
            let raw = record.get(pos).unwrap_or("");
            let value = parse_canonical(field, raw, &schema.missing_values)
                .map_err(|e| cell_problem(row_number, &field.name, raw, &e.message))?;
            if value == Value::Null && field.constraints.required {
                return Err(cell_problem(
                    row_number,
                    &field.name,
                    raw,
                    "nilai wajib diisi (kolom ini tidak boleh kosong)",
                ));
            }
            row.push(value);
        }
        batch.push(row);
        count += 1;
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            tx.blocking_send(Ok(full)).map_err(|_| CsvError::Aborted)?;
        }
    }
    if !batch.is_empty() {
        tx.blocking_send(Ok(batch)).map_err(|_| CsvError::Aborted)?;
    }
    Ok(count)
}

fn cell_problem(row: u64, column: &str, raw: &str, why: &str) -> CsvError {
    invalid(
        format!("Baris {row}, kolom '{column}': {why}. Tidak ada data yang disimpan."),
        vec![ProblemItem {
            row: Some(row),
            value: Some(raw.to_string()),
            ..ProblemItem::new(column, why)
        }],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use satudata_core::schema::{Field, FieldType};

    fn schema() -> TableSchema {
        let mut req = Field::new("tahun", FieldType::Year);
        req.constraints.required = true;
        TableSchema::new(vec![
            Field::new("kecamatan", FieldType::String),
            req,
            Field::new("jumlah", FieldType::Integer),
        ])
    }

    type Batches = Vec<Result<Vec<Row>, String>>;

    fn run(csv: &str) -> (Result<u64, CsvError>, Batches) {
        let (tx, mut rx) = mpsc::channel(1000);
        let r = read_csv(csv.as_bytes(), &schema(), tx);
        let mut got = vec![];
        while let Ok(b) = rx.try_recv() {
            got.push(b);
        }
        (r, got)
    }

    #[test]
    fn reads_rows_in_schema_order_whatever_the_column_order() {
        let (r, got) = run("\u{feff}jumlah,kecamatan,tahun\n12,Sekayu,2024\n,Lais,2023\n");
        assert_eq!(r.unwrap(), 2);
        let rows = got.into_iter().next().unwrap().unwrap();
        assert_eq!(
            rows[0],
            vec![
                Value::Text("Sekayu".into()),
                Value::Int(2024),
                Value::Int(12)
            ]
        );
        assert_eq!(rows[1][2], Value::Null);
    }

    #[test]
    fn first_bad_cell_names_row_column_value_and_aborts() {
        let (r, got) = run("kecamatan,tahun,jumlah\nSekayu,2024,12\nLais,2024,dua belas\n");
        match r {
            Err(CsvError::Invalid { detail, items }) => {
                assert!(detail.contains("Baris 3"), "{detail}");
                assert_eq!(items[0].field, "jumlah");
                assert_eq!(items[0].row, Some(3));
                assert_eq!(items[0].value.as_deref(), Some("dua belas"));
            }
            other => panic!("{other:?}"),
        }
        assert!(got.last().unwrap().is_err());
    }

    #[test]
    fn header_must_match_the_schema() {
        let (r, _) = run("kecamatan,tahun,jml\n");
        match r {
            Err(CsvError::Invalid { items, .. }) => {
                let fields: Vec<_> = items.iter().map(|i| i.field.as_str()).collect();
                assert_eq!(fields, ["jml", "jumlah"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(run("").0, Err(CsvError::Invalid { .. })));
    }

    #[test]
    fn required_cells_and_ragged_rows_are_refused() {
        assert!(matches!(
            run("kecamatan,tahun,jumlah\nSekayu,,1\n").0,
            Err(CsvError::Invalid { ref items, .. }) if items[0].field == "tahun"
        ));
        assert!(matches!(
            run("kecamatan,tahun,jumlah\nSekayu,2024\n").0,
            Err(CsvError::Invalid { ref items, .. }) if items[0].row == Some(2)
        ));
    }

    #[test]
    fn big_files_go_in_batches() {
        let mut csv = String::from("kecamatan,tahun,jumlah\n");
        for i in 0..2500 {
            csv.push_str(&format!("K{i},2024,{i}\n"));
        }
        let (r, got) = run(&csv);
        assert_eq!(r.unwrap(), 2500);
        let sizes: Vec<usize> = got.into_iter().map(|b| b.unwrap().len()).collect();
        assert_eq!(sizes, [1000, 1000, 500]);
    }
}
