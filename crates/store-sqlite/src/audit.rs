//! The audit log on SQLite: appended under the writer lock (one writer at a time, also across
//! processes thanks to `BEGIN IMMEDIATE`), so each entry hashes the one before and the chain never
//! forks.

use chrono::SubsecRound;
use satudata_core::audit::{next_entry, AuditEntry, AuditRecord, ChainVerifier};
use satudata_store::governance::{AuditQuery, AuditVerification};
use satudata_store::{Page, StoreResult};
use sqlx::sqlite::SqliteRow;
use sqlx::Row as _;

use crate::{db_err, offset_i64, page_limit, parse_ts, ts, SqliteStore};

/// Entries read per batch when verifying.
const VERIFY_BATCH: i64 = 5_000;

const COLS: &str =
    "seq, at, actor, actor_name, action, entity, entity_id, detail, ip, prev_hash, hash";

fn entry_from_row(r: &SqliteRow) -> StoreResult<AuditEntry> {
    Ok(AuditEntry {
        seq: r.try_get("seq").map_err(db_err)?,
        record: AuditRecord {
            at: parse_ts(&r.try_get::<String, _>("at").map_err(db_err)?)?,
            actor: r.try_get("actor").map_err(db_err)?,
            actor_name: r.try_get("actor_name").map_err(db_err)?,
            action: r.try_get("action").map_err(db_err)?,
            entity: r.try_get("entity").map_err(db_err)?,
            entity_id: r.try_get("entity_id").map_err(db_err)?,
            detail: r.try_get("detail").map_err(db_err)?,
            ip: r.try_get("ip").map_err(db_err)?,
        },
        prev_hash: r.try_get("prev_hash").map_err(db_err)?,
        hash: r.try_get("hash").map_err(db_err)?,
    })
}

impl SqliteStore {
    pub(crate) async fn append_audit_impl(
        &self,
        mut record: AuditRecord,
    ) -> StoreResult<AuditEntry> {
        // What is stored is what is hashed: times keep microseconds.
        record.at = record.at.trunc_subsecs(6);
        let mut tx = self.begin_write().await?;
        let last: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(tx.conn())
                .await
                .map_err(db_err)?;
        let e = next_entry(last.as_ref().map(|(s, h)| (*s, h.as_str())), record);
        sqlx::query(&format!(
            "INSERT INTO audit_log ({COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(e.seq)
        .bind(ts(e.record.at))
        .bind(e.record.actor)
        .bind(&e.record.actor_name)
        .bind(&e.record.action)
        .bind(&e.record.entity)
        .bind(&e.record.entity_id)
        .bind(&e.record.detail)
        .bind(&e.record.ip)
        .bind(&e.prev_hash)
        .bind(&e.hash)
        .execute(tx.conn())
        .await
        .map_err(db_err)?;
        tx.commit().await?;
        Ok(e)
    }

    pub(crate) async fn list_audit_impl(&self, q: &AuditQuery) -> StoreResult<Page<AuditEntry>> {
        let wh = "(? IS NULL OR actor_name = ?) AND (? IS NULL OR action = ?) AND (? IS NULL OR entity = ?) \
                  AND (? IS NULL OR entity_id = ?) AND (? IS NULL OR at >= ?) AND (? IS NULL OR at < ?) \
                  AND (? IS NULL OR seq > ?)";
        let since = q.since.map(ts);
        let until = q.until.map(ts);
        macro_rules! binds {
            ($query:expr) => {
                $query
                    .bind(&q.actor_name)
                    .bind(&q.actor_name)
                    .bind(&q.action)
                    .bind(&q.action)
                    .bind(&q.entity)
                    .bind(&q.entity)
                    .bind(&q.entity_id)
                    .bind(&q.entity_id)
                    .bind(&since)
                    .bind(&since)
                    .bind(&until)
                    .bind(&until)
                    .bind(q.after_seq)
                    .bind(q.after_seq)
            };
        }
        let total: i64 = binds!(sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE {wh}"
        )))
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        let limit = page_limit(q.limit);
        let rows = binds!(sqlx::query(&format!(
            "SELECT {COLS} FROM audit_log WHERE {wh} ORDER BY seq DESC LIMIT ? OFFSET ?"
        )))
        .bind(i64::from(limit))
        .bind(offset_i64(q.offset))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(Page {
            items: rows
                .iter()
                .map(entry_from_row)
                .collect::<StoreResult<_>>()?,
            total: total as u64,
            limit,
            offset: q.offset,
        })
    }

    pub(crate) async fn verify_audit_impl(&self) -> StoreResult<AuditVerification> {
        let mut v = ChainVerifier::new();
        let mut after = 0i64;
        loop {
            let rows = sqlx::query(&format!(
                "SELECT {COLS} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?"
            ))
            .bind(after)
            .bind(VERIFY_BATCH)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
            for r in &rows {
                let e = entry_from_row(r)?;
                after = e.seq;
                if let Err(broken) = v.check(&e) {
                    let (seq, hash) = v.head();
                    return Ok(AuditVerification {
                        verified: v.checked(),
                        head_seq: seq,
                        head_hash: hash.to_string(),
                        broken: Some(broken),
                    });
                }
            }
            if (rows.len() as i64) < VERIFY_BATCH {
                break;
            }
        }
        let (seq, hash) = v.head();
        Ok(AuditVerification {
            verified: v.checked(),
            head_seq: seq,
            head_hash: hash.to_string(),
            broken: None,
        })
    }
}
