//! Which format a file is, from its first bytes (the extension only breaks ties): what BPS serves as
//! ".xls" is often an HTML table, and an upload's name says little.

use serde::Serialize;

use super::ReadError;

/// A table format satudata reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Xlsx,
    Xls,
    Ods,
    Json,
    Ndjson,
    /// An HTML page with a table (BPS's ".xls" downloads).
    Html,
}

impl Format {
    /// The short name.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Html => "html",
        }
    }

    /// Whether calamine reads it (whole workbook needed, with seeking).
    pub fn is_workbook(self) -> bool {
        matches!(self, Format::Xlsx | Format::Xls | Format::Ods)
    }

    /// The format named by a file extension, if any.
    pub fn from_extension(ext: &str) -> Option<Format> {
        Some(match ext.to_ascii_lowercase().as_str() {
            "csv" | "tsv" | "txt" | "tab" => Format::Csv,
            "xlsx" | "xlsm" | "xlsb" => Format::Xlsx,
            "xls" => Format::Xls,
            "ods" => Format::Ods,
            "json" => Format::Json,
            "ndjson" | "jsonl" => Format::Ndjson,
            "html" | "htm" => Format::Html,
            _ => return None,
        })
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// UTF-16 text of an ASCII string (the way OLE directories name their streams).
fn utf16le(s: &str) -> Vec<u8> {
    s.bytes().flat_map(|b| [b, 0]).collect()
}

/// Detect the format of a file from its first bytes (up to [`super::HEAD_LEN`]); `ext` (lower case,
/// no dot) breaks ties. Never panics.
pub fn detect_format(head: &[u8], ext: Option<&str>) -> Result<Format, ReadError> {
    if head.is_empty() {
        return Err(ReadError::Empty);
    }
    if head.starts_with(b"PK\x03\x04") {
        if head.len() > 38 && &head[30..38] == b"mimetype" {
            if contains(&head[38..head.len().min(120)], b"opendocument.spreadsheet") {
                return Ok(Format::Ods);
            }
            return Err(ReadError::not_a_table(
                "dokumen OpenDocument yang bukan lembar kerja (teks atau presentasi)",
                "an OpenDocument file that is not a spreadsheet",
            ));
        }
        if contains(head, b"xl/") {
            return Ok(Format::Xlsx);
        }
        if contains(head, b"word/") {
            return Err(ReadError::not_a_table(
                "dokumen Word (.docx)",
                "a Word document",
            ));
        }
        if contains(head, b"ppt/") {
            return Err(ReadError::not_a_table(
                "presentasi PowerPoint (.pptx)",
                "a PowerPoint file",
            ));
        }
        return match ext {
            Some("ods") => Ok(Format::Ods),
            Some("xlsx" | "xlsm" | "xlsb") => Ok(Format::Xlsx),
            _ => Err(ReadError::not_a_table(
                "arsip ZIP yang bukan lembar kerja; ekstrak dulu dan unggah berkas tabelnya",
                "a ZIP archive that is not a spreadsheet",
            )),
        };
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // An encrypted .xlsx is an OLE container holding an "EncryptedPackage" stream.
        if contains(head, &utf16le("EncryptedPackage")) {
            return Err(ReadError::PasswordProtected);
        }
        if contains(head, &utf16le("WordDocument")) {
            return Err(ReadError::not_a_table(
                "dokumen Word lama (.doc)",
                "a legacy Word document",
            ));
        }
        return Ok(Format::Xls);
    }
    if head.starts_with(b"%PDF") {
        return Err(ReadError::not_a_table(
            "dokumen PDF; tabel di PDF harus disalin ke Excel atau CSV dulu",
            "a PDF document",
        ));
    }
    for (magic, what) in [
        (&b"\x89PNG"[..], "gambar PNG"),
        (&b"\xFF\xD8\xFF"[..], "gambar JPEG"),
        (&b"GIF8"[..], "gambar GIF"),
        (&b"\x1F\x8B"[..], "arsip gzip"),
        (&b"Rar!"[..], "arsip RAR"),
        (&b"7z\xBC\xAF"[..], "arsip 7z"),
        (&b"SQLite format 3"[..], "basis data SQLite"),
    ] {
        if head.starts_with(magic) {
            return Err(ReadError::not_a_table(what, "a binary file"));
        }
    }
    // Text: look past a BOM and whitespace.
    let (text, utf16) = text_start(head);
    if utf16 {
        // UTF-16 text: only CSV/TSV is common (Excel's "Unicode text").
        return Ok(Format::Csv);
    }
    let first = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| &text[i..]);
    let Some(t) = first else {
        return Err(ReadError::Empty);
    };
    if looks_binary(head) {
        return Err(ReadError::not_a_table(
            "berkas biner yang tidak dikenal",
            "an unknown binary file",
        ));
    }
    match t[0] {
        b'<' => {
            if contains_ci(t, b"urn:schemas-microsoft-com:office:spreadsheet")
                && contains_ci(t, b"<workbook")
            {
                return Err(ReadError::not_a_table(
                    "lembar kerja XML Excel 2003 (SpreadsheetML); buka di Excel lalu simpan sebagai .xlsx",
                    "an Excel 2003 XML spreadsheet (SpreadsheetML); re-save it as .xlsx",
                ));
            }
            if contains_ci(t, b"<table")
                || contains_ci(t, b"<html")
                || contains_ci(t, b"<!doctype html")
            {
                return Ok(Format::Html);
            }
            Err(ReadError::not_a_table(
                "dokumen XML/HTML tanpa tabel",
                "an XML/HTML document with no table",
            ))
        }
        b'[' => Ok(Format::Json),
        b'{' => Ok(if is_ndjson(t) {
            Format::Ndjson
        } else {
            Format::Json
        }),
        _ => Ok(match ext.and_then(Format::from_extension) {
            Some(Format::Ndjson) => Format::Ndjson,
            _ => Format::Csv,
        }),
    }
}

/// The text after any BOM, and whether the BOM says UTF-16.
fn text_start(head: &[u8]) -> (&[u8], bool) {
    if let Some(rest) = head.strip_prefix(b"\xEF\xBB\xBF") {
        (rest, false)
    } else if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        (&head[2..], true)
    } else {
        (head, false)
    }
}

/// NUL bytes or many control characters: not text in any 8-bit encoding.
fn looks_binary(head: &[u8]) -> bool {
    let sample = &head[..head.len().min(8192)];
    let ctrl = sample
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A)))
        .count();
    sample.contains(&0) || ctrl * 20 > sample.len()
}

/// NDJSON: a first line that is a whole JSON value, followed by another line starting a value.
fn is_ndjson(t: &[u8]) -> bool {
    let Some(nl) = t.iter().position(|&b| b == b'\n') else {
        return false;
    };
    let first = &t[..nl];
    let rest = t[nl + 1..]
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| t[nl + 1 + i]);
    serde_json::from_slice::<serde::de::IgnoredAny>(first).is_ok()
        && matches!(rest, Some(b'{' | b'['))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_from_content_not_extension() {
        assert_eq!(
            detect_format(b"a,b\n1,2\n", Some("xls")).unwrap(),
            Format::Csv
        );
        assert_eq!(
            detect_format(
                b"<html><body><table><tr><td>1</td></tr></table>",
                Some("xls")
            )
            .unwrap(),
            Format::Html
        );
        assert_eq!(detect_format(b"[{\"a\":1}]", None).unwrap(), Format::Json);
        assert_eq!(
            detect_format(b"{\"a\":1}\n{\"a\":2}\n", None).unwrap(),
            Format::Ndjson
        );
        assert_eq!(
            detect_format(b"{\"data\":[{\"a\":1}]}", None).unwrap(),
            Format::Json
        );
        assert_eq!(
            detect_format(b"\xEF\xBB\xBFa;b\n", None).unwrap(),
            Format::Csv
        );
        assert!(matches!(detect_format(b"", None), Err(ReadError::Empty)));
        assert!(matches!(
            detect_format(b"   \n", None),
            Err(ReadError::Empty)
        ));
        assert!(matches!(
            detect_format(b"%PDF-1.4", None),
            Err(ReadError::NotATable { .. })
        ));
        assert!(matches!(
            detect_format(b"\x00\x01\x02\x03garbage", None),
            Err(ReadError::NotATable { .. })
        ));
    }

    #[test]
    fn bps_html_xls_and_spreadsheetml_are_told_apart() {
        let bps = b"<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\">\r\n<body><table><tr><td>1</td></tr></table></body></html>";
        assert_eq!(detect_format(bps, Some("xls")).unwrap(), Format::Html);
        let xml = b"<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\"><Worksheet><Table><Row/></Table></Worksheet></Workbook>";
        assert!(matches!(
            detect_format(xml, Some("xls")),
            Err(ReadError::NotATable { .. })
        ));
    }

    #[test]
    fn detects_real_workbooks() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/conformance/frictionless-py-data/"
        );
        for (f, want) in [
            ("table.xlsx", Format::Xlsx),
            ("table.xls", Format::Xls),
            ("table.ods", Format::Ods),
        ] {
            let Ok(bytes) = std::fs::read(format!("{dir}{f}")) else {
                continue;
            };
            assert_eq!(detect_format(&bytes, None).unwrap(), want, "{f}");
        }
    }
}
