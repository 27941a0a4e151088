//! The local-directory backend, on real files in a temporary directory.

use bytes::Bytes;
use futures_util::{stream, StreamExt, TryStreamExt};
use satudata_files::{FileError, FileStore, PART_SIZE};
use sha2::{Digest, Sha256};

async fn read_all(store: &FileStore, key: &str) -> Vec<u8> {
    let content = store.get(key).await.expect("file is there");
    let size = content.size;
    let chunks: Vec<Bytes> = content.try_collect().await.expect("readable");
    let all: Vec<u8> = chunks.concat();
    assert_eq!(all.len() as u64, size);
    all
}

#[tokio::test]
async fn put_get_exists_delete_round_trip() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = FileStore::local(dir.path().join("files")).expect("local store");
    let key = "resources/0190a/data.csv";
    assert!(!store.exists(key).await.expect("head"));

    let stored = store
        .put_bytes(key, "kode,nilai\n16.06.01,42\n")
        .await
        .expect("put");
    assert_eq!(stored.size, 23);
    assert_eq!(
        stored.sha256,
        hex::encode(Sha256::digest(b"kode,nilai\n16.06.01,42\n"))
    );
    assert_eq!(stored.key, key);
    // A real file, where the key says.
    let on_disk =
        std::fs::read(dir.path().join("files/resources/0190a/data.csv")).expect("on disk");
    assert_eq!(on_disk, b"kode,nilai\n16.06.01,42\n");

    assert!(store.exists(key).await.expect("head"));
    assert_eq!(store.size(key).await.expect("head"), Some(23));
    assert_eq!(read_all(&store, key).await, on_disk);

    // Replacing keeps one file with the new content.
    store.put_bytes(key, "baru").await.expect("put again");
    assert_eq!(read_all(&store, key).await, b"baru");

    store.delete(key).await.expect("delete");
    assert!(!store.exists(key).await.expect("head"));
    assert!(matches!(store.get(key).await, Err(FileError::NotFound(_))));
    // Deleting twice is fine (retries).
    store.delete(key).await.expect("delete again");
    assert!(store.describe().starts_with("file://"));
}

#[tokio::test]
async fn bad_keys_are_refused_before_touching_the_disk() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = FileStore::local(dir.path().join("inner")).expect("local store");
    for bad in [
        "",
        "../escape.txt",
        "a/../../escape.txt",
        "/etc/passwd",
        "a//b",
        "a/./b",
        "a/",
        "a\\..\\b",
        "C:/windows",
        "nul\0byte",
    ] {
        assert!(
            matches!(
                store.put_bytes(bad, "x").await,
                Err(FileError::InvalidKey { .. })
            ),
            "{bad:?} accepted"
        );
        assert!(
            matches!(store.get(bad).await, Err(FileError::InvalidKey { .. })),
            "{bad:?}"
        );
        assert!(
            matches!(store.delete(bad).await, Err(FileError::InvalidKey { .. })),
            "{bad:?}"
        );
    }
    assert!(!dir.path().join("escape.txt").exists());
    // Odd but harmless names are kept as given.
    store
        .put_bytes("laporan 2024 (final)#1.pdf", "x")
        .await
        .expect("odd name");
    assert!(store
        .exists("laporan 2024 (final)#1.pdf")
        .await
        .expect("head"));
}

#[tokio::test]
async fn a_failing_source_stores_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = FileStore::local(dir.path()).expect("local store");
    // Small: fails while still buffered.
    let small = stream::iter(vec![Ok(Bytes::from_static(b"abc")), Err("koneksi putus")]);
    assert!(matches!(
        store.put_stream("a/small.bin", small).await,
        Err(FileError::Source(_))
    ));
    // Large: fails after several parts went to the multipart upload.
    let part = Bytes::from(vec![7u8; 1024 * 1024]);
    let big = stream::iter((0..20).map(move |i| {
        if i < 19 {
            Ok(part.clone())
        } else {
            Err("disk penuh")
        }
    }));
    assert!(matches!(
        store.put_stream("a/big.bin", big).await,
        Err(FileError::Source(_))
    ));
    assert!(!store.exists("a/small.bin").await.expect("head"));
    assert!(!store.exists("a/big.bin").await.expect("head"));
    // No staging file left behind either (give the background clean-up a moment).
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let leftovers: Vec<_> = walk(dir.path());
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).expect("readable dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test]
async fn multipart_sized_files_and_readers_round_trip() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store =
        FileStore::from_url(&format!("file://{}", dir.path().display())).expect("file:// url");
    // A bit over two parts, in uneven chunks, so both the buffered start and the multipart path run.
    let total = 2 * PART_SIZE + 12_345;
    let data: Vec<u8> = (0..total).map(|i| (i % 251) as u8).collect();
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        data.chunks(1_000_003).map(|c| Ok(c.to_vec())).collect();
    let stored = store
        .put_stream("x/multi.bin", stream::iter(chunks))
        .await
        .expect("put");
    assert_eq!(stored.size, total as u64);
    assert_eq!(stored.sha256, hex::encode(Sha256::digest(&data)));
    assert_eq!(read_all(&store, "x/multi.bin").await, data);

    // One chunk bigger than a part.
    let stored = store
        .put_bytes("x/one.bin", data.clone())
        .await
        .expect("put one chunk");
    assert_eq!(stored.size, total as u64);
    assert_eq!(read_all(&store, "x/one.bin").await, data);

    // From an AsyncRead.
    let stored = store
        .put_reader("x/reader.bin", &data[..])
        .await
        .expect("put reader");
    assert_eq!(stored.sha256, hex::encode(Sha256::digest(&data)));
    let got = store.get("x/reader.bin").await.expect("get");
    let n = got
        .into_stream()
        .map(|c| c.map(|b| b.len()).unwrap_or(0))
        .fold(0, |a, b| async move { a + b })
        .await;
    assert_eq!(n, total);

    // Empty files are files too.
    let stored = store
        .put_bytes("x/empty", Bytes::new())
        .await
        .expect("put empty");
    assert_eq!(stored.size, 0);
    assert!(store.exists("x/empty").await.expect("head"));
}

#[test]
fn urls_are_checked_and_never_carry_credentials() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plain = FileStore::from_url(dir.path().to_str().expect("utf-8 path")).expect("plain path");
    assert!(plain.describe().starts_with("file://"));
    for bad in [
        "ftp://host/x",
        "s3://",
        "file://relative-host/x",
        "s3://b/p?unknown=1",
    ] {
        assert!(
            matches!(FileStore::from_url(bad), Err(FileError::Config(_))),
            "{bad}"
        );
    }
    let err = FileStore::from_url("s3://AKIAEXAMPLE:rahasia@bucket/prefix").expect_err("refused");
    assert!(
        !err.to_string().contains("rahasia") && !err.to_string().contains("AKIA"),
        "{err}"
    );
    let err = FileStore::from_url("s3://bucket/p?endpoint=http://user:rahasia@127.0.0.1:9000")
        .expect_err("refused");
    assert!(!err.to_string().contains("rahasia"), "{err}");
}

#[cfg(feature = "s3")]
#[test]
fn s3_urls_configure_an_s3_compatible_store() {
    let store = FileStore::from_url("s3://satudata-files/musi-banyuasin/lampiran?endpoint=http://127.0.0.1:9000&region=id-south-1")
        .expect("s3 url");
    assert_eq!(
        store.describe(),
        "s3://satudata-files/musi-banyuasin/lampiran (endpoint http://127.0.0.1:9000/)"
    );
    assert!(!format!("{store:?}").contains("secret"));
}

#[tokio::test]
async fn list_finds_every_file_under_a_folder_and_nothing_else() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = FileStore::local(dir.path().join("files")).expect("local store");
    assert!(store.list("staging").await.expect("empty").is_empty());
    store.put_bytes("staging/d1/u1/a.csv", "a").await.unwrap();
    store
        .put_bytes("staging/d1/u1/unggahan.json", "{}")
        .await
        .unwrap();
    store.put_bytes("staging/d2/u9/b.xlsx", "bb").await.unwrap();
    store.put_bytes("resources/x/c.csv", "ccc").await.unwrap();
    let listed = store.list("staging").await.expect("list");
    let keys: Vec<&str> = listed.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "staging/d1/u1/a.csv",
            "staging/d1/u1/unggahan.json",
            "staging/d2/u9/b.xlsx"
        ]
    );
    assert_eq!(listed[2].size, 2);
    let age = std::time::SystemTime::now()
        .duration_since(listed[0].modified)
        .unwrap_or_default();
    assert!(age.as_secs() < 3600, "just written: {age:?}");
    // The keys listed are the keys the store reads.
    for f in &listed {
        assert!(store.exists(&f.key).await.unwrap());
    }
    // The memory backend lists the same way.
    let mem = FileStore::memory();
    mem.put_bytes("staging/d/u/x", "x").await.unwrap();
    mem.put_bytes("other/y", "y").await.unwrap();
    let listed = mem.list("staging").await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].key, "staging/d/u/x");
}
