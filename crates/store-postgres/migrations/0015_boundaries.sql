-- Region boundaries (issue 6): GeoJSON geometry per Kemendagri code, as loaded and simplified for maps.
-- Kept as text: the database only stores and returns them (no spatial queries), like SQLite.
CREATE TABLE boundaries (
    code        TEXT PRIMARY KEY,
    level       TEXT NOT NULL,      -- provinsi | kabupaten | kecamatan | desa
    name        TEXT NOT NULL,
    geometry    TEXT NOT NULL,      -- GeoJSON geometry
    simplified  TEXT NOT NULL,      -- GeoJSON geometry, simplified for maps
    source      TEXT NOT NULL,
    updated_by  UUID,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX boundaries_level ON boundaries (level, code text_pattern_ops);
