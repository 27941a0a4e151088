-- satudata on PostgreSQL: the catalogue, users and the version log, with native types.
-- The rows of each table resource live in their own typed table rows_<32 hex>, created at run time.
-- Text that is sorted or compared uses COLLATE "C" (code-point order), the same order as SQLite.

-- The append-only change log; seq is the server sequence number. Writers append under a
-- transaction-scoped advisory lock, so sequence numbers become visible in commit order.
CREATE TABLE changes (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity     TEXT NOT NULL,
    entity_id  UUID NOT NULL,
    op         TEXT NOT NULL,
    actor      UUID,
    at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX changes_entity ON changes (entity, entity_id);

CREATE TABLE organizations (
    id          UUID PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT COLLATE "C" NOT NULL,
    acronym     TEXT,
    kind        TEXT NOT NULL,
    region_code TEXT COLLATE "C",
    parent_id   UUID REFERENCES organizations (id),
    meta        JSONB NOT NULL,          -- OrganizationMeta
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    seq         BIGINT NOT NULL,
    deleted_at  TIMESTAMPTZ
);
CREATE INDEX organizations_kind ON organizations (kind);
CREATE INDEX organizations_region ON organizations (region_code text_pattern_ops);
CREATE INDEX organizations_name ON organizations (name);
CREATE INDEX organizations_seq ON organizations (seq);

CREATE TABLE topics (
    id          UUID NOT NULL UNIQUE,    -- for the change log
    slug        TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT NOT NULL,
    name_en     TEXT,
    description TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    seq         BIGINT NOT NULL
);

CREATE TABLE users (
    id            UUID PRIMARY KEY,
    username      TEXT COLLATE "C" NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    email         TEXT,
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    seq           BIGINT NOT NULL
);

CREATE TABLE memberships (
    user_id         UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id UUID NOT NULL REFERENCES organizations (id),
    role            TEXT NOT NULL,
    PRIMARY KEY (user_id, organization_id, role)
);
CREATE INDEX memberships_org ON memberships (organization_id);

CREATE TABLE api_tokens (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE datasets (
    id              UUID PRIMARY KEY,
    slug            TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    organization_id UUID NOT NULL REFERENCES organizations (id),
    access          TEXT NOT NULL,
    meta            JSONB NOT NULL,      -- DatasetMeta
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    seq             BIGINT NOT NULL,
    deleted_at      TIMESTAMPTZ
);
-- A slug is unique among live datasets; a tombstone frees it.
CREATE UNIQUE INDEX datasets_slug ON datasets (slug) WHERE deleted_at IS NULL;
CREATE INDEX datasets_org ON datasets (organization_id);
CREATE INDEX datasets_seq ON datasets (seq);
CREATE INDEX datasets_title ON datasets ((lower(title) COLLATE "C"));

CREATE TABLE dataset_topics (
    dataset_id UUID NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    topic      TEXT NOT NULL,
    PRIMARY KEY (dataset_id, topic)
);
CREATE INDEX dataset_topics_topic ON dataset_topics (topic);

CREATE TABLE dataset_tags (
    dataset_id UUID NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (dataset_id, tag)
);
CREATE INDEX dataset_tags_tag ON dataset_tags (tag);

CREATE TABLE resources (
    id          UUID PRIMARY KEY,
    dataset_id  UUID NOT NULL REFERENCES datasets (id),
    name        TEXT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    kind        TEXT NOT NULL,           -- 'table' or 'file'
    body        JSONB NOT NULL,          -- ResourceKind (schema, or file key and digest)
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    seq         BIGINT NOT NULL,
    deleted_at  TIMESTAMPTZ
);
CREATE UNIQUE INDEX resources_name ON resources (dataset_id, name) WHERE deleted_at IS NULL;

CREATE TABLE versions (
    id           UUID PRIMARY KEY,
    resource_id  UUID NOT NULL REFERENCES resources (id),
    number       INTEGER NOT NULL,
    created_by   UUID,
    created_at   TIMESTAMPTZ NOT NULL,
    row_count    BIGINT NOT NULL,
    rows_added   BIGINT NOT NULL,
    rows_removed BIGINT NOT NULL,
    checksum     TEXT NOT NULL,
    summary      TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    UNIQUE (resource_id, number)
);
