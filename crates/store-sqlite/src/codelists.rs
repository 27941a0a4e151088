//! [`CodeListStore`] for [`SqliteStore`].

use async_trait::async_trait;
use satudata_core::codelist::{CodeList, CodeListMeta};
use satudata_core::{new_id, Id};
use satudata_store::codelists::{check, same_content};
use satudata_store::{CodeListStore, StoreResult};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row as _, SqliteConnection};

use crate::{db_err, db_err_or_conflict, json_err, now, parse_ts, ts, SqliteStore};

const COLS: &str = "id, slug, version, title, description, source, codes, created_by, created_at";

fn from_row(r: &SqliteRow) -> StoreResult<CodeList> {
    let codes: String = r.try_get("codes").map_err(db_err)?;
    Ok(CodeList {
        id: r.try_get("id").map_err(db_err)?,
        meta: CodeListMeta {
            slug: r.try_get("slug").map_err(db_err)?,
            title: r.try_get("title").map_err(db_err)?,
            description: r.try_get("description").map_err(db_err)?,
            source: r.try_get("source").map_err(db_err)?,
            codes: serde_json::from_str(&codes).map_err(json_err)?,
        },
        version: r.try_get("version").map_err(db_err)?,
        created_by: r.try_get("created_by").map_err(db_err)?,
        created_at: parse_ts(&r.try_get::<String, _>("created_at").map_err(db_err)?)?,
    })
}

async fn fetch(
    conn: &mut SqliteConnection,
    slug: &str,
    version: Option<i32>,
) -> StoreResult<Option<CodeList>> {
    let row = sqlx::query(&format!(
        "SELECT {COLS} FROM codelists WHERE slug = ? AND (? IS NULL OR version = ?) \
         ORDER BY version DESC LIMIT 1"
    ))
    .bind(slug)
    .bind(version)
    .bind(version)
    .fetch_optional(conn)
    .await
    .map_err(db_err)?;
    row.as_ref().map(from_row).transpose()
}

#[async_trait]
impl CodeListStore for SqliteStore {
    async fn create_codelist(
        &self,
        meta: CodeListMeta,
        actor: Option<Id>,
    ) -> StoreResult<CodeList> {
        check(&meta)?;
        let mut tx = self.begin_write().await?;
        let latest = fetch(tx.conn(), &meta.slug, None).await?;
        if let Some(l) = latest.as_ref().filter(|l| same_content(l, &meta)) {
            return Ok(l.clone());
        }
        let list = CodeList {
            id: new_id(),
            version: latest.map_or(1, |l| l.version + 1),
            meta,
            created_by: actor,
            created_at: now(),
        };
        sqlx::query(&format!(
            "INSERT INTO codelists ({COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(list.id)
        .bind(&list.meta.slug)
        .bind(list.version)
        .bind(&list.meta.title)
        .bind(&list.meta.description)
        .bind(&list.meta.source)
        .bind(serde_json::to_string(&list.meta.codes).map_err(json_err)?)
        .bind(list.created_by)
        .bind(ts(list.created_at))
        .execute(tx.conn())
        .await
        .map_err(|e| {
            db_err_or_conflict(e, || {
                format!(
                    "code list {} version {} was written concurrently",
                    list.meta.slug, list.version
                )
            })
        })?;
        tx.commit().await?;
        Ok(list)
    }

    async fn get_codelist(
        &self,
        slug: &str,
        version: Option<i32>,
    ) -> StoreResult<Option<CodeList>> {
        let mut conn = self.pool().acquire().await.map_err(db_err)?;
        fetch(&mut conn, slug, version).await
    }

    async fn list_codelists(&self) -> StoreResult<Vec<CodeList>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM codelists c WHERE version = \
             (SELECT MAX(version) FROM codelists d WHERE d.slug = c.slug) ORDER BY slug"
        ))
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        rows.iter().map(from_row).collect()
    }

    async fn codelist_versions(&self, slug: &str) -> StoreResult<Vec<i32>> {
        sqlx::query_scalar("SELECT version FROM codelists WHERE slug = ? ORDER BY version DESC")
            .bind(slug)
            .fetch_all(self.pool())
            .await
            .map_err(db_err)
    }
}
