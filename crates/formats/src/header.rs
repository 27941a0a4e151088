//! Finding the header in what people put above a table: title rows ("Tabel 3.1 Jumlah Penduduk …"),
//! blank rows, two- or three-row headers with merged cells (flattened to one name, "Jumlah Penduduk /
//! Laki-laki"), and the column-number row BPS prints under headers ("(1) (2) (3)").

use serde::Serialize;

use crate::read::Record;

/// Rows scanned to find the header.
pub const SCAN_ROWS: usize = 50;

/// Blank rows allowed between two header rows, or between the header and its column-number row.
const MAX_BLANKS_BETWEEN: usize = 2;

/// A row that is not data and not header, skipped and reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SkippedRow {
    /// Row number as in the file.
    pub row_number: u64,
    /// The row's text (non-empty cells joined).
    pub text: String,
    /// Why it was skipped, in Bahasa Indonesia.
    pub reason: String,
}

/// Where the header is and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    /// The header's rows (row numbers as in the file), top to bottom.
    pub row_numbers: Vec<u64>,
    /// One label per column; several header rows are flattened with " / ".
    pub labels: Vec<String>,
    /// Title, blank and numbering rows above or just below the header.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedRow>,
}

impl Header {
    /// The row number of the header's last row (data starts below it).
    pub fn last_row(&self) -> u64 {
        self.row_numbers.last().copied().unwrap_or(0)
    }
}

/// The result of detection over the scanned rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    pub header: Header,
    /// Index (into the scanned rows) of the first row after the header and any numbering row.
    pub data_start: usize,
}

/// Filled cells of a row; a row whose filled cells all hold the same text counts as one (an HTML title
/// or note spanning the table's width is repeated in every column it covers).
pub fn filled_cells(r: &Record) -> usize {
    let mut filled = r.cells().iter().map(str::trim).filter(|c| !c.is_empty());
    let Some(first) = filled.next() else {
        return 0;
    };
    let mut n = 1;
    let mut all_same = true;
    for c in filled {
        n += 1;
        all_same &= c == first;
    }
    if all_same {
        1
    } else {
        n
    }
}

fn nonempty(r: &Record) -> usize {
    filled_cells(r)
}

/// A number, a percentage or a date-like value: data, not a label.
pub fn looks_numeric(s: &str) -> bool {
    let t = s.trim().trim_end_matches('%').trim();
    !t.is_empty()
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes().all(|b| {
            b.is_ascii_digit() || matches!(b, b'.' | b',' | b'-' | b'+' | b'/' | b' ' | b'e' | b'E')
        })
}

/// BPS's column-number row: `(1) (2) (3)` or `1 2 3`, counting up.
fn is_numbering_row(r: &Record) -> bool {
    let vals: Vec<&str> = r
        .cells()
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if vals.len() < 2 {
        return false;
    }
    vals.iter().enumerate().all(|(i, v)| {
        let inner = v
            .strip_prefix('(')
            .and_then(|v| v.strip_suffix(')'))
            .unwrap_or(v);
        inner.parse::<usize>().is_ok_and(|n| n == i + 1)
    })
}

fn row_text(r: &Record) -> String {
    r.cells()
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The usual number of filled cells of a table row: the most common count among rows with at least two
/// (the larger on a tie), so that one odd long row does not set the width.
fn typical_width(rows: &[Record]) -> usize {
    let mut freq: Vec<(usize, usize)> = vec![];
    for n in rows.iter().map(nonempty).filter(|&n| n >= 2) {
        match freq.iter_mut().find(|(k, _)| *k == n) {
            Some(f) => f.1 += 1,
            None => freq.push((n, 1)),
        }
    }
    freq.iter()
        .max_by_key(|&&(k, n)| (n, k))
        .map(|&(k, _)| k)
        .unwrap_or(1)
}

fn normalize(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// Find the header among the first rows of a table. `expected` are the schema's field names, if a schema
/// is given: a row holding most of them is the header whatever its shape. Never panics; an empty input
/// gives an empty header.
pub fn detect_header(rows: &[Record], expected: Option<&[String]>) -> Detection {
    let mut skipped = vec![];
    let Some(first_nonblank) = rows.iter().position(|r| !r.is_blank()) else {
        return Detection {
            header: Header {
                row_numbers: vec![],
                labels: vec![],
                skipped,
            },
            data_start: rows.len(),
        };
    };
    // A row with most schema names is the header.
    let by_schema = expected.filter(|e| !e.is_empty()).and_then(|exp| {
        let want: Vec<String> = exp.iter().map(|s| normalize(s)).collect();
        rows.iter().position(|r| {
            let have: Vec<String> = r.cells().iter().map(normalize).collect();
            let hits = want.iter().filter(|w| have.contains(w)).count();
            hits * 2 > want.len().max(1) || (hits == want.len())
        })
    });
    let width = typical_width(rows);
    let min_filled = if width <= 1 {
        1
    } else {
        2.max((width * 6).div_ceil(10))
    };
    let start = by_schema
        .or_else(|| rows.iter().position(|r| nonempty(r) >= min_filled))
        .unwrap_or(first_nonblank);
    for r in &rows[..start] {
        skipped.push(SkippedRow {
            row_number: r.row(),
            text: row_text(r),
            reason: if r.is_blank() {
                "baris kosong di atas tabel".into()
            } else {
                "judul atau keterangan di atas tabel".into()
            },
        });
    }
    // Further header rows: sub-labels under merged cells, possibly with blank rows between them
    // (BPS and OPD tables often leave an empty row between the group labels and the sub-labels).
    let mut header_rows: Vec<Record> = vec![rows[start].clone()];
    let mut end = start + 1;
    if by_schema.is_none() || expected.is_some_and(|e| !labels_match(&rows[start], e)) {
        while header_rows.len() < 3 {
            let blanks = rows[end.min(rows.len())..]
                .iter()
                .take_while(|r| r.is_blank())
                .count()
                .min(MAX_BLANKS_BETWEEN);
            let at = end + blanks;
            let next = rows.get(at + 1..).and_then(|rest| {
                rest.iter()
                    .take(MAX_BLANKS_BETWEEN + 1)
                    .find(|r| !r.is_blank())
            });
            if at >= rows.len() || !is_subheader(&header_rows, &rows[at], next) {
                break;
            }
            for r in &rows[end..at] {
                skipped.push(SkippedRow {
                    row_number: r.row(),
                    text: String::new(),
                    reason: "baris kosong di antara baris judul kolom".into(),
                });
            }
            header_rows.push(rows[at].clone());
            end = at + 1;
        }
    }
    let labels = flatten(&header_rows);
    let mut data_start = end;
    // BPS's column-number row, possibly after blank rows (skipped with it); blank rows straight
    // before the data stay in the data (Frictionless reports them as blank-row).
    let blanks = rows[end.min(rows.len())..]
        .iter()
        .take_while(|r| r.is_blank())
        .count()
        .min(MAX_BLANKS_BETWEEN);
    if let Some(r) = rows.get(end + blanks) {
        if is_numbering_row(r) {
            for b in &rows[end..end + blanks] {
                skipped.push(SkippedRow {
                    row_number: b.row(),
                    text: String::new(),
                    reason: "baris kosong di antara judul kolom dan nomor kolom".into(),
                });
            }
            skipped.push(SkippedRow {
                row_number: r.row(),
                text: row_text(r),
                reason: "baris nomor kolom di bawah judul kolom".into(),
            });
            data_start = end + blanks + 1;
        }
    }
    Detection {
        header: Header {
            row_numbers: header_rows.iter().map(Record::row).collect(),
            labels,
            skipped,
        },
        data_start,
    }
}

fn labels_match(r: &Record, expected: &[String]) -> bool {
    r.cells().len() >= expected.len()
        && r.cells()
            .iter()
            .zip(expected)
            .all(|(a, b)| normalize(a) == normalize(b))
}

/// Whether `s` continues the header rows `top` (sub-labels under merged cells) rather than starting the
/// data.
fn is_subheader(top: &[Record], s: &Record, next: Option<&Record>) -> bool {
    let cells = s.cells();
    let filled: Vec<usize> = (0..cells.len())
        .filter(|&i| !cells.get(i).unwrap_or("").trim().is_empty())
        .collect();
    if filled.is_empty()
        || filled
            .iter()
            .any(|&i| looks_numeric(cells.get(i).unwrap_or("")))
        || is_numbering_row(s)
    {
        return false;
    }
    let last = &top[top.len() - 1];
    let lc = last.cells();
    let get = |i: usize| lc.get(i).map(|c| c.trim()).unwrap_or("");
    // A sub-label sits under a blank (merged) cell or under a label repeated across columns (HTML
    // colspans are expanded by repeating the value).
    let under_merge = filled.iter().any(|&i| {
        let above = get(i);
        above.is_empty() && (0..i).any(|j| !get(j).is_empty())
            || (!above.is_empty() && ((i > 0 && get(i - 1) == above) || get(i + 1) == above))
    });
    if !under_merge {
        return false;
    }
    // The row below should look like data (some number), else both rows may be data of a text table.
    match next {
        Some(n) => n.cells().iter().any(looks_numeric) || is_numbering_row(n),
        None => true,
    }
}

/// Flatten header rows into one label per column: a blank cell of an upper row inherits the label to
/// its left when a lower row has a sub-label there (a horizontal merge); parts are joined with " / ",
/// repeats dropped (vertical merges expanded by HTML readers).
pub fn flatten(header_rows: &[Record]) -> Vec<String> {
    let width = header_rows.iter().map(Record::len).max().unwrap_or(0);
    if header_rows.len() == 1 {
        return header_rows[0]
            .cells()
            .iter()
            .map(|c| c.trim().to_string())
            .collect();
    }
    let mut grid: Vec<Vec<String>> = header_rows
        .iter()
        .map(|r| {
            (0..width)
                .map(|i| {
                    r.cells()
                        .get(i)
                        .map(|c| c.trim().to_string())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    // Forward-fill horizontal merges in every row but the last.
    for ri in 0..grid.len() - 1 {
        for ci in 1..width {
            let below_has_label = (ri + 1..grid.len()).any(|rj| !grid[rj][ci].is_empty());
            if grid[ri][ci].is_empty() && below_has_label {
                // Only within a merged run: the cell to the left must itself have a sub-label below.
                let left_is_group = (ri + 1..grid.len()).any(|rj| !grid[rj][ci - 1].is_empty());
                if left_is_group {
                    grid[ri][ci] = grid[ri][ci - 1].clone();
                }
            }
        }
    }
    (0..width)
        .map(|ci| {
            let mut parts: Vec<&str> = vec![];
            for row in &grid {
                let v = row[ci].as_str();
                if !v.is_empty() && parts.last() != Some(&v) {
                    parts.push(v);
                }
            }
            parts.join(" / ")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recs(rows: &[&[&str]]) -> Vec<Record> {
        rows.iter()
            .enumerate()
            .map(|(i, r)| Record::from_cells(i as u64 + 1, r))
            .collect()
    }

    #[test]
    fn plain_header_is_the_first_row() {
        let rows = recs(&[&["id", "name"], &["1", "english"], &["2", "german"]]);
        let d = detect_header(&rows, None);
        assert_eq!(d.header.row_numbers, [1]);
        assert_eq!(d.header.labels, ["id", "name"]);
        assert_eq!(d.data_start, 1);
        let rows = recs(&[&["1", "english"], &["2", "german"]]);
        assert_eq!(detect_header(&rows, None).header.row_numbers, [1]);
    }

    #[test]
    fn title_rows_and_two_row_headers_with_merged_cells() {
        let rows = recs(&[
            &["Tabel 3.1 Jumlah Penduduk Menurut Kecamatan, 2024"],
            &[],
            &["Kecamatan", "Jumlah Penduduk", "", "Rasio"],
            &["", "Laki-laki", "Perempuan", ""],
            &["(1)", "(2)", "(3)", "(4)"],
            &["Sekayu", "1.234", "1.300", "0,95"],
            &["Lais", "900", "950", "0,95"],
        ]);
        let d = detect_header(&rows, None);
        assert_eq!(d.header.row_numbers, [3, 4]);
        assert_eq!(
            d.header.labels,
            [
                "Kecamatan",
                "Jumlah Penduduk / Laki-laki",
                "Jumlah Penduduk / Perempuan",
                "Rasio"
            ]
        );
        assert_eq!(d.data_start, 5);
        assert_eq!(d.header.skipped.len(), 3);
        assert_eq!(d.header.skipped[0].row_number, 1);
    }

    #[test]
    fn blank_rows_between_title_header_rows_and_numbering_row() {
        // As BPS "Kabupaten Dalam Angka" tables exported to Excel/CSV look: title, blank, group
        // labels, blank, sub-labels, blank, column numbers, data, source.
        let rows = recs(&[
            &["Tabel 3.1.2 Jumlah Penduduk Menurut Kecamatan dan Jenis Kelamin, 2023"],
            &["Table 3.1.2 Population by Subdistrict and Sex, 2023"],
            &[],
            &["Kecamatan", "Jenis Kelamin", "", "Jumlah"],
            &[],
            &["", "Laki-laki", "Perempuan", ""],
            &[],
            &["(1)", "(2)", "(3)", "(4)"],
            &["Sanga Desa", "15.123", "14.876", "29.999"],
            &["Babat Toman", "17.004", "16.522", "33.526"],
        ]);
        let d = detect_header(&rows, None);
        assert_eq!(d.header.row_numbers, [4, 6]);
        assert_eq!(
            d.header.labels,
            [
                "Kecamatan",
                "Jenis Kelamin / Laki-laki",
                "Jenis Kelamin / Perempuan",
                "Jumlah"
            ]
        );
        assert_eq!(d.data_start, 8);
        let skipped: Vec<(u64, &str)> = d
            .header
            .skipped
            .iter()
            .map(|s| (s.row_number, s.reason.as_str()))
            .collect();
        assert_eq!(
            skipped,
            [
                (1, "judul atau keterangan di atas tabel"),
                (2, "judul atau keterangan di atas tabel"),
                (3, "baris kosong di atas tabel"),
                (5, "baris kosong di antara baris judul kolom"),
                (7, "baris kosong di antara judul kolom dan nomor kolom"),
                (8, "baris nomor kolom di bawah judul kolom"),
            ]
        );
    }

    #[test]
    fn a_blank_row_before_data_is_not_a_header_gap() {
        // One header row, a blank row, then data: the blank row stays in the data (blank-row), and
        // text data after a blank row is not taken for sub-labels.
        let rows = recs(&[
            &["kecamatan", "", "jumlah"],
            &[],
            &["Sekayu", "Lais", "3"],
            &["Lais", "Sekayu", "4"],
        ]);
        let d = detect_header(&rows, None);
        assert_eq!(d.header.row_numbers, [1]);
        assert_eq!(d.data_start, 1);
        // Three blank rows are too many to bridge.
        let rows = recs(&[
            &["Kecamatan", "Jenis Kelamin", "", "Jumlah"],
            &[],
            &[],
            &[],
            &["", "Laki-laki", "Perempuan", ""],
            &["Sekayu", "1", "2", "3"],
        ]);
        assert_eq!(detect_header(&rows, None).header.row_numbers, [1]);
    }

    #[test]
    fn html_spans_repeat_values_and_still_flatten() {
        let rows = recs(&[
            &["Kecamatan", "Jumlah Penduduk", "Jumlah Penduduk"],
            &["Kecamatan", "Laki-laki", "Perempuan"],
            &["Sekayu", "1", "2"],
        ]);
        let d = detect_header(&rows, None);
        assert_eq!(
            d.header.labels,
            [
                "Kecamatan",
                "Jumlah Penduduk / Laki-laki",
                "Jumlah Penduduk / Perempuan"
            ]
        );
    }

    #[test]
    fn text_data_is_not_taken_for_a_subheader() {
        let rows = recs(&[&["id", "", "name"], &["a", "b", "c"], &["d", "e", "f"]]);
        assert_eq!(detect_header(&rows, None).header.row_numbers, [1]);
    }

    #[test]
    fn schema_names_locate_the_header() {
        let rows = recs(&[
            &["Laporan"],
            &["x", "y"],
            &["kode_desa", "jumlah"],
            &["1606012001", "3"],
        ]);
        let d = detect_header(&rows, Some(&["kode_desa".into(), "jumlah".into()]));
        assert_eq!(d.header.row_numbers, [3]);
        assert_eq!(d.data_start, 3);
    }

    #[test]
    fn empty_input() {
        let d = detect_header(&[], None);
        assert!(d.header.labels.is_empty());
    }
}
