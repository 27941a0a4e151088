//! E-mail for notifications, when SMTP is configured (lettre). In-app notifications are always
//! kept; e-mail is a copy for users who have an address, sent after the notification is stored,
//! so a mail server that is down never loses or blocks a notification.

use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use satudata_core::notification::Notification;

use crate::state::AppState;

/// How TLS is used with the SMTP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SmtpSecurity {
    /// Plain connection (a relay on localhost, a test sink).
    None,
    /// STARTTLS on the submission port (587).
    #[default]
    StartTls,
    /// TLS from the start (port 465).
    Tls,
}

/// The SMTP server notifications are mailed through.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The sender, e.g. `Satu Data Muba <satudata@musibanyuasin.go.id>`.
    pub from: String,
}

/// A ready SMTP transport.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for `config`; the error (English) names what is wrong with it.
    pub fn new(config: &MailConfig) -> Result<Mailer, String> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| format!("bad sender address '{}': {e}", config.from))?;
        let builder = match config.security {
            SmtpSecurity::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
            }
            SmtpSecurity::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)
                    .map_err(|e| format!("SMTP relay {}: {e}", config.host))?
            }
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host)
                .map_err(|e| format!("SMTP relay {}: {e}", config.host))?,
        };
        let mut builder = builder
            .port(config.port)
            .timeout(Some(Duration::from_secs(20)));
        if let (Some(u), Some(p)) = (&config.username, &config.password) {
            builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
        }
        Ok(Mailer {
            transport: builder.build(),
            from,
        })
    }

    /// Send one message; the error is for the log.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|e| format!("bad address '{to}': {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| format!("building message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }
}

/// Mail a copy of each notification to its recipient, if SMTP is configured and the user has an
/// address. Returns how many were sent; failures are logged.
pub async fn deliver(state: &AppState, notifications: &[Notification]) -> usize {
    let Some(mailer) = state.mailer() else {
        return 0;
    };
    let mut sent = 0;
    for n in notifications {
        let email = match state.store.get_user(n.user_id).await {
            Ok(Some(u)) => u.email.filter(|e| !e.trim().is_empty()),
            Ok(None) => None,
            Err(e) => {
                tracing::warn!(error = %e, "mail: cannot load recipient");
                None
            }
        };
        let Some(email) = email else { continue };
        let mut body = n.body.clone();
        if let Some(link) = &n.link {
            body.push_str(&format!("\n\n{}", state.url(link)));
        }
        body.push_str(&format!(
            "\n\n— {} (pesan otomatis; notifikasi juga ada di akun Anda)",
            state.config.instance_name
        ));
        match mailer.send(&email, &n.title, body).await {
            Ok(()) => sent += 1,
            Err(e) => tracing::warn!(error = %e, kind = %n.kind, "mail: not sent"),
        }
    }
    sent
}
