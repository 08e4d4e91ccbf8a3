-- The UTM builder: templates gain a version (compare-and-set) and who changed them last; every
-- link built is kept, so it can be searched and cloned.

ALTER TABLE utm_templates ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE utm_templates ADD COLUMN changed_by TEXT;
ALTER TABLE utm_templates ADD COLUMN changed_at TIMESTAMPTZ;

CREATE TABLE utm_links (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at      TIMESTAMPTZ NOT NULL,
    created_by      TEXT NOT NULL,
    connector       TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    base_url        TEXT NOT NULL,
    campaign        TEXT,
    vars_json       JSONB NOT NULL,
    url             TEXT NOT NULL
);

CREATE INDEX utm_links_created ON utm_links (created_at);
