//! `satudata demo`: a ready Kabupaten Musi Banyuasin instance with demo data on the embedded store.

use crate::config::{Config, ConfigFlags};
use crate::runtime::open_store;
use anyhow::Context;
use satudata_core::region::RegionCode;
use std::path::PathBuf;
use std::process::ExitCode;

/// The demo's home region: Kabupaten Musi Banyuasin.
const DEMO_REGION: &str = "16.06";

/// Jalankan contoh Kabupaten Musi Banyuasin (16.06) dengan data demo.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Folder for the demo's database and files (reused on the next start).
    #[arg(long, value_name = "DIR", default_value = "satudata-demo")]
    pub data_dir: PathBuf,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let flags = ConfigFlags {
        config: None,
        data_dir: Some(args.data_dir.clone()),
        database_url: None,
    };
    // The environment may still point the demo at PostgreSQL (SATUDATA_DATABASE_URL).
    let mut cfg = Config::load(&flags, &args.data_dir, |k| std::env::var(k).ok())?;
    cfg.listen = args.listen;
    cfg.home_region = Some(DEMO_REGION.into());
    let home = RegionCode::parse(DEMO_REGION).expect("demo region code is valid");
    std::fs::create_dir_all(&cfg.data_dir)
        .with_context(|| format!("tidak bisa membuat folder data {}", cfg.data_dir.display()))?;

    let store = open_store(&cfg.database_url()).await?;
    let started = std::time::Instant::now();
    let summary = satudata_demo::seed(store.as_ref(), &home)
        .await
        .context("tidak bisa mengisi data demo")?;
    // Maps need boundaries: loaded from the reference files when they are there (not shipped).
    match satudata_demo::load_boundaries(store.as_ref(), &home, &satudata_demo::boundary_dirs())
        .await
    {
        Ok(0) => {}
        Ok(n) => tracing::info!(boundaries = n, "demo boundaries loaded"),
        Err(e) => tracing::warn!(error = %e, "demo boundaries not loaded; maps stay off"),
    }
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "demo data ready"
    );
    drop(store);

    let banner: crate::commands::serve::Banner = Box::new(move |url: &str| {
        println!();
        println!("satudata demo — Kabupaten Musi Banyuasin (16.06)");
        println!("  Portal:  {url}/");
        println!("  API:     {url}/api/v1/datasets   (OpenAPI: {url}/api/v1/openapi.json)");
        println!("  Masuk:   {url}/masuk");
        println!();
        print!("{}", summary.describe());
        println!("  Hentikan dengan Ctrl-C. Data tersimpan di folder data dan dipakai lagi saat mulai ulang.");
        println!();
    });
    crate::commands::serve::start(cfg, Some(banner)).await?;
    Ok(ExitCode::SUCCESS)
}
