//! The audit log's hash chain: each entry's hash covers the previous entry's hash and the entry
//! itself, so changing, removing or reordering any entry breaks every hash after it.
//!
//! `hash(n) = SHA-256( hash(n−1) ‖ canonical(n) )`, hex; the first entry's previous hash is
//! [`GENESIS`]. The canonical form is a fixed, length-prefixed encoding of every field (including
//! the sequence number, so entries cannot be swapped), independent of JSON key order or of how a
//! database prints times.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Id;

/// The previous hash of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What is recorded about one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditRecord {
    /// When (UTC, microseconds).
    pub at: DateTime<Utc>,
    /// Who (the user id), `None` for the public or the system.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Uuid))]
    pub actor: Option<Id>,
    /// The username at the time (`publik` for anonymous requests, `sistem` for the server).
    pub actor_name: String,
    /// What: `write` (an API or page write), `read_restricted`, `review.publish`, …
    pub action: String,
    /// On what kind of thing (`dataset`, `version`, `plan_item`, `http`, …).
    pub entity: String,
    /// Which one (an id, a slug, or the request path).
    pub entity_id: String,
    /// Details as JSON text (method, path, status, access level, …).
    pub detail: String,
    /// From where: the client address as seen by the server.
    pub ip: String,
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// 1, 2, 3, … without gaps.
    pub seq: i64,
    #[serde(flatten)]
    pub record: AuditRecord,
    pub prev_hash: String,
    pub hash: String,
}

/// The canonical bytes of an entry: `name=len:value\n` for every field, in a fixed order.
pub fn canonical(seq: i64, r: &AuditRecord) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    let at = r.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let actor = r.actor.map(|a| a.to_string()).unwrap_or_default();
    let seq = seq.to_string();
    for (name, value) in [
        ("seq", seq.as_str()),
        ("at", at.as_str()),
        ("actor", actor.as_str()),
        ("actor_name", r.actor_name.as_str()),
        ("action", r.action.as_str()),
        ("entity", r.entity.as_str()),
        ("entity_id", r.entity_id.as_str()),
        ("detail", r.detail.as_str()),
        ("ip", r.ip.as_str()),
    ] {
        out.extend_from_slice(name.as_bytes());
        out.push(b'=');
        out.extend_from_slice(value.len().to_string().as_bytes());
        out.push(b':');
        out.extend_from_slice(value.as_bytes());
        out.push(b'\n');
    }
    out
}

/// The hash of entry `seq` with record `r` after an entry whose hash is `prev`.
pub fn entry_hash(prev: &str, seq: i64, r: &AuditRecord) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(canonical(seq, r));
    hex::encode(h.finalize())
}

/// Build the next entry of a chain whose last entry is `last` (`None` for an empty log).
pub fn next_entry(last: Option<(i64, &str)>, record: AuditRecord) -> AuditEntry {
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h.to_string()),
        None => (1, GENESIS.to_string()),
    };
    let hash = entry_hash(&prev, seq, &record);
    AuditEntry {
        seq,
        record,
        prev_hash: prev,
        hash,
    }
}

/// The first entry where the chain is broken, and how (Bahasa Indonesia).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("rantai audit rusak pada entri {seq}: {reason}")]
pub struct ChainBreak {
    pub seq: i64,
    pub reason: String,
}

/// Checks entries one by one, in order, in constant memory (the log can be streamed).
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    prev_hash: String,
    prev_seq: i64,
    checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            prev_hash: GENESIS.to_string(),
            prev_seq: 0,
            checked: 0,
        }
    }
}

impl ChainVerifier {
    /// A verifier for a log from its first entry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Check the next entry.
    pub fn check(&mut self, e: &AuditEntry) -> Result<(), ChainBreak> {
        let brk = |reason: String| ChainBreak { seq: e.seq, reason };
        if e.seq != self.prev_seq + 1 {
            return Err(brk(format!(
                "nomor urut {} tidak menyambung (sebelumnya {}): ada entri yang hilang atau disisipkan",
                e.seq, self.prev_seq
            )));
        }
        if e.prev_hash != self.prev_hash {
            return Err(brk(
                "hash sebelumnya tidak cocok dengan entri sebelumnya: entri sebelumnya diubah atau dihapus"
                    .to_string(),
            ));
        }
        let expected = entry_hash(&e.prev_hash, e.seq, &e.record);
        if expected != e.hash {
            return Err(brk(
                "isi entri tidak cocok dengan hash-nya: entri ini diubah".to_string(),
            ));
        }
        self.prev_hash = e.hash.clone();
        self.prev_seq = e.seq;
        self.checked += 1;
        Ok(())
    }

    /// Entries checked so far.
    pub fn checked(&self) -> u64 {
        self.checked
    }

    /// The last verified entry: `(seq, hash)` (seq 0 and [`GENESIS`] for an empty log).
    pub fn head(&self) -> (i64, &str) {
        (self.prev_seq, &self.prev_hash)
    }
}

/// Verify a whole log, oldest first; the number of entries when it holds.
pub fn verify<'a>(entries: impl IntoIterator<Item = &'a AuditEntry>) -> Result<u64, ChainBreak> {
    let mut v = ChainVerifier::new();
    for e in entries {
        v.check(e)?;
    }
    Ok(v.checked())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(action: &str) -> AuditRecord {
        AuditRecord {
            at: "2026-11-22T07:00:00.123456Z".parse().unwrap(),
            actor: None,
            actor_name: "walidata".into(),
            action: action.into(),
            entity: "dataset".into(),
            entity_id: "jumlah-penduduk".into(),
            detail: r#"{"status":200}"#.into(),
            ip: "127.0.0.1".into(),
        }
    }

    fn chain(n: usize) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = vec![];
        for i in 0..n {
            let last = out.last().map(|e| (e.seq, e.hash.as_str()));
            let e = next_entry(last, rec(&format!("write-{i}")));
            out.push(e);
        }
        out
    }

    #[test]
    fn a_chain_verifies_and_starts_at_genesis() {
        let c = chain(5);
        assert_eq!(c[0].prev_hash, GENESIS);
        assert_eq!(c[0].seq, 1);
        assert_eq!(verify(&c), Ok(5));
        assert_eq!(verify(&[]), Ok(0));
    }

    #[test]
    fn any_change_is_found_at_the_entry_changed() {
        let mut c = chain(5);
        c[2].record.actor_name = "orang lain".into();
        let e = verify(&c).unwrap_err();
        assert_eq!(e.seq, 3);
        assert!(e.reason.contains("diubah"));
        // Rehashing the changed entry moves the break to the next one.
        c[2].hash = entry_hash(&c[2].prev_hash, 3, &c[2].record);
        assert_eq!(verify(&c).unwrap_err().seq, 4);
    }

    #[test]
    fn removed_and_swapped_entries_are_found() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(&c).unwrap_err().seq, 3);
        let mut c = chain(5);
        c.swap(1, 2);
        assert_eq!(verify(&c).unwrap_err().seq, 3);
    }

    #[test]
    fn the_canonical_form_is_unambiguous() {
        let mut a = rec("x");
        a.entity = "ab".into();
        a.entity_id = "c".into();
        let mut b = rec("x");
        b.entity = "a".into();
        b.entity_id = "bc".into();
        assert_ne!(canonical(1, &a), canonical(1, &b));
        assert_ne!(canonical(1, &a), canonical(2, &a));
    }
}
