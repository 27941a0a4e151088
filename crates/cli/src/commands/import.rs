//! `satudata import --dataset SLUG FILE`: validate a file against a table's schema and, if it is
//! valid, make it the table's next version (a draf, for the walidata's review) — all of it or nothing,
//! also when the process is killed midway (one database transaction).

use super::tabular::{
    print_json, print_report_text, row_progress, FileArgs, OutputFormat, Unusable, EXIT_UNUSABLE,
};
use crate::config::{Config, ConfigFlags};
use crate::runtime::open_store;
use anyhow::Context;
use satudata_core::dataset::ResourceKind;
use satudata_formats::validate::ValidateOptions;
use satudata_jobs::{import_table, ImportError, ImportTarget};
use satudata_store::{NewVersion, StoreError};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// Impor berkas sebagai versi baru (draf) sebuah tabel — semua atau tidak sama sekali.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub config: ConfigFlags,
    /// Slug of the dataset.
    #[arg(long, value_name = "SLUG")]
    pub dataset: String,
    /// Name of the table resource (default: the dataset's first table).
    #[arg(long, value_name = "NAMA")]
    pub resource: Option<String>,
    #[command(flatten)]
    pub file: FileArgs,
    /// Summary of the change, shown in the version history.
    #[arg(long, value_name = "TEKS", default_value = "")]
    pub summary: String,
    /// Record the version as made by this user (for the audit trail).
    #[arg(long, value_name = "PENGGUNA")]
    pub user: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let cfg = Config::load(&args.config, Path::new("satudata-data"), |k| {
        std::env::var(k).ok()
    })?;
    let home = match args
        .file
        .home_region
        .as_deref()
        .or(cfg.home_region.as_deref())
    {
        Some(code) => Some(
            satudata_core::region::RegionCode::parse(code)
                .map_err(|e| anyhow::anyhow!("wilayah induk: {e}"))?,
        ),
        None => None,
    };
    let store = open_store(&cfg.database_url()).await?;
    let dataset = store
        .get_dataset(&args.dataset)
        .await?
        .with_context(|| format!("dataset '{}' tidak ada", args.dataset))?;
    let resources = store.list_resources(dataset.id).await?;
    let resource = match &args.resource {
        Some(name) => resources
            .iter()
            .find(|r| &r.name == name)
            .with_context(|| {
                format!(
                    "dataset '{}' tidak punya sumber data '{name}'",
                    args.dataset
                )
            })?,
        None => resources
            .iter()
            .find(|r| matches!(r.kind, ResourceKind::Table { .. }))
            .with_context(|| {
                format!(
                    "dataset '{}' belum punya tabel; buat tabel dengan skemanya dulu",
                    args.dataset
                )
            })?,
    };
    let ResourceKind::Table { schema } = &resource.kind else {
        anyhow::bail!(
            "sumber data '{}' adalah berkas lampiran, bukan tabel",
            resource.name
        );
    };
    let actor = match &args.user {
        Some(u) => Some(
            store
                .get_user_by_username(u)
                .await?
                .with_context(|| format!("pengguna '{u}' tidak ada"))?
                .id,
        ),
        None => None,
    };

    // The shared import (satudata-jobs, also used by the server's job runner): the validator runs
    // on a blocking thread and streams typed rows into one store transaction; any problem aborts it,
    // so the store writes nothing.
    let opts = ValidateOptions {
        home_region: home,
        ..ValidateOptions::default()
    };
    let progress = row_progress("Mengimpor");
    let bar = progress.clone();
    let file = args.file.clone();
    let outcome = import_table(
        store.as_ref(),
        resource.id,
        schema.clone(),
        move || file.open().map_err(|Unusable(m)| m),
        opts,
        NewVersion {
            actor,
            summary: args.summary.clone(),
        },
        ImportTarget::Draft,
        move |n| bar.set_position(n),
        Arc::new(AtomicBool::new(false)),
    )
    .await;
    progress.finish_and_clear();
    let (report, written) = match outcome {
        Ok(o) => (o.report, o.version),
        Err(ImportError::Unusable(msg)) => {
            eprintln!("galat: {msg}");
            return Ok(ExitCode::from(EXIT_UNUSABLE));
        }
        Err(ImportError::Internal(msg)) => anyhow::bail!(msg),
    };
    match args.format {
        OutputFormat::Json => print_json(&serde_json::json!({
            "report": report,
            "version": written.as_ref().ok(),
        }))?,
        OutputFormat::Text => print_report_text(&args.file.file, &report),
    }
    match written {
        Ok(v) => {
            if args.format == OutputFormat::Text {
                println!(
                    "Versi {} dibuat sebagai draf: {} baris (+{} −{}). Ajukan untuk pemeriksaan walidata di portal.",
                    v.number, v.row_count, v.rows_added, v.rows_removed
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::Source(_)) if !report.valid => {
            if args.format == OutputFormat::Text {
                println!("Tidak ada yang disimpan: perbaiki berkas lalu impor lagi.");
            }
            Ok(ExitCode::from(report.exit_code().max(1) as u8))
        }
        Err(e) => {
            Err(anyhow::Error::new(e).context("versi baru tidak tersimpan; tidak ada yang berubah"))
        }
    }
}
