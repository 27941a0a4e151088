-- Code lists (kode referensi) with versions: one row per version, never changed once written.
CREATE TABLE codelists (
    id          UUID PRIMARY KEY,
    slug        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    source      TEXT NOT NULL,
    codes       JSONB NOT NULL,     -- array of {code, label, label_en}
    created_by  UUID,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (slug, version)
);
