//! SMTP for notification e-mails, from the environment (secrets stay out of config files):
//! `SATUDATA_SMTP_HOST` turns it on; `SATUDATA_SMTP_PORT` (587), `SATUDATA_SMTP_SECURITY`
//! (`starttls`, `tls` or `none`), `SATUDATA_SMTP_USERNAME`, `SATUDATA_SMTP_PASSWORD` and
//! `SATUDATA_SMTP_FROM` (`Satu Data <satudata@…>`) complete it.

use anyhow::{bail, Context};
use satudata_http::mail::{MailConfig, SmtpSecurity};

/// The SMTP settings in `env`, if `SATUDATA_SMTP_HOST` is set.
pub fn from_env(env: impl Fn(&str) -> Option<String>) -> anyhow::Result<Option<MailConfig>> {
    let Some(host) = env("SATUDATA_SMTP_HOST").filter(|h| !h.trim().is_empty()) else {
        return Ok(None);
    };
    let security = match env("SATUDATA_SMTP_SECURITY")
        .unwrap_or_default()
        .to_ascii_lowercase()
        .as_str()
    {
        "" | "starttls" => SmtpSecurity::StartTls,
        "tls" | "ssl" => SmtpSecurity::Tls,
        "none" | "plain" => SmtpSecurity::None,
        other => bail!("SATUDATA_SMTP_SECURITY='{other}' tidak sah: pakai starttls, tls atau none"),
    };
    let default_port = match security {
        SmtpSecurity::Tls => 465,
        SmtpSecurity::StartTls => 587,
        SmtpSecurity::None => 25,
    };
    let port = match env("SATUDATA_SMTP_PORT") {
        Some(p) => p
            .trim()
            .parse()
            .with_context(|| format!("SATUDATA_SMTP_PORT='{p}' bukan nomor port"))?,
        None => default_port,
    };
    let from = env("SATUDATA_SMTP_FROM")
        .context("SATUDATA_SMTP_FROM wajib diisi bila SMTP dipakai (mis. \"Satu Data <satudata@kabupaten.go.id>\")")?;
    Ok(Some(MailConfig {
        host,
        port,
        security,
        username: env("SATUDATA_SMTP_USERNAME"),
        password: env("SATUDATA_SMTP_PASSWORD"),
        from,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_is_off_without_a_host_and_checked_with_one() {
        assert!(from_env(|_| None).unwrap().is_none());
        let env = |k: &str| match k {
            "SATUDATA_SMTP_HOST" => Some("mail.example".to_string()),
            "SATUDATA_SMTP_SECURITY" => Some("tls".to_string()),
            "SATUDATA_SMTP_FROM" => Some("Satu Data <sd@example.id>".to_string()),
            _ => None,
        };
        let c = from_env(env).unwrap().unwrap();
        assert_eq!((c.port, c.security), (465, SmtpSecurity::Tls));
        let no_from = |k: &str| (k == "SATUDATA_SMTP_HOST").then(|| "h".to_string());
        assert!(from_env(no_from).is_err());
    }
}
