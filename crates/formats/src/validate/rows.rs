//! The per-row cell work of validation: reading each cell as its field's type and checking the field's
//! constraints. It needs nothing from other rows (apart from each column's number style, which the
//! parsers carry), so batches of rows can be checked on several threads.

use satudata_core::schema::FieldType;
use satudata_core::value::Value;

use super::constraints::{FieldConstraints, Violation};
use super::dedup::hash128;
use super::report::ValidationError;
use crate::cell::ColumnParser;
use crate::kinds::ErrorKind;
use crate::read::Record;

/// What a worker needs to check one field.
#[derive(Debug, Clone)]
pub(crate) struct FieldWork {
    pub name: String,
    pub field_type: FieldType,
    pub parser: ColumnParser,
    pub constraints: FieldConstraints,
    pub check_values: bool,
    /// The source column holding this field, if any.
    pub column: Option<usize>,
    /// Whether the field's value is built: always when typed values are wanted, else for the fields
    /// the row checks read and those whose cells cannot be checked in place (see
    /// `ValidateOptions::typed_values` and [`ColumnParser::checks_in_place`]).
    pub keep_value: bool,
}

/// The outcome of one row's cell work.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed {
    pub values: Vec<Value>,
    /// Errors of the row's cells, in field order.
    pub errors: Vec<ValidationError>,
    /// Whether the row is blank.
    pub blank: bool,
    /// The hash of each key's canonical value (see [`check_cells`]'s `keys`), `None` when part of
    /// it is missing. Hashed here, on the thread that just read the values, so that the sequential
    /// row checks only look the hashes up.
    pub keys: Vec<Option<u128>>,
}

/// Shape facts the workers need.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// Cells at or past this column are extra.
    pub extra_from: usize,
    /// Rows shorter than the header mean empty trailing cells (spreadsheets, HTML, keyed JSON).
    pub short_padded: bool,
}

/// Check one row's cells into `out` (values are reused). Blank rows get a `blank-row` error only.
/// `keys` are the field sets (unique fields, the primary key) whose values are hashed into
/// `out.keys`.
pub(crate) fn check_cells(
    fields: &mut [FieldWork],
    shape: Shape,
    keys: &[Vec<usize>],
    rec: &Record,
    out: &mut Parsed,
    canon: &mut Vec<u8>,
) {
    out.errors.clear();
    out.blank = rec.is_blank();
    if out.values.len() != fields.len() {
        out.values.resize(fields.len(), Value::Null);
    }
    let row = rec.row();
    if rec.encoding_error() {
        out.errors.push(
            ValidationError::new(
                ErrorKind::EncodingError,
                "baris ini berisi karakter yang tidak sah dalam pengodean berkas".into(),
                "the row holds bytes that are not valid in the file's encoding".into(),
                "Simpan ulang berkas sebagai CSV UTF-8.",
            )
            .at_row(row),
        );
    }
    if out.blank {
        out.errors.push(
            ValidationError::new(
                ErrorKind::BlankRow,
                "baris kosong".into(),
                "the row is blank".into(),
                "Hapus baris kosong di tengah tabel.",
            )
            .at_row(row),
        );
        return;
    }
    let cells = rec.cells();
    for (i, f) in fields.iter_mut().enumerate() {
        let slot = &mut out.values[i];
        let raw = match f.column.map(|c| cells.get(c)) {
            Some(Some(c)) => c,
            Some(None) if !shape.short_padded => {
                *slot = Value::Null;
                out.errors.push(
                    ValidationError::new(
                        ErrorKind::MissingCell,
                        format!("baris ini tidak punya sel untuk kolom '{}'", f.name),
                        format!("the row has no cell for column '{}'", f.name),
                        "Lengkapi jumlah sel baris ini (periksa tanda pemisah yang hilang).",
                    )
                    .at_row(row)
                    .in_field(i + 1, &f.name)
                    .with_cell(""),
                );
                continue;
            }
            _ => "",
        };
        if !f.keep_value {
            // Text and region cells whose value nobody reads: checked where they lie.
            if let Some(present) = f.parser.present_text(raw) {
                if !present {
                    if f.constraints.required {
                        out.errors.push(required_error(row, i, &f.name, raw));
                    }
                } else if f.check_values {
                    if let Some(v) = f.constraints.check_text(f.field_type, raw, canon) {
                        out.errors.push(constraint_error(row, i, &f.name, raw, v));
                    }
                }
                continue;
            }
        }
        if let Err(issue) = f.parser.parse_into(raw, slot) {
            let issue = *issue;
            out.errors.push(
                ValidationError::new(issue.kind, issue.message_id, issue.message_en, issue.hint)
                    .at_row(row)
                    .in_field(i + 1, &f.name)
                    .with_cell(raw),
            );
            continue;
        }
        if slot.is_null() {
            if f.constraints.required {
                out.errors.push(required_error(row, i, &f.name, raw));
            }
            continue;
        }
        if f.check_values {
            if let Some(v) = f.constraints.check(f.field_type, raw, slot, canon) {
                out.errors.push(constraint_error(row, i, &f.name, raw, v));
            }
        }
    }
    hash_keys(keys, out, canon);
    if shape.extra_from < cells.len() {
        for (j, c) in cells.iter().enumerate().skip(shape.extra_from) {
            if shape.short_padded && c.trim().is_empty() {
                continue;
            }
            out.errors.push(
                ValidationError::new(
                    ErrorKind::ExtraCell,
                    format!("sel ke-{} berlebih: tidak ada kolom untuknya", j + 1),
                    format!("cell {} is extra: no column for it", j + 1),
                    "Hapus sel berlebih atau periksa tanda pemisah di dalam isi sel (beri tanda kutip).",
                )
                .at_row(row)
                .with_cell(c)
                .in_field(j + 1, ""),
            );
        }
    }
}

/// Hash the canonical value of each of `keys` into `out.keys`.
fn hash_keys(keys: &[Vec<usize>], out: &mut Parsed, canon: &mut Vec<u8>) {
    out.keys.clear();
    for set in keys {
        if set.iter().any(|&i| out.values[i].is_null()) {
            out.keys.push(None);
            continue;
        }
        canon.clear();
        for &i in set {
            out.values[i].write_canonical(canon);
        }
        out.keys.push(Some(hash128(canon)));
    }
}

/// A required field's cell is missing (field `i`, 0-based).
#[cold]
fn required_error(row: u64, i: usize, name: &str, raw: &str) -> ValidationError {
    ValidationError::new(
        ErrorKind::ConstraintError,
        format!("kolom '{name}' wajib diisi"),
        format!("column '{name}' is required"),
        "Isi sel ini; kolom ini wajib (required atau bagian kunci utama).",
    )
    .at_row(row)
    .in_field(i + 1, name)
    .with_cell(raw)
}

/// A cell breaks a constraint of field `i` (0-based).
#[cold]
fn constraint_error(row: u64, i: usize, name: &str, raw: &str, v: Violation) -> ValidationError {
    ValidationError::new(ErrorKind::ConstraintError, v.message, v.message_en, v.hint)
        .at_row(row)
        .in_field(i + 1, name)
        .with_cell(raw)
}

/// Check a batch of rows, split over `workers` threads (each with its own copy of the parsers, whose
/// number-style evidence is merged back afterwards). `first` runs on the calling thread before its
/// share of the cells, with the fields: the sequential checks of the previous batch, which then
/// overlap the helper's share.
pub(crate) fn check_batch(
    fields: &mut [FieldWork],
    shape: Shape,
    recs: &[Record],
    out: &mut [Parsed],
    keys: &[Vec<usize>],
    workers: usize,
    first: impl FnOnce(&[FieldWork]),
) {
    let n = recs.len().min(out.len());
    if workers <= 1 || n < 64 {
        first(fields);
        let mut canon = Vec::new();
        for (r, o) in recs[..n].iter().zip(&mut out[..n]) {
            check_cells(fields, shape, keys, r, o, &mut canon);
        }
        return;
    }
    // The first part on a helper thread with cloned parsers, the rest here after `first`; then merge
    // the evidence the helper saw into the main parsers. The helper takes less than half although
    // the calling thread also runs `first`: it shares the second core with the reader's thread.
    // Measured on a million rows, alternated (docs/BENCHMARKS.md, seventh session): helper 3/5 of
    // the rows 0.434–0.479 s, 1/2 0.384–0.449 s, 2/5 0.378–0.400 s; 4/5 was slower still than 3/5.
    let mid = n * 2 / 5;
    let mut helper: Vec<FieldWork> = fields.to_vec();
    let base: Vec<_> = fields.iter().map(|f| f.parser.evidence()).collect();
    let (recs_a, recs_b) = recs[..n].split_at(mid);
    let (out_a, out_b) = out[..n].split_at_mut(mid);
    let helped = std::thread::scope(|s| {
        let h = std::thread::Builder::new()
            .name("satudata-check".into())
            .spawn_scoped(s, || {
                let mut canon = Vec::new();
                for (r, o) in recs_a.iter().zip(out_a.iter_mut()) {
                    check_cells(&mut helper, shape, keys, r, o, &mut canon);
                }
            });
        first(fields);
        let mut canon = Vec::new();
        for (r, o) in recs_b.iter().zip(out_b.iter_mut()) {
            check_cells(fields, shape, keys, r, o, &mut canon);
        }
        // A panic in the helper is a bug; surface it rather than report half-checked rows.
        match h.map(|h| h.join()) {
            Ok(Ok(())) => true,
            Ok(Err(e)) => std::panic::resume_unwind(e),
            Err(_) => false,
        }
    });
    if !helped {
        // No thread could be started: check the first part here, in order.
        let mut canon = Vec::new();
        for (r, o) in recs[..mid].iter().zip(out[..mid].iter_mut()) {
            check_cells(fields, shape, keys, r, o, &mut canon);
        }
        return;
    }
    for ((main, h), base) in fields.iter_mut().zip(&helper).zip(&base) {
        main.parser.add_evidence(&h.parser.evidence(), base);
    }
}
