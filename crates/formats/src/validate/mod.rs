//! Validation: one streaming pass over a table against a Table Schema, in bounded memory.
//!
//! [`Validator`] is a pull API for importers: call [`Validator::next_row`] and take the typed values of
//! each valid row with [`Validator::row`] (to write them in batches), then [`Validator::finish`] for the
//! [`Report`]. [`validate`] and [`validate_with`] wrap it.

pub mod constraints;
pub mod dedup;
pub mod report;
mod rows;

use std::collections::{HashMap, HashSet};

use satudata_core::region::RegionCode;
use satudata_core::schema::{FieldType, TableSchema};
use satudata_core::value::Value;

use crate::cell::{CellOptions, ColumnParser};
use crate::kinds::ErrorKind;
use crate::read::{ReadError, Record, TableReader};
use crate::table::TableStream;
use crate::units::{parse_unit, same_unit, Unit};
use constraints::FieldConstraints;
use dedup::Dedup;
use report::Collector;
pub use report::{Report, Stats, ValidationError};
use rows::{FieldWork, Parsed, Shape};

/// How to validate.
#[derive(Debug, Clone)]
pub struct ValidateOptions {
    /// The instance's home region: region codes outside it are `region-outside-home`.
    pub home_region: Option<RegionCode>,
    /// Errors kept in the report's list (counts keep all).
    pub max_errors: usize,
    /// Only the schema's missing values are missing (strict Frictionless); otherwise `-`, `…`, `NA`,
    /// `n.a.` are missing too.
    pub strict_missing: bool,
    /// Code lists for foreign keys, by the reference as written in the schema (a foreign key's
    /// `reference.resource` or a field's `codelist`; [`code_list_refs`] lists them): the allowed values
    /// (several fields joined with U+001F).
    pub code_lists: HashMap<String, HashSet<String>>,
    /// Keys of unique and primary-key checks kept in memory (24 bytes each, in hash tables at most 7/8
    /// full) before spilling to disk in sorted runs; shared by all checks of a table. The default keeps
    /// the tables within about 50 MB.
    pub unique_memory_keys: usize,
    /// Whether [`Validator::row`] hands out each valid row's typed values (importers). Without them
    /// (`satudata validate` only wants the report) text cells are checked where they lie instead of
    /// being copied into values, and [`Validator::row`] gives `None`.
    pub typed_values: bool,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            home_region: None,
            max_errors: 1000,
            strict_missing: false,
            code_lists: HashMap::new(),
            // Just under 7/8 of 2^21 buckets: the table never doubles to 2^22 (about 50 MB).
            unique_memory_keys: 1_800_000,
            typed_values: true,
        }
    }
}

/// Why validation could not start. Both are "unusable input" (CLI exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("Skema tidak valid: {}", .0.join(" "))]
    Schema(Vec<String>),
}

struct ForeignKeyCheck {
    fields: Vec<usize>,
    /// The code list's name as users know it (`agama`, `agama@2`).
    name: String,
    allowed: HashSet<String>,
    /// A few allowed codes, for the fix hint.
    examples: String,
}

/// The foreign keys of `schema` with what they point at, as written: `(fields, reference)`. A field's
/// `codelist` extension counts as a one-field foreign key. Self-references (`resource: ""`) are left
/// out: satudata checks keys against code lists.
pub fn foreign_key_targets(schema: &TableSchema) -> Vec<(Vec<String>, String)> {
    let mut out: Vec<(Vec<String>, String)> = schema
        .foreign_keys
        .iter()
        .filter(|fk| !fk.reference.resource.is_empty())
        .map(|fk| (fk.fields.clone(), fk.reference.resource.clone()))
        .collect();
    for f in &schema.fields {
        if let Some(c) = &f.codelist {
            if !out
                .iter()
                .any(|(fs, r)| fs == std::slice::from_ref(&f.name) && r == c)
            {
                out.push((vec![f.name.clone()], c.clone()));
            }
        }
    }
    out
}

/// The code lists `schema` refers to, as written (the keys [`ValidateOptions::code_lists`] wants),
/// each once, with the parsed reference.
pub fn code_list_refs(schema: &TableSchema) -> Vec<(String, satudata_core::codelist::CodeListRef)> {
    let mut out: Vec<(String, satudata_core::codelist::CodeListRef)> = vec![];
    for (_, r) in foreign_key_targets(schema) {
        if out.iter().any(|(w, _)| *w == r) {
            continue;
        }
        if let Some(parsed) = satudata_core::codelist::CodeListRef::parse(&r) {
            out.push((r, parsed));
        }
    }
    out
}

fn display_name(reference: &str) -> String {
    satudata_core::codelist::CodeListRef::parse(reference)
        .map(|r| r.to_string())
        .unwrap_or_else(|| reference.to_string())
}

/// Up to eight codes, numbers in numeric order, for a hint: `1, 2, 3, … (10 kode)`.
fn examples(allowed: &HashSet<String>) -> String {
    let mut codes: Vec<&String> = allowed.iter().collect();
    codes.sort_by(|a, b| match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    });
    let shown: Vec<&str> = codes.iter().take(8).map(|s| s.as_str()).collect();
    if codes.len() > shown.len() {
        format!("{}, … ({} kode)", shown.join(", "), codes.len())
    } else {
        shown.join(", ")
    }
}

struct UnitCheck {
    satuan: usize,
    measure: usize,
    expected: Unit,
    expected_text: String,
}

/// Normalise a label or name for matching: lower case, words joined by `_`.
pub fn normalize_label(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// Whether a file's column label names schema field `f` (its name, normalised, or its title).
pub fn label_matches(label: &str, f: &satudata_core::schema::Field) -> bool {
    label == f.name
        || normalize_label(label) == normalize_label(&f.name)
        || f.title
            .as_deref()
            .is_some_and(|t| normalize_label(t) == normalize_label(label))
}

/// Rows read ahead to decide each number column's style before the first row is checked.
const LOOKAHEAD: usize = 2000;

/// Rows whose keys are looked up together before their inserts (see [`RowChecks::warm`]): few
/// enough that the pages of their table slots stay in the TLB and their lines in cache.
const WARM_ROWS: usize = 128;

/// Rows checked per batch (and split across threads when more than one core is available).
const BATCH: usize = 4096;

/// A streaming validator.
///
/// Rows go through in batches, two at a time: while the sequential checks of one batch run (unique
/// and key hashes, units, collecting errors in row order), the cells of the next are already being
/// checked on the other threads, so that no core waits for the sequential part.
pub struct Validator<R: TableReader> {
    stream: TableStream<R>,
    fields: Vec<FieldWork>,
    shape: Shape,
    checks: RowChecks,
    /// The batch being handed out: its cells and row checks are done.
    cur: Batch,
    /// The batch after it: its cells are checked, its row checks run with the next batch's cells.
    next: Batch,
    /// The position in `cur` of the row after the current one.
    pos: usize,
    /// Whether the first batch has been read and its cells checked.
    primed: bool,
    /// [`ValidateOptions::typed_values`].
    typed_values: bool,
    /// The fields of each unique check, then the primary key's: the cell work hashes their values.
    key_sets: Vec<Vec<usize>>,
    workers: usize,
    done: bool,
    pending_source_error: Option<String>,
}

/// A batch of rows: records, their cell work, whether each row is valid (once its row checks ran),
/// and how many rows it holds.
#[derive(Default)]
struct Batch {
    recs: Vec<Record>,
    parsed: Vec<Parsed>,
    valid: Vec<bool>,
    len: usize,
}

/// The checks that need rows in order: unique and primary keys, foreign keys, units, and the
/// collected errors.
struct RowChecks {
    /// Unique checks, per field.
    uniques: Vec<Option<Dedup>>,
    primary_key: Option<(Vec<usize>, Dedup)>,
    foreign_keys: Vec<ForeignKeyCheck>,
    unit: Option<UnitCheck>,
    collector: Collector,
}

impl<R: TableReader> Validator<R> {
    /// Detect the header, check the labels against `schema` and get ready to stream rows.
    pub fn new(
        reader: R,
        schema: &TableSchema,
        opts: &ValidateOptions,
    ) -> Result<Self, SetupError> {
        schema.check().map_err(SetupError::Schema)?;
        let names: Vec<String> = schema.fields.iter().map(|f| f.name.clone()).collect();
        let stream = TableStream::new(reader, Some(&names))?;
        let cell_opts = CellOptions {
            strict_missing: opts.strict_missing,
            home_region: opts.home_region,
        };
        let mut collector = Collector::new(opts.max_errors);
        let header = stream.header().clone();
        let header_row = header.row_numbers.last().copied().unwrap_or(1);
        let labels = &header.labels;

        // Map fields to columns: by position (Frictionless), or by name when every field's label is
        // present but in another order.
        let positional_ok = schema
            .fields
            .iter()
            .zip(labels)
            .all(|(f, l)| label_matches(l, f));
        let by_name: Option<Vec<usize>> = (!positional_ok)
            .then(|| {
                schema
                    .fields
                    .iter()
                    .map(|f| labels.iter().position(|l| label_matches(l, f)))
                    .collect::<Option<Vec<usize>>>()
            })
            .flatten();
        let columns: Vec<Option<usize>> = match &by_name {
            Some(cols) => cols.iter().map(|&c| Some(c)).collect(),
            None => (0..schema.fields.len()).map(Some).collect(),
        };
        Self::check_labels(
            &mut collector,
            schema,
            labels,
            by_name.as_deref(),
            header_row,
        );

        let mut fields = Vec::with_capacity(schema.fields.len());
        let mut uniques = Vec::with_capacity(schema.fields.len());
        let checks = schema
            .fields
            .iter()
            .filter(|f| f.constraints.unique)
            .count()
            + usize::from(!schema.primary_key.is_empty());
        let per_check = opts.unique_memory_keys / checks.max(1);
        let mut problems = vec![];
        for (i, f) in schema.fields.iter().enumerate() {
            let in_pk = schema.primary_key.contains(&f.name);
            let constraints = match FieldConstraints::compile(f, in_pk) {
                Ok(c) => c,
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            };
            fields.push(FieldWork {
                name: f.name.clone(),
                field_type: f.field_type,
                parser: ColumnParser::new(f, &schema.missing_values, &cell_opts),
                check_values: constraints.checks_values(),
                constraints,
                column: columns[i],
                keep_value: true,
            });
            uniques.push(f.constraints.unique.then(|| Dedup::new(per_check)));
        }
        if !problems.is_empty() {
            return Err(SetupError::Schema(problems));
        }
        let primary_key = (!schema.primary_key.is_empty()).then(|| {
            let idx: Vec<usize> = schema
                .primary_key
                .iter()
                .filter_map(|k| schema.field_index(k))
                .collect();
            (idx, Dedup::new(per_check))
        });
        let mut foreign_keys = vec![];
        for (fields, resource) in foreign_key_targets(schema) {
            let idx: Vec<usize> = fields
                .iter()
                .filter_map(|k| schema.field_index(k))
                .collect();
            match opts.code_lists.get(&resource) {
                Some(allowed) if idx.len() == fields.len() => foreign_keys.push(ForeignKeyCheck {
                    fields: idx,
                    examples: examples(allowed),
                    name: display_name(&resource),
                    allowed: allowed.clone(),
                }),
                _ => collector.report.source.notes.push(format!(
                    "Kunci asing ke '{resource}' tidak diperiksa: daftar kodenya tidak tersedia."
                )),
            }
        }
        let key_sets: Vec<Vec<usize>> = uniques
            .iter()
            .enumerate()
            .filter(|(_, d)| d.is_some())
            .map(|(i, _)| vec![i])
            .chain(primary_key.iter().map(|(idx, _)| idx.clone()))
            .collect();
        let unit = Self::unit_check(schema);
        if !opts.typed_values {
            let needed = Self::values_needed(&fields, &uniques, &primary_key, &foreign_keys, &unit);
            for (f, needed) in fields.iter_mut().zip(needed) {
                // Numbers, dates and the like cost nothing to keep (no text is copied).
                f.keep_value = needed || !f.parser.checks_in_place();
            }
        }
        let short_padded = stream.info().short_rows_are_padded;
        let extra_from = if by_name.is_some() {
            labels.len().max(schema.fields.len())
        } else {
            schema.fields.len()
        };
        let workers = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(2);
        let mut v = Validator {
            stream,
            fields,
            shape: Shape {
                extra_from,
                short_padded,
            },
            checks: RowChecks {
                uniques,
                primary_key,
                foreign_keys,
                unit,
                collector,
            },
            cur: Batch::default(),
            next: Batch::default(),
            pos: 0,
            primed: false,
            typed_values: opts.typed_values,
            key_sets,
            workers,
            done: false,
            pending_source_error: None,
        };
        v.checks.collector.report.stats.fields = schema.fields.len();
        v.checks.collector.report.header = Some(header);
        // Decide number styles from a look-ahead sample: evidence anywhere in the first rows decides the
        // column for all of them (a read error here surfaces when the rows are read).
        let _ = v.stream.read_ahead(LOOKAHEAD);
        let sample: Vec<Record> = v.stream.lookahead().cloned().collect();
        for r in &sample {
            for f in &mut v.fields {
                if let Some(c) = f.column.and_then(|c| r.cells().get(c)) {
                    f.parser.observe(c);
                }
            }
        }
        Ok(v)
    }

    fn check_labels(
        collector: &mut Collector,
        schema: &TableSchema,
        labels: &[String],
        by_name: Option<&[usize]>,
        header_row: u64,
    ) {
        let err = |kind: ErrorKind,
                   pos: usize,
                   name: Option<&str>,
                   label: &str,
                   id: String,
                   en: String,
                   hint: &str| {
            let mut e = ValidationError::new(kind, id, en, hint)
                .at_row(header_row)
                .with_cell(label);
            e.field_number = Some(pos + 1);
            e.field_name = name.map(str::to_string);
            e
        };
        let mut seen: HashSet<&str> = HashSet::new();
        for (i, label) in labels.iter().enumerate() {
            let l = label.trim();
            let field = match by_name {
                None => schema.fields.get(i),
                Some(cols) => cols
                    .iter()
                    .position(|&c| c == i)
                    .map(|fi| &schema.fields[fi]),
            };
            let name = field.map(|f| f.name.as_str());
            if l.is_empty() {
                if field.is_some() || i < schema.fields.len() {
                    collector.push(err(
                        ErrorKind::BlankLabel,
                        i,
                        name,
                        label,
                        format!("judul kolom ke-{} kosong", i + 1),
                        format!("label of column {} is blank", i + 1),
                        "Beri judul kolom ini sesuai nama kolom di skema.",
                    ));
                }
            } else if !seen.insert(l) {
                collector.push(err(
                    ErrorKind::DuplicateLabel,
                    i,
                    name,
                    label,
                    format!("judul kolom '{l}' dipakai lebih dari sekali"),
                    format!("label '{l}' is duplicated"),
                    "Beri setiap kolom judul yang berbeda.",
                ));
                continue;
            }
            if l.is_empty() {
                continue;
            }
            match field {
                Some(f) if !label_matches(label, f) => collector.push(err(
                    ErrorKind::IncorrectLabel,
                    i,
                    name,
                    label,
                    format!("judul kolom ke-{} adalah '{l}', seharusnya '{}'", i + 1, f.name),
                    format!("label of column {} is '{l}' but the schema expects '{}'", i + 1, f.name),
                    "Samakan judul kolom dengan nama kolom di skema, atau urutkan kolom seperti di skema.",
                )),
                Some(_) => {}
                None => collector.push(err(
                    ErrorKind::ExtraLabel,
                    i,
                    None,
                    label,
                    format!("kolom '{l}' tidak ada di skema"),
                    format!("column '{l}' is not in the schema"),
                    "Hapus kolom ini atau tambahkan ke skema.",
                )),
            }
        }
        let missing: Vec<usize> = match by_name {
            None => (labels.len()..schema.fields.len()).collect(),
            Some(_) => vec![],
        };
        for i in missing {
            let f = &schema.fields[i];
            collector.push(err(
                ErrorKind::MissingLabel,
                i,
                Some(&f.name),
                "",
                format!("kolom '{}' dari skema tidak ada di berkas", f.name),
                format!("column '{}' of the schema is missing from the file", f.name),
                "Tambahkan kolom ini ke berkas (boleh kosong isinya bila tidak wajib).",
            ));
        }
    }

    /// Which fields' values the row checks read (unique and primary keys, foreign keys, the unit
    /// check), and region fields with constraints (checked on the dotted code): those are kept even
    /// without typed values.
    fn values_needed(
        fields: &[FieldWork],
        uniques: &[Option<Dedup>],
        primary_key: &Option<(Vec<usize>, Dedup)>,
        foreign_keys: &[ForeignKeyCheck],
        unit: &Option<UnitCheck>,
    ) -> Vec<bool> {
        let mut needed: Vec<bool> = fields
            .iter()
            .zip(uniques)
            .map(|(f, u)| u.is_some() || (f.parser.is_region() && f.check_values))
            .collect();
        let keys = primary_key.iter().flat_map(|(idx, _)| idx);
        let fks = foreign_keys.iter().flat_map(|fk| &fk.fields);
        let units = unit.iter().flat_map(|u| [&u.satuan, &u.measure]);
        for &i in keys.chain(fks).chain(units) {
            needed[i] = true;
        }
        needed
    }

    /// A `satuan` column next to exactly one field with a unit: each row's satuan must be that unit.
    fn unit_check(schema: &TableSchema) -> Option<UnitCheck> {
        let satuan = schema.fields.iter().position(|f| {
            f.field_type == FieldType::String
                && matches!(normalize_label(&f.name).as_str(), "satuan" | "unit")
        })?;
        let mut with_unit = schema
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.unit.is_some());
        let (measure, f) = with_unit.next()?;
        if with_unit.next().is_some() {
            return None;
        }
        let text = f.unit.clone()?;
        let mut expected = parse_unit(&text)?;
        expected.multiplier *= f.multiplier.unwrap_or(1.0);
        let expected_text = match f.multiplier {
            Some(m) if m != 1.0 => format!("{text} × {}", satudata_core::value::format_number(m)),
            _ => text,
        };
        Some(UnitCheck {
            satuan,
            measure,
            expected,
            expected_text,
        })
    }

    /// The detected header.
    pub fn header(&self) -> &crate::header::Header {
        self.stream.header()
    }

    /// The report so far. Rows are checked a batch or two ahead of the row last read, so it may
    /// already count rows (and their errors) that [`Validator::next_row`] has not reached.
    pub fn report(&self) -> &Report {
        &self.checks.collector.report
    }

    /// The typed values of the last row read, if it was valid (and
    /// [`ValidateOptions::typed_values`] is set).
    pub fn row(&self) -> Option<(u64, &[Value])> {
        let i = self.pos.checked_sub(1)?;
        if !self.typed_values || !self.cur.valid[i] {
            return None;
        }
        Some((self.cur.recs[i].row(), self.cur.parsed[i].values.as_slice()))
    }

    /// Read the next batch of rows into `self.next` (none once the stream is done).
    fn read_next(&mut self) {
        let b = &mut self.next;
        if b.recs.len() < BATCH {
            b.recs.resize_with(BATCH, Record::new);
            b.parsed.resize_with(BATCH, Parsed::default);
            b.valid.resize(BATCH, false);
        }
        b.len = 0;
        while b.len < BATCH && !self.done {
            match self.stream.next_row(&mut b.recs[b.len]) {
                Ok(true) => b.len += 1,
                Ok(false) => self.done = true,
                Err(e) => {
                    // Rows read before the failure are still checked and reported first.
                    self.done = true;
                    self.pending_source_error = Some(e.to_string());
                }
            }
        }
    }

    /// Move to the next batch: it becomes the one handed out, and its row checks run while the
    /// cells of the batch after it are checked. `false` when there are no more rows.
    fn fill_batch(&mut self) -> bool {
        if !self.primed {
            self.primed = true;
            self.read_next();
            let b = &mut self.next;
            let n = b.len;
            rows::check_batch(
                &mut self.fields,
                self.shape,
                &b.recs[..n],
                &mut b.parsed[..n],
                &self.key_sets,
                self.workers,
                |_| {},
            );
        }
        std::mem::swap(&mut self.cur, &mut self.next);
        self.pos = 0;
        self.read_next();
        let (checks, cur, next) = (&mut self.checks, &mut self.cur, &mut self.next);
        let n = next.len;
        rows::check_batch(
            &mut self.fields,
            self.shape,
            &next.recs[..n],
            &mut next.parsed[..n],
            &self.key_sets,
            self.workers,
            |fields| checks.finish_batch(fields, cur),
        );
        self.cur.len > 0
    }

    /// Read and check the next row; `false` at the end. A read error mid-stream ends the table with a
    /// `source-error`.
    pub fn next_row(&mut self) -> bool {
        if self.pos >= self.cur.len && !self.fill_batch() {
            if let Some(msg) = self.pending_source_error.take() {
                self.checks.collector.push(ValidationError::new(
                    ErrorKind::SourceError,
                    format!("berkas tidak dapat dibaca sampai akhir: {msg}"),
                    format!("the source could not be read to the end: {msg}"),
                    "Periksa apakah berkas utuh (tidak terpotong) dan formatnya benar.",
                ));
            }
            return false;
        }
        self.pos += 1;
        true
    }

    /// Finish: cross-run duplicate checks, notes, number styles; the report.
    pub fn finish(mut self) -> Report {
        while self.next_row() {}
        let checks = &mut self.checks;
        for (i, d) in checks.uniques.iter_mut().enumerate() {
            if let Some(d) = d.take() {
                for dup in d.finish() {
                    let name = &self.fields[i].name;
                    checks
                        .collector
                        .push(unique_error(dup.row, dup.first_row, i, name, ""));
                }
            }
        }
        if let Some((_, d)) = checks.primary_key.take() {
            for dup in d.finish() {
                checks.collector.push(
                    ValidationError::new(
                        ErrorKind::PrimaryKey,
                        format!("kunci utama sama dengan baris {}", dup.first_row),
                        format!("primary key is the same as in row {}", dup.first_row),
                        "Setiap baris harus punya kunci utama yang berbeda.",
                    )
                    .at_row(dup.row),
                );
            }
        }
        for f in &self.fields {
            if matches!(f.field_type, FieldType::Number | FieldType::Integer) {
                if let Some(s) = f.parser.number_style() {
                    checks
                        .collector
                        .report
                        .number_styles
                        .insert(f.name.clone(), s);
                }
            }
        }
        let mut report = self.checks.collector.report;
        report.notes = self.stream.notes().to_vec();
        let mut source = self.stream.info().clone();
        source.notes.append(&mut report.source.notes);
        report.source = source;
        report
    }
}

impl RowChecks {
    /// Run the row checks of every row of `batch`, in order, noting which rows are valid.
    fn finish_batch(&mut self, fields: &[FieldWork], batch: &mut Batch) {
        let n = batch.len;
        let rows = batch.recs[..n]
            .chunks(WARM_ROWS)
            .zip(batch.parsed[..n].chunks_mut(WARM_ROWS))
            .zip(batch.valid[..n].chunks_mut(WARM_ROWS));
        for ((recs, parsed), valid) in rows {
            self.warm(parsed);
            for ((rec, parsed), valid) in recs.iter().zip(parsed).zip(valid) {
                *valid = self.finish_row(fields, rec, parsed);
            }
        }
    }

    /// Look up the keys of `parsed` in the unique and primary-key tables before inserting them: in
    /// a large table their slots are far apart, and independent lookups overlap their cache (and
    /// TLB) misses instead of each insert waiting for its own. [`WARM_ROWS`] at a time, so that
    /// what they fetched is still in cache at the insert.
    fn warm(&self, parsed: &[Parsed]) {
        let dedups = self.uniques.iter().flatten();
        for (k, d) in dedups
            .chain(self.primary_key.iter().map(|(_, d)| d))
            .enumerate()
        {
            d.warm(
                parsed
                    .iter()
                    .filter_map(|p| p.keys.get(k).copied().flatten()),
            );
        }
    }

    /// The sequential part of a row's checks: collect its cell errors, then unique, keys and unit.
    /// Whether the row is valid.
    fn finish_row(&mut self, fields: &[FieldWork], rec: &Record, parsed: &mut Parsed) -> bool {
        let row = rec.row();
        self.collector.report.stats.rows += 1;
        let errors_before = self.collector.report.stats.errors;
        for e in parsed.errors.drain(..) {
            self.collector.push(e);
        }
        if parsed.blank {
            return false;
        }
        let cells_clean = self.collector.report.stats.errors == errors_before;
        let values = &parsed.values;
        let mut keys = parsed.keys.iter().copied();
        for (fi, d) in self.uniques.iter_mut().enumerate() {
            let Some(d) = d else { continue };
            let Some(hash) = keys.next().flatten() else {
                continue;
            };
            if let Some(first) = d.insert(hash, row) {
                let raw = fields[fi]
                    .column
                    .and_then(|c| rec.cells().get(c))
                    .unwrap_or("");
                self.collector
                    .push(unique_error(row, first, fi, &fields[fi].name, raw));
            }
        }
        self.check_keys(fields, values, keys.next().flatten(), row);
        if cells_clean {
            self.check_unit(fields, values, row);
        }
        let valid = self.collector.report.stats.errors == errors_before;
        if valid {
            self.collector.report.stats.valid_rows += 1;
        }
        valid
    }

    /// The primary key (`pk_hash`: its hash, `None` when part of it is missing) and the foreign
    /// keys of one row.
    fn check_keys(
        &mut self,
        fields: &[FieldWork],
        values: &[Value],
        pk_hash: Option<u128>,
        row: u64,
    ) {
        if let (Some((idx, d)), Some(hash)) = (self.primary_key.as_mut(), pk_hash) {
            if let Some(first) = d.insert(hash, row) {
                let key: Vec<String> = idx.iter().map(|&i| values[i].to_text()).collect();
                let key = key.join(", ");
                self.collector.push(
                    ValidationError::new(
                        ErrorKind::PrimaryKey,
                        format!("kunci utama ({key}) sama dengan baris {first}"),
                        format!("primary key ({key}) is the same as in row {first}"),
                        "Setiap baris harus punya kunci utama yang berbeda; hapus baris ganda atau perbaiki kodenya.",
                    )
                    .at_row(row)
                    .with_cell(&key),
                );
            }
        }
        for fk in &self.foreign_keys {
            if fk.fields.iter().any(|&i| values[i].is_null()) {
                continue;
            }
            let key: Vec<String> = fk.fields.iter().map(|&i| values[i].to_text()).collect();
            let key = key.join("\u{1f}");
            if !fk.allowed.contains(&key) {
                let shown = key.replace('\u{1f}', ", ");
                let first = fk.fields[0];
                self.collector.push(
                    ValidationError::new(
                        ErrorKind::ForeignKey,
                        format!("'{shown}' tidak ada di daftar kode '{}'", fk.name),
                        format!("'{shown}' is not in the code list '{}'", fk.name),
                        format!(
                            "Pakai salah satu kode di daftar kode referensi '{}' ({}); bila kode ini memang baru, walidata perlu menerbitkan versi baru daftar kodenya.",
                            fk.name, fk.examples
                        ),
                    )
                    .at_row(row)
                    .in_field(first + 1, &fields[first].name)
                    .with_cell(&shown),
                );
            }
        }
    }

    fn check_unit(&mut self, fields: &[FieldWork], values: &[Value], row: u64) {
        let Some(u) = &self.unit else {
            return;
        };
        let Value::Text(text) = &values[u.satuan] else {
            return;
        };
        let ok = parse_unit(text).is_some_and(|found| same_unit(&found, &u.expected));
        if !ok && !values[u.measure].is_null() {
            let name = &fields[u.satuan].name;
            self.collector.push(
                ValidationError::new(
                    ErrorKind::UnitMismatch,
                    format!("satuan '{text}' berbeda dari satuan kolom '{}' di skema ({})", fields[u.measure].name, u.expected_text),
                    format!("unit '{text}' differs from the schema's unit of '{}' ({})", fields[u.measure].name, u.expected_text),
                    "Samakan satuan; bila nilainya dalam ribuan (RIBU), ubah ke satuan skema atau perbaiki skema (unit dan multiplier).",
                )
                .at_row(row)
                .in_field(u.satuan + 1, name)
                .with_cell(text),
            );
        }
    }
}

fn unique_error(row: u64, first: u64, i: usize, name: &str, raw: &str) -> ValidationError {
    ValidationError::new(
        ErrorKind::UniqueError,
        format!("nilai kolom '{name}' sama dengan baris {first}; kolom ini harus unik"),
        format!("the value of '{name}' is the same as in row {first}; the column must be unique"),
        "Setiap nilai di kolom ini harus berbeda; hapus baris ganda atau perbaiki nilainya.",
    )
    .at_row(row)
    .in_field(i + 1, name)
    .with_cell(raw)
}

/// Validate a whole table.
pub fn validate<R: TableReader>(
    reader: R,
    schema: &TableSchema,
    opts: &ValidateOptions,
) -> Result<Report, SetupError> {
    Ok(Validator::new(reader, schema, opts)?.finish())
}

/// Validate a whole table, handing each valid row's typed values to `on_row` (row number, values).
pub fn validate_with<R: TableReader>(
    reader: R,
    schema: &TableSchema,
    opts: &ValidateOptions,
    mut on_row: impl FnMut(u64, &[Value]),
) -> Result<Report, SetupError> {
    let mut v = Validator::new(reader, schema, opts)?;
    while v.next_row() {
        if let Some((n, vals)) = v.row() {
            on_row(n, vals);
        }
    }
    Ok(v.finish())
}

#[cfg(test)]
mod tests;
