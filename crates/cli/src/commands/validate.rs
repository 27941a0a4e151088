//! `satudata validate [--schema S] FILE`: check a file offline. Exit 0 valid, 1 invalid, 2 unusable.

use super::tabular::{
    load_schema, print_json, print_report_text, row_progress, FileArgs, OutputFormat, Unusable,
    EXIT_UNUSABLE,
};
use satudata_formats::infer::{self, InferOptions};
use satudata_formats::validate::{ValidateOptions, Validator};
use std::path::PathBuf;
use std::process::ExitCode;

/// Periksa berkas terhadap skema (tanpa server). Kode keluar: 0 sah, 1 tidak sah, 2 berkas tak bisa dipakai.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Table Schema (JSON) to check against; without it the schema is inferred from the file first.
    #[arg(long, value_name = "SKEMA")]
    pub schema: Option<PathBuf>,
    #[command(flatten)]
    pub file: FileArgs,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
    /// A code list (JSON, as `satudata codelist show --json` prints it) for the schema's foreign keys
    /// and `codelist` fields; repeatable. Lists not given come from the standard lists satudata ships
    /// (jenis-kelamin, agama, status-perkawinan, jenjang-pendidikan).
    #[arg(long = "codelist", value_name = "BERKAS")]
    pub codelists: Vec<PathBuf>,
    /// Problems kept in the report's list (counts always include all).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub max_errors: usize,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    // Reading and checking are CPU work on a stream: keep them off the async workers.
    tokio::task::spawn_blocking(move || Ok(validate(&args)))
        .await
        .map_err(|e| anyhow::anyhow!("validation task failed: {e}"))?
}

fn validate(args: &Args) -> ExitCode {
    match run_validation(args) {
        Ok(code) => code,
        Err(Unusable(msg)) => {
            if args.format == OutputFormat::Json {
                let _ = print_json(&serde_json::json!({
                    "valid": false,
                    "unusable": true,
                    "message": msg,
                }));
            }
            eprintln!("galat: {msg}");
            ExitCode::from(EXIT_UNUSABLE)
        }
    }
}

/// The code lists `schema` refers to: from `files` (by slug; a file stands for whatever version the
/// schema pins), else the standard lists satudata ships (version 1).
fn add_code_lists(
    schema: &satudata_core::schema::TableSchema,
    files: &[PathBuf],
    opts: &mut ValidateOptions,
) -> Result<(), Unusable> {
    let mut given = vec![];
    for f in files {
        given.push(super::codelist::load_file(f).map_err(Unusable)?);
    }
    let standard = satudata_core::codelist::standard();
    for (written, r) in satudata_formats::validate::code_list_refs(schema) {
        let found = given.iter().find(|l| l.slug == r.slug).or_else(|| {
            standard
                .iter()
                .find(|l| l.slug == r.slug && r.version.unwrap_or(1) == 1)
        });
        if let Some(list) = found {
            opts.code_lists.insert(written, list.allowed());
        }
    }
    Ok(())
}

fn run_validation(args: &Args) -> Result<ExitCode, Unusable> {
    let home = args.file.home_region()?;
    let schema = match &args.schema {
        Some(path) => load_schema(path)?,
        None => {
            let inferred = infer::infer(
                args.file.open()?,
                &InferOptions {
                    home_region: home,
                    ..InferOptions::default()
                },
            )
            .map_err(|e| Unusable(format!("{}: {e}", args.file.file.display())))?;
            if args.format == OutputFormat::Text {
                println!("Skema disimpulkan dari isi berkas (pakai `satudata infer` untuk melihat dan menyuntingnya):");
                for f in &inferred.schema.fields {
                    println!("  {:<30} {}", f.name, f.field_type.as_str());
                }
            }
            inferred.schema
        }
    };
    let mut opts = ValidateOptions {
        home_region: home,
        max_errors: args.max_errors,
        // Only the report is wanted: text cells need not be copied into values.
        typed_values: false,
        ..ValidateOptions::default()
    };
    add_code_lists(&schema, &args.codelists, &mut opts)?;
    let mut validator = Validator::new(args.file.open()?, &schema, &opts)
        .map_err(|e| Unusable(format!("{}: {e}", args.file.file.display())))?;
    let progress = row_progress("Memeriksa");
    let mut n: u64 = 0;
    while validator.next_row() {
        n += 1;
        if n.is_multiple_of(65_536) {
            progress.set_position(n);
        }
    }
    progress.finish_and_clear();
    let report = validator.finish();
    match args.format {
        OutputFormat::Json => {
            print_json(&report).map_err(|e| Unusable(e.to_string()))?;
        }
        OutputFormat::Text => print_report_text(&args.file.file, &report),
    }
    Ok(ExitCode::from(report.exit_code() as u8))
}
