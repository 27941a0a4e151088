//! Workbooks (XLSX, XLS, ODS) with calamine. Numbers and dates come from the cells' types and are
//! written as canonical text (`1234.5`, `2024-12-31`), so the cell parsers treat every source alike.
//!
//! calamine reads a whole sheet into memory; workbooks from OPDs are small, and the streaming path for
//! large data is CSV.

use std::io::{Read, Seek};

use calamine::{Data, Range, Reader, Sheets};

use super::{Format, ReadError, ReadOptions, Record, SheetSelector, SourceInfo, TableReader};

/// Reads one sheet of a workbook.
pub struct SheetReader {
    range: Range<Data>,
    /// Sheet row (0-based) of the range's first row.
    first_row: u32,
    next: usize,
    info: SourceInfo,
}

fn corrupt(format: Format, e: impl std::fmt::Display) -> ReadError {
    let detail = e.to_string();
    if detail.to_ascii_lowercase().contains("password") {
        return ReadError::PasswordProtected;
    }
    ReadError::Corrupt {
        format: match format {
            Format::Xls => "XLS",
            Format::Ods => "ODS",
            _ => "XLSX",
        },
        detail,
    }
}

/// calamine is not promised panic-free on hostile input; a panic becomes a "corrupt file" error.
fn guarded<T>(format: Format, f: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => Err(corrupt(format, "struktur berkas tidak valid")),
    }
}

/// Open a workbook and pick a sheet.
pub fn open<RS: Read + Seek>(
    rs: RS,
    format: Format,
    opts: &ReadOptions,
) -> Result<Box<dyn super::TableReader>, ReadError> {
    guarded(format, || open_inner(rs, format, opts)).map(|r| Box::new(r) as Box<dyn TableReader>)
}

fn open_inner<RS: Read + Seek>(
    rs: RS,
    format: Format,
    opts: &ReadOptions,
) -> Result<SheetReader, ReadError> {
    let mut wb: Sheets<RS> = match format {
        Format::Xls => Sheets::Xls(calamine::Xls::new(rs).map_err(|e| corrupt(format, e))?),
        Format::Ods => Sheets::Ods(calamine::Ods::new(rs).map_err(|e| corrupt(format, e))?),
        _ => Sheets::Xlsx(calamine::Xlsx::new(rs).map_err(|e| corrupt(format, e))?),
    };
    let names = wb.sheet_names();
    if names.is_empty() {
        return Err(ReadError::not_a_table(
            "buku kerja tanpa lembar",
            "a workbook with no sheets",
        ));
    }
    let (name, range) = match &opts.sheet {
        Some(SheetSelector::Name(n)) => {
            let found = names
                .iter()
                .find(|s| *s == n)
                .or_else(|| {
                    names
                        .iter()
                        .find(|s| s.trim().eq_ignore_ascii_case(n.trim()))
                })
                .cloned()
                .ok_or_else(|| ReadError::SheetNotFound {
                    wanted: n.clone(),
                    available: names.join(", "),
                })?;
            let r = wb.worksheet_range(&found).map_err(|e| corrupt(format, e))?;
            (found, r)
        }
        Some(SheetSelector::Index(i)) => {
            let found = names
                .get(*i)
                .cloned()
                .ok_or_else(|| ReadError::SheetNotFound {
                    wanted: format!("#{}", i + 1),
                    available: names.join(", "),
                })?;
            let r = wb.worksheet_range(&found).map_err(|e| corrupt(format, e))?;
            (found, r)
        }
        None => {
            // The first sheet with data (a blank cover sheet is common).
            let mut chosen = None;
            for n in &names {
                let r = wb.worksheet_range(n).map_err(|e| corrupt(format, e))?;
                if r.used_cells().next().is_some() {
                    chosen = Some((n.clone(), r));
                    break;
                }
            }
            chosen.ok_or_else(|| {
                ReadError::not_a_table(
                    "buku kerja yang semua lembarnya kosong",
                    "a workbook whose sheets are all empty",
                )
            })?
        }
    };
    let first_row = range.start().map(|(r, _)| r).unwrap_or(0);
    let mut info = SourceInfo {
        format: Some(format),
        sheet: Some(name),
        short_rows_are_padded: true,
        ..Default::default()
    };
    if names.len() > 1 {
        info.sheets = names;
    }
    Ok(SheetReader {
        range,
        first_row,
        next: 0,
        info,
    })
}

/// Write a spreadsheet cell as text.
pub fn cell_text(d: &Data, out: &mut String) {
    use std::fmt::Write;
    out.clear();
    match d {
        Data::Empty => {}
        Data::String(s) => out.push_str(s),
        Data::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                let _ = write!(out, "{}", *f as i64);
            } else {
                let _ = write!(out, "{f}");
            }
        }
        Data::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(v) if dt.is_datetime() => {
                if v.time() == chrono::NaiveTime::MIN {
                    let _ = write!(out, "{}", v.format("%Y-%m-%d"));
                } else {
                    let _ = write!(out, "{}", v.format("%Y-%m-%dT%H:%M:%S"));
                }
            }
            _ => {
                let _ = write!(out, "{}", dt.as_f64());
            }
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => out.push_str(s),
        Data::Error(e) => {
            let _ = write!(out, "#{e:?}");
        }
    }
}

impl TableReader for SheetReader {
    fn read_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        if self.next >= self.range.height() {
            return Ok(false);
        }
        rec.reset(self.first_row as u64 + self.next as u64 + 1);
        let mut buf = String::new();
        for col in 0..self.range.width() {
            match self.range.get((self.next, col)) {
                Some(c) => cell_text(c, &mut buf),
                None => buf.clear(),
            }
            rec.push(&buf);
        }
        // Sheets pad every row to the used width; trailing empties say nothing.
        rec.trim_end();
        self.next += 1;
        Ok(true)
    }

    fn info(&self) -> &SourceInfo {
        &self.info
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{open_path, records};

    fn data(f: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/conformance/frictionless-py-data")
            .join(f)
    }

    #[test]
    fn reads_xlsx_xls_and_ods_alike() {
        for f in ["table.xlsx", "table.xls", "table.ods"] {
            let p = data(f);
            if !p.exists() {
                continue;
            }
            let rows: Vec<_> = records(open_path(&p, &ReadOptions::default()).unwrap())
                .map(Result::unwrap)
                .collect();
            assert_eq!(rows[0].1, ["id", "name"], "{f}");
            assert_eq!(rows[1].1, ["1", "english"], "{f}");
            assert_eq!(rows[0].0, 1);
        }
    }

    #[test]
    fn chooses_sheets_by_name_and_index() {
        let p = data("sheet2.xlsx");
        if !p.exists() {
            return;
        }
        let r = open_path(
            &p,
            &ReadOptions {
                sheet: Some(SheetSelector::Index(1)),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(r.info().sheet.is_some());
        let err = open_path(
            &p,
            &ReadOptions {
                sheet: Some(SheetSelector::Name("nope".into())),
                ..Default::default()
            },
        );
        assert!(matches!(err, Err(ReadError::SheetNotFound { .. })));
    }

    #[test]
    fn garbage_workbooks_are_errors_not_panics() {
        for bytes in [
            &b"PK\x03\x04xl/garbage"[..],
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 1, 2, 3][..],
        ] {
            assert!(crate::read::open_bytes(bytes, &ReadOptions::default()).is_err());
        }
    }
}
