//! Region codes filled from a column of names, for uploads through the API: the client sends the
//! mapping it confirmed (names → codes, as `POST /api/v1/infer` suggested them or as it keeps them
//! from last time) with the file, and the import job fills the table's region-code field for every
//! row, as the upload wizard does after its tick box. Nothing is filled without such a mapping.

use std::collections::BTreeMap;

use serde::Deserialize;
use utoipa::ToSchema;

use satudata_core::region::{RegionCode, Regions};
use satudata_core::schema::TableSchema;
use satudata_formats::infer::Inferred;
use satudata_formats::region_names::{CodeColumn, CodeColumns};
use satudata_formats::validate::label_matches;

use crate::error::ApiError;

/// One region-code field of the table to fill from a column of names in the file (the multipart
/// part `regionCodes` of an upload holds a JSON array of these).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegionCodesRequest {
    /// The table's region-code field to fill, e.g. `kode_kecamatan`. The file must not have it.
    #[schema(example = "kode_kecamatan")]
    pub field: String,
    /// The file's column of names, by its label as written in the file (`Kecamatan`). Default: the
    /// column of names of the field's level that `POST /api/v1/infer` lists in `regionNames`.
    #[schema(example = "Kecamatan")]
    pub names: Option<String>,
    /// The confirmed mapping: name as written in the file → region code, with or without dots.
    /// Names missing from it leave the cell empty (the job's report names them).
    #[schema(example = json!({"Sekayu": "16.06.01", "Lais": "16.06.02"}))]
    pub codes: BTreeMap<String, String>,
}

/// Most codes named in one error message.
const SHOWN: usize = 10;

/// The region-code columns for the job, from the client's `requests`, checked against the table's
/// `schema` and what inference found in the file (`inferred`: its header, its columns of names).
/// Every code must be a Kemendagri code of the field's level; errors say what to fix, in Bahasa
/// Indonesia.
pub(crate) fn resolve(
    requests: &[RegionCodesRequest],
    schema: &TableSchema,
    inferred: &Inferred,
) -> Result<CodeColumns, ApiError> {
    let bad = |msg: String| ApiError::invalid_field("regionCodes", msg);
    if requests.is_empty() {
        return Err(bad(
            "regionCodes kosong: sebutkan minimal satu kolom kode wilayah yang diisi dari nama."
                .into(),
        ));
    }
    let labels = &inferred.header.labels;
    let targets = inferred.fillable_code_fields(schema);
    let regions = Regions::get();
    let mut columns: Vec<CodeColumn> = vec![];
    for req in requests {
        let Some(field) = schema.fields.iter().find(|f| f.name == req.field) else {
            return Err(bad(format!(
                "kolom '{}' tidak ada di tabel ini; kolom kode wilayahnya: {}",
                req.field,
                region_fields(schema)
            )));
        };
        let Some(level) = field.region_level else {
            return Err(bad(format!(
                "kolom '{}' bukan kolom kode wilayah; kolom kode wilayah tabel ini: {}",
                req.field,
                region_fields(schema)
            )));
        };
        if labels.iter().any(|l| label_matches(l, field)) {
            return Err(bad(format!(
                "berkas sudah punya kolom '{}': kodenya dibaca dari berkas. Hapus bagian ini dari regionCodes.",
                req.field
            )));
        }
        if columns.iter().any(|c| c.field == req.field) {
            return Err(bad(format!(
                "kolom '{}' disebut dua kali di regionCodes",
                req.field
            )));
        }
        let (source, source_label) = match &req.names {
            Some(name) => {
                let wanted = name.trim().to_lowercase();
                let Some(j) = labels
                    .iter()
                    .position(|l| l.trim().to_lowercase() == wanted)
                else {
                    return Err(bad(format!(
                        "kolom nama '{name}' tidak ada di berkas; kolom berkas: {}",
                        labels.join(", ")
                    )));
                };
                (j, labels[j].clone())
            }
            None => {
                let Some((j, _)) = targets.iter().find(|(_, f)| *f == req.field) else {
                    return Err(bad(format!(
                        "tidak ditemukan kolom nama {} di berkas untuk mengisi '{}'; sebutkan kolomnya di \"names\"",
                        level.label_id(),
                        req.field
                    )));
                };
                let col = &inferred.region_names[*j];
                (col.column, col.label.clone())
            }
        };
        let mut codes = BTreeMap::new();
        let mut wrong = vec![];
        for (name, code) in &req.codes {
            match RegionCode::parse(code.trim())
                .ok()
                .and_then(|c| regions.by_code(&c))
            {
                Some(r) if r.level == level => {
                    codes.insert(name.clone(), r.code.dotted());
                }
                _ => wrong.push(format!("{name} → {code}")),
            }
        }
        if !wrong.is_empty() {
            let more = wrong.len().saturating_sub(SHOWN);
            wrong.truncate(SHOWN);
            return Err(bad(format!(
                "kode berikut bukan kode {} Kemendagri: {}{}",
                level.label_id(),
                wrong.join("; "),
                if more > 0 {
                    format!(" (dan {more} lagi)")
                } else {
                    String::new()
                }
            )));
        }
        columns.push(CodeColumn {
            source,
            source_label,
            field: req.field.clone(),
            level,
            codes,
        });
    }
    inferred.code_columns(columns).ok_or_else(|| {
        bad("berkas tidak punya baris judul kolom, jadi kolom kode tidak bisa ditambahkan".into())
    })
}

/// The table's region-code fields, for messages ("kode_kecamatan, kode_desa" or "tidak ada").
fn region_fields(schema: &TableSchema) -> String {
    let names: Vec<&str> = schema
        .fields
        .iter()
        .filter(|f| f.region_level.is_some())
        .map(|f| f.name.as_str())
        .collect();
    if names.is_empty() {
        "tidak ada".into()
    } else {
        names.join(", ")
    }
}
