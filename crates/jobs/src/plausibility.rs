//! The profile of an imported table and its plausibility against the previous **published**
//! version of the same resource: values 100× (or 1/100) the last published value of the same
//! region and breakdown, zeros where the published version had values
//! ([`satudata_formats::plausibility::Baseline`]), and whole columns whose range jumped or became
//! all zero ([`satudata_formats::profile::compare_profiles`]).
//!
//! These are warnings (the version is still imported); they are stored with the job's validation
//! report (keys `profile` and `plausibility`) so that the walidata's automatic checks can show them
//! at submission.

use satudata_core::row::Row;
use satudata_core::schema::TableSchema;
use satudata_core::value::Value;
use satudata_core::Id;
use satudata_formats::plausibility::Baseline;
use satudata_formats::profile::{compare_profiles, Profile, Profiler};
use satudata_formats::validate::ValidationError;
use satudata_store::{Store, StoreError};
use serde::Serialize;

/// Suspicious values listed at most (the count keeps all).
pub const MAX_ITEMS: usize = 100;

/// What the comparison with the previous published version found.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlausibilityReport {
    /// The published version compared with.
    pub against_version: i32,
    /// Suspicious values and column changes found (all of them).
    pub warnings: u64,
    /// The first suspicious values, row by row (row numbers as in the file).
    pub items: Vec<ValidationError>,
    /// Whether values were left out of `items`.
    pub truncated: bool,
    /// Columns whose range jumped or that became all zero, compared with the published version.
    pub profile_changes: Vec<ValidationError>,
}

/// The previous published version, ready to compare rows with.
pub struct Previous {
    version: i32,
    baseline: Baseline,
    profile: Profile,
}

/// Read the latest published version of `resource_id` (if any) into a baseline and a profile.
/// Memory is bounded by [`satudata_formats::plausibility::MAX_KEYS`].
pub async fn previous_published(
    store: &dyn Store,
    resource_id: Id,
    schema: &TableSchema,
) -> Result<Option<Previous>, StoreError> {
    let Some(v) = store.latest_version(resource_id).await? else {
        return Ok(None);
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Row>>(4);
    let schema = schema.clone();
    // The baseline is CPU work: build it on a blocking thread while the store streams.
    let builder = tokio::task::spawn_blocking(move || {
        let mut baseline = Baseline::new(&schema);
        let mut profiler = Profiler::new(&schema);
        while let Some(batch) = rx.blocking_recv() {
            for row in &batch {
                baseline.observe(row);
                profiler.observe(row);
            }
        }
        (baseline, profiler.finish())
    });
    let streamed = store.stream_rows(resource_id, Some(v.number), tx).await;
    let (baseline, profile) = builder
        .await
        .map_err(|e| StoreError::Backend(format!("baseline builder failed: {e}")))?;
    streamed?;
    Ok(Some(Previous {
        version: v.number,
        baseline,
        profile,
    }))
}

/// Profiles the imported rows and compares them with the previous published version.
pub struct Plausibility {
    previous: Option<Previous>,
    profiler: Profiler,
    warnings: u64,
    items: Vec<ValidationError>,
}

impl Plausibility {
    /// A checker for rows of `schema`, against `previous` when there is one.
    pub fn new(schema: &TableSchema, previous: Option<Previous>) -> Self {
        Plausibility {
            previous,
            profiler: Profiler::new(schema),
            warnings: 0,
            items: vec![],
        }
    }

    /// Look at one valid row (`row_number` as in the file).
    pub fn observe(&mut self, row_number: u64, row: &[Value]) {
        self.profiler.observe(row);
        if let Some(prev) = &self.previous {
            for w in prev.baseline.check(row_number, row) {
                self.warnings += 1;
                if self.items.len() < MAX_ITEMS {
                    self.items.push(w);
                }
            }
        }
    }

    /// The profile, and the plausibility report when there was a published version.
    pub fn finish(self) -> (Profile, Option<PlausibilityReport>) {
        let profile = self.profiler.finish();
        let report = self.previous.map(|prev| {
            let profile_changes = compare_profiles(&prev.profile, &profile);
            PlausibilityReport {
                against_version: prev.version,
                warnings: self.warnings + profile_changes.len() as u64,
                truncated: self.warnings > self.items.len() as u64,
                items: self.items,
                profile_changes,
            }
        });
        (profile, report)
    }
}
