//! `satudata audit verify`: check the audit log's hash chain, straight from the database.
//!
//! Exit 0 when every entry verifies; 1 with the first broken entry (changed, removed, inserted or
//! reordered); other failures (no database) are errors with exit 1 too, but say so.

use std::path::Path;
use std::process::ExitCode;

use crate::config::{Config, ConfigFlags};
use crate::runtime::open_store;

/// The audit log.
#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// Periksa rantai hash log audit (exit 0: utuh; 1: rusak, dengan entri pertama yang rusak).
    Verify {
        #[command(flatten)]
        config: ConfigFlags,
        /// Cetak hasil sebagai JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Run an audit command.
pub async fn run(cmd: AuditCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        AuditCommand::Verify { config, json } => {
            let cfg = Config::load(&config, Path::new("satudata-data"), |k| {
                std::env::var(k).ok()
            })?;
            let store = open_store(&cfg.database_url()).await?;
            let v = store.verify_audit().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else if let Some(b) = &v.broken {
                println!(
                    "RUSAK: rantai log audit putus pada entri {}: {}\n{} entri sebelumnya utuh (terakhir: {} {}).",
                    b.seq, b.reason, v.verified, v.head_seq, v.head_hash
                );
            } else {
                println!(
                    "UTUH: {} entri log audit terverifikasi. Kepala rantai: entri {} hash {}",
                    v.verified, v.head_seq, v.head_hash
                );
                println!("Catat kepala rantai ini di tempat lain agar penghapusan entri terakhir pun dapat dikenali.");
            }
            Ok(if v.broken.is_some() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
