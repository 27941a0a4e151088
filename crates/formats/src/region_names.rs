//! Region names matched to Kemendagri codes, for tables that name regions instead of coding them
//! ("Sekayu", "KABUPATEN BOGOR", "Kec. Lais"). Matches are suggestions to show for confirmation, never
//! applied silently.
//!
//! Once the operator has confirmed them, [`CodeColumns`] says which region-code columns to add to a
//! file and with which name → code mapping, and [`WithCodeColumns`] adds them to every record as
//! the file streams by, so that the validator checks the codes (exist, inside the home region, of
//! the level) like any other region-code column and the import stores them.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use satudata_core::region::{Level, RegionCode, Regions};
use satudata_core::schema::{Field, FieldType};

use crate::read::{trim_cell, ReadError, Record, SourceInfo, TableReader};

/// A suggested code for a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionMatch {
    /// The name as written.
    pub written: String,
    /// The suggested code (dotted).
    pub code: String,
    /// The region's display name ("Kecamatan Sekayu").
    pub region: String,
    /// Whether the name matched exactly (after dropping the kind and case); otherwise several regions
    /// share the name and `alternatives` lists them.
    pub exact: bool,
    /// Other regions with the same name, when it is not unique.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
}

impl RegionMatch {
    /// Every region the name may mean, as (dotted code, display name): the suggested one first,
    /// then the alternatives.
    pub fn candidates(&self) -> Vec<(String, String)> {
        let mut out = vec![(self.code.clone(), self.region.clone())];
        for a in &self.alternatives {
            // Written as "<code> <display name>" by [`suggest_codes`].
            if let Some((code, region)) = a.split_once(' ') {
                out.push((code.to_string(), region.to_string()));
            }
        }
        out
    }
}

/// Drop the kind in front ("Kabupaten", "Kab.", "Kota", "Kecamatan", "Kec.", "Desa", "Kelurahan", "Kel.")
/// and normalise case and spaces.
pub fn bare_name(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let mut s = lower.as_str();
    for prefix in [
        "kabupaten ",
        "kab. ",
        "kab ",
        "kota ",
        "kecamatan ",
        "kec. ",
        "kec ",
        "desa ",
        "kelurahan ",
        "kel. ",
        "kel ",
        "provinsi ",
        "prov. ",
        "prov ",
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest;
            break;
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Suggest codes for region names of `level`, optionally inside `within` (the home region). Names
/// without any match are left out. Never panics.
pub fn suggest_codes(
    names: &[&str],
    level: Level,
    within: Option<&RegionCode>,
) -> Vec<RegionMatch> {
    let regions = Regions::get();
    let candidates: Vec<_> = match within {
        Some(w) => regions.descendants(w, level),
        None => regions.all().iter().filter(|r| r.level == level).collect(),
    };
    let wants_kota = |n: &str| n.trim().to_lowercase().starts_with("kota ");
    let mut out = vec![];
    for &written in names {
        let bare = bare_name(written);
        if bare.is_empty() {
            continue;
        }
        let mut hits: Vec<_> = candidates
            .iter()
            .filter(|r| bare_name(&r.name) == bare)
            .collect();
        // "Kota Bogor" and "Kabupaten Bogor" share a bare name: the written kind decides.
        if hits.len() > 1 && level == Level::Kabupaten {
            let kota = wants_kota(written);
            hits.retain(|r| (r.kind == satudata_core::region::RegionKind::Kota) == kota);
        }
        let Some(first) = hits.first() else {
            continue;
        };
        out.push(RegionMatch {
            written: written.to_string(),
            code: first.code.dotted(),
            region: first.display_name(),
            exact: hits.len() == 1,
            alternatives: hits[1..]
                .iter()
                .map(|r| format!("{} {}", r.code.dotted(), r.display_name()))
                .collect(),
        });
    }
    out
}

/// The codes to fill in for one column of names: every name that only one region has, and for a
/// name that several regions share, the code the operator chose among them (`chosen`: name as
/// written → dotted code). A name with no choice gets no code; so does a choice that is not one of
/// the name's candidates (a form sent by hand cannot bring in other codes).
pub fn confirmed_codes(
    matches: &[RegionMatch],
    chosen: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for m in matches {
        if m.exact {
            out.insert(m.written.clone(), m.code.clone());
        } else if let Some(c) = chosen.get(&m.written) {
            if m.candidates().iter().any(|(code, _)| code == c) {
                out.insert(m.written.clone(), c.clone());
            }
        }
    }
    out
}

/// A free field name for a column of codes of `level`: `kode_kecamatan`, else `kode_kecamatan_2`, …
pub fn code_field_name(level: Level, taken: &[&str]) -> String {
    let base = format!("kode_{}", level.as_str());
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name.as_str()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

/// One region-code column to add to a file, filled from a column of names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeColumn {
    /// The column of names (0-based, among the file's columns).
    pub source: usize,
    /// The names' column label as in the file (for titles and notes).
    pub source_label: String,
    /// The new field's name (`kode_kecamatan`).
    pub field: String,
    pub level: Level,
    /// The confirmed mapping: name as written → dotted code. Names not in it get an empty cell.
    pub codes: BTreeMap<String, String>,
}

impl CodeColumn {
    /// The schema field for this column: region codes of the level, not required, so that a row
    /// whose name has no confirmed code is kept with an empty code (and a note in the report)
    /// rather than rejecting the whole file.
    pub fn schema_field(&self) -> Field {
        let mut f = Field::new(self.field.clone(), FieldType::String);
        f.region_level = Some(self.level);
        f.title = Some(format!(
            "Kode {} (dari kolom {})",
            self.level.label_id(),
            self.source_label
        ));
        f.description = Some(format!(
            "Diisi dari nama {} di kolom '{}' dengan pemetaan nama → kode yang dikonfirmasi saat unggah.",
            self.level.label_id(),
            self.source_label
        ));
        f
    }
}

/// Region-code columns to add to every row of a file (kept with a staged upload and with its
/// import job, so that a re-run or a restarted job applies the same mapping).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeColumns {
    /// The file's first header row (as in the file): the new fields' names go there.
    pub header_row: u64,
    /// The first data row (as in the file): rows between the header row and it (further header
    /// rows, a column-number row) get empty cells.
    pub data_row: u64,
    /// The file's columns; the new ones come after them, in order.
    pub width: usize,
    pub columns: Vec<CodeColumn>,
}

/// At most this many distinct names without a code are counted by name for the report; further
/// ones are only counted (memory stays bounded whatever the file).
const UNMATCHED_NAMES: usize = 20;

/// A name's code, looked up as written, then by its bare name (kind dropped, case and spaces
/// normalised), so that "SEKAYU" or "Kec. Sekayu" further down the file find the code confirmed
/// for "Sekayu".
struct Lookup {
    exact: HashMap<String, String>,
    /// Bare names whose written forms all map to one code (a bare name with two codes is left out:
    /// only its exact forms apply).
    bare: HashMap<String, String>,
    /// Rows whose name had no code, and the first such names with their row counts.
    unmatched_rows: u64,
    unmatched: BTreeMap<String, u64>,
}

impl Lookup {
    fn new(codes: &BTreeMap<String, String>) -> Lookup {
        let mut bare: HashMap<String, Option<String>> = HashMap::new();
        for (name, code) in codes {
            bare.entry(bare_name(name))
                .and_modify(|c| {
                    if c.as_deref() != Some(code) {
                        *c = None;
                    }
                })
                .or_insert_with(|| Some(code.clone()));
        }
        Lookup {
            exact: codes
                .iter()
                .map(|(n, c)| (n.trim().to_string(), c.clone()))
                .collect(),
            bare: bare
                .into_iter()
                .filter_map(|(n, c)| c.map(|c| (n, c)))
                .collect(),
            unmatched_rows: 0,
            unmatched: BTreeMap::new(),
        }
    }
}

/// A name's code in a [`Lookup`]'s maps (a free function, so that the code borrows the maps and
/// not the tally beside them).
fn code_of<'a>(
    exact: &'a HashMap<String, String>,
    bare: &'a HashMap<String, String>,
    name: &str,
) -> Option<&'a str> {
    if let Some(c) = exact.get(name) {
        return Some(c);
    }
    bare.get(&bare_name(name)).map(String::as_str)
}

/// A reader that adds region-code columns ([`CodeColumns`]) to the records of another: the new
/// fields' names in the header row, the confirmed code of each row's name (or an empty cell) in
/// the data rows. Streams like the reader it wraps; at the end, the source's notes say which
/// names got no code, for the report.
pub struct WithCodeColumns<R> {
    inner: R,
    spec: CodeColumns,
    lookups: Vec<Lookup>,
    info: SourceInfo,
    finished: bool,
}

impl<R: TableReader> WithCodeColumns<R> {
    /// Add `spec`'s columns to what `inner` reads.
    pub fn new(inner: R, spec: CodeColumns) -> Self {
        let lookups = spec.columns.iter().map(|c| Lookup::new(&c.codes)).collect();
        let info = inner.info().clone();
        WithCodeColumns {
            inner,
            spec,
            lookups,
            info,
            finished: false,
        }
    }

    /// What to tell the user once the file was read: how each column was filled, and the names
    /// left without a code.
    fn notes(&self) -> Vec<String> {
        let mut out = vec![];
        for (c, l) in self.spec.columns.iter().zip(&self.lookups) {
            out.push(format!(
                "Kolom '{}' diisi dari nama {} di kolom '{}' dengan {} pemetaan nama → kode yang dikonfirmasi.",
                c.field,
                c.level.label_id(),
                c.source_label,
                c.codes.len()
            ));
            if l.unmatched_rows > 0 {
                let mut names: Vec<String> = l
                    .unmatched
                    .iter()
                    .map(|(n, rows)| format!("'{n}' ({rows} baris)"))
                    .collect();
                let counted: u64 = l.unmatched.values().sum();
                if counted < l.unmatched_rows {
                    names.push(format!("dan {} baris lain", l.unmatched_rows - counted));
                }
                out.push(format!(
                    "Kolom '{}': {} baris dibiarkan kosong karena namanya tidak punya kode yang dikonfirmasi: {}. Isi kodenya di berkas, atau unggah lagi dan pilih kodenya.",
                    c.field,
                    l.unmatched_rows,
                    names.join(", ")
                ));
            }
        }
        out
    }
}

impl<R: TableReader> TableReader for WithCodeColumns<R> {
    fn read_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        if !self.inner.read_record(rec)? {
            if !self.finished {
                self.finished = true;
                // The reader may have learnt more about the source while reading.
                self.info = self.inner.info().clone();
                let notes = self.notes();
                self.info.notes.extend(notes);
            }
            return Ok(false);
        }
        let row = rec.row();
        // Title rows above the header and blank rows stay as they are.
        if row < self.spec.header_row || rec.is_blank() {
            return Ok(true);
        }
        let width = self.spec.width;
        if rec.len() < width {
            if !self.info.short_rows_are_padded {
                // A short CSV row is missing cells: left short, so the validator reports it.
                return Ok(true);
            }
            while rec.len() < width {
                rec.push("");
            }
        }
        if row == self.spec.header_row {
            for c in &self.spec.columns {
                rec.push(&c.field);
            }
            return Ok(true);
        }
        if row < self.spec.data_row {
            for _ in &self.spec.columns {
                rec.push("");
            }
            return Ok(true);
        }
        for (c, l) in self.spec.columns.iter().zip(self.lookups.iter_mut()) {
            let name = rec.cells().get(c.source).map(trim_cell).unwrap_or("");
            let code = if name.is_empty() {
                ""
            } else if let Some(code) = code_of(&l.exact, &l.bare, name) {
                code
            } else {
                // A note below the table ("Sumber: BPS") in the names' column is not a name.
                if !crate::table::is_note(rec) {
                    l.unmatched_rows += 1;
                    if let Some(n) = l.unmatched.get_mut(name) {
                        *n += 1;
                    } else if l.unmatched.len() < UNMATCHED_NAMES {
                        l.unmatched.insert(name.to_string(), 1);
                    }
                }
                ""
            };
            // `code` borrows the lookup, not the record: the record can grow.
            rec.push(code);
        }
        Ok(true)
    }

    fn info(&self) -> &SourceInfo {
        &self.info
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_names_with_and_without_kinds() {
        let home = RegionCode::parse("16.06").unwrap();
        let m = suggest_codes(
            &["Sekayu", "Kec. Lais", "Atlantis"],
            Level::Kecamatan,
            Some(&home),
        );
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].code, "16.06.01");
        assert!(m[0].exact);
        let k = suggest_codes(&["KABUPATEN BOGOR", "KOTA BOGOR"], Level::Kabupaten, None);
        assert_eq!(k[0].code, "32.01");
        assert_eq!(k[1].code, "32.71");
    }

    fn records<R: TableReader>(r: &mut R) -> Vec<(u64, Vec<String>)> {
        let mut out = vec![];
        let mut rec = Record::new();
        while r.read_record(&mut rec).unwrap() {
            out.push((rec.row(), rec.to_vec()));
        }
        out
    }

    fn kecamatan_codes() -> CodeColumns {
        CodeColumns {
            header_row: 2,
            data_row: 3,
            width: 2,
            columns: vec![CodeColumn {
                source: 0,
                source_label: "Kecamatan".into(),
                field: "kode_kecamatan".into(),
                level: Level::Kecamatan,
                codes: [
                    ("Sekayu", "16.06.01"),
                    ("Lais", "16.06.02"),
                    ("Bogor", "32.01.01"),
                ]
                .iter()
                .map(|(n, c)| (n.to_string(), c.to_string()))
                .collect(),
            }],
        }
    }

    #[test]
    fn ambiguous_names_take_only_a_choice_among_their_candidates() {
        let home = RegionCode::parse("16.06").unwrap();
        let m = suggest_codes(&["Sekayu", "Suka Maju"], Level::Desa, Some(&home));
        let suka = m.iter().find(|m| m.written == "Suka Maju").unwrap();
        assert!(!suka.exact);
        let candidates = suka.candidates();
        assert!(candidates.len() >= 2, "{candidates:?}");
        assert!(candidates.iter().all(|(c, _)| c.starts_with("16.06.")));
        let second = candidates[1].0.clone();
        // Nothing chosen: the shared name gets no code.
        let none = confirmed_codes(&m, &BTreeMap::new());
        assert!(!none.contains_key("Suka Maju"), "{none:?}");
        // A candidate chosen: applied.
        let chosen = BTreeMap::from([("Suka Maju".to_string(), second.clone())]);
        assert_eq!(confirmed_codes(&m, &chosen)["Suka Maju"], second);
        // A code that is not a candidate: dropped.
        let forged = BTreeMap::from([("Suka Maju".to_string(), "16.06.01.2001".to_string())]);
        assert!(!candidates.iter().any(|(c, _)| c == "16.06.01.2001"));
        assert!(!confirmed_codes(&m, &forged).contains_key("Suka Maju"));
    }

    #[test]
    fn code_field_names_are_unique() {
        assert_eq!(
            code_field_name(Level::Kecamatan, &["kecamatan", "jumlah"]),
            "kode_kecamatan"
        );
        assert_eq!(
            code_field_name(Level::Desa, &["kode_desa", "kode_desa_2"]),
            "kode_desa_3"
        );
    }

    #[test]
    fn the_code_column_is_added_to_every_row_as_the_file_streams() {
        let csv = "Tabel 1. Penduduk\nKecamatan,Jumlah\nSekayu,10\nSEKAYU,11\nKec. Lais,12\nAtlantis,3\n\nAtlantis,4\nLais\n,5\nSumber: BPS\n";
        let r =
            crate::read::open_bytes(csv.as_bytes(), &crate::read::ReadOptions::default()).unwrap();
        let mut with = WithCodeColumns::new(r, kecamatan_codes());
        let rows = records(&mut with);
        let cells = |n: u64| rows.iter().find(|r| r.0 == n).unwrap().1.clone();
        assert_eq!(
            cells(1),
            ["Tabel 1. Penduduk"],
            "the title row is left alone"
        );
        assert_eq!(cells(2), ["Kecamatan", "Jumlah", "kode_kecamatan"]);
        assert_eq!(cells(3), ["Sekayu", "10", "16.06.01"]);
        // Other written forms of a confirmed name find its code.
        assert_eq!(cells(4), ["SEKAYU", "11", "16.06.01"]);
        assert_eq!(cells(5), ["Kec. Lais", "12", "16.06.02"]);
        assert_eq!(cells(6), ["Atlantis", "3", ""]);
        assert_eq!(cells(7).concat(), "", "a blank row stays blank");
        // A short CSV row stays short (the validator reports its missing cells).
        assert_eq!(cells(9), ["Lais"]);
        assert_eq!(cells(10), ["", "5", ""]);
        assert_eq!(cells(11), ["Sumber: BPS"]);
        let notes = &with.info().notes;
        assert!(
            notes
                .iter()
                .any(|n| n.contains("2 baris dibiarkan kosong")
                    && n.contains("'Atlantis' (2 baris)")),
            "{notes:?}"
        );
        assert!(!notes.iter().any(|n| n.contains("Sumber")), "{notes:?}");
    }

    #[test]
    fn the_validator_checks_the_added_codes_like_any_region_codes() {
        use crate::validate::{validate_with, ValidateOptions};
        use satudata_core::schema::TableSchema;
        use satudata_core::value::Value;
        let spec = kecamatan_codes();
        let mut schema = TableSchema::new(vec![
            Field::new("kecamatan", FieldType::String),
            Field::new("jumlah", FieldType::Integer),
        ]);
        schema.fields[0].title = Some("Kecamatan".into());
        schema.fields.push(spec.columns[0].schema_field());
        let opts = ValidateOptions {
            home_region: RegionCode::parse("16.06").ok(),
            ..ValidateOptions::default()
        };
        let run = |csv: &str| {
            let r = crate::read::open_bytes(csv.as_bytes(), &crate::read::ReadOptions::default())
                .unwrap();
            let mut rows = vec![];
            let report = validate_with(
                WithCodeColumns::new(r, spec.clone()),
                &schema,
                &opts,
                |_, v| rows.push(v.to_vec()),
            )
            .unwrap();
            (report, rows)
        };
        let (report, rows) = run("Judul\nKecamatan,Jumlah\nSekayu,10\nLais,12\nAtlantis,3\n");
        assert!(report.valid, "{:?}", report.errors);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0][2], Value::Text("16.06.01".into()));
        assert_eq!(rows[2][2], Value::Null, "no confirmed code: an empty cell");
        assert!(
            report
                .source
                .notes
                .iter()
                .any(|n| n.contains("'Atlantis' (1 baris)")),
            "{:?}",
            report.source.notes
        );
        // A confirmed code outside the home region is still refused.
        let (report, _) = run("Judul\nKecamatan,Jumlah\nSekayu,10\nBogor,12\n");
        assert!(!report.valid);
        assert_eq!(report.errors[0].kind.as_str(), "region-outside-home");
        assert_eq!(report.errors[0].row_number, Some(4));
    }
}
