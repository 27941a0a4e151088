-- Background jobs (imports of uploaded files): queued in the database so they survive a restart.
CREATE TABLE jobs (
    id              UUID PRIMARY KEY,
    kind            TEXT NOT NULL,
    resource_id     UUID NOT NULL,
    file_key        TEXT NOT NULL,
    filename        TEXT NOT NULL,
    options         JSONB NOT NULL,      -- JSON
    state           TEXT NOT NULL,      -- queued | running | done | failed | cancelled
    rows_processed  BIGINT NOT NULL DEFAULT 0,
    bytes_total     BIGINT,
    bytes_processed BIGINT,
    report          JSONB,              -- JSON validation report
    version         INTEGER,
    error           TEXT,
    created_by      UUID,
    created_at      TIMESTAMPTZ NOT NULL,
    started_at      TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    lease           UUID,               -- token of the runner holding the job
    lease_until     TIMESTAMPTZ
);
CREATE INDEX jobs_queue ON jobs (state, created_at);
CREATE INDEX jobs_resource ON jobs (resource_id, created_at);
