//! A 200 MB file streamed through the local backend in bounded memory, with checksums checked on
//! the way in and on the way out. Alone in its own test binary so that the process's peak memory
//! (VmHWM) measures this test only.

use bytes::Bytes;
use futures_util::{stream, StreamExt};
use satudata_files::FileStore;
use sha2::{Digest, Sha256};

const TOTAL: u64 = 200 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;

/// A kibibyte count from /proc/self/status (Linux only; `None` elsewhere).
fn proc_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Deterministic pseudo-random bytes (splitmix64), generated chunk by chunk and never held whole.
fn chunk_at(index: u64) -> Bytes {
    let mut state = index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut out = Vec::with_capacity(CHUNK);
    while out.len() < CHUNK {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    Bytes::from(out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_200_mb_stream_round_trips_in_bounded_memory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = FileStore::local(dir.path()).expect("local store");
    let rss_before = proc_kib("VmRSS:");

    // The expected checksum, computed separately from the store's own.
    let mut expected = Sha256::new();
    for i in 0..TOTAL / CHUNK as u64 {
        expected.update(chunk_at(i));
    }
    let expected = hex::encode(expected.finalize());

    let source =
        stream::iter(0..TOTAL / CHUNK as u64).map(|i| Ok::<_, std::io::Error>(chunk_at(i)));
    let stored = store
        .put_stream("besar/200mb.bin", source)
        .await
        .expect("put");
    assert_eq!(stored.size, TOTAL);
    assert_eq!(stored.sha256, expected);
    let on_disk = std::fs::metadata(dir.path().join("besar/200mb.bin")).expect("file on disk");
    assert_eq!(on_disk.len(), TOTAL);

    let content = store.get("besar/200mb.bin").await.expect("get");
    assert_eq!(content.size, TOTAL);
    let mut read_back = Sha256::new();
    let mut n = 0u64;
    let mut body = content.into_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.expect("chunk");
        n += chunk.len() as u64;
        read_back.update(&chunk);
    }
    assert_eq!(n, TOTAL);
    assert_eq!(hex::encode(read_back.finalize()), expected);

    if let (Some(before), Some(peak)) = (rss_before, proc_kib("VmHWM:")) {
        let grew_mib = peak.saturating_sub(before) / 1024;
        eprintln!(
            "peak memory grew by {grew_mib} MiB for a {} MiB file",
            TOTAL >> 20
        );
        // Parts in flight bound the upload to ~32 MiB; anything near the file's size means buffering.
        assert!(grew_mib < 80, "memory grew by {grew_mib} MiB");
    }
}
