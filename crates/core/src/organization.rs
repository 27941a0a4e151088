//! Organisations: OPDs, the walidata, the pembina, and one per desa/kelurahan.

use crate::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What kind of organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum OrgKind {
    /// Organisasi perangkat daerah: a regency agency (dinas, badan, kantor, sekretariat).
    Opd,
    /// The walidata (Diskominfo).
    Walidata,
    /// A pembina data (BPS, BIG).
    Pembina,
    /// A kecamatan office.
    Kecamatan,
    /// A desa (village government).
    Desa,
    /// A kelurahan (urban village, part of the regency administration).
    Kelurahan,
    /// Anything else (a BUMD, a university, …).
    Lainnya,
}

impl OrgKind {
    pub const ALL: [OrgKind; 7] = [
        OrgKind::Opd,
        OrgKind::Walidata,
        OrgKind::Pembina,
        OrgKind::Kecamatan,
        OrgKind::Desa,
        OrgKind::Kelurahan,
        OrgKind::Lainnya,
    ];
    /// The machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Opd => "opd",
            OrgKind::Walidata => "walidata",
            OrgKind::Pembina => "pembina",
            OrgKind::Kecamatan => "kecamatan",
            OrgKind::Desa => "desa",
            OrgKind::Kelurahan => "kelurahan",
            OrgKind::Lainnya => "lainnya",
        }
    }
}

impl std::str::FromStr for OrgKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrgKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| format!("jenis organisasi tidak dikenal: '{s}'"))
    }
}

/// The fields a user sets on an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationMeta {
    /// URL name, unique in the instance (e.g. `dinkes`, `desa-16-06-01-2001`).
    pub slug: String,
    pub name: String,
    /// Singkatan, e.g. "Dinkes".
    #[serde(default)]
    pub acronym: Option<String>,
    pub kind: OrgKind,
    #[serde(default)]
    pub description: String,
    /// Region the organisation governs or is located in (dotted Kemendagri code).
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Uuid))]
    pub parent_id: Option<Id>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
}

/// An organisation as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organization {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub id: Id,
    #[serde(flatten)]
    pub meta: OrganizationMeta,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub seq: i64,
}
