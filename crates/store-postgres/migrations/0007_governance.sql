-- Governance: review states of versions, the pemeriksaan log, the pembina's metadata reviews, the
-- Daftar Data, notifications, usage counts, quality snapshots and the audit log.

-- Versions loaded before pemeriksaan existed were public: they stay published. New versions get
-- their state explicitly (create_version: terbit; create_draft_version: draf).
ALTER TABLE versions ADD COLUMN state TEXT NOT NULL DEFAULT 'terbit';
ALTER TABLE versions ADD COLUMN state_at TIMESTAMPTZ;   -- when the state last changed; NULL = created_at
ALTER TABLE versions ADD COLUMN checks_passed BOOLEAN;  -- at the last submission; NULL = never checked
CREATE INDEX versions_state ON versions (state, state_at);
CREATE INDEX versions_published ON versions (resource_id, state, number);

CREATE TABLE review_events (
    id          UUID PRIMARY KEY,
    dataset_id  UUID NOT NULL,
    resource_id UUID NOT NULL,
    version     INTEGER NOT NULL,
    action      TEXT NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    actor       UUID,
    role        TEXT,
    at          TIMESTAMPTZ NOT NULL,
    note        TEXT NOT NULL,
    notes       JSONB NOT NULL,     -- array of ReviewNote
    checks      JSONB,              -- SubmissionChecks (submissions)
    meta        JSONB,              -- DatasetMeta snapshot (submissions, publications)
    ord         BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX review_events_resource ON review_events (resource_id, version, at);
CREATE INDEX review_events_dataset ON review_events (dataset_id, action, at);

CREATE TABLE metadata_reviews (
    id         UUID PRIMARY KEY,
    dataset_id UUID NOT NULL REFERENCES datasets (id),
    verdict    TEXT NOT NULL,
    note       TEXT NOT NULL,
    notes      JSONB NOT NULL,
    actor      UUID,
    at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX metadata_reviews_dataset ON metadata_reviews (dataset_id, at);

CREATE TABLE plan_items (
    id              UUID PRIMARY KEY,
    year            INTEGER NOT NULL,
    organization_id UUID NOT NULL REFERENCES organizations (id),
    title           TEXT COLLATE "C" NOT NULL,
    dataset_id      UUID,
    due_update      DATE NOT NULL,
    due_release     DATE NOT NULL,
    window_start    DATE NOT NULL,  -- submissions from this day count (see satudata_core::plan)
    meta            JSONB NOT NULL, -- PlanItemMeta
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    seq             BIGINT NOT NULL,
    deleted_at      TIMESTAMPTZ
);
CREATE INDEX plan_items_year ON plan_items (year, due_update);
CREATE INDEX plan_items_org ON plan_items (organization_id, year);
CREATE INDEX plan_items_dataset ON plan_items (dataset_id);

CREATE TABLE notifications (
    id         UUID PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    link       TEXT,
    dedupe_key TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    read_at    TIMESTAMPTZ
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
CREATE UNIQUE INDEX notifications_dedupe ON notifications (user_id, dedupe_key) WHERE dedupe_key IS NOT NULL;

CREATE TABLE usage_counts (
    dataset_id UUID NOT NULL,
    day        DATE NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (dataset_id, day)
);

CREATE TABLE quality_snapshots (
    organization_id UUID NOT NULL,
    month           TEXT COLLATE "C" NOT NULL,  -- YYYY-MM
    score           DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (organization_id, month)
);

-- The audit log: append-only, each entry hashing the previous one (satudata_core::audit).
-- Writers append under a transaction-scoped advisory lock; seq is the previous seq + 1 (no gaps);
-- a previous hash can precede one entry only, so the chain cannot fork.
CREATE TABLE audit_log (
    seq        BIGINT PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    actor      UUID,
    actor_name TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    detail     TEXT NOT NULL,
    ip         TEXT NOT NULL,
    prev_hash  TEXT NOT NULL UNIQUE,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_name, seq);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, seq);
-- Guard against accidental changes; deliberate ones are caught by `satudata audit verify`.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
