//! `satudata infer FILE`: print the Table Schema inferred from a file.

use super::tabular::{print_json, FileArgs, OutputFormat, Unusable, EXIT_UNUSABLE};
use satudata_formats::infer::{self, InferOptions};
use std::process::ExitCode;

/// Simpulkan skema (Table Schema JSON) dari isi berkas.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub file: FileArgs,
    /// `json`: the schema only (default); `text`: also what was recognised and why.
    #[arg(long, value_enum, default_value = "json")]
    pub format: OutputFormat,
    /// Write everything inference found (header, findings, region-name matches, wide years) instead of the schema only.
    #[arg(long)]
    pub full: bool,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    tokio::task::spawn_blocking(move || Ok(infer_file(&args)))
        .await
        .map_err(|e| anyhow::anyhow!("inference task failed: {e}"))?
}

fn infer_file(args: &Args) -> ExitCode {
    let result = (|| -> Result<(), Unusable> {
        let inferred = infer::infer(
            args.file.open()?,
            &InferOptions {
                home_region: args.file.home_region()?,
                ..InferOptions::default()
            },
        )
        .map_err(|e| Unusable(format!("{}: {e}", args.file.file.display())))?;
        let out = if args.full {
            print_json(&inferred)
        } else {
            print_json(&inferred.schema)
        };
        out.map_err(|e| Unusable(e.to_string()))?;
        if args.format == OutputFormat::Text {
            for f in &inferred.findings {
                eprintln!("- {f}");
            }
            if let Some(w) = &inferred.wide_years {
                eprintln!(
                    "- Tahun ditulis sebagai kolom ({} kolom tahun): pertimbangkan bentuk panjang (indikator × wilayah × tahun).",
                    w.year_columns.len()
                );
            }
            for rn in &inferred.region_names {
                eprintln!(
                    "- Kolom '{}' berisi nama {} ({} cocok dari {} nama): periksa kodenya sebelum dipakai.",
                    rn.field,
                    rn.level.label_id(),
                    rn.matches.len(),
                    rn.names
                );
            }
        }
        Ok(())
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Unusable(msg)) => {
            eprintln!("galat: {msg}");
            ExitCode::from(EXIT_UNUSABLE)
        }
    }
}
