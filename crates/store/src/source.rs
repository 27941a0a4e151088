//! Where the rows of a new version come from.

use async_trait::async_trait;
use satudata_core::row::Row;

/// A stream of typed rows, read in batches so memory stays bounded whatever the size of the input.
#[async_trait]
pub trait RowSource: Send {
    /// The next batch, `Ok(None)` at the end. An `Err` aborts the version: nothing is written.
    async fn next_batch(&mut self) -> Result<Option<Vec<Row>>, String>;

    /// What the source wants kept with the job that made the version (an import's validation
    /// report), asked once after the last batch. `None` by default.
    fn report(&self) -> Option<serde_json::Value> {
        None
    }
}

/// Rows held in memory (tests, small tables).
pub struct VecRowSource {
    rows: Option<Vec<Row>>,
}

impl VecRowSource {
    pub fn new(rows: Vec<Row>) -> Self {
        VecRowSource { rows: Some(rows) }
    }
}

#[async_trait]
impl RowSource for VecRowSource {
    async fn next_batch(&mut self) -> Result<Option<Vec<Row>>, String> {
        Ok(self.rows.take())
    }
}

/// Rows arriving over a channel from a reader running on a blocking thread.
pub struct ChannelRowSource {
    rx: tokio::sync::mpsc::Receiver<Result<Vec<Row>, String>>,
}

impl ChannelRowSource {
    pub fn new(rx: tokio::sync::mpsc::Receiver<Result<Vec<Row>, String>>) -> Self {
        ChannelRowSource { rx }
    }
}

#[async_trait]
impl RowSource for ChannelRowSource {
    async fn next_batch(&mut self) -> Result<Option<Vec<Row>>, String> {
        match self.rx.recv().await {
            None => Ok(None),
            Some(r) => r.map(Some),
        }
    }
}
