//! Configuration: defaults, then the file (`--config satudata.toml`), then `SATUDATA_*` environment
//! variables, then command-line flags — each later source overrides the earlier.

use anyhow::{bail, Context};
use satudata_core::region::{Level, RegionCode, Regions};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The settings of an instance.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address the server listens on.
    pub listen: String,
    /// Where the embedded database and the files live.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; defaults to `sqlite://<data_dir>/satudata.db`.
    pub database_url: Option<String>,
    /// Where attachments are kept: `file:///…` or `s3://bucket/prefix?…`; defaults to `<data_dir>/files`.
    pub files_url: Option<String>,
    /// The instance's home region, e.g. `16.06`.
    pub home_region: Option<String>,
    /// The name shown on pages, e.g. "Satu Data Kabupaten Musi Banyuasin".
    pub instance_name: Option<String>,
    /// The public URL of the instance (links in APIs); defaults to `http://<listen>`.
    pub base_url: Option<String>,
    /// Mark cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Data API requests per second per client address without a token (0: no limit).
    pub rate_limit_per_ip: Option<f64>,
    /// Data API requests per second per user with a token or session (0: no limit).
    pub rate_limit_per_token: Option<f64>,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
}

/// The file form: every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    files_url: Option<String>,
    home_region: Option<String>,
    instance_name: Option<String>,
    base_url: Option<String>,
    secure_cookies: Option<bool>,
    rate_limit_per_ip: Option<f64>,
    rate_limit_per_token: Option<f64>,
    trust_forwarded_for: Option<bool>,
}

/// Flags given on the command line (override everything).
#[derive(Debug, Default, Clone, clap::Args)]
pub struct ConfigFlags {
    /// Configuration file (TOML), e.g. satudata.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Folder for the embedded database and files [env: SATUDATA_DATA_DIR].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database: sqlite://PATH or postgres://USER@HOST/DB [env: SATUDATA_DATABASE_URL].
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
}

impl Config {
    /// Defaults for a data directory.
    pub fn defaults(data_dir: PathBuf) -> Config {
        Config {
            listen: "127.0.0.1:8080".into(),
            data_dir,
            database_url: None,
            files_url: None,
            home_region: None,
            instance_name: None,
            base_url: None,
            secure_cookies: false,
            rate_limit_per_ip: None,
            rate_limit_per_token: None,
            trust_forwarded_for: false,
        }
    }

    /// Load: defaults ← file ← environment (`env` gives the variables, normally `std::env::var`) ← flags.
    pub fn load(
        flags: &ConfigFlags,
        default_data_dir: &Path,
        env: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Config> {
        let mut cfg = Config::defaults(default_data_dir.to_path_buf());
        let file_path = flags
            .config
            .clone()
            .or_else(|| env("SATUDATA_CONFIG").map(PathBuf::from));
        if let Some(path) = file_path {
            let text = std::fs::read_to_string(&path).with_context(|| {
                format!("tidak bisa membaca berkas konfigurasi {}", path.display())
            })?;
            let file: FileConfig = toml::from_str(&text)
                .with_context(|| format!("berkas konfigurasi {} tidak sah", path.display()))?;
            cfg.apply_file(file);
        }
        cfg.apply_env(&env)?;
        if let Some(d) = &flags.data_dir {
            cfg.data_dir = d.clone();
        }
        if let Some(u) = &flags.database_url {
            cfg.database_url = Some(u.clone());
        }
        Ok(cfg)
    }

    fn apply_file(&mut self, f: FileConfig) {
        if let Some(v) = f.listen {
            self.listen = v;
        }
        if let Some(v) = f.data_dir {
            self.data_dir = v;
        }
        self.database_url = f.database_url.or(self.database_url.take());
        self.files_url = f.files_url.or(self.files_url.take());
        self.home_region = f.home_region.or(self.home_region.take());
        self.instance_name = f.instance_name.or(self.instance_name.take());
        self.base_url = f.base_url.or(self.base_url.take());
        if let Some(v) = f.secure_cookies {
            self.secure_cookies = v;
        }
        self.rate_limit_per_ip = f.rate_limit_per_ip.or(self.rate_limit_per_ip);
        self.rate_limit_per_token = f.rate_limit_per_token.or(self.rate_limit_per_token);
        if let Some(v) = f.trust_forwarded_for {
            self.trust_forwarded_for = v;
        }
    }

    fn apply_env(&mut self, env: &impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        if let Some(v) = env("SATUDATA_LISTEN") {
            self.listen = v;
        }
        if let Some(v) = env("SATUDATA_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        for (key, slot) in [
            ("SATUDATA_DATABASE_URL", &mut self.database_url),
            ("SATUDATA_FILES_URL", &mut self.files_url),
            ("SATUDATA_HOME_REGION", &mut self.home_region),
            ("SATUDATA_INSTANCE_NAME", &mut self.instance_name),
            ("SATUDATA_BASE_URL", &mut self.base_url),
        ] {
            if let Some(v) = env(key) {
                *slot = Some(v);
            }
        }
        for (key, slot) in [
            ("SATUDATA_RATE_LIMIT_PER_IP", &mut self.rate_limit_per_ip),
            (
                "SATUDATA_RATE_LIMIT_PER_TOKEN",
                &mut self.rate_limit_per_token,
            ),
        ] {
            if let Some(v) = env(key) {
                let rate: f64 = v.trim().parse().ok().filter(|r: &f64| *r >= 0.0).ok_or_else(|| {
                    anyhow::anyhow!("{key}='{v}' tidak sah: pakai jumlah permintaan per detik (0 = tanpa batas)")
                })?;
                *slot = Some(rate);
            }
        }
        if let Some(v) = env("SATUDATA_TRUST_FORWARDED_FOR") {
            self.trust_forwarded_for =
                matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "ya");
        }
        if let Some(v) = env("SATUDATA_SECURE_COOKIES") {
            self.secure_cookies = match v.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "ya" => true,
                "0" | "false" | "no" | "tidak" | "" => false,
                other => {
                    bail!("SATUDATA_SECURE_COOKIES='{other}' tidak sah: pakai true atau false")
                }
            };
        }
        Ok(())
    }

    /// The data API's rate limits: the defaults of `satudata_http::RateLimits`, with the rates set
    /// here (bursts of five seconds' worth, at least 10).
    pub fn rate_limits(&self) -> satudata_http::RateLimits {
        let mut limits = satudata_http::RateLimits::default();
        let limit = |rate: f64| satudata_http::Limit {
            per_second: rate.max(0.0),
            burst: (rate * 5.0).max(10.0),
        };
        if let Some(r) = self.rate_limit_per_ip {
            limits.per_ip = limit(r);
        }
        if let Some(r) = self.rate_limit_per_token {
            limits.per_token = limit(r);
        }
        limits.trust_forwarded_for = self.trust_forwarded_for;
        limits
    }

    /// The database URL, defaulting to the embedded store in the data directory.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("satudata.db").display()))
    }

    /// The home region, checked against the region registry: a kabupaten/kota or a provinsi.
    pub fn home_region(&self) -> anyhow::Result<RegionCode> {
        let Some(text) = &self.home_region else {
            bail!(
                "wilayah induk belum diatur: tulis home_region = \"16.06\" di satudata.toml \
                 atau atur SATUDATA_HOME_REGION (kode Kemendagri kabupaten/kota Anda)"
            );
        };
        let code = RegionCode::parse(text).map_err(|e| anyhow::anyhow!("home_region: {e}"))?;
        let Some(region) = Regions::get().by_code(&code) else {
            bail!("home_region: kode wilayah {code} tidak ada di daftar Kemendagri");
        };
        if region.level > Level::Kabupaten {
            bail!(
                "home_region: {} adalah {}; wilayah induk harus provinsi atau kabupaten/kota",
                region.display_name(),
                region.level.label_id()
            );
        }
        Ok(code)
    }

    /// The instance name, defaulting to "Satu Data <home region>".
    pub fn instance_name(&self, home: &RegionCode) -> String {
        self.instance_name.clone().unwrap_or_else(|| {
            let region = Regions::get()
                .by_code(home)
                .map(|r| r.display_name())
                .unwrap_or_else(|| home.dotted());
            format!("Satu Data {region}")
        })
    }

    /// The public base URL.
    pub fn base_url(&self) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn environment_overrides_file_and_flags_override_environment() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("satudata.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:9000\"\nhome_region = \"16.06\"\n",
        )
        .unwrap();
        let env: HashMap<&str, &str> = [
            ("SATUDATA_LISTEN", "127.0.0.1:9100"),
            ("SATUDATA_DATABASE_URL", "postgres://x/y"),
        ]
        .into();
        let flags = ConfigFlags {
            config: Some(file),
            data_dir: Some("/srv/satudata".into()),
            database_url: None,
        };
        let cfg = Config::load(&flags, Path::new("data"), |k| {
            env.get(k).map(|s| s.to_string())
        })
        .unwrap();
        assert_eq!(cfg.listen, "127.0.0.1:9100");
        assert_eq!(cfg.database_url(), "postgres://x/y");
        assert_eq!(cfg.data_dir, PathBuf::from("/srv/satudata"));
        assert_eq!(cfg.home_region().unwrap().dotted(), "16.06");
        assert_eq!(
            cfg.instance_name(&cfg.home_region().unwrap()),
            "Satu Data Kabupaten Musi Banyuasin"
        );
    }

    #[test]
    fn bad_settings_say_what_to_fix() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("satudata.toml");
        std::fs::write(&file, "lisen = \"x\"\n").unwrap();
        let flags = ConfigFlags {
            config: Some(file),
            ..Default::default()
        };
        let err = Config::load(&flags, Path::new("d"), |_| None).unwrap_err();
        assert!(format!("{err:#}").contains("lisen"), "{err:#}");

        let mut cfg = Config::defaults("d".into());
        assert!(cfg
            .home_region()
            .unwrap_err()
            .to_string()
            .contains("home_region"));
        cfg.home_region = Some("16.06.01".into());
        assert!(cfg
            .home_region()
            .unwrap_err()
            .to_string()
            .contains("kecamatan"));
        cfg.home_region = Some("16.99".into());
        assert!(cfg.home_region().is_err());
        assert_eq!(cfg.database_url(), "sqlite://d/satudata.db");
    }
}
