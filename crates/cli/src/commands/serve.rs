//! `satudata serve`: the real server.

use crate::config::{Config, ConfigFlags};
use crate::runtime::{open_store, redact, shutdown_signal};
use anyhow::Context;
use std::path::Path;
use std::process::ExitCode;

/// Jalankan server satudata.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub config: ConfigFlags,
    /// Address to listen on, e.g. 0.0.0.0:8080 [env: SATUDATA_LISTEN].
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut cfg = Config::load(&args.config, Path::new("satudata-data"), |k| {
        std::env::var(k).ok()
    })?;
    if let Some(l) = args.listen {
        cfg.listen = l;
    }
    start(cfg, None).await?;
    Ok(ExitCode::SUCCESS)
}

/// What `demo` adds to the start: a banner printed once the server listens.
pub type Banner = Box<dyn FnOnce(&str) + Send>;

/// Open the store, make sure the home region's organisations exist, and serve until stopped.
pub async fn start(cfg: Config, banner: Option<Banner>) -> anyhow::Result<()> {
    let home = cfg.home_region()?;
    std::fs::create_dir_all(&cfg.data_dir)
        .with_context(|| format!("tidak bisa membuat folder data {}", cfg.data_dir.display()))?;
    let url = cfg.database_url();
    let store = open_store(&url).await?;
    tracing::info!(backend = store.backend(), database = %redact(&url), "store open");
    let created = satudata_store::bootstrap::ensure_region_organizations(store.as_ref(), &home)
        .await
        .context("tidak bisa membuat organisasi wilayah")?;
    if created > 0 {
        tracing::info!(created, "region organisations created");
    }
    // Uploads become jobs kept in the store; this process runs them in the background. On SQLite
    // it is the only process, so jobs it left running when it stopped are re-queued at once.
    let files = match &cfg.files_url {
        Some(url) => satudata_files::FileStore::from_url(url),
        None => satudata_files::FileStore::local(cfg.data_dir.join("files")),
    }
    .map_err(|e| anyhow::anyhow!("penyimpanan berkas tidak dapat dibuka: {e}"))?;
    tracing::info!(files = files.describe(), "file store open");
    satudata_jobs::Runner::new(
        store.clone(),
        files.clone(),
        satudata_jobs::RunnerConfig {
            home_region: Some(home),
            ..satudata_jobs::RunnerConfig::default()
        },
    )
    .spawn(store.backend() == "sqlite");
    let state = satudata_http::AppState::new(
        store,
        satudata_http::HttpConfig {
            home_region: home,
            instance_name: cfg.instance_name(&home),
            base_url: cfg.base_url(),
            secure_cookies: cfg.secure_cookies,
        },
    )
    .with_rate_limits(cfg.rate_limits())
    .with_files(files);
    // Notifications are mailed too when SMTP is configured (SATUDATA_SMTP_*).
    let state = match crate::smtp::from_env(|k| std::env::var(k).ok())? {
        Some(mail) => {
            tracing::info!(host = %mail.host, "notification e-mail on");
            state
                .with_mail(&mail)
                .map_err(|e| anyhow::anyhow!("konfigurasi SMTP tidak sah: {e}"))?
        }
        None => state,
    };
    // Reminders of the Daftar Data and quality snapshots, daily.
    satudata_http::spawn_daily(state.clone());
    let listener = tokio::net::TcpListener::bind(&cfg.listen)
        .await
        .with_context(|| {
            format!(
                "tidak bisa mendengarkan di {} (sudah dipakai program lain?)",
                cfg.listen
            )
        })?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "listening");
    if let Some(b) = banner {
        b(&format!("http://{addr}"));
    }
    satudata_http::serve(listener, state, shutdown_signal())
        .await
        .context("server berhenti karena galat")?;
    Ok(())
}
