//! Shared by the reader targets: open bytes with a forced (or detected) format and read every record.

use satudata_formats::read::{open_bytes, Format, ReadOptions, Record, TableReader};

/// Read at most this many records: a tiny input can still describe a huge sheet (a dimension tag),
/// and the fuzzer looks for panics, not for slow large-but-valid tables.
const MAX_RECORDS: usize = 10_000;

/// Open `data` (as `format`, or detected from content when `None`) and read it to the end. Errors
/// are fine (exit code 2 in the CLI); panics are what the fuzzer finds.
pub fn read_all(data: &[u8], format: Option<Format>) {
    allow_caught_panics();
    let opts = ReadOptions {
        format,
        ..Default::default()
    };
    if let Ok(mut reader) = open_bytes(data, &opts) {
        let mut rec = Record::new();
        for _ in 0..MAX_RECORDS {
            match reader.read_record(&mut rec) {
                Ok(true) => {
                    let _ = rec.to_vec();
                }
                Ok(false) | Err(_) => break,
            }
        }
        let _ = reader.info();
    }
}

/// libfuzzer-sys's panic hook aborts on every panic, also on those `read::sheet` catches on purpose
/// (calamine panics on some corrupt workbooks; satudata turns that into a "corrupt file" error). Use a
/// silent hook instead: a panic that escapes satudata still reaches libfuzzer-sys's own `catch_unwind`
/// around the target, which aborts and saves the input as a crash.
fn allow_caught_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(|_| {})));
}
