//! The file store: where satudata keeps attachments (file resources, uploads waiting for import,
//! exports, infographics).
//!
//! One type, [`FileStore`], over the [`object_store`] crate: a **local directory** by default (the
//! embedded, one-machine setup) and **S3-compatible object storage** when configured (several
//! stateless `satudata serve` nodes share one bucket). See `docs/decisions/0005-file-store.md`.
//!
//! - Writes stream in bounded memory whatever the file's size: small files go up in one request,
//!   larger ones as a multipart upload of [`PART_SIZE`] parts with at most [`MAX_PARTS_IN_FLIGHT`]
//!   in flight. The SHA-256 and size are computed on the way through.
//! - A write is all or nothing: a failed or interrupted upload leaves no object behind (the local
//!   backend writes to a staging file and renames it; S3 aborts the multipart upload).
//! - Keys are `/`-separated relative names (`resources/0190…/data.csv`); [`validate_key`] refuses
//!   anything that could escape the store's directory or prefix.
//! - S3 credentials come only from the standard AWS environment variables (`AWS_ACCESS_KEY_ID`,
//!   `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, or a role), never from the URL, and never appear
//!   in [`FileStore::describe`] or in errors.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::stream::{BoxStream, Stream, StreamExt};
use object_store::path::{Path, PathPart};
use object_store::{ObjectStore, PutPayload, WriteMultipart};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncReadExt};

/// Size of the parts of a multipart upload (and the largest file written in a single request).
/// S3 wants parts of at least 5 MiB and at most 10,000 of them: 8 MiB parts allow objects of up to
/// about 78 GiB, far above any attachment a regency keeps.
pub const PART_SIZE: usize = 8 * 1024 * 1024;

/// Parts uploaded at the same time. With [`PART_SIZE`] this bounds the memory one upload holds to
/// about `(MAX_PARTS_IN_FLIGHT + 1) × PART_SIZE` = 32 MiB.
pub const MAX_PARTS_IN_FLIGHT: usize = 3;

/// Size of the chunks [`FileStore::get`] yields from a local directory (object_store's own default
/// of 8 KiB makes a blocking-thread hop per 8 KiB, too slow for large downloads).
const LOCAL_READ_CHUNK: usize = 256 * 1024;

/// The longest key accepted, in bytes (S3's own limit is 1,024).
pub const MAX_KEY_LEN: usize = 1024;

/// Errors of the file store. Messages never contain credentials.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The key is not an acceptable relative name.
    #[error("kunci berkas tidak sah '{key}': {reason}")]
    InvalidKey {
        /// The refused key.
        key: String,
        /// Why, in Bahasa Indonesia.
        reason: &'static str,
    },
    /// No object under this key.
    #[error("berkas tidak ditemukan: {0}")]
    NotFound(String),
    /// The file store's URL or settings are unusable.
    #[error("konfigurasi penyimpanan berkas: {0}")]
    Config(String),
    /// The stream being written failed; nothing was stored.
    #[error("sumber berkas gagal dibaca: {0}")]
    Source(String),
    /// The storage backend (disk or object storage) failed.
    #[error("penyimpanan berkas gagal: {0}")]
    Backend(String),
}

impl FileError {
    fn backend(key: &str, e: object_store::Error) -> FileError {
        match e {
            object_store::Error::NotFound { .. } => FileError::NotFound(key.to_string()),
            other => FileError::Backend(other.to_string()),
        }
    }
}

/// Result of file store operations.
pub type FileResult<T> = Result<T, FileError>;

/// What [`FileStore::put_stream`] stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// The key the file is stored under.
    pub key: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
}

/// The content of a stored file, as a stream of byte chunks (read as it is sent, never whole in
/// memory), with its size known up front (for `Content-Length`).
pub struct FileContent {
    /// Size in bytes.
    pub size: u64,
    stream: BoxStream<'static, FileResult<Bytes>>,
}

impl FileContent {
    /// The chunks of the file.
    pub fn into_stream(self) -> BoxStream<'static, FileResult<Bytes>> {
        self.stream
    }
}

impl Stream for FileContent {
    type Item = FileResult<Bytes>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.stream.poll_next_unpin(cx)
    }
}

impl std::fmt::Debug for FileContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileContent")
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// Check a key: a relative, `/`-separated name of at most [`MAX_KEY_LEN`] bytes whose segments are
/// neither empty nor `.` or `..`, with no backslash and no control character.
///
/// ```
/// use satudata_files::validate_key;
/// assert!(validate_key("resources/0190a/data.csv").is_ok());
/// assert!(validate_key("../etc/passwd").is_err());
/// assert!(validate_key("/etc/passwd").is_err());
/// ```
pub fn validate_key(key: &str) -> FileResult<()> {
    let bad = |reason| {
        Err(FileError::InvalidKey {
            key: key.chars().filter(|c| !c.is_control()).take(200).collect(),
            reason,
        })
    };
    if key.is_empty() {
        return bad("kosong");
    }
    if key.len() > MAX_KEY_LEN {
        return bad("terlalu panjang (maksimal 1024 byte)");
    }
    if key.starts_with('/') {
        return bad("tidak boleh diawali '/' (harus nama relatif)");
    }
    if key.contains('\\') {
        return bad("tidak boleh memuat '\\'");
    }
    if key.chars().any(char::is_control) {
        return bad("tidak boleh memuat karakter kendali");
    }
    // A Windows drive ("C:") in the first segment would make the key absolute there.
    if key.as_bytes().get(1) == Some(&b':') {
        return bad("tidak boleh diawali nama drive");
    }
    for segment in key.split('/') {
        match segment {
            "" => return bad("tidak boleh memuat bagian kosong ('//' atau '/' di akhir)"),
            "." | ".." => return bad("tidak boleh memuat '.' atau '..'"),
            _ => {}
        }
    }
    Ok(())
}

/// One file found by [`FileStore::list`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedFile {
    /// Its key, relative to the store.
    pub key: String,
    pub size: u64,
    /// When it was last written.
    pub modified: std::time::SystemTime,
}

/// Where satudata keeps files. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct FileStore {
    inner: Arc<dyn ObjectStore>,
    /// Prefix inside the bucket (S3) under which every key lives; empty for local directories.
    prefix: Vec<String>,
    /// Where the files are, for logs and the About page; never holds credentials.
    description: String,
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileStore")
            .field("location", &self.description)
            .finish()
    }
}

impl FileStore {
    /// Files in a local directory, created if missing.
    pub fn local(dir: impl AsRef<std::path::Path>) -> FileResult<FileStore> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| {
            FileError::Config(format!(
                "direktori berkas {} tidak bisa dibuat: {e}",
                dir.display()
            ))
        })?;
        let fs = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| FileError::Config(e.to_string()))?
            // Deleting the last file of a folder removes the folder, so resources leave no litter.
            .with_automatic_cleanup(true);
        let chunked = object_store::chunked::ChunkedStore::new(Arc::new(fs), LOCAL_READ_CHUNK);
        let shown = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        Ok(FileStore {
            inner: Arc::new(chunked),
            prefix: vec![],
            description: format!("file://{}", shown.display()),
        })
    }

    /// Files in memory, gone at exit (tests of other crates).
    pub fn memory() -> FileStore {
        FileStore {
            inner: Arc::new(object_store::memory::InMemory::new()),
            prefix: vec![],
            description: "memory://".to_string(),
        }
    }

    /// A file store from a URL:
    /// - `file:///var/lib/satudata/files` (or a plain path): a local directory;
    /// - `s3://BUCKET[/PREFIX][?endpoint=URL&region=REGION&allow_http=true]`: S3 or an S3-compatible
    ///   service (MinIO, Ceph, Garage, …) at `endpoint`. Credentials, and any setting not in the URL,
    ///   come from the standard `AWS_*` environment variables. Credentials in the URL are refused.
    pub fn from_url(url: &str) -> FileResult<FileStore> {
        let trimmed = url.trim();
        if !trimmed.contains("://") {
            return FileStore::local(trimmed);
        }
        let parsed = url::Url::parse(trimmed).map_err(|e| {
            // The URL may hold a secret by mistake: do not echo it.
            FileError::Config(format!("URL penyimpanan berkas tidak sah: {e}"))
        })?;
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(FileError::Config(
                "jangan menaruh kredensial di URL penyimpanan berkas; pakai variabel lingkungan \
                 AWS_ACCESS_KEY_ID dan AWS_SECRET_ACCESS_KEY"
                    .into(),
            ));
        }
        match parsed.scheme() {
            "file" => {
                let path = parsed.to_file_path().map_err(|_| {
                    FileError::Config("URL file:// harus berisi jalur absolut".into())
                })?;
                FileStore::local(path)
            }
            "s3" | "s3a" => FileStore::s3(&parsed),
            other => Err(FileError::Config(format!(
                "skema '{other}' tidak didukung; pakai file:// atau s3://"
            ))),
        }
    }

    #[cfg(feature = "s3")]
    fn s3(url: &url::Url) -> FileResult<FileStore> {
        use object_store::aws::AmazonS3Builder;
        let bucket = url
            .host_str()
            .filter(|b| !b.is_empty())
            .ok_or_else(|| {
                FileError::Config("URL s3:// harus menyebut bucket: s3://BUCKET/PREFIX".into())
            })?
            .to_string();
        let prefix: Vec<String> = url
            .path_segments()
            .map(|s| s.filter(|p| !p.is_empty()).map(str::to_string).collect())
            .unwrap_or_default();
        if prefix.iter().any(|p| p == "." || p == "..") {
            return Err(FileError::Config(
                "prefix s3:// tidak boleh memuat '.' atau '..'".into(),
            ));
        }
        // Everything not in the URL (credentials first of all) comes from AWS_* variables.
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(&bucket);
        let mut endpoint_shown = None;
        for (k, v) in url.query_pairs() {
            match k.as_ref() {
                "endpoint" => {
                    let ep = url::Url::parse(&v).map_err(|_| {
                        FileError::Config("endpoint harus URL, misalnya http://127.0.0.1:9000".into())
                    })?;
                    if !ep.username().is_empty() || ep.password().is_some() {
                        return Err(FileError::Config(
                            "jangan menaruh kredensial di endpoint; pakai variabel lingkungan AWS_*".into(),
                        ));
                    }
                    if ep.scheme() == "http" {
                        // A local MinIO is usually plain HTTP; the operator chose it by writing http://.
                        builder = builder.with_allow_http(true);
                    }
                    endpoint_shown = Some(ep.to_string());
                    builder = builder.with_endpoint(v.as_ref());
                }
                "region" => builder = builder.with_region(v.as_ref()),
                "allow_http" => builder = builder.with_allow_http(v == "true" || v == "1"),
                "virtual_hosted_style" => {
                    builder = builder.with_virtual_hosted_style_request(v == "true" || v == "1")
                }
                other => {
                    return Err(FileError::Config(format!(
                        "parameter '{other}' tidak dikenal di URL s3:// (yang dikenal: endpoint, region, \
                         allow_http, virtual_hosted_style); kredensial lewat variabel lingkungan AWS_*"
                    )))
                }
            }
        }
        let store = builder
            .build()
            .map_err(|e| FileError::Config(e.to_string()))?;
        let mut description = format!("s3://{bucket}");
        for p in &prefix {
            description.push('/');
            description.push_str(p);
        }
        if let Some(ep) = endpoint_shown {
            description.push_str(&format!(" (endpoint {ep})"));
        }
        Ok(FileStore {
            inner: Arc::new(store),
            prefix,
            description,
        })
    }

    #[cfg(not(feature = "s3"))]
    fn s3(_url: &url::Url) -> FileResult<FileStore> {
        Err(FileError::Config(
            "program ini dibangun tanpa dukungan S3 (fitur 's3' dari satudata-files)".into(),
        ))
    }

    /// Where the files are (`file:///…`, `s3://bucket/prefix (endpoint …)`), without credentials.
    pub fn describe(&self) -> &str {
        &self.description
    }

    fn path(&self, key: &str) -> FileResult<Path> {
        validate_key(key)?;
        Ok(Path::from_iter(
            self.prefix
                .iter()
                .map(|p| PathPart::from(p.as_str()))
                .chain(key.split('/').map(PathPart::from)),
        ))
    }

    /// Store the bytes of `stream` under `key` (replacing any file there), in bounded memory, and
    /// return its size and SHA-256. If the stream or the backend fails, nothing is stored.
    pub async fn put_stream<S, B, E>(&self, key: &str, stream: S) -> FileResult<StoredFile>
    where
        S: Stream<Item = Result<B, E>> + Send,
        B: Into<Bytes>,
        E: std::fmt::Display,
    {
        let path = self.path(key)?;
        let mut stream = std::pin::pin!(stream);
        let mut writer = Writer::new(self.inner.clone(), path, key);
        loop {
            match stream.next().await {
                None => break,
                Some(Ok(chunk)) => {
                    if let Err(e) = writer.write(chunk.into()).await {
                        writer.abort().await;
                        return Err(e);
                    }
                }
                Some(Err(e)) => {
                    writer.abort().await;
                    return Err(FileError::Source(e.to_string()));
                }
            }
        }
        writer.finish().await
    }

    /// Store what `reader` yields under `key`; see [`FileStore::put_stream`].
    pub async fn put_reader<R>(&self, key: &str, reader: R) -> FileResult<StoredFile>
    where
        R: AsyncRead + Send,
    {
        let path = self.path(key)?;
        let mut reader = std::pin::pin!(reader);
        let mut writer = Writer::new(self.inner.clone(), path, key);
        loop {
            let mut buf = bytes::BytesMut::with_capacity(64 * 1024);
            match reader.read_buf(&mut buf).await {
                Ok(0) => break,
                Ok(_) => {
                    if let Err(e) = writer.write(buf.freeze()).await {
                        writer.abort().await;
                        return Err(e);
                    }
                }
                Err(e) => {
                    writer.abort().await;
                    return Err(FileError::Source(e.to_string()));
                }
            }
        }
        writer.finish().await
    }

    /// Store a small file held in memory under `key`.
    pub async fn put_bytes(&self, key: &str, bytes: impl Into<Bytes>) -> FileResult<StoredFile> {
        let once =
            futures_util::stream::iter([Ok::<Bytes, std::convert::Infallible>(bytes.into())]);
        self.put_stream(key, once).await
    }

    /// Read the file under `key` as a stream of chunks; [`FileError::NotFound`] if there is none.
    pub async fn get(&self, key: &str) -> FileResult<FileContent> {
        let path = self.path(key)?;
        let result = self
            .inner
            .get(&path)
            .await
            .map_err(|e| FileError::backend(key, e))?;
        let size = result.meta.size;
        let owned_key = key.to_string();
        let stream = result
            .into_stream()
            .map(move |r| r.map_err(|e| FileError::backend(&owned_key, e)))
            .boxed();
        Ok(FileContent { size, stream })
    }

    /// The size of the file under `key`, or `None` if there is none.
    pub async fn size(&self, key: &str) -> FileResult<Option<u64>> {
        let path = self.path(key)?;
        match self.inner.head(&path).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(FileError::Backend(e.to_string())),
        }
    }

    /// Whether a file is stored under `key`.
    pub async fn exists(&self, key: &str) -> FileResult<bool> {
        Ok(self.size(key).await?.is_some())
    }

    /// Every file under the folder `prefix` (e.g. `staging`), at any depth, with its size and when
    /// it was last written; keys are relative to the store, like those given to [`FileStore::put_stream`].
    /// Used for housekeeping, so the whole listing is collected (folders of a few thousand files).
    pub async fn list(&self, prefix: &str) -> FileResult<Vec<ListedFile>> {
        let path = self.path(prefix)?;
        let mut out = vec![];
        let mut listing = self.inner.list(Some(&path));
        while let Some(meta) = listing.next().await {
            let meta = meta.map_err(|e| FileError::backend(prefix, e))?;
            let parts: Vec<String> = meta
                .location
                .parts()
                .skip(self.prefix.len())
                .map(|p| p.as_ref().to_string())
                .collect();
            out.push(ListedFile {
                key: parts.join("/"),
                size: meta.size,
                modified: meta.last_modified.into(),
            });
        }
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }

    /// Delete the file under `key`. Deleting a missing file is not an error (as on S3), so a
    /// retried delete succeeds.
    pub async fn delete(&self, key: &str) -> FileResult<()> {
        let path = self.path(key)?;
        match self.inner.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(FileError::Backend(e.to_string())),
        }
    }
}

/// The write side of [`FileStore::put_stream`]: buffers up to one part, then switches to a
/// multipart upload with back-pressure, hashing everything that passes.
struct Writer<'k> {
    store: Arc<dyn ObjectStore>,
    path: Path,
    key: &'k str,
    hasher: Sha256,
    size: u64,
    state: WriterState,
}

enum WriterState {
    /// Less than one part so far: kept in memory, written with one `put` at the end.
    Buffer(Vec<Bytes>, usize),
    /// A multipart upload in progress.
    Multipart(WriteMultipart),
    /// Aborted or finished.
    Done,
}

impl<'k> Writer<'k> {
    fn new(store: Arc<dyn ObjectStore>, path: Path, key: &'k str) -> Self {
        Writer {
            store,
            path,
            key,
            hasher: Sha256::new(),
            size: 0,
            state: WriterState::Buffer(vec![], 0),
        }
    }

    async fn write(&mut self, mut chunk: Bytes) -> FileResult<()> {
        self.hasher.update(&chunk);
        self.size += chunk.len() as u64;
        // A caller may hand over one huge chunk: feed it a part at a time so that back-pressure
        // applies between parts.
        while !chunk.is_empty() {
            let piece = chunk.split_to(chunk.len().min(PART_SIZE));
            self.write_piece(piece).await?;
        }
        Ok(())
    }

    async fn write_piece(&mut self, piece: Bytes) -> FileResult<()> {
        let key = self.key;
        match &mut self.state {
            WriterState::Buffer(chunks, len) if *len + piece.len() < PART_SIZE => {
                *len += piece.len();
                chunks.push(piece);
                Ok(())
            }
            WriterState::Buffer(chunks, _) => {
                let chunks = std::mem::take(chunks);
                let upload = self
                    .store
                    .put_multipart(&self.path)
                    .await
                    .map_err(|e| FileError::backend(key, e))?;
                let mut multipart = WriteMultipart::new_with_chunk_size(upload, PART_SIZE);
                for c in chunks {
                    multipart.put(c);
                }
                multipart.put(piece);
                self.state = WriterState::Multipart(multipart);
                Ok(())
            }
            WriterState::Multipart(multipart) => {
                multipart
                    .wait_for_capacity(MAX_PARTS_IN_FLIGHT)
                    .await
                    .map_err(|e| FileError::backend(key, e))?;
                multipart.put(piece);
                Ok(())
            }
            WriterState::Done => Err(FileError::Backend("penulisan berkas sudah selesai".into())),
        }
    }

    /// Give up: remove any partial upload. Errors here are secondary to the one being reported.
    async fn abort(&mut self) {
        if let WriterState::Multipart(multipart) =
            std::mem::replace(&mut self.state, WriterState::Done)
        {
            let _ = multipart.abort().await;
        }
    }

    async fn finish(mut self) -> FileResult<StoredFile> {
        let key = self.key;
        match std::mem::replace(&mut self.state, WriterState::Done) {
            WriterState::Buffer(chunks, _) => {
                let payload: PutPayload = chunks.into_iter().collect();
                self.store
                    .put(&self.path, payload)
                    .await
                    .map_err(|e| FileError::backend(key, e))?;
            }
            WriterState::Multipart(multipart) => {
                // `finish` aborts the upload itself when completing fails.
                multipart
                    .finish()
                    .await
                    .map_err(|e| FileError::backend(key, e))?;
            }
            WriterState::Done => {
                return Err(FileError::Backend("penulisan berkas sudah selesai".into()))
            }
        }
        Ok(StoredFile {
            key: key.to_string(),
            size: self.size,
            sha256: hex::encode(self.hasher.finalize_reset()),
        })
    }
}
