//! [`BoundaryStore`] for [`PostgresStore`].

use async_trait::async_trait;
use satudata_core::region::Level;
use satudata_core::Id;
use satudata_store::boundaries::{
    check, level_str, parse_level, within_prefix, Boundary, NewBoundary,
};
use satudata_store::{BoundaryStore, StoreResult};
use sqlx::Row as _;

use crate::{db_err, now, PostgresStore};

#[async_trait]
impl BoundaryStore for PostgresStore {
    async fn put_boundaries(
        &self,
        items: &[NewBoundary],
        source: &str,
        actor: Option<Id>,
    ) -> StoreResult<u64> {
        check(items)?;
        let at = now();
        let mut tx = self.begin().await?;
        for b in items {
            sqlx::query(
                "INSERT INTO boundaries (code, level, name, geometry, simplified, source, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (code) DO UPDATE SET level = excluded.level, name = excluded.name, \
                 geometry = excluded.geometry, simplified = excluded.simplified, source = excluded.source, \
                 updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            )
            .bind(&b.code)
            .bind(level_str(b.level))
            .bind(&b.name)
            .bind(&b.geometry)
            .bind(&b.simplified)
            .bind(source)
            .bind(actor)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(items.len() as u64)
    }

    async fn get_boundary(&self, code: &str) -> StoreResult<Option<Boundary>> {
        let row = sqlx::query(
            "SELECT code, level, name, geometry, simplified, source, updated_by, updated_at \
             FROM boundaries WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.map(|r| from_row(&r)).transpose()
    }

    async fn list_boundaries(
        &self,
        within: &str,
        level: Level,
        full: bool,
    ) -> StoreResult<Vec<Boundary>> {
        let prefix = within_prefix(within)?;
        let geometry = if full { "geometry" } else { "'' AS geometry" };
        let rows = sqlx::query(&format!(
            "SELECT code, level, name, {geometry}, simplified, source, updated_by, updated_at \
             FROM boundaries WHERE level = $1 AND code LIKE $2 ORDER BY code COLLATE \"C\""
        ))
        .bind(level_str(level))
        .bind(format!("{prefix}%"))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(from_row).collect()
    }
}

fn from_row(r: &sqlx::postgres::PgRow) -> StoreResult<Boundary> {
    Ok(Boundary {
        code: r.try_get("code").map_err(db_err)?,
        level: parse_level(&r.try_get::<String, _>("level").map_err(db_err)?)?,
        name: r.try_get("name").map_err(db_err)?,
        geometry: r.try_get("geometry").map_err(db_err)?,
        simplified: r.try_get("simplified").map_err(db_err)?,
        source: r.try_get("source").map_err(db_err)?,
        updated_by: r.try_get("updated_by").map_err(db_err)?,
        updated_at: r.try_get("updated_at").map_err(db_err)?,
    })
}
