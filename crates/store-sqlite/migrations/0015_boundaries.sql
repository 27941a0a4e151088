-- Region boundaries (issue 6): GeoJSON geometry per Kemendagri code, as loaded and simplified for maps.
CREATE TABLE boundaries (
    code        TEXT PRIMARY KEY,
    level       TEXT NOT NULL,      -- provinsi | kabupaten | kecamatan | desa
    name        TEXT NOT NULL,
    geometry    TEXT NOT NULL,      -- GeoJSON geometry
    simplified  TEXT NOT NULL,      -- GeoJSON geometry, simplified for maps
    source      TEXT NOT NULL,
    updated_by  BLOB,
    updated_at  TEXT NOT NULL
);
CREATE INDEX boundaries_level ON boundaries (level, code);
