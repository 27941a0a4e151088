-- Catalogue search (CKAN package_search): the time of the last change of a dataset's metadata,
-- resources or data, kept by triggers so that no write path has to remember it, and the indexes
-- the search filters and sorts use.
ALTER TABLE datasets ADD COLUMN modified_at TIMESTAMPTZ;
UPDATE datasets d SET modified_at = GREATEST(
    d.updated_at,
    (SELECT max(r.updated_at) FROM resources r WHERE r.dataset_id = d.id),
    (SELECT max(v.created_at) FROM versions v JOIN resources r ON r.id = v.resource_id WHERE r.dataset_id = d.id)
);

CREATE FUNCTION satudata_dataset_modified() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'datasets' THEN
        NEW.modified_at := GREATEST(NEW.modified_at, NEW.updated_at);
        RETURN NEW;
    ELSIF TG_TABLE_NAME = 'resources' THEN
        UPDATE datasets SET modified_at = GREATEST(modified_at, NEW.updated_at) WHERE id = NEW.dataset_id;
    ELSE
        UPDATE datasets SET modified_at = GREATEST(modified_at, NEW.created_at)
        WHERE id = (SELECT dataset_id FROM resources WHERE id = NEW.resource_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER datasets_modified BEFORE INSERT OR UPDATE ON datasets
    FOR EACH ROW EXECUTE FUNCTION satudata_dataset_modified();
CREATE TRIGGER datasets_modified_resource AFTER INSERT OR UPDATE ON resources
    FOR EACH ROW EXECUTE FUNCTION satudata_dataset_modified();
CREATE TRIGGER datasets_modified_version AFTER INSERT ON versions
    FOR EACH ROW EXECUTE FUNCTION satudata_dataset_modified();

CREATE INDEX datasets_modified ON datasets (modified_at) WHERE deleted_at IS NULL;
CREATE INDEX datasets_created ON datasets (created_at) WHERE deleted_at IS NULL;
CREATE INDEX datasets_access ON datasets (access, organization_id) WHERE deleted_at IS NULL;
CREATE INDEX resources_dataset ON resources (dataset_id, kind) WHERE deleted_at IS NULL;
