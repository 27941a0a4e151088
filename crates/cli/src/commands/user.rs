//! `satudata user …`: accounts, roles, passwords and API tokens, from the server's shell.

use crate::config::{Config, ConfigFlags};
use crate::runtime::open_store;
use anyhow::{bail, Context};
use satudata_core::user::{validate_username, NewUser, Role, User};
use satudata_store::{NewApiToken, Store};
use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;

/// Kelola pengguna.
#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Tambah pengguna baru (kata sandi sementara dicetak bila tidak diberikan).
    Add {
        #[command(flatten)]
        config: ConfigFlags,
        /// Nama pengguna (huruf kecil, angka, titik, garis bawah, minus).
        username: String,
        /// Nama lengkap.
        #[arg(long)]
        name: Option<String>,
        /// Alamat surel.
        #[arg(long)]
        email: Option<String>,
        /// Peran: produsen, walidata, pembina atau admin.
        #[arg(long, requires = "org")]
        role: Option<Role>,
        /// Slug organisasi tempat peran itu berlaku (mis. dinkes, diskominfo).
        #[arg(long, requires = "role")]
        org: Option<String>,
        /// Baca kata sandi dari baris pertama input standar.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Daftar pengguna dan perannya.
    List {
        #[command(flatten)]
        config: ConfigFlags,
    },
    /// Beri peran di satu organisasi, atau cabut dengan --remove.
    SetRole {
        #[command(flatten)]
        config: ConfigFlags,
        username: String,
        /// Slug organisasi.
        #[arg(long)]
        org: String,
        /// Peran: produsen, walidata, pembina atau admin.
        #[arg(long, required_unless_present = "remove", conflicts_with = "remove")]
        role: Option<Role>,
        /// Cabut semua peran pengguna di organisasi itu.
        #[arg(long)]
        remove: bool,
    },
    /// Atur ulang kata sandi (kata sandi sementara dicetak bila tidak diberikan).
    ResetPassword {
        #[command(flatten)]
        config: ConfigFlags,
        username: String,
        /// Baca kata sandi dari baris pertama input standar.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Token API untuk program: buat, daftar, cabut.
    #[command(subcommand)]
    Token(TokenCommand),
}

/// Token API.
#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Buat token baru; rahasianya hanya ditampilkan sekali.
    Create {
        #[command(flatten)]
        config: ConfigFlags,
        username: String,
        /// Nama token, mis. "skrip-bappeda".
        #[arg(long)]
        name: String,
        /// Kedaluwarsa setelah sekian hari (tanpa ini: tidak kedaluwarsa).
        #[arg(long, value_name = "HARI")]
        expires_days: Option<u32>,
    },
    /// Daftar token seorang pengguna.
    List {
        #[command(flatten)]
        config: ConfigFlags,
        username: String,
    },
    /// Cabut token.
    Revoke {
        #[command(flatten)]
        config: ConfigFlags,
        username: String,
        /// Id token (lihat `satudata user token list`).
        token_id: uuid::Uuid,
    },
}

async fn store_for(flags: &ConfigFlags) -> anyhow::Result<std::sync::Arc<dyn Store>> {
    let cfg = Config::load(flags, Path::new("satudata-data"), |k| std::env::var(k).ok())?;
    open_store(&cfg.database_url()).await
}

async fn find_user(store: &dyn Store, username: &str) -> anyhow::Result<User> {
    store
        .get_user_by_username(username)
        .await?
        .with_context(|| format!("pengguna '{username}' tidak ada (lihat `satudata user list`)"))
}

async fn find_org_id(store: &dyn Store, slug: &str) -> anyhow::Result<uuid::Uuid> {
    Ok(store
        .get_organization(slug)
        .await?
        .with_context(|| format!("organisasi '{slug}' tidak ada"))?
        .id)
}

/// The password from stdin, or a fresh temporary one (printed once).
fn choose_password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let pw = line.trim_end_matches(['\r', '\n']).to_string();
        satudata_auth::check_password_policy(&pw).map_err(anyhow::Error::msg)?;
        Ok((pw, false))
    } else {
        Ok((satudata_auth::new_secret()[..20].to_string(), true))
    }
}

pub async fn run(cmd: UserCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        UserCommand::Add {
            config,
            username,
            name,
            email,
            role,
            org,
            password_stdin,
        } => {
            validate_username(&username).map_err(anyhow::Error::msg)?;
            let store = store_for(&config).await?;
            let org_id = match &org {
                Some(slug) => Some(find_org_id(store.as_ref(), slug).await?),
                None => None,
            };
            let (password, generated) = choose_password(password_stdin)?;
            let user = store
                .create_user(
                    NewUser {
                        display_name: name.unwrap_or_else(|| username.clone()),
                        username: username.clone(),
                        email,
                        password_hash: satudata_auth::hash_password(&password),
                    },
                    None,
                )
                .await
                .map_err(|e| match e {
                    satudata_store::StoreError::Conflict(_) => {
                        anyhow::anyhow!("nama pengguna '{username}' sudah dipakai")
                    }
                    e => e.into(),
                })?;
            if let (Some(role), Some(org_id)) = (role, org_id) {
                store
                    .set_membership(user.id, org_id, Some(role), None)
                    .await?;
            }
            println!("Pengguna '{username}' dibuat (id {}).", user.id);
            if generated {
                println!("Kata sandi sementara: {password}");
                println!("Minta pengguna menggantinya setelah masuk.");
            }
        }
        UserCommand::List { config } => {
            let store = store_for(&config).await?;
            let mut offset = 0;
            println!("{:<20} {:<30} {:<9} PERAN", "PENGGUNA", "NAMA", "STATUS");
            loop {
                let page = store.list_users(200, offset).await?;
                for u in &page.items {
                    let mut roles = vec![];
                    for m in &u.memberships {
                        let org = store
                            .get_organization(&m.organization_id.to_string())
                            .await?
                            .map(|o| o.meta.slug)
                            .unwrap_or_else(|| m.organization_id.to_string());
                        roles.push(format!("{}@{org}", m.role));
                    }
                    let status = if u.disabled { "nonaktif" } else { "aktif" };
                    println!(
                        "{:<20} {:<30} {:<9} {}",
                        u.username,
                        u.display_name,
                        status,
                        roles.join(", ")
                    );
                }
                offset += page.items.len() as u64;
                if page.items.is_empty() || offset >= page.total {
                    break;
                }
            }
        }
        UserCommand::SetRole {
            config,
            username,
            org,
            role,
            remove,
        } => {
            let store = store_for(&config).await?;
            let user = find_user(store.as_ref(), &username).await?;
            let org_id = find_org_id(store.as_ref(), &org).await?;
            let role = if remove { None } else { role };
            store.set_membership(user.id, org_id, role, None).await?;
            match role {
                Some(r) => println!("'{username}' sekarang {} di {org}.", r.label_id()),
                None => println!("Semua peran '{username}' di {org} dicabut."),
            }
        }
        UserCommand::ResetPassword {
            config,
            username,
            password_stdin,
        } => {
            let store = store_for(&config).await?;
            let user = find_user(store.as_ref(), &username).await?;
            let (password, generated) = choose_password(password_stdin)?;
            store
                .set_password_hash(user.id, satudata_auth::hash_password(&password), None)
                .await?;
            println!("Kata sandi '{username}' diganti.");
            if generated {
                println!("Kata sandi sementara: {password}");
            }
        }
        UserCommand::Token(TokenCommand::Create {
            config,
            username,
            name,
            expires_days,
        }) => {
            if name.trim().is_empty() {
                bail!("nama token tidak boleh kosong");
            }
            let store = store_for(&config).await?;
            let user = find_user(store.as_ref(), &username).await?;
            let secret = satudata_auth::new_token_secret();
            let token = store
                .create_token(NewApiToken {
                    user_id: user.id,
                    name,
                    secret_hash: satudata_auth::secret_hash(&secret),
                    expires_at: expires_days
                        .map(|d| chrono::Utc::now() + chrono::Duration::days(i64::from(d))),
                })
                .await?;
            println!(
                "Token '{}' (id {}) dibuat untuk {username}.",
                token.name, token.id
            );
            if let Some(e) = token.expires_at {
                println!("Kedaluwarsa: {}", e.format("%Y-%m-%d %H:%M UTC"));
            }
            println!("Simpan rahasia ini sekarang; ia tidak akan ditampilkan lagi:");
            println!("{secret}");
        }
        UserCommand::Token(TokenCommand::List { config, username }) => {
            let store = store_for(&config).await?;
            let user = find_user(store.as_ref(), &username).await?;
            println!(
                "{:<36}  {:<24} {:<10} {:<17} TERAKHIR DIPAKAI",
                "ID", "NAMA", "STATUS", "KEDALUWARSA"
            );
            let now = chrono::Utc::now();
            for t in store.list_tokens(user.id).await? {
                let status = if t.revoked_at.is_some() {
                    "dicabut"
                } else if t.is_active(now) {
                    "aktif"
                } else {
                    "kedaluwarsa"
                };
                let fmt = |d: Option<chrono::DateTime<chrono::Utc>>| {
                    d.map(|d| d.format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_else(|| "-".into())
                };
                println!(
                    "{}  {:<24} {:<10} {:<17} {}",
                    t.id,
                    t.name,
                    status,
                    fmt(t.expires_at),
                    fmt(t.last_used_at)
                );
            }
        }
        UserCommand::Token(TokenCommand::Revoke {
            config,
            username,
            token_id,
        }) => {
            let store = store_for(&config).await?;
            let user = find_user(store.as_ref(), &username).await?;
            store
                .revoke_token(user.id, token_id)
                .await
                .map_err(|e| match e {
                    satudata_store::StoreError::NotFound(_) => {
                        anyhow::anyhow!("token {token_id} bukan milik '{username}'")
                    }
                    e => e.into(),
                })?;
            println!("Token {token_id} dicabut.");
        }
    }
    Ok(ExitCode::SUCCESS)
}
