//! Users, roles and memberships.

use crate::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The roles of Satu Data Indonesia (Perpres 39/2019), plus the system administrator.
///
/// The anonymous public has no role: it is [`crate::access::Principal::Anonymous`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Produsen data: an OPD (or desa) operator who produces the data of their organisation.
    Produsen,
    /// Walidata: the data steward (Diskominfo) who checks and publishes everyone's data.
    Walidata,
    /// Pembina data: BPS (statistics), who reviews standards and metadata across the instance.
    Pembina,
    /// System administrator: users, organisations, settings.
    Admin,
}

impl Role {
    /// All roles, in order.
    pub const ALL: [Role; 4] = [Role::Produsen, Role::Walidata, Role::Pembina, Role::Admin];

    /// The machine name (`produsen`, `walidata`, `pembina`, `admin`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Produsen => "produsen",
            Role::Walidata => "walidata",
            Role::Pembina => "pembina",
            Role::Admin => "admin",
        }
    }

    /// The label shown to users (Bahasa Indonesia).
    pub fn label_id(self) -> &'static str {
        match self {
            Role::Produsen => "Produsen Data",
            Role::Walidata => "Walidata",
            Role::Pembina => "Pembina Data",
            Role::Admin => "Administrator",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "produsen" => Ok(Role::Produsen),
            "walidata" => Ok(Role::Walidata),
            "pembina" => Ok(Role::Pembina),
            "admin" => Ok(Role::Admin),
            other => Err(format!(
                "peran tidak dikenal: '{other}' (pilih produsen, walidata, pembina atau admin)"
            )),
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role a user holds in one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Membership {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub organization_id: Id,
    pub role: Role,
}

/// A user account. The password hash never leaves the store layer in API output.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub id: Id,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub memberships: Vec<Membership>,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What is needed to create a user.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    /// An argon2id PHC string, never a plain password.
    pub password_hash: String,
}

/// A named API token for programs. The secret is shown once at creation; only its SHA-256 is stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub user_id: Id,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    /// Whether the token can be used at `now`.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

/// A browser session (cookie). Only the SHA-256 of the cookie value is stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub id_hash: String,
    pub user_id: Id,
    /// The CSRF token that forms of this session must carry.
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Validate a username: 3–64 characters of lower-case letters, digits, `.`, `_`, `-`.
pub fn validate_username(name: &str) -> Result<(), String> {
    let ok = (3..=64).contains(&name.len())
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "nama pengguna '{name}' tidak sah: pakai 3–64 huruf kecil, angka, titik, garis bawah atau tanda minus"
        ))
    }
}
