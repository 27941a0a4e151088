//! Text encodings: UTF-8 (with or without BOM), UTF-16 with BOM, and Windows-1252 for the CSVs that
//! older Excel versions save ("CSV (Comma delimited)" on an Indonesian Windows).

use std::io::Read;

use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use super::ReadError;

/// The encoding of a text source, as sniffed from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// Length of the byte-order mark to skip.
    pub bom_len: usize,
}

impl Sniffed {
    /// The name used in reports: `utf-8`, `utf-8-bom`, `windows-1252`, `utf-16le`, `utf-16be`.
    pub fn label(&self) -> String {
        let name = self.encoding.name().to_ascii_lowercase();
        if self.encoding == UTF_8 && self.bom_len > 0 {
            "utf-8-bom".into()
        } else {
            name
        }
    }
}

/// Sniff the encoding: a BOM decides; otherwise UTF-8 if the head is valid UTF-8 (a character cut at
/// the end of the head is fine), else Windows-1252 (which also reads Latin-1). Never panics.
pub fn sniff(head: &[u8]) -> Sniffed {
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Sniffed {
            encoding: UTF_8,
            bom_len: 3,
        };
    }
    if head.starts_with(b"\xFF\xFE") {
        return Sniffed {
            encoding: UTF_16LE,
            bom_len: 2,
        };
    }
    if head.starts_with(b"\xFE\xFF") {
        return Sniffed {
            encoding: UTF_16BE,
            bom_len: 2,
        };
    }
    let utf8_ok = match std::str::from_utf8(head) {
        Ok(_) => true,
        // error_len() None: the input ended inside a character, which a cut head does.
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    };
    Sniffed {
        encoding: if utf8_ok { UTF_8 } else { WINDOWS_1252 },
        bom_len: 0,
    }
}

/// The encoding named by a label (`utf-8`, `latin1`, `cp1252`, …).
pub fn by_label(label: &str) -> Result<&'static Encoding, ReadError> {
    Encoding::for_label(label.trim().as_bytes())
        .ok_or_else(|| ReadError::UnknownEncoding(label.to_string()))
}

/// A reader that turns any encoding into UTF-8 while streaming.
pub struct Transcoder<R> {
    inner: R,
    decoder: Decoder,
    inbuf: Vec<u8>,
    in_start: usize,
    in_end: usize,
    outbuf: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    finished: bool,
}

impl<R: Read> Transcoder<R> {
    /// Decode `inner` (positioned after any BOM) from `encoding`.
    pub fn new(inner: R, encoding: &'static Encoding) -> Self {
        Transcoder {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            inbuf: vec![0; 64 * 1024],
            in_start: 0,
            in_end: 0,
            outbuf: vec![0; 3 * 64 * 1024 + 16],
            out_start: 0,
            out_end: 0,
            eof: false,
            finished: false,
        }
    }
}

impl<R: Read> Read for Transcoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.outbuf[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.finished {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                let n = self.inner.read(&mut self.inbuf)?;
                self.in_start = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            let (_, read, written, _) = self.decoder.decode_to_utf8(
                &self.inbuf[self.in_start..self.in_end],
                &mut self.outbuf,
                self.eof,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            // The decoder must not be called again after the call with `last` set.
            if self.eof {
                self.finished = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_boms_and_falls_back_to_windows_1252() {
        assert_eq!(sniff(b"\xEF\xBB\xBFa,b").label(), "utf-8-bom");
        assert_eq!(sniff("Desa Sukarami,é".as_bytes()).label(), "utf-8");
        assert_eq!(sniff(b"caf\xE9,1").label(), "windows-1252");
        // A character cut by the end of the head is still UTF-8.
        assert_eq!(sniff(&"aé".as_bytes()[..2]).label(), "utf-8");
    }

    #[test]
    fn transcodes_while_streaming() {
        let mut out = String::new();
        Transcoder::new(&b"caf\xE9 \x80"[..], WINDOWS_1252)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "café €");
        let utf16: Vec<u8> = "a;b\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let mut out = String::new();
        Transcoder::new(&utf16[..], UTF_16LE)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "a;b\n");
    }
}
