//! Pemeriksaan: the walidata's review of what a produsen sends, as a state machine on versions.
//!
//! ```text
//!            ajukan               setujui              terbitkan
//!   draf ───────────▶ diajukan ───────────▶ disetujui ───────────▶ terbit
//!                      │  ▲  └──────────── terbitkan ─────────────▶  │
//!           kembalikan │  │ ajukan-ulang (diperbaiki)                 │ tarik (dengan alasan)
//!                      ▼  │                                           ▼
//!                   dikembalikan ── tarik ──▶ ditarik ── arsipkan ──▶ diarsipkan
//! ```
//!
//! The machine is pure: [`transition`] says whether a role may apply an action in a state and what
//! the next state is; the store applies it under a lock so two reviewers never race. A version's
//! rows never change: a correction of the data is a new version (which supersedes, see
//! [`supersede`]); "published never changes" holds for the data, and the only thing that can happen
//! to a published version is its withdrawal (the previous published version is then what the
//! public sees).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::dataset::DatasetMeta;
use crate::user::Role;
use crate::Id;

/// Where a version stands in the pemeriksaan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ReviewState {
    /// Uploaded, not yet sent to the walidata.
    #[default]
    Draf,
    /// Sent to the walidata, waiting in the queue.
    Diajukan,
    /// Sent back to the produsen with notes.
    Dikembalikan,
    /// Approved by the walidata, waiting for its release date.
    Disetujui,
    /// Published: what the public sees.
    Terbit,
    /// Withdrawn (by the produsen before publication, or by the walidata after it).
    Ditarik,
    /// Archived: superseded by a newer version or closed by the walidata.
    Diarsipkan,
}

impl ReviewState {
    /// Every state, in workflow order.
    pub const ALL: [ReviewState; 7] = [
        ReviewState::Draf,
        ReviewState::Diajukan,
        ReviewState::Dikembalikan,
        ReviewState::Disetujui,
        ReviewState::Terbit,
        ReviewState::Ditarik,
        ReviewState::Diarsipkan,
    ];

    /// The machine name (also the stored form).
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Draf => "draf",
            ReviewState::Diajukan => "diajukan",
            ReviewState::Dikembalikan => "dikembalikan",
            ReviewState::Disetujui => "disetujui",
            ReviewState::Terbit => "terbit",
            ReviewState::Ditarik => "ditarik",
            ReviewState::Diarsipkan => "diarsipkan",
        }
    }

    /// The label shown to users.
    pub fn label_id(self) -> &'static str {
        match self {
            ReviewState::Draf => "Draf",
            ReviewState::Diajukan => "Diajukan",
            ReviewState::Dikembalikan => "Dikembalikan",
            ReviewState::Disetujui => "Disetujui",
            ReviewState::Terbit => "Terbit",
            ReviewState::Ditarik => "Ditarik",
            ReviewState::Diarsipkan => "Diarsipkan",
        }
    }

    /// Still in the pipeline (not published, withdrawn or archived).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ReviewState::Draf
                | ReviewState::Diajukan
                | ReviewState::Dikembalikan
                | ReviewState::Disetujui
        )
    }

    /// Waiting for the walidata (the review queue).
    pub fn in_queue(self) -> bool {
        matches!(self, ReviewState::Diajukan | ReviewState::Disetujui)
    }
}

impl std::fmt::Display for ReviewState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ReviewState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReviewState::ALL
            .into_iter()
            .find(|st| st.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| format!("status pemeriksaan tidak dikenal: '{s}'"))
    }
}

/// What someone does to a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ReviewAction {
    /// Ajukan: the produsen sends a draft to the walidata.
    Submit,
    /// Kembalikan: the walidata sends it back with notes.
    Return,
    /// Ajukan ulang: the produsen fixed what was asked (diperbaiki) and sends it again.
    Resubmit,
    /// Setujui: the walidata approves; publication may wait for the release date.
    Approve,
    /// Terbitkan: the walidata publishes.
    Publish,
    /// Tarik: withdraw (before publication: the produsen or walidata; after: the walidata, with a reason).
    Withdraw,
    /// Arsipkan: close a version that will not be published.
    Archive,
}

impl ReviewAction {
    /// Every action.
    pub const ALL: [ReviewAction; 7] = [
        ReviewAction::Submit,
        ReviewAction::Return,
        ReviewAction::Resubmit,
        ReviewAction::Approve,
        ReviewAction::Publish,
        ReviewAction::Withdraw,
        ReviewAction::Archive,
    ];

    /// The machine name (also the stored form).
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewAction::Submit => "submit",
            ReviewAction::Return => "return",
            ReviewAction::Resubmit => "resubmit",
            ReviewAction::Approve => "approve",
            ReviewAction::Publish => "publish",
            ReviewAction::Withdraw => "withdraw",
            ReviewAction::Archive => "archive",
        }
    }

    /// The verb shown to users.
    pub fn label_id(self) -> &'static str {
        match self {
            ReviewAction::Submit => "Ajukan",
            ReviewAction::Return => "Kembalikan",
            ReviewAction::Resubmit => "Ajukan ulang (diperbaiki)",
            ReviewAction::Approve => "Setujui",
            ReviewAction::Publish => "Terbitkan",
            ReviewAction::Withdraw => "Tarik",
            ReviewAction::Archive => "Arsipkan",
        }
    }
}

impl std::str::FromStr for ReviewAction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReviewAction::ALL
            .into_iter()
            .find(|a| a.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| format!("tindakan pemeriksaan tidak dikenal: '{s}'"))
    }
}

/// Why a transition is refused (Bahasa Indonesia, for the user).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TransitionError(pub String);

/// Roles that act for the producer (the owning organisation's produsen; the walidata and admin
/// may act on its behalf, e.g. when an OPD sends data by letter).
const PRODUCER_SIDE: &[Role] = &[Role::Produsen, Role::Walidata, Role::Admin];
/// Roles that review and publish.
const REVIEWER_SIDE: &[Role] = &[Role::Walidata, Role::Admin];

/// The next state when `role` applies `action` to a version in state `from`.
///
/// Organisation scoping (a produsen acts only on their own organisation's data) is not decided
/// here but by [`crate::access::decide`]; this function knows only the workflow.
pub fn transition(
    from: ReviewState,
    action: ReviewAction,
    role: Role,
) -> Result<ReviewState, TransitionError> {
    use ReviewAction as A;
    use ReviewState as S;
    let (to, roles): (ReviewState, &[Role]) = match (from, action) {
        (S::Draf, A::Submit) => (S::Diajukan, PRODUCER_SIDE),
        (S::Dikembalikan, A::Resubmit) => (S::Diajukan, PRODUCER_SIDE),
        (S::Diajukan | S::Disetujui, A::Return) => (S::Dikembalikan, REVIEWER_SIDE),
        (S::Diajukan, A::Approve) => (S::Disetujui, REVIEWER_SIDE),
        (S::Diajukan | S::Disetujui, A::Publish) => (S::Terbit, REVIEWER_SIDE),
        (S::Draf | S::Diajukan | S::Dikembalikan | S::Disetujui, A::Withdraw) => {
            (S::Ditarik, PRODUCER_SIDE)
        }
        (S::Terbit, A::Withdraw) => (S::Ditarik, REVIEWER_SIDE),
        (S::Draf | S::Dikembalikan | S::Ditarik, A::Archive) => (S::Diarsipkan, REVIEWER_SIDE),
        _ => {
            return Err(TransitionError(format!(
                "Tindakan '{}' tidak dapat dilakukan pada versi berstatus {}.",
                action.label_id(),
                from.label_id()
            )))
        }
    };
    if roles.contains(&role) {
        Ok(to)
    } else {
        Err(TransitionError(format!(
            "Peran {} tidak dapat melakukan '{}' pada versi berstatus {}.",
            role.label_id(),
            action.label_id(),
            from.label_id()
        )))
    }
}

/// Try [`transition`] with each of `roles` (a user may hold several) and return the next state and
/// the role that allowed it; the error of the last role tried otherwise.
pub fn transition_with_any(
    from: ReviewState,
    action: ReviewAction,
    roles: &[Role],
) -> Result<(ReviewState, Role), TransitionError> {
    let mut last = TransitionError(format!(
        "Anda tidak punya peran untuk '{}'.",
        action.label_id()
    ));
    for &role in roles {
        match transition(from, action, role) {
            Ok(to) => return Ok((to, role)),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Whether the action needs a note: a return must say what to fix, withdrawing a published
/// version must say why.
pub fn note_required(from: ReviewState, action: ReviewAction) -> bool {
    matches!(
        (from, action),
        (_, ReviewAction::Return) | (ReviewState::Terbit, ReviewAction::Withdraw)
    )
}

/// What happens to an older version of the same resource when a newer one is submitted: open
/// versions are archived (a produsen who fixes data uploads a new version; the returned one is
/// then closed so that the queue holds one submission per table).
pub fn supersede(from: ReviewState) -> Option<ReviewState> {
    from.is_open().then_some(ReviewState::Diarsipkan)
}

/// What a review note is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "on", rename_all = "lowercase")]
pub enum NoteTarget {
    /// The whole submission.
    Pengajuan,
    /// One metadata field or table column, by name.
    Kolom { field: String },
    /// One row, by its primary key values (joined with `|`) or its row number.
    Baris { key: String },
    /// One cell: a column of one row (the row as in [`NoteTarget::Baris`]).
    Sel { field: String, key: String },
}

/// One note of a reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewNote {
    #[serde(flatten)]
    pub target: NoteTarget,
    pub text: String,
}

/// One recorded transition: who did what to which version, when, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewEvent {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub dataset_id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub resource_id: Id,
    /// The version number within the resource.
    pub version: i32,
    pub action: ReviewAction,
    pub from: ReviewState,
    pub to: ReviewState,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Uuid))]
    pub actor: Option<Id>,
    /// The role the actor acted in.
    pub role: Option<Role>,
    pub at: DateTime<Utc>,
    /// The note on the whole action (required for a return).
    #[serde(default)]
    pub note: String,
    /// Notes on fields or rows.
    #[serde(default)]
    pub notes: Vec<ReviewNote>,
}

/// A field of [`DatasetMeta`] whose value differs between two snapshots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MetaChange {
    pub field: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

/// The metadata fields that differ between `before` and `after`, in field order.
pub fn meta_diff(before: &DatasetMeta, after: &DatasetMeta) -> Vec<MetaChange> {
    let to_map = |m: &DatasetMeta| match serde_json::to_value(m) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let (a, b) = (to_map(before), to_map(after));
    let mut names: Vec<&String> = a.keys().chain(b.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter_map(|k| {
            let x = a.get(k).cloned().unwrap_or(serde_json::Value::Null);
            let y = b.get(k).cloned().unwrap_or(serde_json::Value::Null);
            (x != y).then(|| MetaChange {
                field: k.clone(),
                before: x,
                after: y,
            })
        })
        .collect()
}

/// A row that differs between two versions: same primary key, other values.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangedRow {
    /// The primary key values joined with `|`.
    pub key: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<serde_json::Value>))]
    pub before: crate::row::Row,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<serde_json::Value>))]
    pub after: crate::row::Row,
    /// Names of the fields whose values differ.
    pub fields: Vec<String>,
}

/// What changed in the rows between two versions of a table.
///
/// Rows are matched by content (row hash); rows added and removed with the same primary key are
/// reported as changed. At most `limit` rows of each kind are listed; the counts are exact unless
/// `truncated` (then more than the listed rows were added or removed, and rows are paired only
/// within what was read).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowDiff {
    pub from: i32,
    pub to: i32,
    pub fields: Vec<String>,
    pub primary_key: Vec<String>,
    pub added: u64,
    pub removed: u64,
    pub changed: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<serde_json::Value>>))]
    pub added_rows: Vec<crate::row::Row>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<serde_json::Value>>))]
    pub removed_rows: Vec<crate::row::Row>,
    pub changed_rows: Vec<ChangedRow>,
    pub truncated: bool,
}

/// The pembina's verdict on a statistical dataset's metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MetadataVerdict {
    /// The metadata meets the statistical standard.
    Sesuai,
    /// The metadata needs fixes (see the notes).
    PerluPerbaikan,
}

impl MetadataVerdict {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            MetadataVerdict::Sesuai => "sesuai",
            MetadataVerdict::PerluPerbaikan => "perlu_perbaikan",
        }
    }
}

impl std::str::FromStr for MetadataVerdict {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sesuai" => Ok(MetadataVerdict::Sesuai),
            "perlu_perbaikan" => Ok(MetadataVerdict::PerluPerbaikan),
            o => Err(format!("hasil telaah metadata tidak dikenal: '{o}'")),
        }
    }
}

/// The pembina's review of a dataset's statistical metadata (MS-Ind/MS-Var, Peraturan BPS 5/2020).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MetadataReview {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub dataset_id: Id,
    pub verdict: MetadataVerdict,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub notes: Vec<ReviewNote>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Uuid))]
    pub actor: Option<Id>,
    pub at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReviewAction as A;
    use ReviewState as S;

    #[test]
    fn the_happy_path_with_one_return() {
        let s = transition(S::Draf, A::Submit, Role::Produsen).unwrap();
        assert_eq!(s, S::Diajukan);
        let s = transition(s, A::Return, Role::Walidata).unwrap();
        assert_eq!(s, S::Dikembalikan);
        let s = transition(s, A::Resubmit, Role::Produsen).unwrap();
        assert_eq!(s, S::Diajukan);
        let s = transition(s, A::Approve, Role::Walidata).unwrap();
        assert_eq!(s, S::Disetujui);
        let s = transition(s, A::Publish, Role::Walidata).unwrap();
        assert_eq!(s, S::Terbit);
    }

    #[test]
    fn produsen_cannot_review_and_pembina_does_not_touch_versions() {
        for a in [A::Return, A::Approve, A::Publish] {
            let e = transition(S::Diajukan, a, Role::Produsen).unwrap_err();
            assert!(e.0.contains("Produsen"), "{e}");
        }
        for a in ReviewAction::ALL {
            for s in ReviewState::ALL {
                assert!(transition(s, a, Role::Pembina).is_err(), "{s} {a:?}");
            }
        }
    }

    #[test]
    fn published_versions_only_get_withdrawn_by_the_walidata() {
        for a in ReviewAction::ALL {
            let r = transition(S::Terbit, a, Role::Walidata);
            assert_eq!(r.is_ok(), a == A::Withdraw, "{a:?}");
            assert!(transition(S::Terbit, a, Role::Produsen).is_err());
        }
        assert!(note_required(S::Terbit, A::Withdraw));
        assert!(!note_required(S::Draf, A::Withdraw));
        assert!(note_required(S::Diajukan, A::Return));
    }

    #[test]
    fn archived_is_final_and_every_refusal_says_why() {
        for a in ReviewAction::ALL {
            let e = transition(S::Diarsipkan, a, Role::Admin).unwrap_err();
            assert!(e.0.contains("Diarsipkan"));
        }
        assert_eq!(supersede(S::Dikembalikan), Some(S::Diarsipkan));
        assert_eq!(supersede(S::Terbit), None);
    }

    #[test]
    fn any_role_that_allows_is_used() {
        let (to, role) =
            transition_with_any(S::Diajukan, A::Publish, &[Role::Produsen, Role::Walidata])
                .unwrap();
        assert_eq!((to, role), (S::Terbit, Role::Walidata));
        assert!(transition_with_any(S::Diajukan, A::Publish, &[Role::Produsen]).is_err());
    }

    #[test]
    fn states_and_actions_round_trip() {
        for s in ReviewState::ALL {
            assert_eq!(s.as_str().parse::<ReviewState>().unwrap(), s);
        }
        for a in ReviewAction::ALL {
            assert_eq!(a.as_str().parse::<ReviewAction>().unwrap(), a);
        }
    }

    #[test]
    fn metadata_diff_names_changed_fields() {
        let id = crate::new_id();
        let a = DatasetMeta::new("Judul", "judul", id);
        let mut b = a.clone();
        b.satuan = Some("jiwa".into());
        b.title = "Judul baru".into();
        let d = meta_diff(&a, &b);
        let names: Vec<&str> = d.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(names, ["satuan", "title"]);
        assert_eq!(d[0].after, serde_json::json!("jiwa"));
    }
}
