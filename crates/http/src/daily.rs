//! The daily governance run of a server: reminders of the Daftar Data (before and after due dates;
//! in the app, and by e-mail when SMTP is configured), this month's quality snapshot of every
//! organisation, and the clean-up of uploads abandoned in the upload wizard. All are idempotent,
//! so several nodes running them is harmless.

use std::time::Duration;

use crate::state::AppState;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DailyOutcome {
    pub notifications: usize,
    pub emails: usize,
    pub snapshots: usize,
    /// Abandoned uploads removed from the staging area.
    pub abandoned_uploads: usize,
}

/// How long an upload may wait in the wizard before the daily run removes it: a week, so that an
/// operator who stops on Friday finds Monday's upload still there.
pub const ABANDONED_AFTER: Duration = Duration::from_secs(7 * 24 * 3600);

/// Run the daily work once.
pub async fn run_daily(state: &AppState) -> Result<DailyOutcome, String> {
    let today = crate::api::plan::today_wib();
    let r = crate::api::kemutakhiran::run_reminders(state, today, 7)
        .await
        .map_err(|e| e.to_string())?;
    let snapshots = crate::api::quality::record_snapshots(state)
        .await
        .map_err(|e| e.to_string())?;
    let abandoned_uploads = clean_abandoned_uploads(state, ABANDONED_AFTER)
        .await
        .map_err(|e| e.to_string())?;
    Ok(DailyOutcome {
        notifications: r.notifications,
        emails: r.emails,
        snapshots,
        abandoned_uploads,
    })
}

/// Remove the uploads of the upload wizard (`staging/{dataset}/{upload}/`) that were left before
/// an import was started and whose newest file is older than `max_age`; uploads an import job
/// was started from stay (the job's report reads its rows from them). Returns how many uploads
/// were removed.
pub async fn clean_abandoned_uploads(
    state: &AppState,
    max_age: Duration,
) -> Result<usize, satudata_files::FileError> {
    use crate::pages::workspace::upload::{STAGING, USED_MARKER};
    use std::collections::BTreeMap;
    let cutoff = std::time::SystemTime::now()
        .checked_sub(max_age)
        .unwrap_or(std::time::UNIX_EPOCH);
    // Group the files by their upload folder (the first three parts of the key).
    let mut uploads: BTreeMap<String, Vec<satudata_files::ListedFile>> = BTreeMap::new();
    for f in state.files.list(STAGING).await? {
        let folder: Vec<&str> = f.key.splitn(4, '/').take(3).collect();
        if folder.len() == 3 {
            uploads.entry(folder.join("/")).or_default().push(f);
        }
    }
    let mut removed = 0;
    for (folder, files) in uploads {
        let used = files
            .iter()
            .any(|f| f.key.rsplit('/').next() == Some(USED_MARKER));
        let newest = files.iter().map(|f| f.modified).max();
        if used || newest.is_some_and(|t| t > cutoff) {
            continue;
        }
        for f in &files {
            state.files.delete(&f.key).await?;
        }
        tracing::debug!(upload = %folder, files = files.len(), "abandoned upload removed");
        removed += 1;
    }
    Ok(removed)
}

/// Run [`run_daily`] a minute after start and then every 24 hours, in the background.
pub fn spawn_daily(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        loop {
            match run_daily(&state).await {
                Ok(o) => tracing::info!(
                    notifications = o.notifications,
                    emails = o.emails,
                    snapshots = o.snapshots,
                    abandoned_uploads = o.abandoned_uploads,
                    "daily governance run"
                ),
                Err(e) => tracing::warn!(error = %e, "daily governance run failed"),
            }
            tokio::time::sleep(Duration::from_secs(24 * 3600)).await;
        }
    })
}
