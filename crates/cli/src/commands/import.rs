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
use satudata_core::row::Row;
use satudata_formats::validate::{Report, ValidateOptions, Validator};
use satudata_store::{ChannelRowSource, NewVersion, StoreError};
use std::path::Path;
use std::process::ExitCode;

/// Rows sent to the store at a time; with the channel's capacity this bounds memory.
const BATCH_ROWS: usize = 2_000;

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

    // The reader and validator run on a blocking thread and stream typed rows through a bounded channel
    // into the store's transaction. Any problem aborts the source, so the store writes nothing.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<Row>, String>>(4);
    let file = args.file.clone();
    let schema = schema.clone();
    let opts = ValidateOptions {
        home_region: home,
        ..ValidateOptions::default()
    };
    let progress = row_progress("Mengimpor");
    let bar = progress.clone();
    let reader_task = tokio::task::spawn_blocking(move || -> Result<Report, Unusable> {
        let mut validator = Validator::new(file.open()?, &schema, &opts)
            .map_err(|e| Unusable(format!("{}: {e}", file.file.display())))?;
        let mut batch: Vec<Row> = Vec::with_capacity(BATCH_ROWS);
        let mut sending = true;
        let mut n: u64 = 0;
        while validator.next_row() {
            n += 1;
            if n.is_multiple_of(4_096) {
                bar.set_position(n);
            }
            if !sending {
                continue; // keep validating to give a complete report
            }
            if validator.report().stats.errors > 0 {
                sending = false;
                batch.clear();
                continue;
            }
            if let Some((_, values)) = validator.row() {
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
        let report = validator.finish();
        if report.valid && sending {
            if !batch.is_empty() {
                let _ = tx.blocking_send(Ok(batch));
            }
        } else {
            let _ = tx.blocking_send(Err("berkas tidak sah; tidak ada yang disimpan".into()));
        }
        Ok(report)
    });

    let mut source = ChannelRowSource::new(rx);
    let written = store
        .create_draft_version(
            resource.id,
            NewVersion {
                actor,
                summary: args.summary.clone(),
            },
            &mut source,
        )
        .await;
    drop(source);
    progress.finish_and_clear();
    let report = match reader_task.await.context("reader task failed")? {
        Ok(report) => report,
        Err(Unusable(msg)) => {
            eprintln!("galat: {msg}");
            return Ok(ExitCode::from(EXIT_UNUSABLE));
        }
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
