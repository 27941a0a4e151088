//! `satudata`: the one program. Each subcommand lives in its own module under `commands/`; this file
//! only parses the command line, sets up logging and dispatches.

mod commands;
mod config;
mod runtime;
mod smtp;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// satudata — Satu Data Indonesia untuk kabupaten/kota dan desa, dalam satu program.
#[derive(Debug, Parser)]
#[command(
    name = "satudata",
    version,
    about = "satudata — Satu Data Indonesia untuk kabupaten/kota dan desa, dalam satu program.",
    propagate_version = true
)]
struct Cli {
    /// Format log: text atau json (log format).
    #[arg(
        long,
        global = true,
        value_name = "FORMAT",
        env = "SATUDATA_LOG_FORMAT",
        default_value = "text"
    )]
    log_format: runtime::LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Jalankan server (konfigurasi dari --config, SATUDATA_* dan bendera).
    Serve(commands::serve::Args),
    /// Jalankan contoh Kabupaten Musi Banyuasin dengan data demo di http://127.0.0.1:8080.
    Demo(commands::demo::Args),
    /// Periksa berkas terhadap skema, tanpa server (0 sah, 1 tidak sah, 2 berkas tak bisa dipakai).
    Validate(commands::validate::Args),
    /// Simpulkan skema (Table Schema) dari isi berkas.
    Infer(commands::infer::Args),
    /// Impor berkas sebagai versi baru (draf) sebuah tabel: semua atau tidak sama sekali.
    Import(commands::import::Args),
    /// Kelola pengguna: tambah, daftar, peran, kata sandi, token API.
    #[command(subcommand)]
    User(commands::user::UserCommand),
    /// Daftar kode referensi (jenis kelamin, agama, …): list, show, import.
    #[command(subcommand)]
    Codelist(commands::codelist::CodeListCommand),
    /// Log audit: periksa rantai hash (`satudata audit verify`).
    #[command(subcommand)]
    Audit(commands::audit::AuditCommand),
    /// Batas wilayah untuk peta: `satudata boundaries load BERKAS.geojson`.
    #[command(subcommand)]
    Boundaries(commands::boundaries::BoundariesCommand),
}

fn main() -> ExitCode {
    restore_default_sigpipe();
    let cli = Cli::parse();
    runtime::init_logging(cli.log_format);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("galat: tidak bisa memulai runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = rt.block_on(async {
        match cli.command {
            Command::Serve(args) => commands::serve::run(args).await,
            Command::Demo(args) => commands::demo::run(args).await,
            Command::User(cmd) => commands::user::run(cmd).await,
            Command::Validate(args) => commands::validate::run(args).await,
            Command::Infer(args) => commands::infer::run(args).await,
            Command::Import(args) => commands::import::run(args).await,
            Command::Audit(cmd) => commands::audit::run(cmd).await,
            Command::Boundaries(cmd) => commands::boundaries::run(cmd).await,
            Command::Codelist(cmd) => commands::codelist::run(cmd).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("galat: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`satudata validate … | head`) would panic.
/// Command-line tools should simply stop, as `cat` does.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
