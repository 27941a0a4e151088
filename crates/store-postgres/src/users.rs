//! Users, memberships, API tokens and sessions.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use satudata_core::user::{validate_username, ApiToken, Membership, NewUser, Role, Session, User};
use satudata_core::{new_id, Id};
use satudata_store::{NewApiToken, Page, StoreError, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgExecutor, Row as _};

use crate::{db_err, db_err_or_conflict, now, offset_i64, page_limit, stamp, PostgresStore};

/// A token's `last_used_at` is written at most this often, so that every API request does not
/// write.
const LAST_USED_GRANULARITY: Duration = Duration::seconds(60);

const USER_COLS: &str =
    "id, username, display_name, email, disabled, created_at, updated_at, password_hash";
const TOKEN_COLS: &str = "id, user_id, name, created_at, expires_at, last_used_at, revoked_at";

async fn memberships<'e>(ex: impl PgExecutor<'e>, user_id: Id) -> StoreResult<Vec<Membership>> {
    let rows = sqlx::query("SELECT organization_id, role FROM memberships WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(ex)
        .await
        .map_err(db_err)?;
    let mut out = rows
        .iter()
        .map(|r| {
            let role: String = r.try_get("role").map_err(db_err)?;
            Ok(Membership {
                organization_id: r.try_get("organization_id").map_err(db_err)?,
                role: role.parse::<Role>().map_err(StoreError::Backend)?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    out.sort_by_key(|m| (m.organization_id, m.role));
    Ok(out)
}

/// The user of a row selected with [`USER_COLS`] (memberships still empty) and its password hash.
fn user_from_row(r: &PgRow) -> StoreResult<(User, String)> {
    Ok((
        User {
            id: r.try_get("id").map_err(db_err)?,
            username: r.try_get("username").map_err(db_err)?,
            display_name: r.try_get("display_name").map_err(db_err)?,
            email: r.try_get("email").map_err(db_err)?,
            memberships: vec![],
            disabled: r.try_get("disabled").map_err(db_err)?,
            created_at: r.try_get("created_at").map_err(db_err)?,
            updated_at: r.try_get("updated_at").map_err(db_err)?,
        },
        r.try_get("password_hash").map_err(db_err)?,
    ))
}

fn token_from_row(r: &PgRow) -> StoreResult<ApiToken> {
    Ok(ApiToken {
        id: r.try_get("id").map_err(db_err)?,
        user_id: r.try_get("user_id").map_err(db_err)?,
        name: r.try_get("name").map_err(db_err)?,
        created_at: r.try_get("created_at").map_err(db_err)?,
        expires_at: r.try_get("expires_at").map_err(db_err)?,
        last_used_at: r.try_get("last_used_at").map_err(db_err)?,
        revoked_at: r.try_get("revoked_at").map_err(db_err)?,
    })
}

/// Record a change to a user already updated (and so locked) in this transaction.
async fn touch_user(conn: &mut PgConnection, user_id: Id, actor: Option<Id>) -> StoreResult<()> {
    let at = now();
    sqlx::query("UPDATE users SET updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(user_id)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    stamp(conn, "users", "user", user_id, "update", actor, at).await?;
    Ok(())
}

async fn lock_user(conn: &mut PgConnection, id: Id) -> StoreResult<bool> {
    let found: Option<Id> = sqlx::query_scalar("SELECT id FROM users WHERE id = $1 FOR UPDATE")
        .bind(id)
        .fetch_optional(conn)
        .await
        .map_err(db_err)?;
    Ok(found.is_some())
}

impl PostgresStore {
    pub(crate) async fn create_user_impl(
        &self,
        new: NewUser,
        actor: Option<Id>,
    ) -> StoreResult<User> {
        validate_username(&new.username).map_err(StoreError::Invalid)?;
        if new.password_hash.is_empty() {
            return Err(StoreError::Invalid("hash kata sandi kosong".to_string()));
        }
        let mut tx = self.begin().await?;
        let id = new_id();
        let at = now();
        sqlx::query(
            "INSERT INTO users (id, username, display_name, email, password_hash, disabled, created_at, updated_at, seq) \
             VALUES ($1, $2, $3, $4, $5, FALSE, $6, $6, 0)",
        )
        .bind(id)
        .bind(&new.username)
        .bind(&new.display_name)
        .bind(&new.email)
        .bind(&new.password_hash)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(|e| db_err_or_conflict(e, || format!("the username '{}' is taken", new.username)))?;
        stamp(&mut tx, "users", "user", id, "create", actor, at).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(User {
            id,
            username: new.username,
            display_name: new.display_name,
            email: new.email,
            memberships: vec![],
            disabled: false,
            created_at: at,
            updated_at: at,
        })
    }

    pub(crate) async fn get_user_impl(&self, id: Id) -> StoreResult<Option<User>> {
        let row = sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        match row {
            None => Ok(None),
            Some(r) => {
                let (mut u, _) = user_from_row(&r)?;
                u.memberships = memberships(&self.pool, u.id).await?;
                Ok(Some(u))
            }
        }
    }

    pub(crate) async fn get_login_impl(
        &self,
        username: &str,
    ) -> StoreResult<Option<(User, String)>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLS} FROM users WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        match row {
            None => Ok(None),
            Some(r) => {
                let (mut u, hash) = user_from_row(&r)?;
                u.memberships = memberships(&self.pool, u.id).await?;
                Ok(Some((u, hash)))
            }
        }
    }

    pub(crate) async fn list_users_impl(&self, limit: u32, offset: u64) -> StoreResult<Page<User>> {
        let limit = page_limit(limit);
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLS} FROM users ORDER BY username LIMIT $1 OFFSET $2"
        ))
        .bind(i64::from(limit))
        .bind(offset_i64(offset))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        let mut items = Vec::with_capacity(rows.len());
        for r in &rows {
            let (mut u, _) = user_from_row(r)?;
            u.memberships = memberships(&self.pool, u.id).await?;
            items.push(u);
        }
        Ok(Page {
            items,
            total: total as u64,
            limit,
            offset,
        })
    }

    pub(crate) async fn set_password_hash_impl(
        &self,
        user_id: Id,
        hash: String,
        actor: Option<Id>,
    ) -> StoreResult<()> {
        if hash.is_empty() {
            return Err(StoreError::Invalid("hash kata sandi kosong".to_string()));
        }
        let mut tx = self.begin().await?;
        let n = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("user {user_id}")));
        }
        touch_user(&mut tx, user_id, actor).await?;
        tx.commit().await.map_err(db_err)
    }

    pub(crate) async fn set_disabled_impl(
        &self,
        user_id: Id,
        disabled: bool,
        actor: Option<Id>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let n = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(disabled)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("user {user_id}")));
        }
        touch_user(&mut tx, user_id, actor).await?;
        tx.commit().await.map_err(db_err)
    }

    pub(crate) async fn set_membership_impl(
        &self,
        user_id: Id,
        organization_id: Id,
        role: Option<Role>,
        actor: Option<Id>,
    ) -> StoreResult<Vec<Membership>> {
        let mut tx = self.begin().await?;
        if !lock_user(&mut tx, user_id).await? {
            return Err(StoreError::NotFound(format!("user {user_id}")));
        }
        let org: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM organizations WHERE id = $1 AND deleted_at IS NULL)",
        )
        .bind(organization_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        if !org {
            return Err(StoreError::NotFound(format!(
                "organization {organization_id}"
            )));
        }
        match role {
            Some(role) => {
                sqlx::query(
                    "INSERT INTO memberships (user_id, organization_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(user_id)
                .bind(organization_id)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            }
            None => {
                sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND organization_id = $2")
                    .bind(user_id)
                    .bind(organization_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
            }
        }
        let out = memberships(&mut *tx, user_id).await?;
        touch_user(&mut tx, user_id, actor).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(out)
    }

    pub(crate) async fn create_token_impl(&self, new: NewApiToken) -> StoreResult<ApiToken> {
        if new.name.trim().is_empty() {
            return Err(StoreError::Invalid("Nama token wajib diisi.".to_string()));
        }
        let mut tx = self.begin().await?;
        if !lock_user(&mut tx, new.user_id).await? {
            return Err(StoreError::NotFound(format!("user {}", new.user_id)));
        }
        let token = ApiToken {
            id: new_id(),
            user_id: new.user_id,
            name: new.name,
            created_at: now(),
            expires_at: new.expires_at.map(|t| t.trunc_subsecs(6)),
            last_used_at: None,
            revoked_at: None,
        };
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, name, secret_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token.id)
        .bind(token.user_id)
        .bind(&token.name)
        .bind(&new.secret_hash)
        .bind(token.created_at)
        .bind(token.expires_at)
        .execute(&mut *tx)
        .await
        .map_err(|e| db_err_or_conflict(e, || "a token with the same secret exists".to_string()))?;
        tx.commit().await.map_err(db_err)?;
        Ok(token)
    }

    pub(crate) async fn use_token_impl(
        &self,
        secret_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(ApiToken, User)>> {
        let now = now.trunc_subsecs(6);
        let row = sqlx::query(&format!(
            "SELECT {TOKEN_COLS} FROM api_tokens \
             WHERE secret_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)"
        ))
        .bind(secret_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        let Some(row) = row else { return Ok(None) };
        let mut token = token_from_row(&row)?;
        let Some(user) = self.get_user_impl(token.user_id).await? else {
            return Ok(None);
        };
        // A disabled account cannot act, whatever credential it holds.
        if user.disabled {
            return Ok(None);
        }
        if token
            .last_used_at
            .is_none_or(|t| now - t >= LAST_USED_GRANULARITY)
        {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(token.id)
                .execute(&self.pool)
                .await
                .map_err(db_err)?;
            token.last_used_at = Some(now);
        }
        Ok(Some((token, user)))
    }

    pub(crate) async fn list_tokens_impl(&self, user_id: Id) -> StoreResult<Vec<ApiToken>> {
        let rows = sqlx::query(&format!(
            "SELECT {TOKEN_COLS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(token_from_row).collect()
    }

    pub(crate) async fn revoke_token_impl(&self, user_id: Id, token_id: Id) -> StoreResult<()> {
        let found: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM api_tokens WHERE id = $1 AND user_id = $2)",
        )
        .bind(token_id)
        .bind(user_id)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        if !found {
            return Err(StoreError::NotFound(format!(
                "token {token_id} of user {user_id}"
            )));
        }
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now())
            .bind(token_id)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub(crate) async fn create_session_impl(&self, session: Session) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        if !lock_user(&mut tx, session.user_id).await? {
            return Err(StoreError::NotFound(format!("user {}", session.user_id)));
        }
        // Expired sessions are useless; clearing them here keeps the table small without a job.
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&session.id_hash)
        .bind(session.user_id)
        .bind(&session.csrf_token)
        .bind(session.created_at.trunc_subsecs(6))
        .bind(session.expires_at.trunc_subsecs(6))
        .execute(&mut *tx)
        .await
        .map_err(|e| db_err_or_conflict(e, || "a session with the same id exists".to_string()))?;
        tx.commit().await.map_err(db_err)
    }

    pub(crate) async fn get_session_impl(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(Session, User)>> {
        let row = sqlx::query(
            "SELECT id_hash, user_id, csrf_token, created_at, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2",
        )
        .bind(id_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        let Some(r) = row else { return Ok(None) };
        let session = Session {
            id_hash: r.try_get("id_hash").map_err(db_err)?,
            user_id: r.try_get("user_id").map_err(db_err)?,
            csrf_token: r.try_get("csrf_token").map_err(db_err)?,
            created_at: r.try_get("created_at").map_err(db_err)?,
            expires_at: r.try_get("expires_at").map_err(db_err)?,
        };
        match self.get_user_impl(session.user_id).await? {
            Some(user) if !user.disabled => Ok(Some((session, user))),
            _ => Ok(None),
        }
    }

    pub(crate) async fn delete_session_impl(&self, id_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
