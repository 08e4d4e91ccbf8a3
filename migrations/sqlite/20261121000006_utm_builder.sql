-- The UTM builder: templates gain a version (compare-and-set) and who changed them last; every
-- link built is kept, so it can be searched and cloned.

ALTER TABLE utm_templates ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE utm_templates ADD COLUMN changed_by TEXT;
ALTER TABLE utm_templates ADD COLUMN changed_at TEXT;

CREATE TABLE utm_links (
    id              INTEGER PRIMARY KEY,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    connector       TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    base_url        TEXT NOT NULL,
    campaign        TEXT,
    vars_json       TEXT NOT NULL,
    url             TEXT NOT NULL
);

CREATE INDEX utm_links_created ON utm_links (created_at);
