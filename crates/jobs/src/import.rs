//! The one import: a validator on a blocking thread streams typed rows through a bounded channel
//! into the store's version transaction. Any problem (an invalid cell, unusable input, a cancel)
//! aborts the row source, so the store writes nothing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use satudata_core::dataset::Version;
use satudata_core::row::Row;
use satudata_core::schema::TableSchema;
use satudata_core::Id;
use satudata_formats::read::TableReader;
use satudata_formats::validate::{Report, ValidateOptions, Validator};
use satudata_store::jobs::JobLease;
use satudata_store::{NewVersion, RowSource, Store, StoreError};

use crate::plausibility::{previous_published, Plausibility, PlausibilityReport};
use satudata_formats::profile::Profile;

/// Rows sent to the store at a time; with the channel's capacity this bounds memory.
pub const BATCH_ROWS: usize = 2_000;

/// What the import makes.
#[derive(Debug, Clone, Copy)]
pub enum ImportTarget {
    /// A draft version (the CLI).
    Draft,
    /// A draft version, marking this leased job done in the same transaction (the runner).
    Job(JobLease),
}

/// Why an import could not even be attempted.
#[derive(Debug)]
pub enum ImportError {
    /// The input cannot be read as a table (exit code 2 of the CLI); the message is for the user.
    Unusable(String),
    /// The reader thread died.
    Internal(String),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Unusable(m) | ImportError::Internal(m) => f.write_str(m),
        }
    }
}

/// The validation report and what the store did: `Err(StoreError::Source(_))` when the file was
/// invalid (or the import was cancelled) and nothing was written.
#[derive(Debug)]
pub struct ImportOutcome {
    pub report: Report,
    /// The profile of the valid rows read.
    pub profile: Profile,
    /// The comparison with the previous published version (`None` when there is none).
    pub plausibility: Option<PlausibilityReport>,
    pub version: Result<Version, StoreError>,
}

impl ImportOutcome {
    /// The report as stored with the job: the validation report with `profile` and
    /// `plausibility` added.
    pub fn report_json(&self) -> Option<serde_json::Value> {
        report_json(&self.report, &self.profile, self.plausibility.as_ref())
    }
}

/// The validation report with the profile and the plausibility report added (the job's report).
fn report_json(
    report: &Report,
    profile: &Profile,
    plausibility: Option<&PlausibilityReport>,
) -> Option<serde_json::Value> {
    let mut v = serde_json::to_value(report).ok()?;
    if let Some(o) = v.as_object_mut() {
        o.insert("profile".into(), serde_json::to_value(profile).ok()?);
        o.insert(
            "plausibility".into(),
            serde_json::to_value(plausibility).ok()?,
        );
    }
    Some(v)
}

/// The row source of an import: typed rows from the reader thread, and its report once done.
struct ImportSource {
    rx: tokio::sync::mpsc::Receiver<Result<Vec<Row>, String>>,
    report: Arc<Mutex<Option<serde_json::Value>>>,
}

#[async_trait::async_trait]
impl RowSource for ImportSource {
    async fn next_batch(&mut self) -> Result<Option<Vec<Row>>, String> {
        match self.rx.recv().await {
            None => Ok(None),
            Some(r) => r.map(Some),
        }
    }

    fn report(&self) -> Option<serde_json::Value> {
        self.report.lock().ok().and_then(|r| r.clone())
    }
}

/// Fill `opts.code_lists` with the catalogue's code lists that `schema` refers to (foreign keys and
/// `codelist` fields; a pinned `slug@N` reads that version, otherwise the newest). Lists already in
/// `opts` are kept; a list the catalogue does not have stays out, and the report notes that its key
/// was not checked.
pub async fn load_code_lists(
    store: &dyn Store,
    schema: &TableSchema,
    opts: &mut ValidateOptions,
) -> Result<(), StoreError> {
    for (written, r) in satudata_formats::validate::code_list_refs(schema) {
        if opts.code_lists.contains_key(&written) {
            continue;
        }
        if let Some(list) = store.get_codelist(&r.slug, r.version).await? {
            opts.code_lists.insert(written, list.meta.allowed());
        }
    }
    Ok(())
}

/// Validate what `open` reads against `schema` and, if every row is valid, write it as the next
/// version of `resource_id` (a draf). The code lists the schema refers to are read from the store
/// first ([`load_code_lists`]). The valid rows are profiled and compared with the latest published
/// version ([`crate::plausibility`]); both go into the stored report. `progress` is called with the rows read so far every few
/// thousand rows (from a blocking thread); setting `cancel` aborts the import, writing nothing.
#[allow(clippy::too_many_arguments)]
pub async fn import_table<O, P>(
    store: &dyn Store,
    resource_id: Id,
    schema: TableSchema,
    open: O,
    mut opts: ValidateOptions,
    new: NewVersion,
    target: ImportTarget,
    progress: P,
    cancel: Arc<AtomicBool>,
) -> Result<ImportOutcome, ImportError>
where
    O: FnOnce() -> Result<Box<dyn TableReader>, String> + Send + 'static,
    P: Fn(u64) + Send + 'static,
{
    load_code_lists(store, &schema, &mut opts)
        .await
        .map_err(|e| ImportError::Internal(format!("daftar kode tidak dapat dibaca: {e}")))?;
    let previous = previous_published(store, resource_id, &schema)
        .await
        .map_err(|e| ImportError::Internal(format!("previous published version: {e}")))?;
    let mut plausibility = Plausibility::new(&schema, previous);
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<Row>, String>>(4);
    let report_slot = Arc::new(Mutex::new(None));
    let slot = report_slot.clone();
    type Finished = (Report, Profile, Option<PlausibilityReport>);
    let reader_task = tokio::task::spawn_blocking(move || -> Result<Finished, String> {
        let reader = match open() {
            Ok(r) => r,
            Err(e) => {
                let _ = tx.blocking_send(Err(e.clone()));
                return Err(e);
            }
        };
        let mut validator = match Validator::new(reader, &schema, &opts) {
            Ok(v) => v,
            Err(e) => {
                let _ = tx.blocking_send(Err(e.to_string()));
                return Err(e.to_string());
            }
        };
        let mut batch: Vec<Row> = Vec::with_capacity(BATCH_ROWS);
        let mut sending = true;
        let mut n: u64 = 0;
        while validator.next_row() {
            n += 1;
            if n.is_multiple_of(4_096) {
                progress(n);
                if cancel.load(Ordering::Relaxed) {
                    let _ = tx.blocking_send(Err("impor dibatalkan".into()));
                    let (profile, plaus) = plausibility.finish();
                    return Ok((validator.finish(), profile, plaus));
                }
            }
            if !sending {
                continue; // keep validating to give a complete report
            }
            if validator.report().stats.errors > 0 {
                sending = false;
                batch.clear();
                continue;
            }
            if let Some((row_number, values)) = validator.row() {
                plausibility.observe(row_number, values);
                batch.push(values.to_vec());
                if batch.len() == BATCH_ROWS
                    && tx
                        .blocking_send(Ok(std::mem::replace(
                            &mut batch,
                            Vec::with_capacity(BATCH_ROWS),
                        )))
                        .is_err()
                {
                    sending = false; // the store stopped listening; its error is reported
                }
            }
        }
        progress(n);
        let report = validator.finish();
        let (profile, plaus) = plausibility.finish();
        // The validator's key tables are gone; give their memory back before the store sorts its
        // indexes, so the two do not add up.
        release_freed_memory();
        if let Ok(mut s) = slot.lock() {
            *s = report_json(&report, &profile, plaus.as_ref());
        }
        if cancel.load(Ordering::Relaxed) {
            let _ = tx.blocking_send(Err("impor dibatalkan".into()));
        } else if report.valid && sending {
            if !batch.is_empty() {
                let _ = tx.blocking_send(Ok(batch));
            }
        } else {
            let _ = tx.blocking_send(Err("berkas tidak sah; tidak ada yang disimpan".into()));
        }
        Ok((report, profile, plaus))
    });

    let mut source = ImportSource {
        rx,
        report: report_slot,
    };
    let version = match target {
        ImportTarget::Draft => {
            store
                .create_draft_version(resource_id, new, &mut source)
                .await
        }
        ImportTarget::Job(lease) => {
            store
                .complete_import_job(lease, resource_id, new, &mut source)
                .await
        }
    };
    drop(source);
    let (report, profile, plausibility) = reader_task
        .await
        .map_err(|e| ImportError::Internal(format!("reader task failed: {e}")))?
        .map_err(ImportError::Unusable)?;
    Ok(ImportOutcome {
        report,
        profile,
        plausibility,
        version,
    })
}

/// Return heap memory that was freed but is still held by the allocator to the operating system.
///
/// glibc keeps freed memory in its per-thread arenas for reuse; after a large validation (key tables
/// of tens of millions of rows, spilled and merged) that was ≈ 80 MB that no one would use again,
/// still counted in the process's memory while the store built its indexes. Elsewhere this does
/// nothing (other allocators return memory themselves or differently).
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> std::os::raw::c_int;
        }
        // SAFETY: malloc_trim(3) only releases free pages of the allocator's arenas; it takes no
        // pointers and is safe to call from any thread at any time.
        unsafe {
            malloc_trim(0);
        }
    }
}
