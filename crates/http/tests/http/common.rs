//! A running server on a real socket, over a real SQLite store, with one user per role.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Duration, Utc};
use reqwest::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE, COOKIE};
use reqwest::{Method, StatusCode};
use satudata_auth::{hash_password, new_secret, new_token_secret, secret_hash};
use satudata_core::dataset::{
    Access, Dataset, DatasetMeta, NewResource, Resource, ResourceKind, Topic,
};
use satudata_core::organization::{OrgKind, Organization, OrganizationMeta};
use satudata_core::region::{Level, RegionCode};
use satudata_core::schema::{Field, FieldType, TableSchema};
use satudata_core::user::{NewUser, Role, Session, User};
use satudata_core::value::Value;
use satudata_http::{AppState, HttpConfig};
use satudata_store::{NewApiToken, NewVersion, Store, VecRowSource};
use satudata_store_sqlite::SqliteStore;
use serde_json::Value as Json;

use crate::counting::CountingStore;

/// The password of every fixture user.
pub const PASSWORD: &str = "kata-sandi-uji-123";

/// The principals every route is tried with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Who {
    Anonymous,
    /// Produsen of organisation A, which owns the sample datasets.
    ProdusenOwn,
    /// Produsen of organisation B.
    ProdusenOther,
    Walidata,
    Pembina,
    Admin,
}

impl Who {
    pub const ALL: [Who; 6] = [
        Who::Anonymous,
        Who::ProdusenOwn,
        Who::ProdusenOther,
        Who::Walidata,
        Who::Pembina,
        Who::Admin,
    ];
}

/// The records every test starts with.
pub struct Fixture {
    pub org_a: Organization,
    pub users: HashMap<Who, User>,
    pub tokens: HashMap<Who, String>,
    /// A user whose roles the role tests change.
    pub target_user: User,
    /// *terbuka*, organisation A, with a table of two versions.
    pub open: Dataset,
    pub open_table: Resource,
    /// *terbatas*, organisation A, with a table.
    pub limited: Dataset,
    /// *tertutup*, organisation A, with a table.
    pub closed: Dataset,
    pub closed_table: Resource,
}

/// A running instance.
pub struct App {
    pub base: String,
    pub store: Arc<CountingStore>,
    pub http: reqwest::Client,
    pub fx: Fixture,
    /// The server's state (its store and file store), for housekeeping runs in tests.
    pub state: satudata_http::AppState,
    /// The server's file store (uploads, attachments), to check what is kept.
    pub files: satudata_files::FileStore,
    _shutdown: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

/// The schema of the sample tables: people by kecamatan and year.
pub fn sample_schema() -> TableSchema {
    let mut kode = Field::new("kode_kecamatan", FieldType::String);
    kode.region_level = Some(Level::Kecamatan);
    let mut tahun = Field::new("tahun", FieldType::Year);
    tahun.constraints.required = true;
    let mut jumlah = Field::new("jumlah", FieldType::Integer);
    jumlah.unit = Some("jiwa".into());
    TableSchema::new(vec![kode, tahun, jumlah])
}

/// A CSV matching [`sample_schema`].
pub const SAMPLE_CSV: &str = "kode_kecamatan,tahun,jumlah\n16.06.01,2024,100\n16.06.02,2024,200\n";

fn org_meta(slug: &str, name: &str, kind: OrgKind) -> OrganizationMeta {
    OrganizationMeta {
        slug: slug.into(),
        name: name.into(),
        acronym: None,
        kind,
        description: String::new(),
        region_code: Some("16.06".into()),
        parent_id: None,
        email: None,
        phone: None,
        address: None,
        website: None,
    }
}

async fn user(
    store: &dyn Store,
    username: &str,
    hash: &str,
    grant: Option<(Role, &Organization)>,
) -> User {
    let u = store
        .create_user(
            NewUser {
                username: username.into(),
                display_name: format!("Pengguna {username}"),
                email: None,
                password_hash: hash.into(),
            },
            None,
        )
        .await
        .unwrap();
    if let Some((role, org)) = grant {
        store
            .set_membership(u.id, org.id, Some(role), None)
            .await
            .unwrap();
    }
    store.get_user(u.id).await.unwrap().unwrap()
}

/// Create a table dataset in organisation A (used by the fixture and by tests that need fresh ones).
pub async fn table_dataset(
    store: &dyn Store,
    org: &Organization,
    slug: &str,
    access: Access,
    versions: usize,
) -> (Dataset, Resource) {
    let mut meta = DatasetMeta::new(format!("Jumlah penduduk ({slug})"), slug, org.id);
    meta.access = access;
    meta.description = "Data uji.".into();
    meta.topics = vec!["kesehatan".into()];
    let d = store.create_dataset(meta, None).await.unwrap();
    let r = store
        .create_resource(
            d.id,
            NewResource {
                name: "tabel".into(),
                title: "Tabel".into(),
                description: String::new(),
                kind: ResourceKind::Table {
                    schema: sample_schema(),
                },
            },
            None,
        )
        .await
        .unwrap();
    for v in 0..versions {
        let rows = vec![
            vec![
                Value::Text("16.06.01".into()),
                Value::Int(2023),
                Value::Int(10 + v as i64),
            ],
            vec![
                Value::Text("16.06.02".into()),
                Value::Int(2023),
                Value::Int(20),
            ],
        ];
        store
            .create_version(r.id, NewVersion::default(), &mut VecRowSource::new(rows))
            .await
            .unwrap();
    }
    (d, r)
}

impl Fixture {
    async fn create(store: &dyn Store) -> Fixture {
        let org_a = store
            .create_organization(org_meta("dinas-a", "Dinas A", OrgKind::Opd), None)
            .await
            .unwrap();
        let org_b = store
            .create_organization(org_meta("dinas-b", "Dinas B", OrgKind::Opd), None)
            .await
            .unwrap();
        let kominfo = store
            .create_organization(
                org_meta("diskominfo", "Diskominfo", OrgKind::Walidata),
                None,
            )
            .await
            .unwrap();
        let bps = store
            .create_organization(org_meta("bps", "BPS", OrgKind::Pembina), None)
            .await
            .unwrap();
        store
            .create_codelist(satudata_core::codelist::standard().remove(0), None)
            .await
            .unwrap();
        store
            .upsert_topic(
                Topic {
                    slug: "kesehatan".into(),
                    name: "Kesehatan".into(),
                    name_en: Some("Health".into()),
                    description: String::new(),
                },
                None,
            )
            .await
            .unwrap();
        let hash = hash_password(PASSWORD);
        let mut users = HashMap::new();
        let mut tokens = HashMap::new();
        for (who, name, grant) in [
            (
                Who::ProdusenOwn,
                "produsen-a",
                Some((Role::Produsen, &org_a)),
            ),
            (
                Who::ProdusenOther,
                "produsen-b",
                Some((Role::Produsen, &org_b)),
            ),
            (Who::Walidata, "walidata", Some((Role::Walidata, &kominfo))),
            (Who::Pembina, "pembina", Some((Role::Pembina, &bps))),
            (Who::Admin, "admin", Some((Role::Admin, &kominfo))),
        ] {
            let u = user(store, name, &hash, grant).await;
            let secret = new_token_secret();
            store
                .create_token(NewApiToken {
                    user_id: u.id,
                    name: "uji".into(),
                    secret_hash: secret_hash(&secret),
                    expires_at: None,
                })
                .await
                .unwrap();
            users.insert(who, u);
            tokens.insert(who, secret);
        }
        let target_user = user(store, "sasaran", &hash, Some((Role::Produsen, &org_b))).await;
        let (open, open_table) =
            table_dataset(store, &org_a, "terbuka-a", Access::Terbuka, 2).await;
        let (limited, _) = table_dataset(store, &org_a, "terbatas-a", Access::Terbatas, 1).await;
        let (closed, closed_table) =
            table_dataset(store, &org_a, "tertutup-a", Access::Tertutup, 1).await;
        // Last year's Daftar Data has one item (this year's is for the tests to fill).
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2025, m, d).unwrap();
        store
            .create_plan_item(
                satudata_core::plan::PlanItemMeta {
                    year: 2025,
                    organization_id: org_a.id,
                    title: "Jumlah penduduk 2025".into(),
                    description: String::new(),
                    kode: None,
                    periodicity: Default::default(),
                    level: None,
                    due_update: day(3, 31),
                    due_release: day(4, 30),
                    priority: false,
                    sources: vec![],
                    dataset_id: None,
                    topic: None,
                },
                None,
            )
            .await
            .unwrap();
        Fixture {
            org_a,
            users,
            tokens,
            target_user,
            open,
            open_table,
            limited,
            closed,
            closed_table,
        }
    }
}

/// Options of a test instance.
#[derive(Default)]
pub struct Options {
    pub secure_cookies: bool,
    /// Mail notifications through this SMTP server.
    pub mail: Option<satudata_http::mail::MailConfig>,
    /// Run the import job runner (as `satudata serve` does), polling often.
    pub jobs: bool,
}

pub async fn spawn() -> App {
    spawn_with(Options::default()).await
}

pub async fn spawn_with(options: Options) -> App {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(&dir.path().join("uji.db")).await.unwrap();
    let store = Arc::new(CountingStore::new(Arc::new(sqlite)));
    let fx = Fixture::create(store.as_ref()).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(
        store.clone(),
        HttpConfig {
            home_region: RegionCode::parse("16.06").unwrap(),
            instance_name: "Satu Data Uji".into(),
            base_url: format!("{base}/"),
            secure_cookies: options.secure_cookies,
        },
    );
    let state = match &options.mail {
        Some(m) => state.with_mail(m).unwrap(),
        None => state,
    };
    let files = satudata_files::FileStore::local(dir.path().join("berkas")).unwrap();
    let state = state.with_files(files.clone());
    if options.jobs {
        satudata_jobs::Runner::new(
            store.clone(),
            files.clone(),
            satudata_jobs::RunnerConfig {
                poll: std::time::Duration::from_millis(50),
                home_region: Some(RegionCode::parse("16.06").unwrap()),
                ..satudata_jobs::RunnerConfig::default()
            },
        )
        .spawn(true);
    }
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let kept = state.clone();
    let server = tokio::spawn(async move {
        satudata_http::serve(listener, state, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    App {
        base,
        store,
        http,
        fx,
        state: kept,
        files,
        _shutdown: tx,
        server,
        _dir: dir,
    }
}

impl App {
    /// Stop the server gracefully and wait until it has finished (usage counts flushed); the
    /// store stays readable.
    pub async fn stop(self) -> (Arc<CountingStore>, Fixture, tempfile::TempDir) {
        let _ = self._shutdown.send(());
        self.server.await.unwrap();
        (self.store, self.fx, self._dir)
    }
}

/// The body of a request.
pub enum Body {
    None,
    Json(Json),
    Csv(String),
    /// A form; `csrf_token` is filled in by [`App::call`].
    Form(Vec<(&'static str, String)>),
    /// Raw bytes with a content type (an XLSX upload).
    Bytes(Vec<u8>, &'static str),
    /// A multipart form with one file (name, file name, bytes); `csrf_token` is filled in first
    /// by [`App::call`], as a browser sends the fields in the form's order.
    Multipart(Vec<(&'static str, String)>, &'static str, String, Vec<u8>),
}

/// An answer, read whole.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Json {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Every `Set-Cookie` header.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect()
    }
}

impl App {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A fresh session for `who` (created directly in the store): (cookie value, csrf token).
    pub async fn session_for(&self, who: Who) -> (String, String) {
        let id = new_secret();
        let csrf = new_secret();
        let now = Utc::now();
        self.store
            .create_session(Session {
                id_hash: secret_hash(&id),
                user_id: self.fx.users[&who].id,
                csrf_token: csrf.clone(),
                created_at: now,
                expires_at: now + Duration::hours(12),
            })
            .await
            .unwrap();
        (id, csrf)
    }

    /// Send a request as `who`: a bearer token for the API; for forms, a session cookie (logged
    /// in) or the double-submit cookie (anonymous), with the matching CSRF token in the form.
    pub async fn call(&self, who: Who, method: Method, path: &str, body: Body) -> Answer {
        let mut req = self.http.request(method, self.url(path));
        let is_form = matches!(body, Body::Form(_) | Body::Multipart(..));
        match body {
            Body::None => {}
            Body::Json(v) => req = req.json(&v),
            Body::Bytes(bytes, media) => req = req.header(CONTENT_TYPE, media).body(bytes),
            Body::Csv(text) => {
                req = req
                    .header(CONTENT_TYPE, "text/csv; charset=utf-8")
                    .body(text)
            }
            Body::Multipart(fields, file_field, filename, bytes) => {
                let (cookie, csrf) = self.form_cookie(who).await;
                let mut form = reqwest::multipart::Form::new().text("csrf_token", csrf);
                for (k, v) in fields {
                    form = form.text(k, v);
                }
                form = form.part(
                    file_field,
                    reqwest::multipart::Part::bytes(bytes).file_name(filename),
                );
                req = req.header(COOKIE, cookie).multipart(form);
            }
            Body::Form(mut fields) => {
                let (cookie, csrf) = self.form_cookie(who).await;
                fields.push(("csrf_token", csrf));
                req = req
                    .header(COOKIE, cookie)
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(serde_urlencoded::to_string(&fields).unwrap());
            }
        }
        // Forms are what browsers send: with the session cookie only, never a bearer token.
        if who != Who::Anonymous
            && !is_form
            && !path.starts_with("/masuk")
            && !path.starts_with("/keluar")
        {
            req = req.header(AUTHORIZATION, format!("Bearer {}", self.fx.tokens[&who]));
        }
        answer(req.send().await.unwrap()).await
    }

    /// The cookie and CSRF token a browser of `who` sends with a form: the session's (logged in)
    /// or the double-submit cookie's (anonymous).
    pub async fn form_cookie(&self, who: Who) -> (String, String) {
        if who == Who::Anonymous {
            let t = new_secret();
            (format!("{}={t}", satudata_http::CSRF_COOKIE), t)
        } else {
            let (id, csrf) = self.session_for(who).await;
            (format!("{}={id}", satudata_http::SESSION_COOKIE), csrf)
        }
    }

    /// A GET with optional extra headers.
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut req = self.http.get(self.url(path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        answer(req.send().await.unwrap()).await
    }

    /// The number of API tokens of every fixture user, summed.
    pub async fn token_count(&self) -> usize {
        let mut n = 0;
        for u in self.fx.users.values().chain([&self.fx.target_user]) {
            n += self.store.list_tokens(u.id).await.unwrap().len();
        }
        n
    }
}

pub async fn answer(res: reqwest::Response) -> Answer {
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    Answer {
        status,
        headers,
        text,
    }
}
