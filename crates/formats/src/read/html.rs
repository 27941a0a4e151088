//! HTML tables: what BPS's website serves as ".xls". A small tolerant tokenizer finds every `<table>`,
//! expands `rowspan`/`colspan` (a spanned value is repeated in every cell it covers) and reads the
//! largest table. Pages are small; the whole page is held in memory.

use std::io::Read;

use super::encoding;
use super::{Format, ReadError, ReadOptions, Record, SourceInfo, TableReader};

/// Upper bound on a page read into memory.
const MAX_HTML: u64 = 256 * 1024 * 1024;
/// Upper bound on spans, so that `colspan=99999999` cannot blow up memory.
const MAX_SPAN: usize = 1000;

/// One cell while parsing.
#[derive(Debug, Clone)]
struct RawCell {
    text: String,
    rowspan: usize,
    colspan: usize,
}

#[derive(Debug, Default)]
struct RawTable {
    rows: Vec<Vec<RawCell>>,
}

impl RawTable {
    fn cell_count(&self) -> usize {
        self.rows.iter().map(Vec::len).sum()
    }

    /// Lay the cells out on a grid, repeating spanned values.
    fn to_grid(&self) -> Vec<Vec<String>> {
        let mut grid: Vec<Vec<Option<String>>> = Vec::with_capacity(self.rows.len());
        for (r, row) in self.rows.iter().enumerate() {
            if grid.len() <= r {
                grid.resize_with(r + 1, Vec::new);
            }
            let mut c = 0;
            for cell in row {
                // Skip positions already filled by a rowspan from above.
                while grid[r].get(c).is_some_and(Option::is_some) {
                    c += 1;
                }
                for dr in 0..cell.rowspan {
                    let rr = r + dr;
                    // A rowspan past the last row is cut at the table's end.
                    if rr >= self.rows.len() {
                        break;
                    }
                    if grid.len() <= rr {
                        grid.resize_with(rr + 1, Vec::new);
                    }
                    for dc in 0..cell.colspan {
                        let cc = c + dc;
                        if grid[rr].len() <= cc {
                            grid[rr].resize(cc + 1, None);
                        }
                        grid[rr][cc] = Some(cell.text.clone());
                    }
                }
                c += cell.colspan;
            }
        }
        grid.into_iter()
            .map(|row| row.into_iter().map(Option::unwrap_or_default).collect())
            .collect()
    }
}

/// Decode the character references HTML tables use.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .find(|c: char| c == ';' || c == '&' || c.is_whitespace())
            .map(|e| e + 1);
        let decoded = end
            .filter(|&e| rest.as_bytes().get(e) == Some(&b';'))
            .and_then(|e| {
                let name = &rest[1..e];
                let ch = match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some(' '),
                    "ndash" => Some('–'),
                    "mdash" => Some('—'),
                    "hellip" => Some('…'),
                    _ => name
                        .strip_prefix("#x")
                        .or_else(|| name.strip_prefix("#X"))
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                        .and_then(char::from_u32),
                };
                ch.map(|c| (c, e + 1))
            });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The value of attribute `name` in a tag's attribute text.
fn attr(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
        let after = lower[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let v = after[1..].trim_start();
        let off = attrs.len() - v.len();
        let v = &attrs[off..];
        return Some(match v.chars().next() {
            Some(q @ ('"' | '\'')) => v[1..].split(q).next().unwrap_or("").to_string(),
            _ => v
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .to_string(),
        });
    }
    None
}

fn span(attrs: &str, name: &str) -> usize {
    attr(attrs, name)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_SPAN)
}

/// Parse every table of a page. Never panics.
fn parse_tables(html: &str) -> Vec<RawTable> {
    let mut done = Vec::new();
    // Open tables (nested tables are their own tables).
    let mut stack: Vec<(RawTable, Option<RawCell>)> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut stack, rest);
            break;
        };
        push_text(&mut stack, &rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map(|e| &rest[e + 3..]).unwrap_or("");
            continue;
        }
        let Some(gt) = rest.find('>') else {
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let tag_body = tag.trim_start_matches('/');
        let name_end = tag_body
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag_body.len());
        let name = tag_body[..name_end].to_ascii_lowercase();
        let attrs = &tag_body[name_end..];
        match (name.as_str(), closing) {
            ("script" | "style", false) => {
                let close = format!("</{name}");
                let lower = rest.to_ascii_lowercase();
                rest = lower.find(&close).map(|e| &rest[e..]).unwrap_or("");
            }
            ("table", false) => stack.push((RawTable::default(), None)),
            ("table", true) => {
                if let Some((mut t, cell)) = stack.pop() {
                    finish_cell(&mut t, cell);
                    done.push(t);
                }
            }
            ("tr", false) => {
                if let Some((t, cell)) = stack.last_mut() {
                    finish_cell(t, cell.take());
                    t.rows.push(Vec::new());
                }
            }
            ("td" | "th", false) => {
                if let Some((t, cell)) = stack.last_mut() {
                    finish_cell(t, cell.take());
                    *cell = Some(RawCell {
                        text: String::new(),
                        rowspan: span(attrs, "rowspan"),
                        colspan: span(attrs, "colspan"),
                    });
                }
            }
            ("td" | "th" | "tr", true) => {
                if let Some((t, cell)) = stack.last_mut() {
                    finish_cell(t, cell.take());
                }
            }
            ("br" | "p" | "div" | "li", _) => push_text(&mut stack, " "),
            _ => {}
        }
    }
    while let Some((mut t, cell)) = stack.pop() {
        finish_cell(&mut t, cell);
        done.push(t);
    }
    done
}

fn push_text(stack: &mut [(RawTable, Option<RawCell>)], text: &str) {
    if let Some((_, Some(cell))) = stack.last_mut() {
        cell.text.push_str(text);
    }
}

fn finish_cell(t: &mut RawTable, cell: Option<RawCell>) {
    if let Some(mut c) = cell {
        let decoded = decode_entities(&c.text);
        c.text = decoded.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.rows.is_empty() {
            t.rows.push(Vec::new());
        }
        if let Some(row) = t.rows.last_mut() {
            row.push(c);
        }
    }
}

/// Reads the largest table of an HTML page.
pub struct HtmlReader {
    rows: std::vec::IntoIter<Vec<String>>,
    next_row: u64,
    info: SourceInfo,
}

impl HtmlReader {
    /// Read the page from `stream` and pick its largest table.
    pub fn new(stream: Box<dyn Read + Send>, opts: &ReadOptions) -> Result<Self, ReadError> {
        let mut bytes = Vec::new();
        stream.take(MAX_HTML).read_to_end(&mut bytes)?;
        Self::from_bytes(&bytes, opts)
    }

    /// Read a page held in memory. Never panics.
    pub fn from_bytes(bytes: &[u8], opts: &ReadOptions) -> Result<Self, ReadError> {
        let sniffed = encoding::sniff(bytes);
        let enc = match &opts.encoding {
            Some(l) => encoding::by_label(l)?,
            None => sniffed.encoding,
        };
        let (text, _, _) = enc.decode(&bytes[sniffed.bom_len.min(bytes.len())..]);
        let tables = parse_tables(&text);
        let count = tables.iter().filter(|t| t.cell_count() > 0).count();
        let Some(best) = tables
            .into_iter()
            .max_by_key(|t| t.cell_count())
            .filter(|t| t.cell_count() > 0)
        else {
            return Err(ReadError::not_a_table(
                "halaman HTML tanpa tabel",
                "an HTML page with no table",
            ));
        };
        let mut info = SourceInfo {
            format: Some(Format::Html),
            encoding: Some(sniffed.label()),
            short_rows_are_padded: true,
            ..Default::default()
        };
        info.notes.push(if count > 1 {
            format!("Berkas ini halaman HTML (bukan Excel asli) berisi {count} tabel; yang dibaca tabel terbesar.")
        } else {
            "Berkas ini halaman HTML berisi tabel (bukan Excel asli), seperti unduhan situs BPS.".to_string()
        });
        Ok(HtmlReader {
            rows: best.to_grid().into_iter(),
            next_row: 1,
            info,
        })
    }
}

impl TableReader for HtmlReader {
    fn read_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        let Some(row) = self.rows.next() else {
            return Ok(false);
        };
        rec.reset(self.next_row);
        self.next_row += 1;
        for c in &row {
            rec.push(c);
        }
        rec.trim_end();
        Ok(true)
    }

    fn info(&self) -> &SourceInfo {
        &self.info
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::records;

    #[test]
    fn expands_row_and_column_spans() {
        let page = br#"<html><head><style>td{x:1}</style></head><body>
<table><tr><td>layout</td></tr></table>
<table border=1>
<tr><th rowspan="2">Kecamatan</th><th colspan=2>Jumlah Penduduk</th></tr>
<tr><th>Laki-laki</th><th>Perempuan</th></tr>
<tr><td>Sekayu</td><td>1.234</td><td>1&nbsp;300</td></tr>
<tr><td>Babat&amp;Toman<br>Baru</td><td>5</td><td>6</td></tr>
</table></body></html>"#;
        let r = HtmlReader::from_bytes(page, &ReadOptions::default()).unwrap();
        let rows: Vec<_> = records(r).map(Result::unwrap).map(|(_, c)| c).collect();
        assert_eq!(rows[0], ["Kecamatan", "Jumlah Penduduk", "Jumlah Penduduk"]);
        assert_eq!(rows[1], ["Kecamatan", "Laki-laki", "Perempuan"]);
        assert_eq!(rows[2], ["Sekayu", "1.234", "1 300"]);
        assert_eq!(rows[3], ["Babat&Toman Baru", "5", "6"]);
    }

    #[test]
    fn reads_a_bps_style_export_in_windows_1252() {
        // As BPS's site serves it: Excel HTML namespaces, styles, a title row, a merged header, numbers
        // with Indonesian separators, a source line, Windows-1252 text.
        let mut page = b"<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><head><meta http-equiv=Content-Type content=\"text/html; charset=windows-1252\"><style>.xl65{mso-number-format:\"\\@\";}</style></head><body>\r\n<table border=0 cellpadding=0 cellspacing=0>\r\n".to_vec();
        page.extend_from_slice(b"<tr><td colspan=3 class=xl65>Jumlah Penduduk Menurut Kecamatan (Jiwa), 2024</td></tr>\r\n");
        page.extend_from_slice(
            b"<tr><td rowspan=2>Kecamatan</td><td colspan=2>Jenis Kelamin</td></tr>\r\n",
        );
        page.extend_from_slice(b"<tr><td>Laki-laki</td><td>Perempuan</td></tr>\r\n");
        page.extend_from_slice(
            b"<tr><td>Babat Supat</td><td class=xl65 x:num>12.345</td><td>11.987</td></tr>\r\n",
        );
        page.extend_from_slice(b"<tr><td>Sungai Keruh</td><td>9.001</td><td>8.870</td></tr>\r\n");
        page.extend_from_slice(b"<tr><td colspan=3>Sumber: BPS Kabupaten Musi Banyuasin \x96 Proyeksi</td></tr>\r\n</table></body></html>");
        let r = HtmlReader::from_bytes(&page, &ReadOptions::default()).unwrap();
        let mut t = crate::table::TableStream::new(r, None).unwrap();
        assert_eq!(
            t.header().labels,
            [
                "Kecamatan",
                "Jenis Kelamin / Laki-laki",
                "Jenis Kelamin / Perempuan"
            ]
        );
        assert_eq!(t.header().skipped.len(), 1);
        let mut rec = Record::new();
        let mut rows = vec![];
        while t.next_row(&mut rec).unwrap() {
            rows.push(rec.to_vec());
        }
        assert_eq!(
            rows,
            [
                ["Babat Supat", "12.345", "11.987"],
                ["Sungai Keruh", "9.001", "8.870"]
            ]
        );
        assert_eq!(t.notes().len(), 1);
        assert!(t.notes()[0]
            .text
            .contains("BPS Kabupaten Musi Banyuasin – Proyeksi"));
    }

    #[test]
    fn pages_without_tables_are_reported() {
        assert!(matches!(
            HtmlReader::from_bytes(
                b"<html><body>Halaman tidak ditemukan</body></html>",
                &ReadOptions::default()
            ),
            Err(ReadError::NotATable { .. })
        ));
    }

    #[test]
    fn entities_and_odd_markup_never_panic() {
        assert_eq!(
            decode_entities("a &amp; b &#65;&#x42; &bogus; &"),
            "a & b AB &bogus; &"
        );
        for s in [
            "<table><td rowspan=99999999 colspan=-1>x",
            "<<<>>>",
            "<table",
            "<table><tr><td>é&#xFFFFFFFF;",
            "<!--",
        ] {
            let _ = HtmlReader::from_bytes(s.as_bytes(), &ReadOptions::default());
        }
    }
}
