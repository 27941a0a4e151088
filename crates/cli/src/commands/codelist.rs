//! `satudata codelist list|show|import`: the catalogue's code lists (kode referensi), straight from
//! the database; and reading a code list file (JSON) for `validate --codelist`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use satudata_core::codelist::{CodeListMeta, CodeListRef};

use crate::config::{Config, ConfigFlags};
use crate::runtime::open_store;

/// Code lists in the catalogue.
#[derive(Debug, clap::Subcommand)]
pub enum CodeListCommand {
    /// Daftar kode referensi di katalog (versi terbaru masing-masing).
    List {
        #[command(flatten)]
        config: ConfigFlags,
        /// Cetak sebagai JSON.
        #[arg(long)]
        json: bool,
    },
    /// Tampilkan satu daftar kode: SLUG (terbaru) atau SLUG@VERSI.
    Show {
        #[command(flatten)]
        config: ConfigFlags,
        /// `jenis-kelamin` or `agama@2`.
        #[arg(value_name = "SLUG[@VERSI]")]
        name: String,
        /// Cetak sebagai JSON.
        #[arg(long)]
        json: bool,
    },
    /// Simpan daftar kode dari berkas JSON sebagai versi baru (atau versi 1 bila belum ada).
    Import {
        #[command(flatten)]
        config: ConfigFlags,
        /// JSON: {"slug", "title", "description", "source", "codes": [{"code", "label", "label_en"}]}.
        #[arg(value_name = "BERKAS")]
        file: PathBuf,
        /// Record the version as made by this user.
        #[arg(long, value_name = "PENGGUNA")]
        user: Option<String>,
    },
}

/// Read a code list file (JSON, as `GET /api/v1/codelists/{slug}` returns it), checked.
pub fn load_file(path: &Path) -> Result<CodeListMeta, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("daftar kode {}: {e}", path.display()))?;
    let meta: CodeListMeta = serde_json::from_str(&text).map_err(|e| {
        format!(
            "daftar kode {}: bukan JSON daftar kode yang sah ({e}); contoh: {{\"slug\": \"jenis-kelamin\", \"title\": \"Jenis Kelamin\", \"codes\": [{{\"code\": \"1\", \"label\": \"Laki-laki\"}}]}}",
            path.display()
        )
    })?;
    meta.check().map_err(|p| {
        let msgs: Vec<String> = p.into_iter().map(|(f, m)| format!("{f}: {m}")).collect();
        format!("daftar kode {}: {}", path.display(), msgs.join(" "))
    })?;
    Ok(meta)
}

/// Run a code list command.
pub async fn run(cmd: CodeListCommand) -> anyhow::Result<ExitCode> {
    let config = match &cmd {
        CodeListCommand::List { config, .. }
        | CodeListCommand::Show { config, .. }
        | CodeListCommand::Import { config, .. } => config,
    };
    let cfg = Config::load(config, Path::new("satudata-data"), |k| {
        std::env::var(k).ok()
    })?;
    let store = open_store(&cfg.database_url()).await?;
    match cmd {
        CodeListCommand::List { json, .. } => {
            let lists = store.list_codelists().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&lists)?);
            } else if lists.is_empty() {
                println!("Belum ada daftar kode di katalog. Tambahkan dengan `satudata codelist import BERKAS`.");
            } else {
                println!("{:<28} {:>5} {:>6}  JUDUL", "SLUG", "VERSI", "KODE");
                for l in lists {
                    println!(
                        "{:<28} {:>5} {:>6}  {}",
                        l.meta.slug,
                        l.version,
                        l.meta.codes.len(),
                        l.meta.title
                    );
                }
            }
        }
        CodeListCommand::Show { name, json, .. } => {
            let r = CodeListRef::parse(&name).with_context(|| {
                format!(
                    "'{name}' bukan nama daftar kode; tulis SLUG atau SLUG@VERSI, misalnya agama@2"
                )
            })?;
            let list = store
                .get_codelist(&r.slug, r.version)
                .await?
                .with_context(|| format!("daftar kode '{r}' tidak ada di katalog"))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                println!(
                    "{} — {} (versi {}, {} kode)",
                    list.meta.slug,
                    list.meta.title,
                    list.version,
                    list.meta.codes.len()
                );
                if !list.meta.source.is_empty() {
                    println!("Sumber: {}", list.meta.source);
                }
                for c in &list.meta.codes {
                    println!("  {:<10} {}", c.code, c.label);
                }
            }
        }
        CodeListCommand::Import { file, user, .. } => {
            let meta = load_file(&file).map_err(anyhow::Error::msg)?;
            let actor = match &user {
                Some(u) => Some(
                    store
                        .get_user_by_username(u)
                        .await?
                        .with_context(|| format!("pengguna '{u}' tidak ada"))?
                        .id,
                ),
                None => None,
            };
            let before = store.codelist_versions(&meta.slug).await?;
            let saved = store.create_codelist(meta, actor).await?;
            if before.first() == Some(&saved.version) {
                println!(
                    "Tidak berubah: {} versi {} sudah berisi daftar ini.",
                    saved.meta.slug, saved.version
                );
            } else {
                println!(
                    "Tersimpan: {} versi {} ({} kode).",
                    saved.meta.slug,
                    saved.version,
                    saved.meta.codes.len()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
