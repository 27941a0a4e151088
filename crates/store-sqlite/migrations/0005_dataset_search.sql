-- Catalogue search (CKAN package_search): the time of the last change of a dataset's metadata,
-- resources or data, kept by triggers so that no write path has to remember it, and the indexes
-- the search filters and sorts use.
ALTER TABLE datasets ADD COLUMN modified_at TEXT;
UPDATE datasets SET modified_at = max(
    updated_at,
    COALESCE((SELECT max(r.updated_at) FROM resources r WHERE r.dataset_id = datasets.id), ''),
    COALESCE((SELECT max(v.created_at) FROM versions v JOIN resources r ON r.id = v.resource_id
              WHERE r.dataset_id = datasets.id), '')
);
CREATE TRIGGER datasets_modified_insert AFTER INSERT ON datasets BEGIN
    UPDATE datasets SET modified_at = NEW.updated_at WHERE id = NEW.id;
END;
CREATE TRIGGER datasets_modified_update AFTER UPDATE OF updated_at ON datasets BEGIN
    UPDATE datasets SET modified_at = max(COALESCE(modified_at, ''), NEW.updated_at) WHERE id = NEW.id;
END;
CREATE TRIGGER datasets_modified_resource_insert AFTER INSERT ON resources BEGIN
    UPDATE datasets SET modified_at = max(COALESCE(modified_at, ''), NEW.updated_at) WHERE id = NEW.dataset_id;
END;
CREATE TRIGGER datasets_modified_resource_update AFTER UPDATE ON resources BEGIN
    UPDATE datasets SET modified_at = max(COALESCE(modified_at, ''), NEW.updated_at) WHERE id = NEW.dataset_id;
END;
CREATE TRIGGER datasets_modified_version AFTER INSERT ON versions BEGIN
    UPDATE datasets SET modified_at = max(COALESCE(modified_at, ''), NEW.created_at)
    WHERE id = (SELECT dataset_id FROM resources WHERE id = NEW.resource_id);
END;
CREATE INDEX datasets_modified ON datasets (modified_at) WHERE deleted_at IS NULL;
CREATE INDEX datasets_created ON datasets (created_at) WHERE deleted_at IS NULL;
CREATE INDEX datasets_access ON datasets (access, organization_id) WHERE deleted_at IS NULL;
CREATE INDEX resources_dataset ON resources (dataset_id, kind) WHERE deleted_at IS NULL;
