//! The daily governance run of a server: reminders of the Daftar Data (before and after due dates;
//! in the app, and by e-mail when SMTP is configured) and this month's quality snapshot of every
//! organisation. Both are idempotent, so several nodes running them is harmless.

use std::time::Duration;

use crate::state::AppState;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DailyOutcome {
    pub notifications: usize,
    pub emails: usize,
    pub snapshots: usize,
}

/// Run the daily work once.
pub async fn run_daily(state: &AppState) -> Result<DailyOutcome, String> {
    let today = crate::api::plan::today_wib();
    let r = crate::api::kemutakhiran::run_reminders(state, today, 7)
        .await
        .map_err(|e| e.to_string())?;
    let snapshots = crate::api::quality::record_snapshots(state)
        .await
        .map_err(|e| e.to_string())?;
    Ok(DailyOutcome {
        notifications: r.notifications,
        emails: r.emails,
        snapshots,
    })
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
                    "daily governance run"
                ),
                Err(e) => tracing::warn!(error = %e, "daily governance run failed"),
            }
            tokio::time::sleep(Duration::from_secs(24 * 3600)).await;
        }
    })
}
