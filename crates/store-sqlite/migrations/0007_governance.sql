-- Governance: review states of versions, the pemeriksaan log, the pembina's metadata reviews, the
-- Daftar Data, notifications, usage counts, quality snapshots and the audit log.

-- Versions loaded before pemeriksaan existed were public: they stay published. New versions get
-- their state explicitly (create_version: terbit; create_draft_version: draf).
ALTER TABLE versions ADD COLUMN state TEXT NOT NULL DEFAULT 'terbit';
ALTER TABLE versions ADD COLUMN state_at TEXT;          -- when the state last changed; NULL = created_at
ALTER TABLE versions ADD COLUMN checks_passed INTEGER;  -- at the last submission; NULL = never checked
CREATE INDEX versions_state ON versions (state, state_at);
CREATE INDEX versions_published ON versions (resource_id, state, number);

CREATE TABLE review_events (
    id          BLOB PRIMARY KEY,
    dataset_id  BLOB NOT NULL,
    resource_id BLOB NOT NULL,
    version     INTEGER NOT NULL,
    action      TEXT NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    actor       BLOB,
    role        TEXT,
    at          TEXT NOT NULL,
    note        TEXT NOT NULL,
    notes       TEXT NOT NULL,      -- JSON array of ReviewNote
    checks      TEXT,               -- JSON SubmissionChecks (submissions)
    meta        TEXT                -- JSON DatasetMeta snapshot (submissions, publications)
);
CREATE INDEX review_events_resource ON review_events (resource_id, version, at);
CREATE INDEX review_events_dataset ON review_events (dataset_id, action, at);

CREATE TABLE metadata_reviews (
    id         BLOB PRIMARY KEY,
    dataset_id BLOB NOT NULL REFERENCES datasets (id),
    verdict    TEXT NOT NULL,
    note       TEXT NOT NULL,
    notes      TEXT NOT NULL,       -- JSON array of ReviewNote
    actor      BLOB,
    at         TEXT NOT NULL
);
CREATE INDEX metadata_reviews_dataset ON metadata_reviews (dataset_id, at);

CREATE TABLE plan_items (
    id              BLOB PRIMARY KEY,
    year            INTEGER NOT NULL,
    organization_id BLOB NOT NULL REFERENCES organizations (id),
    title           TEXT NOT NULL,
    dataset_id      BLOB,
    due_update      TEXT NOT NULL,  -- YYYY-MM-DD
    due_release     TEXT NOT NULL,
    window_start    TEXT NOT NULL,  -- submissions from this day count (see satudata_core::plan)
    meta            TEXT NOT NULL,  -- PlanItemMeta as JSON
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    deleted_at      TEXT
);
CREATE INDEX plan_items_year ON plan_items (year, due_update);
CREATE INDEX plan_items_org ON plan_items (organization_id, year);
CREATE INDEX plan_items_dataset ON plan_items (dataset_id);

CREATE TABLE notifications (
    id         BLOB PRIMARY KEY,
    user_id    BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    link       TEXT,
    dedupe_key TEXT,
    created_at TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
CREATE UNIQUE INDEX notifications_dedupe ON notifications (user_id, dedupe_key) WHERE dedupe_key IS NOT NULL;

CREATE TABLE usage_counts (
    dataset_id BLOB NOT NULL,
    day        TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (dataset_id, day)
);

CREATE TABLE quality_snapshots (
    organization_id BLOB NOT NULL,
    month           TEXT NOT NULL,  -- YYYY-MM
    score           REAL NOT NULL,
    PRIMARY KEY (organization_id, month)
);

-- The audit log: append-only, each entry hashing the previous one (satudata_core::audit).
-- seq is assigned by the writer as the previous seq + 1 (no gaps); a previous hash can be the
-- predecessor of one entry only, so the chain cannot fork.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      BLOB,
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
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
