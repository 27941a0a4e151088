//! The configuration and shared state every handler receives.

use std::sync::{Arc, OnceLock};

use satudata_core::region::RegionCode;
use satudata_store::Store;

/// How the HTTP layer of one instance is set up.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// The region the instance serves (e.g. `16.06`, Kabupaten Musi Banyuasin).
    pub home_region: RegionCode,
    /// The name shown on every page, e.g. "Satu Data Kabupaten Musi Banyuasin".
    pub instance_name: String,
    /// The public address of the instance, without a trailing slash (used for absolute links).
    pub base_url: String,
    /// Mark cookies `Secure` (set when the instance is served over HTTPS).
    pub secure_cookies: bool,
}

/// What every handler shares: the store and the configuration. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The store, whichever backend it is.
    pub store: Arc<dyn Store>,
    /// The configuration.
    pub config: Arc<HttpConfig>,
    /// The OpenAPI document, serialised once on first request.
    pub(crate) openapi_json: Arc<OnceLock<String>>,
    /// The data API's rate limiter and aggregate cache.
    pub(crate) data_api: Arc<crate::dataapi::DataApi>,
    /// The SMTP mailer for notification e-mails, when configured.
    pub(crate) mailer: Option<Arc<crate::mail::Mailer>>,
    /// The in-memory catalogue index of `package_search`.
    pub(crate) catalog: Arc<crate::catalog_index::CatalogIndex>,
    /// The published figures of every place, for the region pages.
    pub(crate) regions: Arc<crate::region_index::RegionIndex>,
    /// Where attachments and uploaded data files are kept. In memory until [`AppState::with_files`]
    /// sets the instance's file store (the server always does).
    pub(crate) files: satudata_files::FileStore,
    /// Downloads and API calls counted in memory, flushed to the store in batches.
    pub(crate) usage: Arc<crate::usage::UsageCounter>,
}

impl AppState {
    /// State for a store and a configuration.
    pub fn new(store: Arc<dyn Store>, mut config: HttpConfig) -> Self {
        while config.base_url.ends_with('/') {
            config.base_url.pop();
        }
        AppState {
            store,
            config: Arc::new(config),
            openapi_json: Arc::new(OnceLock::new()),
            data_api: Arc::new(crate::dataapi::DataApi::default()),
            mailer: None,
            catalog: Arc::default(),
            regions: Arc::default(),
            files: satudata_files::FileStore::memory(),
            usage: Arc::default(),
        }
    }

    /// Write the usage counts counted so far to the store (the server does it every few seconds
    /// and when it stops; see [`crate::usage`]). On failure the counts are kept for the next flush.
    pub async fn flush_usage(&self) -> satudata_store::StoreResult<usize> {
        self.usage.flush(self.store.as_ref()).await
    }

    /// Keep attachments and uploads in this file store (a local directory or S3-compatible storage).
    pub fn with_files(mut self, files: satudata_files::FileStore) -> Self {
        self.files = files;
        self
    }

    /// Mail notifications through this SMTP server too (in-app notifications are always kept).
    /// The error (English) says what is wrong with the configuration.
    pub fn with_mail(mut self, config: &crate::mail::MailConfig) -> Result<Self, String> {
        self.mailer = Some(Arc::new(crate::mail::Mailer::new(config)?));
        Ok(self)
    }

    /// The mailer, when SMTP is configured.
    pub(crate) fn mailer(&self) -> Option<&crate::mail::Mailer> {
        self.mailer.as_deref()
    }

    /// Rate-limit the data API (rows and aggregates) with these limits instead of the defaults.
    pub fn with_rate_limits(mut self, limits: crate::RateLimits) -> Self {
        self.data_api = Arc::new(crate::dataapi::DataApi::new(limits));
        self
    }

    /// An absolute URL for a path of this instance (`/api/v1/…` → `http://host/api/v1/…`).
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }
}
