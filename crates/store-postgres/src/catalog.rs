//! Organisations, topics, datasets and resources.

use satudata_core::dataset::{Dataset, DatasetMeta, NewResource, Resource, ResourceKind, Topic};
use satudata_core::organization::{Organization, OrganizationMeta};
use satudata_core::schema::StorageType;
use satudata_core::{new_id, Id};
use satudata_store::checks::{
    check_dataset, check_org, check_resource, check_topic, dotted_region,
};
use satudata_store::rowtable::{column_name, is_indexed_field, row_table_name};
use satudata_store::{DatasetQuery, OrgQuery, Page, StoreError, StoreResult};
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{PgConnection, Postgres, Row as _};

use crate::{
    db_err, db_err_or_conflict, json_err, like_pattern, now, offset_i64, page_limit, stamp,
    PostgresStore,
};

/// A bind value of a dynamically built statement.
pub(crate) enum Arg {
    Text(String),
    Texts(Vec<String>),
    Int(i64),
    Id(Id),
    Ids(Vec<Id>),
    Time(chrono::DateTime<chrono::Utc>),
}

/// Collects the binds of a dynamically built statement and hands out their `$n` placeholders.
#[derive(Default)]
pub(crate) struct Args(Vec<Arg>);

impl Args {
    pub(crate) fn push(&mut self, a: Arg) -> String {
        self.0.push(a);
        format!("${}", self.0.len())
    }

    pub(crate) fn bind<'q>(
        &self,
        mut q: sqlx::query::Query<'q, Postgres, PgArguments>,
    ) -> sqlx::query::Query<'q, Postgres, PgArguments> {
        for a in &self.0 {
            q = match a {
                Arg::Text(s) => q.bind(s.clone()),
                Arg::Texts(v) => q.bind(v.clone()),
                Arg::Int(i) => q.bind(*i),
                Arg::Id(id) => q.bind(*id),
                Arg::Ids(v) => q.bind(v.clone()),
                Arg::Time(t) => q.bind(*t),
            };
        }
        q
    }
}

fn org_from_row(r: &PgRow) -> StoreResult<Organization> {
    let meta: String = r.try_get("meta").map_err(db_err)?;
    Ok(Organization {
        id: r.try_get("id").map_err(db_err)?,
        meta: serde_json::from_str(&meta).map_err(json_err)?,
        created_at: r.try_get("created_at").map_err(db_err)?,
        updated_at: r.try_get("updated_at").map_err(db_err)?,
        seq: r.try_get("seq").map_err(db_err)?,
    })
}

pub(crate) fn dataset_from_row(r: &PgRow) -> StoreResult<Dataset> {
    let meta: String = r.try_get("meta").map_err(db_err)?;
    Ok(Dataset {
        id: r.try_get("id").map_err(db_err)?,
        meta: serde_json::from_str(&meta).map_err(json_err)?,
        created_at: r.try_get("created_at").map_err(db_err)?,
        updated_at: r.try_get("updated_at").map_err(db_err)?,
        seq: r.try_get("seq").map_err(db_err)?,
    })
}

pub(crate) fn resource_from_row(r: &PgRow) -> StoreResult<Resource> {
    let body: String = r.try_get("body").map_err(db_err)?;
    Ok(Resource {
        id: r.try_get("id").map_err(db_err)?,
        dataset_id: r.try_get("dataset_id").map_err(db_err)?,
        name: r.try_get("name").map_err(db_err)?,
        title: r.try_get("title").map_err(db_err)?,
        description: r.try_get("description").map_err(db_err)?,
        kind: serde_json::from_str(&body).map_err(json_err)?,
        created_at: r.try_get("created_at").map_err(db_err)?,
        updated_at: r.try_get("updated_at").map_err(db_err)?,
        seq: r.try_get("seq").map_err(db_err)?,
    })
}

const ORG_COLS: &str = "id, meta::text AS meta, created_at, updated_at, seq";
const DATASET_COLS: &str = "d.id, d.meta::text AS meta, d.created_at, d.updated_at, d.seq";
pub(crate) const RESOURCE_COLS: &str =
    "id, dataset_id, name, title, description, body::text AS body, created_at, updated_at, seq";

fn kind_name(kind: &ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Table { .. } => "table",
        ResourceKind::File { .. } => "file",
    }
}

/// The column type of a storage type. Text compares in code-point order, as on SQLite.
pub(crate) fn sql_type(t: StorageType) -> &'static str {
    match t {
        StorageType::Integer => "BIGINT",
        StorageType::Real => "DOUBLE PRECISION",
        StorageType::Text => "TEXT COLLATE \"C\"",
        StorageType::Boolean => "BOOLEAN",
        StorageType::Date => "DATE",
        StorageType::DateTime => "TIMESTAMP",
    }
}

async fn create_row_table(
    conn: &mut PgConnection,
    resource_id: Id,
    kind: &ResourceKind,
) -> StoreResult<()> {
    let ResourceKind::Table { schema } = kind else {
        return Ok(());
    };
    let table = row_table_name(resource_id);
    let mut ddl = format!(
        "CREATE TABLE {table} (_ord BIGINT NOT NULL, _hash BYTEA NOT NULL, _vfrom INTEGER NOT NULL, _vto INTEGER"
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

async fn org_exists(conn: &mut PgConnection, id: Id) -> StoreResult<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM organizations WHERE id = $1 AND deleted_at IS NULL)",
    )
    .bind(id)
    .fetch_one(conn)
    .await
    .map_err(db_err)
}

async fn replace_dataset_terms(
    conn: &mut PgConnection,
    id: Id,
    meta: &DatasetMeta,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM dataset_topics WHERE dataset_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    sqlx::query("DELETE FROM dataset_tags WHERE dataset_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    sqlx::query("INSERT INTO dataset_topics (dataset_id, topic) SELECT $1, t FROM UNNEST($2::text[]) AS t ON CONFLICT DO NOTHING")
        .bind(id)
        .bind(&meta.topics)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    sqlx::query("INSERT INTO dataset_tags (dataset_id, tag) SELECT $1, t FROM UNNEST($2::text[]) AS t ON CONFLICT DO NOTHING")
        .bind(id)
        .bind(&meta.tags)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Insert an organisation (its change appended last, see the crate docs).
async fn insert_org(
    conn: &mut PgConnection,
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
    let json = serde_json::to_string(&meta).map_err(json_err)?;
    sqlx::query(
        "INSERT INTO organizations (id, slug, name, acronym, kind, region_code, parent_id, meta, created_at, updated_at, seq) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $9, 0)",
    )
    .bind(id)
    .bind(&meta.slug)
    .bind(&meta.name)
    .bind(&meta.acronym)
    .bind(meta.kind.as_str())
    .bind(&meta.region_code)
    .bind(meta.parent_id)
    .bind(json)
    .bind(at)
    .execute(&mut *conn)
    .await
    .map_err(|e| db_err_or_conflict(e, || format!("an organization with slug '{}' already exists", meta.slug)))?;
    let seq = stamp(
        conn,
        "organizations",
        "organization",
        id,
        "create",
        actor,
        at,
    )
    .await?;
    Ok(Organization {
        id,
        meta,
        created_at: at,
        updated_at: at,
        seq,
    })
}

impl PostgresStore {
    pub(crate) async fn create_organization_impl(
        &self,
        meta: OrganizationMeta,
        actor: Option<Id>,
    ) -> StoreResult<Organization> {
        let meta = check_org(meta)?;
        let mut tx = self.begin().await?;
        let org = insert_org(&mut tx, meta, actor).await?;
        tx.commit().await.map_err(db_err)?;
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
        let mut tx = self.begin().await?;
        let mut created = 0;
        for meta in metas {
            let exists: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM organizations WHERE slug = $1)")
                    .bind(&meta.slug)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db_err)?;
            if !exists {
                insert_org(&mut tx, meta, actor).await?;
                created += 1;
            }
        }
        tx.commit().await.map_err(db_err)?;
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
        let mut tx = self.begin().await?;
        let created: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
            "SELECT created_at FROM organizations WHERE id = $1 AND deleted_at IS NULL FOR UPDATE",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        let created = created.ok_or_else(|| StoreError::NotFound(format!("organization {id}")))?;
        if let Some(p) = meta.parent_id {
            if !org_exists(&mut tx, p).await? {
                return Err(StoreError::Invalid(format!(
                    "organisasi induk {p} tidak ada"
                )));
            }
        }
        let at = now();
        let json = serde_json::to_string(&meta).map_err(json_err)?;
        sqlx::query(
            "UPDATE organizations SET slug = $1, name = $2, acronym = $3, kind = $4, region_code = $5, parent_id = $6, \
             meta = $7::jsonb, updated_at = $8 WHERE id = $9",
        )
        .bind(&meta.slug)
        .bind(&meta.name)
        .bind(&meta.acronym)
        .bind(meta.kind.as_str())
        .bind(&meta.region_code)
        .bind(meta.parent_id)
        .bind(json)
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| db_err_or_conflict(e, || format!("an organization with slug '{}' already exists", meta.slug)))?;
        let seq = stamp(
            &mut tx,
            "organizations",
            "organization",
            id,
            "update",
            actor,
            at,
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(Organization {
            id,
            meta,
            created_at: created,
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
                "SELECT {ORG_COLS} FROM organizations WHERE id = $1 AND deleted_at IS NULL"
            ))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?,
            Err(_) => sqlx::query(&format!(
                "SELECT {ORG_COLS} FROM organizations WHERE slug = $1 AND deleted_at IS NULL"
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
        let mut args = Args::default();
        if let Some(k) = query.kind {
            wh.push(format!(
                "kind = {}",
                args.push(Arg::Text(k.as_str().into()))
            ));
        }
        if let Some(code) = &query.within_region {
            let code = dotted_region(code)?;
            let like = args.push(Arg::Text(format!("{code}.%")));
            let eq = args.push(Arg::Text(code));
            wh.push(format!("(region_code LIKE {like} OR region_code = {eq})"));
        }
        if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let p = args.push(Arg::Text(like_pattern(q)));
            wh.push(format!(
                "(name ILIKE {p} ESCAPE '\\' OR acronym ILIKE {p} ESCAPE '\\')"
            ));
        }
        let wh = wh.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) FROM organizations WHERE {wh}");
        let total: i64 = args
            .bind(sqlx::query(&count_sql))
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?
            .try_get(0)
            .map_err(db_err)?;
        let limit = page_limit(query.limit);
        let l = args.push(Arg::Int(i64::from(limit)));
        let o = args.push(Arg::Int(offset_i64(query.offset)));
        let sql = format!("SELECT {ORG_COLS} FROM organizations WHERE {wh} ORDER BY name, id LIMIT {l} OFFSET {o}");
        let rows = args
            .bind(sqlx::query(&sql))
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
        let mut tx = self.begin().await?;
        let at = now();
        // Insert or update in one statement, so two nodes upserting the same slug cannot both insert.
        let (id, inserted): (Id, bool) = sqlx::query_as(
            "INSERT INTO topics (id, slug, name, name_en, description, created_at, updated_at, seq) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, 0) \
             ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, \
             description = EXCLUDED.description, updated_at = EXCLUDED.updated_at \
             RETURNING id, (xmax = 0)",
        )
        .bind(new_id())
        .bind(&topic.slug)
        .bind(&topic.name)
        .bind(&topic.name_en)
        .bind(&topic.description)
        .bind(at)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        let op = if inserted { "create" } else { "update" };
        stamp(&mut tx, "topics", "topic", id, op, actor, at).await?;
        tx.commit().await.map_err(db_err)?;
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
        let mut tx = self.begin().await?;
        if !org_exists(&mut tx, meta.organization_id).await? {
            return Err(StoreError::Invalid(format!(
                "organisasi {} tidak ada",
                meta.organization_id
            )));
        }
        let id = new_id();
        let at = now();
        let json = serde_json::to_string(&meta).map_err(json_err)?;
        sqlx::query(
            "INSERT INTO datasets (id, slug, title, description, organization_id, access, meta, created_at, updated_at, seq) \
             VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $8, 0)",
        )
        .bind(id)
        .bind(&meta.slug)
        .bind(&meta.title)
        .bind(&meta.description)
        .bind(meta.organization_id)
        .bind(meta.access.as_str())
        .bind(json)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(|e| db_err_or_conflict(e, || format!("a dataset with slug '{}' already exists", meta.slug)))?;
        replace_dataset_terms(&mut tx, id, &meta).await?;
        let seq = stamp(&mut tx, "datasets", "dataset", id, "create", actor, at).await?;
        tx.commit().await.map_err(db_err)?;
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
        let mut tx = self.begin().await?;
        let created: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
            "SELECT created_at FROM datasets WHERE id = $1 AND deleted_at IS NULL FOR UPDATE",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        let created = created.ok_or_else(|| StoreError::NotFound(format!("dataset {id}")))?;
        if !org_exists(&mut tx, meta.organization_id).await? {
            return Err(StoreError::Invalid(format!(
                "organisasi {} tidak ada",
                meta.organization_id
            )));
        }
        let at = now();
        let json = serde_json::to_string(&meta).map_err(json_err)?;
        sqlx::query(
            "UPDATE datasets SET slug = $1, title = $2, description = $3, organization_id = $4, access = $5, \
             meta = $6::jsonb, updated_at = $7 WHERE id = $8",
        )
        .bind(&meta.slug)
        .bind(&meta.title)
        .bind(&meta.description)
        .bind(meta.organization_id)
        .bind(meta.access.as_str())
        .bind(json)
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| db_err_or_conflict(e, || format!("a dataset with slug '{}' already exists", meta.slug)))?;
        replace_dataset_terms(&mut tx, id, &meta).await?;
        let seq = stamp(&mut tx, "datasets", "dataset", id, "update", actor, at).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(Dataset {
            id,
            meta,
            created_at: created,
            updated_at: at,
            seq,
        })
    }

    pub(crate) async fn delete_dataset_impl(&self, id: Id, actor: Option<Id>) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let at = now();
        let n = sqlx::query("UPDATE datasets SET deleted_at = $1, updated_at = $1 WHERE id = $2 AND deleted_at IS NULL")
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("dataset {id}")));
        }
        let resources: Vec<Id> = sqlx::query_scalar(
            "UPDATE resources SET deleted_at = $1, updated_at = $1 WHERE dataset_id = $2 AND deleted_at IS NULL RETURNING id",
        )
        .bind(at)
        .bind(id)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        let mut resources = resources;
        resources.sort();
        for rid in resources {
            stamp(&mut tx, "resources", "resource", rid, "delete", actor, at).await?;
        }
        stamp(&mut tx, "datasets", "dataset", id, "delete", actor, at).await?;
        tx.commit().await.map_err(db_err)
    }

    pub(crate) async fn get_dataset_impl(&self, id_or_slug: &str) -> StoreResult<Option<Dataset>> {
        let row = match Id::parse_str(id_or_slug) {
            Ok(id) => sqlx::query(&format!(
                "SELECT {DATASET_COLS} FROM datasets d WHERE d.id = $1 AND d.deleted_at IS NULL"
            ))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?,
            Err(_) => sqlx::query(&format!(
                "SELECT {DATASET_COLS} FROM datasets d WHERE d.slug = $1 AND d.deleted_at IS NULL"
            ))
            .bind(id_or_slug)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?,
        };
        row.as_ref().map(dataset_from_row).transpose()
    }

    /// The WHERE clause (over `datasets d`) of a dataset query, with its binds.
    pub(crate) fn dataset_where(&self, query: &DatasetQuery) -> (String, Args) {
        let mut wh = vec!["d.deleted_at IS NULL".to_string()];
        let mut args = Args::default();
        if let Some(org) = query.organization_id {
            wh.push(format!("d.organization_id = {}", args.push(Arg::Id(org))));
        }
        if let Some(t) = &query.topic {
            wh.push(format!(
                "d.id IN (SELECT dataset_id FROM dataset_topics WHERE topic = {})",
                args.push(Arg::Text(t.clone()))
            ));
        }
        if let Some(t) = &query.tag {
            wh.push(format!(
                "d.id IN (SELECT dataset_id FROM dataset_tags WHERE tag = {})",
                args.push(Arg::Text(t.clone()))
            ));
        }
        if !query.access.is_empty() {
            let access = args.push(Arg::Texts(
                query
                    .access
                    .iter()
                    .map(|a| a.as_str().to_string())
                    .collect(),
            ));
            let mut alt = format!("d.access = ANY({access}::text[])");
            if !query.also_organizations.is_empty() {
                let orgs = args.push(Arg::Ids(query.also_organizations.clone()));
                alt = format!("{alt} OR d.organization_id = ANY({orgs}::uuid[])");
            }
            wh.push(format!("({alt})"));
        }
        if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let p = args.push(Arg::Text(like_pattern(q)));
            wh.push(format!(
                "(d.title ILIKE {p} ESCAPE '\\' OR d.description ILIKE {p} ESCAPE '\\')"
            ));
        }
        if let Some(s) = query.since_seq {
            wh.push(format!("d.seq > {}", args.push(Arg::Int(s))));
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
            "lower(d.title) COLLATE \"C\", d.id".to_string()
        };

        let count_sql = format!("SELECT COUNT(*) FROM datasets d WHERE {wh}");
        let total: i64 = args
            .bind(sqlx::query(&count_sql))
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?
            .try_get(0)
            .map_err(db_err)?;
        let limit = page_limit(query.limit);
        let l = args.push(Arg::Int(i64::from(limit)));
        let o = args.push(Arg::Int(offset_i64(query.offset)));
        let sql = format!("SELECT {DATASET_COLS} FROM datasets d WHERE {wh} ORDER BY {order} LIMIT {l} OFFSET {o}");
        let rows = args
            .bind(sqlx::query(&sql))
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
        let mut tx = self.begin().await?;
        // Lock the dataset so it cannot be tombstoned while a resource is added to it.
        let found: Option<Id> = sqlx::query_scalar(
            "SELECT id FROM datasets WHERE id = $1 AND deleted_at IS NULL FOR UPDATE",
        )
        .bind(dataset_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        if found.is_none() {
            return Err(StoreError::NotFound(format!("dataset {dataset_id}")));
        }
        let id = new_id();
        let at = now();
        let body = serde_json::to_string(&new.kind).map_err(json_err)?;
        sqlx::query(
            "INSERT INTO resources (id, dataset_id, name, title, description, kind, body, created_at, updated_at, seq) \
             VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $8, 0)",
        )
        .bind(id)
        .bind(dataset_id)
        .bind(&new.name)
        .bind(&new.title)
        .bind(&new.description)
        .bind(kind_name(&new.kind))
        .bind(body)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(|e| db_err_or_conflict(e, || format!("the dataset already has a resource named '{}'", new.name)))?;
        create_row_table(&mut tx, id, &new.kind).await?;
        let seq = stamp(&mut tx, "resources", "resource", id, "create", actor, at).await?;
        tx.commit().await.map_err(db_err)?;
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
            "SELECT {RESOURCE_COLS} FROM resources WHERE id = $1 AND deleted_at IS NULL"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.as_ref().map(resource_from_row).transpose()
    }

    pub(crate) async fn list_resources_impl(&self, dataset_id: Id) -> StoreResult<Vec<Resource>> {
        let rows = sqlx::query(&format!(
            "SELECT {RESOURCE_COLS} FROM resources WHERE dataset_id = $1 AND deleted_at IS NULL ORDER BY id"
        ))
        .bind(dataset_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(resource_from_row).collect()
    }

    pub(crate) async fn delete_resource_impl(&self, id: Id, actor: Option<Id>) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let at = now();
        let n = sqlx::query("UPDATE resources SET deleted_at = $1, updated_at = $1 WHERE id = $2 AND deleted_at IS NULL")
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("resource {id}")));
        }
        stamp(&mut tx, "resources", "resource", id, "delete", actor, at).await?;
        tx.commit().await.map_err(db_err)
    }
}
