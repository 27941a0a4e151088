//! Reading ahead on a second thread: the reader (CSV parsing, decoding) runs beside the validator, in
//! batches of records sent through a small bounded channel, so memory stays bounded. Batches come back
//! to the reader thread to be refilled, so record buffers are reused.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use super::{ReadError, Record, SourceInfo, TableReader};

const BATCH: usize = 512;
/// Batches in flight: bounded memory (a few MB for typical rows). Enough to hold more than one of the
/// validator's batches (4,096 rows), so that the reader keeps parsing while a whole batch is checked
/// instead of stalling after 2,048 rows and leaving a core idle.
const IN_FLIGHT: usize = 16;

enum Msg {
    Batch(Vec<Record>, usize),
    End,
    Err(ReadError),
}

/// A reader running on its own thread.
pub struct Prefetch {
    rx: Receiver<Msg>,
    back: SyncSender<Vec<Record>>,
    batch: Vec<Record>,
    len: usize,
    pos: usize,
    info: SourceInfo,
    ended: bool,
    handle: Option<JoinHandle<()>>,
}

impl Prefetch {
    /// Start reading `reader` on a new thread.
    pub fn new<R: TableReader + Send + 'static>(mut reader: R) -> Self {
        let info = reader.info().clone();
        Self::spawn(info, move |pump| pump(&mut reader))
    }

    /// Start a thread that builds a reader (which may borrow things the thread owns) and hands it to
    /// `pump`, which sends its records in batches.
    pub(crate) fn spawn(
        info: SourceInfo,
        body: impl FnOnce(&mut dyn FnMut(&mut dyn TableReader)) + Send + 'static,
    ) -> Self {
        let (tx, rx) = sync_channel::<Msg>(IN_FLIGHT);
        let (back, back_rx) = sync_channel::<Vec<Record>>(IN_FLIGHT + 2);
        let handle = std::thread::Builder::new()
            .name("satudata-read".into())
            .spawn(move || {
                let mut ended = false;
                body(&mut |reader: &mut dyn TableReader| {
                    pump(reader, &tx, &back_rx);
                    ended = true;
                });
                if !ended {
                    let _ = tx.send(Msg::End);
                }
            })
            .ok();
        Prefetch {
            rx,
            back,
            batch: vec![],
            len: 0,
            pos: 0,
            info,
            ended: false,
            handle,
        }
    }
}

/// Send `reader`'s records in batches until the end, an error, or the receiver going away.
fn pump(reader: &mut dyn TableReader, tx: &SyncSender<Msg>, back_rx: &Receiver<Vec<Record>>) {
    loop {
        let mut batch = back_rx
            .try_recv()
            .unwrap_or_else(|_| vec![Record::new(); BATCH]);
        let mut n = 0;
        while n < BATCH {
            match reader.read_record(&mut batch[n]) {
                Ok(true) => n += 1,
                Ok(false) => break,
                Err(e) => {
                    if n > 0 {
                        let _ = tx.send(Msg::Batch(batch, n));
                    }
                    let _ = tx.send(Msg::Err(e));
                    return;
                }
            }
        }
        let last = n < BATCH;
        if n > 0 && tx.send(Msg::Batch(batch, n)).is_err() {
            return;
        }
        if last {
            let _ = tx.send(Msg::End);
            return;
        }
    }
}

/// Send an error from a thread body that could not build its reader.
pub(crate) struct FailedReader(pub Option<ReadError>, pub SourceInfo);

impl TableReader for FailedReader {
    fn read_record(&mut self, _rec: &mut Record) -> Result<bool, ReadError> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(false),
        }
    }
    fn info(&self) -> &SourceInfo {
        &self.1
    }
}

impl TableReader for Prefetch {
    fn read_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        loop {
            if self.pos < self.len {
                std::mem::swap(rec, &mut self.batch[self.pos]);
                self.pos += 1;
                return Ok(true);
            }
            if self.ended {
                return Ok(false);
            }
            match self.rx.recv() {
                Ok(Msg::Batch(b, n)) => {
                    let old = std::mem::replace(&mut self.batch, b);
                    if !old.is_empty() {
                        let _ = self.back.try_send(old);
                    }
                    self.len = n;
                    self.pos = 0;
                }
                Ok(Msg::End) => {
                    self.ended = true;
                    self.len = 0;
                }
                Ok(Msg::Err(e)) => {
                    self.ended = true;
                    self.len = 0;
                    return Err(e);
                }
                Err(_) => {
                    self.ended = true;
                    self.len = 0;
                    if self.handle.take().is_some_and(|h| h.join().is_err()) {
                        return Err(ReadError::Corrupt {
                            format: "CSV",
                            detail: "pembaca berhenti tiba-tiba".into(),
                        });
                    }
                }
            }
        }
    }

    fn info(&self) -> &SourceInfo {
        &self.info
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{open_bytes, records, ReadOptions};

    #[test]
    fn yields_the_same_records_in_order() {
        let mut csv = String::from("id,name\n");
        for i in 0..2000 {
            csv.push_str(&format!("{i},n{i}\n"));
            if i % 700 == 0 {
                csv.push('\n');
            }
        }
        let direct: Vec<_> = records(open_bytes(csv.as_bytes(), &ReadOptions::default()).unwrap())
            .map(Result::unwrap)
            .collect();
        let reader = crate::read::csv::CsvReader::new(
            Box::new(std::io::Cursor::new(csv.into_bytes())),
            &ReadOptions::default(),
        )
        .unwrap();
        let pre: Vec<_> = records(Prefetch::new(reader)).map(Result::unwrap).collect();
        assert_eq!(direct, pre);
    }
}
