//! JSON tables: an array of arrays (the first is the header), an array of objects (keys of the first
//! object are the header, in their written order), or such an array under one key of an object
//! (`{"data": [...]}`, as many portals' APIs answer). NDJSON streams one row per line.

use std::fmt;
use std::io::Read;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value as Json;

use super::{Format, ReadError, Record, SourceInfo, TableReader};

/// A JSON object with its keys in written order (serde_json's map sorts them unless a workspace-wide
/// feature is switched on).
#[derive(Debug, Clone, PartialEq)]
pub struct OrderedObject(pub Vec<(String, Json)>);

impl<'de> Deserialize<'de> for OrderedObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OrderedObject;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<OrderedObject, A::Error> {
                let mut v = Vec::new();
                while let Some((k, val)) = m.next_entry::<String, Json>()? {
                    v.push((k, val));
                }
                Ok(OrderedObject(v))
            }
        }
        d.deserialize_map(V)
    }
}

/// One row as written: an array or an object.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonRow {
    Array(Vec<Json>),
    Object(OrderedObject),
}

impl<'de> Deserialize<'de> for JsonRow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = JsonRow;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array or an object")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<JsonRow, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = s.next_element::<Json>()? {
                    v.push(x);
                }
                Ok(JsonRow::Array(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<JsonRow, A::Error> {
                let mut v = Vec::new();
                while let Some((k, val)) = m.next_entry::<String, Json>()? {
                    v.push((k, val));
                }
                Ok(JsonRow::Object(OrderedObject(v)))
            }
        }
        d.deserialize_any(V)
    }
}

/// A whole JSON document: a list of rows, or an object holding one.
enum JsonDoc {
    Rows(Vec<JsonRow>),
    Object(Vec<(String, Json)>),
}

impl<'de> Deserialize<'de> for JsonDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = JsonDoc;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of rows or an object holding one")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<JsonDoc, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = s.next_element::<JsonRow>()? {
                    v.push(x);
                }
                Ok(JsonDoc::Rows(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<JsonDoc, A::Error> {
                let mut v = Vec::new();
                while let Some((k, val)) = m.next_entry::<String, Json>()? {
                    v.push((k, val));
                }
                Ok(JsonDoc::Object(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// Write a JSON value as a cell: strings as they are, numbers and booleans as text, null empty, nested
/// values as JSON.
pub fn json_cell(v: &Json, out: &mut String) {
    out.clear();
    match v {
        Json::Null => {}
        Json::String(s) => out.push_str(s),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => {
            out.push_str(&n.to_string());
            // A JSON number is never Indonesian-grouped: keep `1.234` from reading as 1234.
            crate::cell::number::disambiguate_decimal(out);
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Turns rows of either shape into records: the keys of the first object become the header row.
#[derive(Default)]
struct Shaper {
    keys: Option<Vec<String>>,
    buf: String,
}

impl Shaper {
    fn fill_record(&mut self, row: &JsonRow, row_number: u64, rec: &mut Record) {
        rec.reset(row_number);
        match row {
            JsonRow::Array(items) => {
                for v in items {
                    json_cell(v, &mut self.buf);
                    rec.push(&self.buf);
                }
            }
            JsonRow::Object(OrderedObject(pairs)) => {
                let keys = self
                    .keys
                    .get_or_insert_with(|| pairs.iter().map(|(k, _)| k.clone()).collect());
                for k in keys.iter() {
                    match pairs.iter().find(|(pk, _)| pk == k) {
                        Some((_, v)) => json_cell(v, &mut self.buf),
                        None => self.buf.clear(),
                    }
                    rec.push(&self.buf);
                }
                rec.trim_end();
            }
        }
    }
}

/// Reads a JSON document (held in memory while read).
pub struct JsonReader {
    rows: std::vec::IntoIter<JsonRow>,
    keyed: bool,
    header_sent: bool,
    shaper: Shaper,
    next_row: u64,
    first: Option<JsonRow>,
    info: SourceInfo,
}

fn json_error(e: serde_json::Error) -> ReadError {
    if e.is_io() {
        return ReadError::Io(e.into());
    }
    ReadError::Corrupt {
        format: "JSON",
        detail: e.to_string(),
    }
}

impl JsonReader {
    /// Parse a JSON document from `stream`.
    pub fn new(stream: Box<dyn Read + Send>) -> Result<Self, ReadError> {
        let doc: JsonDoc =
            serde_json::from_reader(std::io::BufReader::new(stream)).map_err(json_error)?;
        let mut info = SourceInfo {
            format: Some(Format::Json),
            ..Default::default()
        };
        let rows = match doc {
            JsonDoc::Rows(r) => r,
            JsonDoc::Object(pairs) => {
                // The first key holding an array of rows.
                let found = pairs.into_iter().find_map(|(k, v)| match v {
                    Json::Array(items)
                        if items.iter().all(|i| i.is_object() || i.is_array())
                            && !items.is_empty() =>
                    {
                        Some((k, items))
                    }
                    _ => None,
                });
                let Some((key, items)) = found else {
                    return Err(ReadError::not_a_table(
                        "objek JSON tanpa daftar baris (harus array of objects atau array of arrays)",
                        "a JSON object with no list of rows",
                    ));
                };
                info.notes
                    .push(format!("Baris dibaca dari kunci \"{key}\" objek JSON."));
                items
                    .into_iter()
                    .map(|v| serde_json::from_value::<JsonRow>(v).map_err(json_error))
                    .collect::<Result<Vec<_>, _>>()?
            }
        };
        if rows.is_empty() {
            return Err(ReadError::Empty);
        }
        let keyed = matches!(rows[0], JsonRow::Object(_));
        info.short_rows_are_padded = keyed;
        Ok(JsonReader {
            rows: rows.into_iter(),
            keyed,
            header_sent: false,
            shaper: Shaper::default(),
            next_row: 1,
            first: None,
            info,
        })
    }
}

impl TableReader for JsonReader {
    fn read_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        if self.keyed && !self.header_sent {
            // The synthetic header row (row 1) from the first object's keys.
            self.header_sent = true;
            let Some(first) = self.rows.next() else {
                return Ok(false);
            };
            let JsonRow::Object(OrderedObject(pairs)) = &first else {
                return Ok(false);
            };
            rec.reset(1);
            for (k, _) in pairs {
                rec.push(k);
            }
            self.shaper.keys = Some(pairs.iter().map(|(k, _)| k.clone()).collect());
            self.first = Some(first);
            self.next_row = 2;
            return Ok(true);
        }
        let row = match self.first.take() {
            Some(r) => r,
            None => match self.rows.next() {
                Some(r) => r,
                None => return Ok(false),
            },
        };
        self.shaper.fill_record(&row, self.next_row, rec);
        self.next_row += 1;
        Ok(true)
    }

    fn info(&self) -> &SourceInfo {
        &self.info
    }
}

/// Streams NDJSON / JSON Lines: one array or object per line.
pub struct NdjsonReader {
    stream: serde_json::StreamDeserializer<
        'static,
        serde_json::de::IoRead<std::io::BufReader<Box<dyn Read>>>,
        JsonRow,
    >,
    shaper: Shaper,
    pending: Option<JsonRow>,
    header_done: bool,
    next_row: u64,
    info: SourceInfo,
}

impl NdjsonReader {
    /// Stream NDJSON from `stream`.
    pub fn new(stream: Box<dyn Read>) -> Result<Self, ReadError> {
        let stream = serde_json::Deserializer::from_reader(std::io::BufReader::new(stream))
            .into_iter::<JsonRow>();
        Ok(NdjsonReader {
            stream,
            shaper: Shaper::default(),
            pending: None,
            header_done: false,
            next_row: 1,
            info: SourceInfo {
                format: Some(Format::Ndjson),
                ..Default::default()
            },
        })
    }

    fn next_row(&mut self) -> Result<Option<JsonRow>, ReadError> {
        match self.stream.next() {
            None => Ok(None),
            Some(Ok(r)) => Ok(Some(r)),
            Some(Err(e)) => Err(json_error(e)),
        }
    }
}

impl TableReader for NdjsonReader {
    fn read_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        if !self.header_done {
            self.header_done = true;
            let Some(first) = self.next_row()? else {
                return Err(ReadError::Empty);
            };
            if let JsonRow::Object(OrderedObject(pairs)) = &first {
                self.info.short_rows_are_padded = true;
                rec.reset(1);
                for (k, _) in pairs {
                    rec.push(k);
                }
                self.shaper.keys = Some(pairs.iter().map(|(k, _)| k.clone()).collect());
                self.pending = Some(first);
                self.next_row = 2;
                return Ok(true);
            }
            self.pending = Some(first);
        }
        let row = match self.pending.take() {
            Some(r) => r,
            None => match self.next_row()? {
                Some(r) => r,
                None => return Ok(false),
            },
        };
        self.shaper.fill_record(&row, self.next_row, rec);
        self.next_row += 1;
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

    fn rows(r: impl TableReader) -> Vec<(u64, Vec<String>)> {
        records(r).map(Result::unwrap).collect()
    }

    #[test]
    fn reads_objects_in_key_order() {
        let r = JsonReader::new(Box::new(
            &br#"[{"z":1,"a":"x"},{"a":"y","z":2.5,"extra":true},{"z":null}]"#[..],
        ))
        .unwrap();
        assert_eq!(
            rows(r),
            vec![
                (1, vec!["z".into(), "a".into()]),
                (2, vec!["1".into(), "x".into()]),
                (3, vec!["2.5".into(), "y".into()]),
                (4, vec![]),
            ]
        );
    }

    #[test]
    fn reads_arrays_and_wrapped_data() {
        let r = JsonReader::new(Box::new(&br#"[["id","n"],[1,"a"]]"#[..])).unwrap();
        assert_eq!(rows(r)[1], (2, vec!["1".to_string(), "a".to_string()]));
        let r = JsonReader::new(Box::new(&br#"{"status":"ok","data":[{"id":1}]}"#[..])).unwrap();
        assert_eq!(r.info().notes.len(), 1);
        assert_eq!(
            rows(r),
            vec![(1, vec!["id".to_string()]), (2, vec!["1".to_string()])]
        );
        assert!(JsonReader::new(Box::new(&br#"{"a":1}"#[..])).is_err());
        assert!(JsonReader::new(Box::new(&br#"[1,2]"#[..])).is_err());
        assert!(JsonReader::new(Box::new(&br#"[{"a":"#[..])).is_err());
    }

    #[test]
    fn typed_decimals_are_not_ambiguous() {
        let schema =
            satudata_core::schema::TableSchema::new(vec![satudata_core::schema::Field::new(
                "r",
                satudata_core::schema::FieldType::Number,
            )]);
        let r = JsonReader::new(Box::new(&br#"[{"r":1.234},{"r":2.5}]"#[..])).unwrap();
        let mut vals = vec![];
        let report = crate::validate::validate_with(r, &schema, &Default::default(), |_, v| {
            vals.push(v[0].clone())
        })
        .unwrap();
        assert!(report.valid, "{:?}", report.errors);
        assert_eq!(vals[0], satudata_core::value::Value::Num(1.234));
    }

    #[test]
    fn streams_ndjson() {
        let r = NdjsonReader::new(Box::new(&b"{\"a\":1,\"b\":\"x\"}\n{\"a\":2}\n"[..])).unwrap();
        assert_eq!(
            rows(r),
            vec![
                (1, vec!["a".into(), "b".into()]),
                (2, vec!["1".into(), "x".into()]),
                (3, vec!["2".into()]),
            ]
        );
        let mut r = NdjsonReader::new(Box::new(&b"{\"a\":1}\n{oops\n"[..])).unwrap();
        let mut rec = Record::new();
        assert!(r.read_record(&mut rec).unwrap());
        assert!(r.read_record(&mut rec).unwrap());
        assert!(r.read_record(&mut rec).is_err());
    }
}
