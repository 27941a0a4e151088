//! In-app notifications (and the e-mails sent for them when SMTP is configured).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::user::Role;
use crate::Id;

/// Who a notification is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    /// One user.
    User(Id),
    /// Every user holding `role`, in `organization` when given, anywhere otherwise.
    Role {
        role: Role,
        organization: Option<Id>,
    },
}

/// A notification to deliver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewNotification {
    /// `review.submitted`, `review.returned`, `review.published`, `reminder.before`, `reminder.after`, …
    pub kind: String,
    /// One line, Bahasa Indonesia.
    pub title: String,
    #[serde(default)]
    pub body: String,
    /// A path of this instance to open.
    #[serde(default)]
    pub link: Option<String>,
    pub audience: Vec<Audience>,
    /// A user gets at most one notification with the same key (reminders run daily).
    #[serde(default)]
    pub dedupe_key: Option<String>,
}

/// A notification as a user sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub id: Id,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub user_id: Id,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}
