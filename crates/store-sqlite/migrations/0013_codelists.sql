-- Code lists (kode referensi) with versions: one row per version, never changed once written.
CREATE TABLE codelists (
    id          BLOB PRIMARY KEY,
    slug        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    source      TEXT NOT NULL,
    codes       TEXT NOT NULL,      -- JSON array of {code, label, label_en}
    created_by  BLOB,
    created_at  TEXT NOT NULL,
    UNIQUE (slug, version)
);
