//! What `validate`, `infer` and `import` share: opening a file, loading a schema, printing a report.

use anyhow::Context;
use satudata_core::region::RegionCode;
use satudata_core::schema::TableSchema;
use satudata_formats::read::{self, ReadOptions, SheetSelector, TableReader};
use satudata_formats::validate::Report;
use std::path::{Path, PathBuf};

/// Exit code for input that cannot be used at all (unreadable file, not a table, bad schema).
pub const EXIT_UNUSABLE: u8 = 2;

/// Options for reading a file, shared by the table commands.
#[derive(Debug, Clone, clap::Args)]
pub struct FileArgs {
    /// The file: CSV, XLSX, XLS, ODS, JSON, NDJSON, or an HTML table saved as .xls.
    #[arg(value_name = "BERKAS")]
    pub file: PathBuf,
    /// Sheet of a workbook, by name or number (1 = first); default: the first sheet with data.
    #[arg(long, value_name = "LEMBAR")]
    pub sheet: Option<String>,
    /// Home region for region-code checks (e.g. 16.06); codes outside it are reported.
    #[arg(long, value_name = "KODE")]
    pub home_region: Option<String>,
}

impl FileArgs {
    /// Read options from the flags.
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            sheet: self.sheet.as_ref().map(|s| match s.parse::<usize>() {
                Ok(n) if n >= 1 => SheetSelector::Index(n - 1),
                _ => SheetSelector::Name(s.clone()),
            }),
            ..ReadOptions::default()
        }
    }

    /// Open the file as a table.
    pub fn open(&self) -> Result<Box<dyn TableReader>, Unusable> {
        read::open_path(&self.file, &self.read_options())
            .map_err(|e| Unusable(format!("{}: {e}", self.file.display())))
    }

    /// The home region, checked.
    pub fn home_region(&self) -> Result<Option<RegionCode>, Unusable> {
        self.home_region
            .as_deref()
            .map(|s| RegionCode::parse(s).map_err(|e| Unusable(format!("--home-region: {e}"))))
            .transpose()
    }
}

/// Input that cannot be used (exit code 2), with the reason for the user.
#[derive(Debug)]
pub struct Unusable(pub String);

impl std::fmt::Display for Unusable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unusable {}

/// Load a Table Schema from a JSON file: a schema (`{"fields": …}`), or a Frictionless resource
/// descriptor whose `schema` is inline or a path relative to the descriptor.
pub fn load_schema(path: &Path) -> Result<TableSchema, Unusable> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Unusable(format!("tidak bisa membaca skema {}: {e}", path.display())))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Unusable(format!(
            "skema {} bukan JSON yang sah (baris {}, kolom {}): {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    let schema_value = match value.get("schema") {
        Some(serde_json::Value::String(rel)) => {
            let p = path.parent().unwrap_or(Path::new(".")).join(rel);
            return load_schema(&p);
        }
        Some(inline) if value.get("fields").is_none() => inline.clone(),
        _ => value,
    };
    let schema: TableSchema = serde_json::from_value(schema_value)
        .map_err(|e| Unusable(format!("skema {} tidak sah: {e}", path.display())))?;
    schema.check().map_err(|p| {
        Unusable(format!(
            "skema {} tidak sah: {}",
            path.display(),
            p.join(" ")
        ))
    })?;
    Ok(schema)
}

/// Output format of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// For people (Bahasa Indonesia).
    Text,
    /// For programs: the full report as JSON.
    Json,
}

/// How many problems the text report lists before summarising.
const TEXT_LIMIT: usize = 50;

/// Print a validation report for people.
pub fn print_report_text(file: &Path, report: &Report) {
    let src = &report.source;
    let mut how = vec![];
    if let Some(f) = src.format {
        how.push(f.as_str().to_uppercase());
    }
    if let Some(e) = &src.encoding {
        how.push(e.clone());
    }
    if let Some(d) = &src.delimiter {
        how.push(format!("pemisah '{d}'"));
    }
    if let Some(s) = &src.sheet {
        how.push(format!("lembar '{s}'"));
    }
    println!("Berkas: {} ({})", file.display(), how.join(", "));
    for n in &src.notes {
        println!("  catatan: {n}");
    }
    for n in &report.notes {
        println!(
            "  baris {} diabaikan (catatan di bawah tabel): {}",
            n.row_number, n.text
        );
    }
    println!(
        "{} baris data, {} baris sah, {} kesalahan, {} peringatan.",
        report.stats.rows, report.stats.valid_rows, report.stats.errors, report.stats.warnings
    );
    for (i, e) in report.errors.iter().enumerate() {
        if i == TEXT_LIMIT {
            break;
        }
        let mut at = vec![];
        if let Some(r) = e.row_number {
            at.push(format!("baris {r}"));
        }
        if let (Some(n), Some(name)) = (e.field_number, &e.field_name) {
            at.push(format!("kolom {n} '{name}'"));
        }
        let cell = e
            .cell
            .as_deref()
            .map(|c| format!(" nilai '{c}'"))
            .unwrap_or_default();
        println!(
            "- [{}] {}{cell}: {}",
            e.kind.as_str(),
            at.join(", "),
            e.message
        );
        if !e.hint.is_empty() {
            println!("    Perbaiki: {}", e.hint);
        }
    }
    let shown = report.errors.len().min(TEXT_LIMIT) as u64;
    let total: u64 = report.error_counts.values().sum();
    if total > shown {
        println!(
            "… dan {} masalah lain (pakai --format json untuk daftar lengkap). Per jenis:",
            total - shown
        );
        for (kind, n) in &report.error_counts {
            println!("    {kind}: {n}");
        }
    }
    if report.valid {
        println!("Hasil: SAH — berkas sesuai skema.");
    } else {
        println!("Hasil: TIDAK SAH — perbaiki masalah di atas lalu coba lagi.");
    }
}

/// A spinner with the row count on stderr (hidden when stderr is not a terminal).
pub fn row_progress(what: &str) -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {msg}: {human_pos} baris ({per_sec}, {elapsed})",
        )
        .expect("valid progress template"),
    );
    bar.set_message(what.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// Serialise as pretty JSON to stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value).context("serialising JSON")?;
    println!("{text}");
    Ok(())
}
