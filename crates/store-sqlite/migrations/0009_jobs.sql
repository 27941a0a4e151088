-- Background jobs (imports of uploaded files): queued in the database so they survive a restart.
CREATE TABLE jobs (
    id              BLOB PRIMARY KEY,
    kind            TEXT NOT NULL,
    resource_id     BLOB NOT NULL,
    file_key        TEXT NOT NULL,
    filename        TEXT NOT NULL,
    options         TEXT NOT NULL,      -- JSON
    state           TEXT NOT NULL,      -- queued | running | done | failed | cancelled
    rows_processed  INTEGER NOT NULL DEFAULT 0,
    bytes_total     INTEGER,
    bytes_processed INTEGER,
    report          TEXT,               -- JSON validation report
    version         INTEGER,
    error           TEXT,
    created_by      BLOB,
    created_at      TEXT NOT NULL,
    started_at      TEXT,
    finished_at     TEXT,
    updated_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    lease           BLOB,               -- token of the runner holding the job
    lease_until     TEXT
);
CREATE INDEX jobs_queue ON jobs (state, created_at);
CREATE INDEX jobs_resource ON jobs (resource_id, created_at);
