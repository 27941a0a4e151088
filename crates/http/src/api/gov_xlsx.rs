//! Spreadsheets of governance: writing small workbooks (Daftar Data, kemutakhiran) with
//! rust_xlsxwriter and reading the Daftar Data back with calamine.

use std::io::Cursor;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use calamine::{Data, Reader, Xlsx};
use chrono::{Datelike, Duration, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use crate::error::ApiError;

/// The media type of XLSX.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One cell to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Num(f64),
    Date(NaiveDate),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<Option<NaiveDate>> for Cell {
    fn from(d: Option<NaiveDate>) -> Cell {
        d.map(Cell::Date).unwrap_or(Cell::Empty)
    }
}

/// One worksheet: a name, a bold header row and rows.
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The workbook's bytes.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name)?;
        for (c, h) in s.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
        }
        for (r, row) in s.rows.iter().enumerate() {
            let rn = (r + 1) as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(t) => {
                        ws.write_string(rn, c, t)?;
                    }
                    Cell::Num(n) => {
                        ws.write_number(rn, c, *n)?;
                    }
                    Cell::Date(d) => {
                        let x = ExcelDateTime::from_ymd(
                            d.year() as u16,
                            d.month() as u8,
                            d.day() as u8,
                        )?;
                        ws.write_datetime_with_format(rn, c, &x, &date)?;
                    }
                }
            }
        }
        ws.autofit();
    }
    wb.save_to_buffer()
}

/// An XLSX download named `file`.
pub fn download(bytes: Vec<u8>, file: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, XLSX.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
            (header::CACHE_CONTROL, "no-cache".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// A workbook that could not be written (never expected: the data is ours).
pub fn write_error(e: XlsxError) -> ApiError {
    ApiError::internal(format_args!("xlsx: {e}"))
}

/// The first worksheet of an XLSX file as text cells (dates as `YYYY-MM-DD`), header first.
pub fn read_first_sheet(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| format!("Berkas bukan XLSX yang dapat dibaca: {e}"))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| "Berkas XLSX tidak punya lembar kerja.".to_string())?
        .map_err(|e| format!("Lembar kerja pertama tidak dapat dibaca: {e}"))?;
    Ok(range
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect())
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "ya" } else { "tidak" }.to_string(),
        Data::DateTime(dt) => excel_date(dt.as_f64())
            .map(|d| d.to_string())
            .unwrap_or_default(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// An Excel serial day (1900 system) as a date.
fn excel_date(serial: f64) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_signed(Duration::days(serial.floor() as i64))
}

/// A date as people write it in a sheet: `2026-03-31`, `31/03/2026`, `31-03-2026`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_sheet_reads_back_with_dates() {
        let bytes = workbook(&[Sheet {
            name: "Daftar Data".into(),
            header: vec!["Judul".into(), "Jadwal".into(), "Jumlah".into()],
            rows: vec![vec![
                "Jumlah penduduk".into(),
                Cell::Date(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()),
                Cell::Num(12.0),
            ]],
        }])
        .unwrap();
        let rows = read_first_sheet(&bytes).unwrap();
        assert_eq!(rows[0], ["Judul", "Jadwal", "Jumlah"]);
        assert_eq!(rows[1], ["Jumlah penduduk", "2026-03-31", "12"]);
        assert!(read_first_sheet(b"bukan xlsx").is_err());
        assert_eq!(
            parse_date("31/03/2026"),
            NaiveDate::from_ymd_opt(2026, 3, 31)
        );
    }
}
