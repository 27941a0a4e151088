//! Who may do what: the permission matrix, in one place.
//!
//! | action                         | public | produsen            | walidata | pembina | admin |
//! |--------------------------------|--------|---------------------|----------|---------|-------|
//! | read catalogue, regions, orgs  | yes    | yes                 | yes      | yes     | yes   |
//! | read data, akses *terbuka*     | yes    | yes                 | yes      | yes     | yes   |
//! | read data, akses *terbatas*    | no     | own organisation    | yes      | yes     | yes   |
//! | read data, akses *tertutup*    | no     | own organisation    | yes      | no      | yes   |
//! | write dataset/resource/version | no     | own organisation    | yes      | no      | yes   |
//! | delete dataset                 | no     | no                  | yes      | no      | yes   |
//! | manage organisations, topics   | no     | no                  | yes      | no      | yes   |
//! | read users                     | no     | no                  | yes      | no      | yes   |
//! | read the change log (sync)     | no     | no                  | yes      | no      | yes   |
//! | manage users                   | no     | no                  | no       | no      | yes   |
//! | own account (tokens, profile)  | no     | yes                 | yes      | yes     | yes   |
//! | submit, resubmit, withdraw own | no     | own organisation    | yes      | no      | yes   |
//! | read unpublished versions      | no     | own organisation    | yes      | yes     | yes   |
//! | review queue, return, approve  | no     | no                  | yes      | no      | yes   |
//! | publish, withdraw published    | no     | no                  | yes      | no      | yes   |
//! | review statistical metadata    | no     | no                  | no       | yes     | yes   |
//! | manage the Daftar Data         | no     | no                  | yes      | no      | yes   |
//! | read the audit log             | no     | no                  | no       | no      | yes   |
//! | read Daftar Data, kemutakhiran | yes    | yes                 | yes      | yes     | yes   |
//! | read code lists (kode ref.)    | yes    | yes                 | yes      | yes     | yes   |
//! | create code lists, new versions| no     | no                  | yes      | no      | yes   |
//!
//! Walidata, pembina and admin roles act instance-wide whichever organisation holds them; the
//! produsen role acts only for its own organisation. A user may hold several roles.

use crate::dataset::Access;
use crate::user::{Membership, Role};
use crate::Id;
use serde::Serialize;

/// Who is asking.
#[derive(Debug, Clone, Serialize)]
pub enum Principal {
    /// Nobody logged in: the public.
    Anonymous,
    /// A logged-in user (by session or API token).
    User {
        id: Id,
        username: String,
        memberships: Vec<Membership>,
    },
}

impl Principal {
    /// Whether the principal holds `role` anywhere.
    pub fn has_role(&self, role: Role) -> bool {
        match self {
            Principal::Anonymous => false,
            Principal::User { memberships, .. } => memberships.iter().any(|m| m.role == role),
        }
    }

    /// Whether the principal is a produsen of organisation `org`.
    pub fn is_produsen_of(&self, org: Id) -> bool {
        match self {
            Principal::Anonymous => false,
            Principal::User { memberships, .. } => memberships
                .iter()
                .any(|m| m.role == Role::Produsen && m.organization_id == org),
        }
    }

    /// The user id, if logged in.
    pub fn user_id(&self) -> Option<Id> {
        match self {
            Principal::Anonymous => None,
            Principal::User { id, .. } => Some(*id),
        }
    }
}

/// Something a principal wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read the catalogue: dataset metadata (of datasets that are not *tertutup*), regions, organisations, topics.
    ReadCatalogue,
    /// Read the metadata of one dataset.
    ReadMetadata { access: Access, organization: Id },
    /// Read the rows, files or downloads of one dataset.
    ReadData { access: Access, organization: Id },
    /// Create or change a dataset, its resources or its versions, in an organisation.
    WriteDataset { organization: Id },
    /// Delete (tombstone) a dataset.
    DeleteDataset { organization: Id },
    /// Create or change organisations and topics.
    ManageCatalogue,
    /// List users.
    ReadUsers,
    /// Read the change log (the sequence of every change; used by sync).
    ReadChanges,
    /// Create users, change roles, reset passwords.
    ManageUsers,
    /// Use one's own account: profile, API tokens, notifications.
    OwnAccount,
    /// Submit a version for pemeriksaan, resubmit it after a return, or withdraw it before
    /// publication, for an organisation.
    SubmitVersion { organization: Id },
    /// Read versions that are not published (drafts, submissions) of an organisation's dataset.
    ReadUnpublished { organization: Id },
    /// See the review queue; return or approve submissions.
    ReviewSubmission,
    /// Publish a version, or withdraw a published one.
    PublishVersion,
    /// Review the statistical metadata of datasets (the pembina).
    ReviewMetadata,
    /// Create, change, import and copy forward the Daftar Data; run reminders.
    ManagePlan,
    /// Read and export the audit log.
    ReadAudit,
    /// Load region boundaries (GeoJSON) for maps.
    ManageBoundaries,
    /// Read the code lists (kode referensi) and their versions.
    ReadCodeLists,
    /// Create a code list or publish a new version of one.
    ManageCodeLists,
}

/// The answer to "may this principal do that?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Not logged in, and the action needs a login (HTTP 401).
    NeedsLogin,
    /// Logged in, but not allowed (HTTP 403).
    Forbidden,
}

impl Decision {
    /// Whether the action is allowed.
    pub fn is_allowed(self) -> bool {
        self == Decision::Allow
    }
}

/// Decide whether `who` may do `action`. The only place where permissions are decided.
pub fn decide(who: &Principal, action: Action) -> Decision {
    use Role::*;
    let any = |roles: &[Role]| roles.iter().any(|r| who.has_role(*r));
    let allowed = match action {
        Action::ReadCatalogue => true,
        Action::ReadMetadata {
            access,
            organization,
        } => match access {
            Access::Terbuka | Access::Terbatas => true,
            Access::Tertutup => {
                any(&[Walidata, Admin, Pembina]) || who.is_produsen_of(organization)
            }
        },
        Action::ReadData {
            access,
            organization,
        } => match access {
            Access::Terbuka => true,
            Access::Terbatas => {
                any(&[Walidata, Pembina, Admin]) || who.is_produsen_of(organization)
            }
            Access::Tertutup => any(&[Walidata, Admin]) || who.is_produsen_of(organization),
        },
        Action::WriteDataset { organization } => {
            any(&[Walidata, Admin]) || who.is_produsen_of(organization)
        }
        Action::DeleteDataset { .. } => any(&[Walidata, Admin]),
        Action::ManageCatalogue => any(&[Walidata, Admin]),
        Action::ReadUsers | Action::ReadChanges => any(&[Walidata, Admin]),
        Action::ManageUsers => any(&[Admin]),
        Action::OwnAccount => matches!(who, Principal::User { .. }),
        Action::SubmitVersion { organization } => {
            any(&[Walidata, Admin]) || who.is_produsen_of(organization)
        }
        Action::ReadUnpublished { organization } => {
            any(&[Walidata, Pembina, Admin]) || who.is_produsen_of(organization)
        }
        Action::ReviewSubmission | Action::PublishVersion | Action::ManagePlan => {
            any(&[Walidata, Admin])
        }
        Action::ReviewMetadata => any(&[Pembina, Admin]),
        Action::ReadAudit | Action::ManageBoundaries => any(&[Admin]),
        Action::ReadCodeLists => true,
        Action::ManageCodeLists => any(&[Walidata, Admin]),
    };
    match (allowed, who) {
        (true, _) => Decision::Allow,
        (false, Principal::Anonymous) => Decision::NeedsLogin,
        (false, Principal::User { .. }) => Decision::Forbidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, org: Id) -> Principal {
        Principal::User {
            id: crate::new_id(),
            username: "u".into(),
            memberships: vec![Membership {
                organization_id: org,
                role,
            }],
        }
    }

    #[test]
    fn produsen_writes_only_own_organisation() {
        let own = crate::new_id();
        let other = crate::new_id();
        let p = user(Role::Produsen, own);
        assert_eq!(
            decide(&p, Action::WriteDataset { organization: own }),
            Decision::Allow
        );
        assert_eq!(
            decide(
                &p,
                Action::WriteDataset {
                    organization: other
                }
            ),
            Decision::Forbidden
        );
    }

    #[test]
    fn public_reads_only_open_data() {
        let org = crate::new_id();
        let a = Principal::Anonymous;
        assert!(decide(
            &a,
            Action::ReadData {
                access: Access::Terbuka,
                organization: org
            }
        )
        .is_allowed());
        assert_eq!(
            decide(
                &a,
                Action::ReadData {
                    access: Access::Terbatas,
                    organization: org
                }
            ),
            Decision::NeedsLogin
        );
        assert_eq!(decide(&a, Action::ManageUsers), Decision::NeedsLogin);
    }

    #[test]
    fn pembina_cannot_read_closed_data_of_others() {
        let org = crate::new_id();
        let p = user(Role::Pembina, crate::new_id());
        assert!(decide(
            &p,
            Action::ReadData {
                access: Access::Terbatas,
                organization: org
            }
        )
        .is_allowed());
        assert_eq!(
            decide(
                &p,
                Action::ReadData {
                    access: Access::Tertutup,
                    organization: org
                }
            ),
            Decision::Forbidden
        );
    }

    #[test]
    fn governance_actions_follow_the_table() {
        let own = crate::new_id();
        let p = user(Role::Produsen, own);
        let other = crate::new_id();
        assert!(decide(&p, Action::SubmitVersion { organization: own }).is_allowed());
        assert!(!decide(
            &p,
            Action::SubmitVersion {
                organization: other
            }
        )
        .is_allowed());
        assert!(!decide(&p, Action::ReviewSubmission).is_allowed());
        assert!(!decide(&p, Action::PublishVersion).is_allowed());
        let w = user(Role::Walidata, other);
        for a in [
            Action::ReviewSubmission,
            Action::PublishVersion,
            Action::ManagePlan,
        ] {
            assert!(decide(&w, a).is_allowed());
        }
        assert!(!decide(&w, Action::ReviewMetadata).is_allowed());
        assert!(!decide(&w, Action::ReadAudit).is_allowed());
        let b = user(Role::Pembina, other);
        assert!(decide(&b, Action::ReviewMetadata).is_allowed());
        assert!(decide(&b, Action::ReadUnpublished { organization: own }).is_allowed());
        assert!(!decide(&b, Action::PublishVersion).is_allowed());
        assert_eq!(
            decide(
                &Principal::Anonymous,
                Action::ReadUnpublished { organization: own }
            ),
            Decision::NeedsLogin
        );
        assert!(decide(&user(Role::Admin, other), Action::ReadAudit).is_allowed());
        assert!(decide(&user(Role::Admin, other), Action::ManageBoundaries).is_allowed());
        assert!(!decide(&w, Action::ManageBoundaries).is_allowed());
    }

    #[test]
    fn code_lists_are_public_and_kept_by_walidata_and_admin() {
        let org = crate::new_id();
        assert!(decide(&Principal::Anonymous, Action::ReadCodeLists).is_allowed());
        assert_eq!(
            decide(&Principal::Anonymous, Action::ManageCodeLists),
            Decision::NeedsLogin
        );
        for role in Role::ALL {
            let d = decide(&user(role, org), Action::ManageCodeLists);
            assert_eq!(
                d.is_allowed(),
                matches!(role, Role::Walidata | Role::Admin),
                "{role}"
            );
            assert!(decide(&user(role, org), Action::ReadCodeLists).is_allowed());
        }
    }

    #[test]
    fn only_admin_manages_users() {
        let org = crate::new_id();
        for role in Role::ALL {
            let d = decide(&user(role, org), Action::ManageUsers);
            assert_eq!(d.is_allowed(), role == Role::Admin, "{role}");
        }
    }
}
