//! Organisations, topics, datasets and resources.

use satudata_core::dataset::{Dataset, DatasetMeta, NewResource, Resource, ResourceKind, Topic};
use satudata_core::organization::{Organization, OrganizationMeta};
use satudata_core::{new_id, Id};
use satudata_store::checks::{
    check_dataset, check_org, check_resource, check_topic, dotted_region,
};
use satudata_store::rowtable::{column_name, is_indexed_field, row_table_name};
use satudata_store::{DatasetQuery, OrgQuery, Page, StoreError, StoreResult};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Row as _, Sqlite, SqliteConnection};

use crate::{
    append_change, db_err, db_err_or_conflict, json_err, like_pattern, now, offset_i64, page_limit,
    parse_ts, ts, SqliteStore,
};

/// A bind value of a dynamically built statement.
#[derive(Clone)]
pub(crate) enum Arg {
    Text(String),
    Int(i64),
    Id(Id),
}

pub(crate) fn bind_args<'q>(
    mut q: sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>>,
    args: &[Arg],
) -> sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>> {
    for a in args {
        q = match a {
            Arg::Text(s) => q.bind(s.clone()),
            Arg::Int(i) => q.bind(*i),
            Arg::Id(id) => q.bind(*id),
        };
    }
    q
}

fn org_from_row(r: &SqliteRow) -> StoreResult<Organization> {
    let meta: String = r.try_get("meta").map_err(db_err)?;
    Ok(Organization {
        id: r.try_get("id").map_err(db_err)?,
        meta: serde_json::from_str(&meta).map_err(json_err)?,
        created_at: parse_ts(&r.try_get::<String, _>("created_at").map_err(db_err)?)?,
        updated_at: parse_ts(&r.try_get::<String, _>("updated_at").map_err(db_err)?)?,
        seq: r.try_get("seq").map_err(db_err)?,
    })
}

pub(crate) fn dataset_from_row(r: &SqliteRow) -> StoreResult<Dataset> {
    let meta: String = r.try_get("meta").map_err(db_err)?;
    Ok(Dataset {
        id: r.try_get("id").map_err(db_err)?,
        meta: serde_json::from_str(&meta).map_err(json_err)?,
        created_at: parse_ts(&r.try_get::<String, _>("created_at").map_err(db_err)?)?,
        updated_at: parse_ts(&r.try_get::<String, _>("updated_at").map_err(db_err)?)?,
        seq: r.try_get("seq").map_err(db_err)?,
    })
}

pub(crate) fn resource_from_row(r: &SqliteRow) -> StoreResult<Resource> {
    let body: String = r.try_get("body").map_err(db_err)?;
    Ok(Resource {
        id: r.try_get("id").map_err(db_err)?,
        dataset_id: r.try_get("dataset_id").map_err(db_err)?,
        name: r.try_get("name").map_err(db_err)?,
        title: r.try_get("title").map_err(db_err)?,
        description: r.try_get("description").map_err(db_err)?,
        kind: serde_json::from_str(&body).map_err(json_err)?,
        created_at: parse_ts(&r.try_get::<String, _>("created_at").map_err(db_err)?)?,
        updated_at: parse_ts(&r.try_get::<String, _>("updated_at").map_err(db_err)?)?,
        seq: r.try_get("seq").map_err(db_err)?,
    })
}

const ORG_COLS: &str = "id, meta, created_at, updated_at, seq";
const DATASET_COLS: &str = "id, meta, created_at, updated_at, seq";
pub(crate) const RESOURCE_COLS: &str =
    "id, dataset_id, name, title, description, body, created_at, updated_at, seq";

fn kind_name(kind: &ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Table { .. } => "table",
        ResourceKind::File { .. } => "file",
    }
}

fn sql_type(t: satudata_core::schema::StorageType) -> &'static str {
    use satudata_core::schema::StorageType as S;
    match t {
        S::Integer | S::Boolean => "INTEGER",
        S::Real => "REAL",
        S::Text | S::Date | S::DateTime => "TEXT",
    }
}

async fn create_row_table(
    conn: &mut SqliteConnection,
    resource_id: Id,
    kind: &ResourceKind,
) -> StoreResult<()> {
    let ResourceKind::Table { schema } = kind else {
        return Ok(());
    };
    let table = row_table_name(resource_id);
    let mut ddl = format!(
        "CREATE TABLE {table} (_ord INTEGER NOT NULL, _hash BLOB NOT NULL, _vfrom INTEGER NOT NULL, _vto INTEGER"
    );
    for (i, f) in schema.fields.iter().enumerate() {
        ddl.push_str(&format!(
            ", {} {}",
            column_name(i),
            sql_type(f.storage_type())
        ));
    }
    ddl.push(')');
    sqlx::query(&ddl)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    // The current version in upload order; any version in upload order (keyset paging).
    let mut stmts = vec![
        format!("CREATE INDEX {table}_cur ON {table} (_vto, _ord)"),
        format!("CREATE INDEX {table}_ord ON {table} (_ord)"),
    ];
    for (i, f) in schema.fields.iter().enumerate() {
        if is_indexed_field(f) {
            let c = column_name(i);
            stmts.push(format!(
                "CREATE INDEX {table}_{c} ON {table} ({c}, _vto, _ord)"
            ));
        }
    }
    for s in stmts {
        sqlx::query(&s).execute(&mut *conn).await.map_err(db_err)?;
    }
    Ok(())
}

async fn org_exists(conn: &mut SqliteConnection, id: Id) -> StoreResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM organizations WHERE id = ? AND deleted_at IS NULL",
    )
    .bind(id)
    .fetch_one(conn)
    .await
    .map_err(db_err)?;
    Ok(n > 0)
}

async fn replace_dataset_terms(
    conn: &mut SqliteConnection,
    id: Id,
    meta: &DatasetMeta,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM dataset_topics WHERE dataset_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    sqlx::query("DELETE FROM dataset_tags WHERE dataset_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    for t in &meta.topics {
        sqlx::query(
            "INSERT INTO dataset_topics (dataset_id, topic) VALUES (?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(t)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    }
    for t in &meta.tags {
        sqlx::query(
            "INSERT INTO dataset_tags (dataset_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(t)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

impl SqliteStore {
    pub(crate) async fn create_organization_impl(
        &self,
        meta: OrganizationMeta,
        actor: Option<Id>,
    ) -> StoreResult<Organization> {
        let meta = check_org(meta)?;
        let mut tx = self.begin_write().await?;
        let org = insert_org(tx.conn(), meta, actor).await?;
        tx.commit().await?;
        Ok(org)
    }

    pub(crate) async fn create_organizations_impl(
        &self,
        metas: Vec<OrganizationMeta>,
        actor: Option<Id>,
    ) -> StoreResult<u64> {
        let metas = metas
            .into_iter()
            .map(check_org)
            .collect::<StoreResult<Vec<_>>>()?;
        let mut tx = self.begin_write().await?;
        let mut created = 0;
        for meta in metas {
            let exists: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM organizations WHERE slug = ?")
                    .bind(&meta.slug)
                    .fetch_one(tx.conn())
                    .await
                    .map_err(db_err)?;
            if exists == 0 {
                insert_org(tx.conn(), meta, actor).await?;
                created += 1;
            }
        }
        tx.commit().await?;
        Ok(created)
    }

    pub(crate) async fn update_organization_impl(
        &self,
        id: Id,
        meta: OrganizationMeta,
        actor: Option<Id>,
    ) -> StoreResult<Organization> {
        let meta = check_org(meta)?;
        if meta.parent_id == Some(id) {
            return Err(StoreError::Invalid(
                "Organisasi tidak bisa menjadi induk dirinya sendiri.".to_string(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let created: Option<String> = sqlx::query_scalar(
            "SELECT created_at FROM organizations WHERE id = ? AND deleted_at IS NULL",
        )
        .bind(id)
        .fetch_optional(tx.conn())
        .await
        .map_err(db_err)?;
        let created = created.ok_or_else(|| StoreError::NotFound(format!("organization {id}")))?;
        if let Some(p) = meta.parent_id {
            if !org_exists(tx.conn(), p).await? {
                return Err(StoreError::Invalid(format!(
                    "organisasi induk {p} tidak ada"
                )));
            }
        }
        let at = now();
        let seq = append_change(tx.conn(), "organization", id, "update", actor, at).await?;
        let json = serde_json::to_string(&meta).map_err(json_err)?;
        sqlx::query(
            "UPDATE organizations SET slug = ?, name = ?, acronym = ?, kind = ?, region_code = ?, parent_id = ?, \
             meta = ?, updated_at = ?, seq = ? WHERE id = ?",
        )
        .bind(&meta.slug)
        .bind(&meta.name)
        .bind(&meta.acronym)
        .bind(meta.kind.as_str())
        .bind(&meta.region_code)
        .bind(meta.parent_id)
        .bind(json)
        .bind(ts(at))
        .bind(seq)
        .bind(id)
        .execute(tx.conn())
        .await
        .map_err(|e| db_err_or_conflict(e, || format!("an organization with slug '{}' already exists", meta.slug)))?;
        tx.commit().await?;
        Ok(Organization {
            id,
            meta,
            created_at: parse_ts(&created)?,
            updated_at: at,
            seq,
        })
    }

    pub(crate) async fn get_organization_impl(
        &self,
        id_or_slug: &str,
    ) -> StoreResult<Option<Organization>> {
        let row = match Id::parse_str(id_or_slug) {
            Ok(id) => sqlx::query(&format!(
                "SELECT {ORG_COLS} FROM organizations WHERE id = ? AND deleted_at IS NULL"
            ))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?,
            Err(_) => sqlx::query(&format!(
                "SELECT {ORG_COLS} FROM organizations WHERE slug = ? AND deleted_at IS NULL"
            ))
            .bind(id_or_slug)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?,
        };
        row.as_ref().map(org_from_row).transpose()
    }

    pub(crate) async fn list_organizations_impl(
        &self,
        query: &OrgQuery,
    ) -> StoreResult<Page<Organization>> {
        let mut wh = vec!["deleted_at IS NULL".to_string()];
        let mut args = vec![];
        if let Some(k) = query.kind {
            wh.push("kind = ?".into());
            args.push(Arg::Text(k.as_str().into()));
        }
        if let Some(code) = &query.within_region {
            let code = dotted_region(code)?;
            wh.push("(region_code LIKE ? OR region_code = ?)".into());
            args.push(Arg::Text(format!("{code}.%")));
            args.push(Arg::Text(code));
        }
        if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            wh.push("(name LIKE ? ESCAPE '\\' OR acronym LIKE ? ESCAPE '\\')".into());
            args.push(Arg::Text(like_pattern(q)));
            args.push(Arg::Text(like_pattern(q)));
        }
        let wh = wh.join(" AND ");
        let total: i64 = bind_args(
            sqlx::query(&format!("SELECT COUNT(*) FROM organizations WHERE {wh}")),
            &args,
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?
        .try_get(0)
        .map_err(db_err)?;
        let limit = page_limit(query.limit);
        args.push(Arg::Int(i64::from(limit)));
        args.push(Arg::Int(offset_i64(query.offset)));
        let rows = bind_args(
            sqlx::query(&format!(
                "SELECT {ORG_COLS} FROM organizations WHERE {wh} ORDER BY name, id LIMIT ? OFFSET ?"
            )),
            &args,
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(Page {
            items: rows.iter().map(org_from_row).collect::<StoreResult<_>>()?,
            total: total as u64,
            limit,
            offset: query.offset,
        })
    }

    pub(crate) async fn upsert_topic_impl(
        &self,
        topic: Topic,
        actor: Option<Id>,
    ) -> StoreResult<Topic> {
        check_topic(&topic)?;
        let mut tx = self.begin_write().await?;
        let existing: Option<Id> = sqlx::query_scalar("SELECT id FROM topics WHERE slug = ?")
            .bind(&topic.slug)
            .fetch_optional(tx.conn())
            .await
            .map_err(db_err)?;
        let at = now();
        match existing {
            Some(id) => {
                let seq = append_change(tx.conn(), "topic", id, "update", actor, at).await?;
                sqlx::query("UPDATE topics SET name = ?, name_en = ?, description = ?, updated_at = ?, seq = ? WHERE id = ?")
                    .bind(&topic.name)
                    .bind(&topic.name_en)
                    .bind(&topic.description)
                    .bind(ts(at))
                    .bind(seq)
                    .bind(id)
                    .execute(tx.conn())
                    .await
                    .map_err(db_err)?;
            }
            None => {
                let id = new_id();
                let seq = append_change(tx.conn(), "topic", id, "create", actor, at).await?;
                sqlx::query(
                    "INSERT INTO topics (id, slug, name, name_en, description, created_at, updated_at, seq) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(id)
                .bind(&topic.slug)
                .bind(&topic.name)
                .bind(&topic.name_en)
                .bind(&topic.description)
                .bind(ts(at))
                .bind(ts(at))
                .bind(seq)
                .execute(tx.conn())
                .await
                .map_err(db_err)?;
            }
        }
        tx.commit().await?;
        Ok(topic)
    }

    pub(crate) async fn list_topics_impl(&self) -> StoreResult<Vec<Topic>> {
        let rows = sqlx::query("SELECT slug, name, name_en, description FROM topics ORDER BY slug")
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(Topic {
                    slug: r.try_get("slug").map_err(db_err)?,
                    name: r.try_get("name").map_err(db_err)?,
                    name_en: r.try_get("name_en").map_err(db_err)?,
                    description: r.try_get("description").map_err(db_err)?,
                })
            })
            .collect()
    }

    pub(crate) async fn create_dataset_impl(
        &self,
        meta: DatasetMeta,
        actor: Option<Id>,
    ) -> StoreResult<Dataset> {
        check_dataset(&meta)?;
        let mut tx = self.begin_write().await?;
        if !org_exists(tx.conn(), meta.organization_id).await? {
            return Err(StoreError::Invalid(format!(
                "organisasi {} tidak ada",
                meta.organization_id
            )));
        }
        let id = new_id();
        let at = now();
        let seq = append_change(tx.conn(), "dataset", id, "create", actor, at).await?;
        let json = serde_json::to_string(&meta).map_err(json_err)?;
        sqlx::query(
            "INSERT INTO datasets (id, slug, title, description, organization_id, access, meta, created_at, updated_at, seq) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(&meta.slug)
        .bind(&meta.title)
        .bind(&meta.description)
        .bind(meta.organization_id)
        .bind(meta.access.as_str())
        .bind(json)
        .bind(ts(at))
        .bind(ts(at))
        .bind(seq)
        .execute(tx.conn())
        .await
        .map_err(|e| db_err_or_conflict(e, || format!("a dataset with slug '{}' already exists", meta.slug)))?;
        replace_dataset_terms(tx.conn(), id, &meta).await?;
        tx.commit().await?;
        Ok(Dataset {
            id,
            meta,
            created_at: at,
            updated_at: at,
            seq,
        })
    }

    pub(crate) async fn update_dataset_impl(
        &self,
        id: Id,
        meta: DatasetMeta,
        actor: Option<Id>,
    ) -> StoreResult<Dataset> {
        check_dataset(&meta)?;
        let mut tx = self.begin_write().await?;
        let created: Option<String> = sqlx::query_scalar(
            "SELECT created_at FROM datasets WHERE id = ? AND deleted_at IS NULL",
        )
        .bind(id)
        .fetch_optional(tx.conn())
        .await
        .map_err(db_err)?;
        let created = created.ok_or_else(|| StoreError::NotFound(format!("dataset {id}")))?;
        if !org_exists(tx.conn(), meta.organization_id).await? {
            return Err(StoreError::Invalid(format!(
                "organisasi {} tidak ada",
                meta.organization_id
            )));
        }
        let at = now();
        let seq = append_change(tx.conn(), "dataset", id, "update", actor, at).await?;
        let json = serde_json::to_string(&meta).map_err(json_err)?;
        sqlx::query(
            "UPDATE datasets SET slug = ?, title = ?, description = ?, organization_id = ?, access = ?, meta = ?, \
             updated_at = ?, seq = ? WHERE id = ?",
        )
        .bind(&meta.slug)
        .bind(&meta.title)
        .bind(&meta.description)
        .bind(meta.organization_id)
        .bind(meta.access.as_str())
        .bind(json)
        .bind(ts(at))
        .bind(seq)
        .bind(id)
        .execute(tx.conn())
        .await
        .map_err(|e| db_err_or_conflict(e, || format!("a dataset with slug '{}' already exists", meta.slug)))?;
        replace_dataset_terms(tx.conn(), id, &meta).await?;
        tx.commit().await?;
        Ok(Dataset {
            id,
            meta,
            created_at: parse_ts(&created)?,
            updated_at: at,
            seq,
        })
    }

    pub(crate) async fn delete_dataset_impl(&self, id: Id, actor: Option<Id>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let found: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM datasets WHERE id = ? AND deleted_at IS NULL")
                .bind(id)
                .fetch_one(tx.conn())
                .await
                .map_err(db_err)?;
        if found == 0 {
            return Err(StoreError::NotFound(format!("dataset {id}")));
        }
        let at = now();
        let resources: Vec<Id> = sqlx::query_scalar(
            "SELECT id FROM resources WHERE dataset_id = ? AND deleted_at IS NULL ORDER BY id",
        )
        .bind(id)
        .fetch_all(tx.conn())
        .await
        .map_err(db_err)?;
        for rid in resources {
            let seq = append_change(tx.conn(), "resource", rid, "delete", actor, at).await?;
            sqlx::query(
                "UPDATE resources SET deleted_at = ?, updated_at = ?, seq = ? WHERE id = ?",
            )
            .bind(ts(at))
            .bind(ts(at))
            .bind(seq)
            .bind(rid)
            .execute(tx.conn())
            .await
            .map_err(db_err)?;
        }
        let seq = append_change(tx.conn(), "dataset", id, "delete", actor, at).await?;
        sqlx::query("UPDATE datasets SET deleted_at = ?, updated_at = ?, seq = ? WHERE id = ?")
            .bind(ts(at))
            .bind(ts(at))
            .bind(seq)
            .bind(id)
            .execute(tx.conn())
            .await
            .map_err(db_err)?;
        tx.commit().await
    }

    pub(crate) async fn get_dataset_impl(&self, id_or_slug: &str) -> StoreResult<Option<Dataset>> {
        let row = match Id::parse_str(id_or_slug) {
            Ok(id) => sqlx::query(&format!(
                "SELECT {DATASET_COLS} FROM datasets WHERE id = ? AND deleted_at IS NULL"
            ))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?,
            Err(_) => sqlx::query(&format!(
                "SELECT {DATASET_COLS} FROM datasets WHERE slug = ? AND deleted_at IS NULL"
            ))
            .bind(id_or_slug)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?,
        };
        row.as_ref().map(dataset_from_row).transpose()
    }

    /// The WHERE clause (over `datasets d`) of a dataset query, with its parameters.
    pub(crate) fn dataset_where(&self, query: &DatasetQuery) -> (String, Vec<Arg>) {
        let mut wh = vec!["d.deleted_at IS NULL".to_string()];
        let mut args = vec![];
        if let Some(org) = query.organization_id {
            wh.push("d.organization_id = ?".into());
            args.push(Arg::Id(org));
        }
        if let Some(t) = &query.topic {
            wh.push("d.id IN (SELECT dataset_id FROM dataset_topics WHERE topic = ?)".into());
            args.push(Arg::Text(t.clone()));
        }
        if let Some(t) = &query.tag {
            wh.push("d.id IN (SELECT dataset_id FROM dataset_tags WHERE tag = ?)".into());
            args.push(Arg::Text(t.clone()));
        }
        if !query.access.is_empty() {
            let mut alts = vec![format!(
                "d.access IN ({})",
                vec!["?"; query.access.len()].join(", ")
            )];
            for a in &query.access {
                args.push(Arg::Text(a.as_str().into()));
            }
            if !query.also_organizations.is_empty() {
                alts.push(format!(
                    "d.organization_id IN ({})",
                    vec!["?"; query.also_organizations.len()].join(", ")
                ));
                for o in &query.also_organizations {
                    args.push(Arg::Id(*o));
                }
            }
            wh.push(format!("({})", alts.join(" OR ")));
        }
        if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            wh.push("(d.title LIKE ? ESCAPE '\\' OR d.description LIKE ? ESCAPE '\\')".into());
            args.push(Arg::Text(like_pattern(q)));
            args.push(Arg::Text(like_pattern(q)));
        }
        if let Some(s) = query.since_seq {
            wh.push("d.seq > ?".into());
            args.push(Arg::Int(s));
        }
        if let Some(c) = &query.condition {
            wh.push(crate::search::condition_sql(c, &mut args));
        }
        (wh.join(" AND "), args)
    }

    pub(crate) async fn list_datasets_impl(
        &self,
        query: &DatasetQuery,
    ) -> StoreResult<Page<Dataset>> {
        let (wh, mut args) = self.dataset_where(query);
        let order = if !query.sort.is_empty() {
            crate::search::order_sql(&query.sort)
        } else if query.since_seq.is_some() {
            "d.seq".to_string()
        } else {
            "lower(d.title), d.id".to_string()
        };

        let total: i64 = bind_args(
            sqlx::query(&format!("SELECT COUNT(*) FROM datasets d WHERE {wh}")),
            &args,
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?
        .try_get(0)
        .map_err(db_err)?;
        let limit = page_limit(query.limit);
        args.push(Arg::Int(i64::from(limit)));
        args.push(Arg::Int(offset_i64(query.offset)));
        let rows = bind_args(
            sqlx::query(&format!(
                "SELECT d.id, d.meta, d.created_at, d.updated_at, d.seq FROM datasets d WHERE {wh} \
                 ORDER BY {order} LIMIT ? OFFSET ?"
            )),
            &args,
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(Page {
            items: rows
                .iter()
                .map(dataset_from_row)
                .collect::<StoreResult<_>>()?,
            total: total as u64,
            limit,
            offset: query.offset,
        })
    }

    pub(crate) async fn create_resource_impl(
        &self,
        dataset_id: Id,
        new: NewResource,
        actor: Option<Id>,
    ) -> StoreResult<Resource> {
        check_resource(&new)?;
        let mut tx = self.begin_write().await?;
        let found: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM datasets WHERE id = ? AND deleted_at IS NULL")
                .bind(dataset_id)
                .fetch_one(tx.conn())
                .await
                .map_err(db_err)?;
        if found == 0 {
            return Err(StoreError::NotFound(format!("dataset {dataset_id}")));
        }
        let id = new_id();
        let at = now();
        let seq = append_change(tx.conn(), "resource", id, "create", actor, at).await?;
        let body = serde_json::to_string(&new.kind).map_err(json_err)?;
        sqlx::query(
            "INSERT INTO resources (id, dataset_id, name, title, description, kind, body, created_at, updated_at, seq) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(dataset_id)
        .bind(&new.name)
        .bind(&new.title)
        .bind(&new.description)
        .bind(kind_name(&new.kind))
        .bind(body)
        .bind(ts(at))
        .bind(ts(at))
        .bind(seq)
        .execute(tx.conn())
        .await
        .map_err(|e| db_err_or_conflict(e, || format!("the dataset already has a resource named '{}'", new.name)))?;
        create_row_table(tx.conn(), id, &new.kind).await?;
        tx.commit().await?;
        Ok(Resource {
            id,
            dataset_id,
            name: new.name,
            title: new.title,
            description: new.description,
            kind: new.kind,
            created_at: at,
            updated_at: at,
            seq,
        })
    }

    pub(crate) async fn get_resource_impl(&self, id: Id) -> StoreResult<Option<Resource>> {
        let row = sqlx::query(&format!(
            "SELECT {RESOURCE_COLS} FROM resources WHERE id = ? AND deleted_at IS NULL"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.as_ref().map(resource_from_row).transpose()
    }

    pub(crate) async fn list_resources_impl(&self, dataset_id: Id) -> StoreResult<Vec<Resource>> {
        let rows = sqlx::query(&format!(
            "SELECT {RESOURCE_COLS} FROM resources WHERE dataset_id = ? AND deleted_at IS NULL ORDER BY id"
        ))
        .bind(dataset_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(resource_from_row).collect()
    }

    pub(crate) async fn delete_resource_impl(&self, id: Id, actor: Option<Id>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let found: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM resources WHERE id = ? AND deleted_at IS NULL",
        )
        .bind(id)
        .fetch_one(tx.conn())
        .await
        .map_err(db_err)?;
        if found == 0 {
            return Err(StoreError::NotFound(format!("resource {id}")));
        }
        let at = now();
        let seq = append_change(tx.conn(), "resource", id, "delete", actor, at).await?;
        sqlx::query("UPDATE resources SET deleted_at = ?, updated_at = ?, seq = ? WHERE id = ?")
            .bind(ts(at))
            .bind(ts(at))
            .bind(seq)
            .bind(id)
            .execute(tx.conn())
            .await
            .map_err(db_err)?;
        tx.commit().await
    }
}

async fn insert_org(
    conn: &mut SqliteConnection,
    meta: OrganizationMeta,
    actor: Option<Id>,
) -> StoreResult<Organization> {
    if let Some(p) = meta.parent_id {
        if !org_exists(&mut *conn, p).await? {
            return Err(StoreError::Invalid(format!(
                "organisasi induk {p} tidak ada"
            )));
        }
    }
    let id = new_id();
    let at = now();
    let seq = append_change(&mut *conn, "organization", id, "create", actor, at).await?;
    let json = serde_json::to_string(&meta).map_err(json_err)?;
    sqlx::query(
        "INSERT INTO organizations (id, slug, name, acronym, kind, region_code, parent_id, meta, created_at, updated_at, seq) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(&meta.slug)
    .bind(&meta.name)
    .bind(&meta.acronym)
    .bind(meta.kind.as_str())
    .bind(&meta.region_code)
    .bind(meta.parent_id)
    .bind(json)
    .bind(ts(at))
    .bind(ts(at))
    .bind(seq)
    .execute(&mut *conn)
    .await
    .map_err(|e| db_err_or_conflict(e, || format!("an organization with slug '{}' already exists", meta.slug)))?;
    Ok(Organization {
        id,
        meta,
        created_at: at,
        updated_at: at,
        seq,
    })
}
