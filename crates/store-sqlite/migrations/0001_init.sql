-- satudata on SQLite: the catalogue, users and the version log.
-- Ids are UUIDs stored as 16-byte BLOBs; times are UTC text in one fixed-width form
-- (YYYY-MM-DDTHH:MM:SS.ffffffZ) so that text order is time order.
-- The rows of each table resource live in their own typed table rows_<32 hex>, created at run time.

-- The append-only change log; its rowid is the server sequence number.
CREATE TABLE changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    entity     TEXT NOT NULL,
    entity_id  BLOB NOT NULL,
    op         TEXT NOT NULL,
    actor      BLOB,
    at         TEXT NOT NULL
);
CREATE INDEX changes_entity ON changes (entity, entity_id);

CREATE TABLE organizations (
    id          BLOB PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    acronym     TEXT,
    kind        TEXT NOT NULL,
    region_code TEXT,
    parent_id   BLOB REFERENCES organizations (id),
    meta        TEXT NOT NULL,          -- OrganizationMeta as JSON
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX organizations_kind ON organizations (kind);
CREATE INDEX organizations_region ON organizations (region_code);
CREATE INDEX organizations_seq ON organizations (seq);

CREATE TABLE topics (
    id          BLOB NOT NULL UNIQUE,   -- for the change log
    slug        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_en     TEXT,
    description TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    seq         INTEGER NOT NULL
);

CREATE TABLE users (
    id            BLOB PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    email         TEXT,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    seq           INTEGER NOT NULL
);

CREATE TABLE memberships (
    user_id         BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id BLOB NOT NULL REFERENCES organizations (id),
    role            TEXT NOT NULL,
    PRIMARY KEY (user_id, organization_id, role)
);
CREATE INDEX memberships_org ON memberships (organization_id);

CREATE TABLE api_tokens (
    id           BLOB PRIMARY KEY,
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE datasets (
    id              BLOB PRIMARY KEY,
    slug            TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    organization_id BLOB NOT NULL REFERENCES organizations (id),
    access          TEXT NOT NULL,
    meta            TEXT NOT NULL,      -- DatasetMeta as JSON
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    deleted_at      TEXT
);
-- A slug is unique among live datasets; a tombstone frees it.
CREATE UNIQUE INDEX datasets_slug ON datasets (slug) WHERE deleted_at IS NULL;
CREATE INDEX datasets_org ON datasets (organization_id);
CREATE INDEX datasets_seq ON datasets (seq);
CREATE INDEX datasets_title ON datasets (title);

CREATE TABLE dataset_topics (
    dataset_id BLOB NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    topic      TEXT NOT NULL,
    PRIMARY KEY (dataset_id, topic)
);
CREATE INDEX dataset_topics_topic ON dataset_topics (topic);

CREATE TABLE dataset_tags (
    dataset_id BLOB NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (dataset_id, tag)
);
CREATE INDEX dataset_tags_tag ON dataset_tags (tag);

CREATE TABLE resources (
    id          BLOB PRIMARY KEY,
    dataset_id  BLOB NOT NULL REFERENCES datasets (id),
    name        TEXT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    kind        TEXT NOT NULL,          -- 'table' or 'file'
    body        TEXT NOT NULL,          -- ResourceKind as JSON (schema, or file key and digest)
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    deleted_at  TEXT
);
CREATE UNIQUE INDEX resources_name ON resources (dataset_id, name) WHERE deleted_at IS NULL;

CREATE TABLE versions (
    id           BLOB PRIMARY KEY,
    resource_id  BLOB NOT NULL REFERENCES resources (id),
    number       INTEGER NOT NULL,
    created_by   BLOB,
    created_at   TEXT NOT NULL,
    row_count    INTEGER NOT NULL,
    rows_added   INTEGER NOT NULL,
    rows_removed INTEGER NOT NULL,
    checksum     TEXT NOT NULL,
    summary      TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    UNIQUE (resource_id, number)
);
