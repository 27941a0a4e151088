//! `satudata boundaries load FILE`: load region boundaries (GeoJSON polygons of kecamatan or desa)
//! for maps. Codes come from a property of each feature (recognised, or `--code-property`); features
//! without a code are matched by name within the home region. Features that cannot be placed are
//! listed, and then nothing is written unless `--skip-unmatched`; what is written is written in one
//! transaction.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use satudata_charts::geo::{read_boundaries_with, GeoOptions};
use satudata_core::region::{Level, RegionCode};
use satudata_store::boundaries::NewBoundary;

use crate::config::{Config, ConfigFlags};
use crate::runtime::open_store;

/// Exit code of unusable input (as `satudata validate`).
const EXIT_UNUSABLE: u8 = 2;

/// Batas wilayah (poligon GeoJSON) untuk peta.
#[derive(Debug, clap::Subcommand)]
pub enum BoundariesCommand {
    /// Muat batas wilayah dari berkas GeoJSON (FeatureCollection berisi Polygon/MultiPolygon).
    Load(LoadArgs),
}

/// The level of the features.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LevelArg {
    Kabupaten,
    Kecamatan,
    Desa,
}

impl From<LevelArg> for Level {
    fn from(l: LevelArg) -> Level {
        match l {
            LevelArg::Kabupaten => Level::Kabupaten,
            LevelArg::Kecamatan => Level::Kecamatan,
            LevelArg::Desa => Level::Desa,
        }
    }
}

/// Muat batas wilayah dari GeoJSON.
#[derive(Debug, clap::Args)]
pub struct LoadArgs {
    #[command(flatten)]
    pub config: ConfigFlags,
    /// Berkas GeoJSON.
    #[arg(value_name = "BERKAS")]
    pub file: PathBuf,
    /// Hanya fitur tingkat ini (dan tingkat untuk mencocokkan nama bila kode tidak ada).
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,
    /// Properti yang berisi kode wilayah Kemendagri (bawaan: dikenali, mis. `code`, `kode`, `KDEPUM`).
    #[arg(long, value_name = "NAMA")]
    pub code_property: Option<String>,
    /// Wilayah induk untuk mencocokkan nama dan menolak kode di luarnya (bawaan: home_region konfigurasi).
    #[arg(long, value_name = "KODE")]
    pub home_region: Option<String>,
    /// Simpan fitur yang cocok walau ada yang tidak cocok (bawaan: tidak menyimpan apa pun).
    #[arg(long)]
    pub skip_unmatched: bool,
}

/// Run a boundaries command.
pub async fn run(cmd: BoundariesCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        BoundariesCommand::Load(args) => load(args).await,
    }
}

async fn load(args: LoadArgs) -> anyhow::Result<ExitCode> {
    let cfg = Config::load(&args.config, Path::new("satudata-data"), |k| {
        std::env::var(k).ok()
    })?;
    let home = match args.home_region.as_deref().or(cfg.home_region.as_deref()) {
        Some(c) => Some(
            RegionCode::parse(c)
                .map_err(|e| anyhow::anyhow!("wilayah induk (home_region): {e}"))?,
        ),
        None => None,
    };
    let text = match std::fs::read_to_string(&args.file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!(
                "galat: berkas {} tidak bisa dibaca: {e}",
                args.file.display()
            );
            return Ok(ExitCode::from(EXIT_UNUSABLE));
        }
    };
    let opts = GeoOptions {
        level: args.level.map(Level::from),
        code_property: args.code_property.clone(),
        home,
    };
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg}: {pos}/{len} fitur ({elapsed})")
            .expect("valid progress template"),
    );
    bar.set_message("membaca dan menyederhanakan batas");
    let read = read_boundaries_with(&text, &opts, &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    let read = match read {
        Ok(r) => r,
        Err(e) => {
            eprintln!("galat: {}: {e}", args.file.display());
            return Ok(ExitCode::from(EXIT_UNUSABLE));
        }
    };
    match &read.code_property {
        Some(p) => println!("Kode wilayah dibaca dari properti '{p}'."),
        None => println!("Tidak ada properti kode wilayah; fitur dicocokkan menurut nama."),
    }
    let by_name = read.boundaries.iter().filter(|b| b.matched_by_name).count();
    if by_name > 0 {
        println!("{by_name} fitur dicocokkan menurut nama.");
    }
    if !read.unmatched.is_empty() {
        println!("{} fitur tidak cocok:", read.unmatched.len());
        for u in &read.unmatched {
            println!(
                "  fitur {}{}: {}",
                u.feature,
                u.name
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default(),
                u.reason
            );
        }
        if !args.skip_unmatched {
            eprintln!(
                "galat: tidak ada yang disimpan karena {} fitur tidak cocok. Perbaiki berkasnya, sebutkan --code-property/--level, atau pakai --skip-unmatched untuk menyimpan yang cocok saja.",
                read.unmatched.len()
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    if read.boundaries.is_empty() {
        eprintln!(
            "galat: {} tidak berisi batas wilayah{} yang bisa dipakai; tidak ada yang disimpan.",
            args.file.display(),
            opts.level
                .map(|l| format!(" tingkat {}", l.label_id()))
                .unwrap_or_default()
        );
        return Ok(ExitCode::FAILURE);
    }
    let items: Vec<NewBoundary> = read
        .boundaries
        .iter()
        .map(|b| NewBoundary {
            code: b.code.clone(),
            level: b.level,
            name: b.name.clone(),
            geometry: b.geometry.clone(),
            simplified: b.simplified.clone(),
        })
        .collect();
    let source = args
        .file
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let store = open_store(&cfg.database_url()).await?;
    let n = store.put_boundaries(&items, &source, None).await?;
    let mut levels = std::collections::BTreeMap::new();
    for b in &items {
        *levels.entry(b.level.label_id()).or_insert(0usize) += 1;
    }
    let parts: Vec<String> = levels.iter().map(|(l, c)| format!("{c} {l}")).collect();
    let (full, simple): (usize, usize) = items.iter().fold((0, 0), |(a, b), i| {
        (a + i.geometry.len(), b + i.simplified.len())
    });
    println!(
        "{n} batas wilayah disimpan ({}); geometri {} KB, salinan sederhana untuk peta {} KB.",
        parts.join(", "),
        full / 1024,
        simple / 1024
    );
    Ok(ExitCode::SUCCESS)
}
