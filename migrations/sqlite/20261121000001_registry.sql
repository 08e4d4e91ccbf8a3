-- The registry. Sentinel-owned tables hold what manifests declare; operator-owned tables hold
-- human decisions and are never written by the sentinel. Timestamps live only in audit_log and
-- sync_runs, so that the same folder always gives the same rows elsewhere. Tables keyed by a
-- composite primary key are WITHOUT ROWID: one b-tree each instead of a table and an index.

CREATE TABLE connector_providers (
    slug            TEXT PRIMARY KEY,
    display_name    TEXT NOT NULL,
    version         TEXT,
    description     TEXT,
    docs_url        TEXT,
    auth_method     TEXT,
    auth_token_url  TEXT,
    auth_header_name TEXT,
    manifest_path   TEXT NOT NULL,
    mcp_path        TEXT NOT NULL,
    manifest_hash   TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'approved', 'rejected', 'removed')),
    is_approved     INTEGER NOT NULL DEFAULT 0 CHECK (is_approved IN (0, 1)),
    status_reason   TEXT,
    CHECK (is_approved = (status = 'approved'))
);

CREATE TABLE connector_scopes (
    provider_slug    TEXT NOT NULL REFERENCES connector_providers (slug),
    name             TEXT NOT NULL,
    position         INTEGER NOT NULL,
    description      TEXT,
    requires_firearm INTEGER NOT NULL CHECK (requires_firearm IN (0, 1)),
    PRIMARY KEY (provider_slug, name)
) WITHOUT ROWID;

CREATE TABLE platform_metrics (
    provider_slug   TEXT NOT NULL REFERENCES connector_providers (slug),
    raw             TEXT NOT NULL,
    position        INTEGER NOT NULL,
    standard        TEXT,
    description     TEXT,
    PRIMARY KEY (provider_slug, raw)
) WITHOUT ROWID;

CREATE TABLE connector_utm_capabilities (
    provider_slug   TEXT NOT NULL REFERENCES connector_providers (slug),
    content_type    TEXT NOT NULL,
    position        INTEGER NOT NULL,
    PRIMARY KEY (provider_slug, content_type)
) WITHOUT ROWID;

CREATE TABLE connector_operations (
    provider_slug   TEXT NOT NULL REFERENCES connector_providers (slug),
    name            TEXT NOT NULL,
    position        INTEGER NOT NULL,
    scope_name      TEXT NOT NULL,
    description     TEXT,
    input_schema    TEXT,
    PRIMARY KEY (provider_slug, name)
) WITHOUT ROWID;

CREATE TABLE connector_secrets (
    provider_slug   TEXT NOT NULL REFERENCES connector_providers (slug),
    key_name        TEXT NOT NULL,
    position        INTEGER NOT NULL,
    PRIMARY KEY (provider_slug, key_name)
) WITHOUT ROWID;

-- Operator-owned from here on.

CREATE TABLE firearm_types (
    slug            TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL,
    risk_level      TEXT NOT NULL CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),
    retired         INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
);

-- Gating decisions per scope, kept apart from the declared value so the sentinel never touches them.
CREATE TABLE scope_gating (
    provider_slug    TEXT NOT NULL,
    scope_name       TEXT NOT NULL,
    requires_firearm INTEGER CHECK (requires_firearm IN (0, 1)),
    firearm_type     TEXT REFERENCES firearm_types (slug),
    reason           TEXT,
    PRIMARY KEY (provider_slug, scope_name)
) WITHOUT ROWID;

CREATE TABLE core_kpis (
    slug            TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL,
    unit            TEXT NOT NULL CHECK (unit IN ('currency', 'count', 'ratio', 'duration')),
    aggregation     TEXT NOT NULL CHECK (aggregation IN ('sum', 'average', 'last')),
    direction       TEXT NOT NULL CHECK (direction IN ('higher_is_better', 'higher_is_worse')),
    retired         INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
);

CREATE TABLE kpi_mappings (
    provider_slug   TEXT NOT NULL,
    metric_raw      TEXT NOT NULL,
    core_kpi        TEXT REFERENCES core_kpis (slug),
    not_a_kpi       INTEGER NOT NULL DEFAULT 0 CHECK (not_a_kpi IN (0, 1)),
    reason          TEXT,
    PRIMARY KEY (provider_slug, metric_raw),
    CHECK ((core_kpi IS NULL) <> (not_a_kpi = 0))
) WITHOUT ROWID;

CREATE TABLE utm_templates (
    content_type    TEXT PRIMARY KEY,
    template_json   TEXT NOT NULL
);

-- Metadata only: the secret itself lives in the OS keyring, never here.
CREATE TABLE connector_dev_accounts (
    provider_slug   TEXT NOT NULL,
    key_name        TEXT NOT NULL,
    label           TEXT,
    set_by          TEXT NOT NULL,
    set_at          TEXT NOT NULL,
    rotated_at      TEXT,
    PRIMARY KEY (provider_slug, key_name)
) WITHOUT ROWID;

CREATE TABLE sync_runs (
    id              INTEGER PRIMARY KEY,
    started_at      TEXT NOT NULL,
    finished_at     TEXT NOT NULL,
    actor           TEXT NOT NULL,
    source_dir      TEXT NOT NULL,
    scanned         INTEGER NOT NULL,
    added           INTEGER NOT NULL,
    changed         INTEGER NOT NULL,
    removed         INTEGER NOT NULL,
    unchanged       INTEGER NOT NULL,
    rejected        INTEGER NOT NULL
);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    provider_slug   TEXT,
    sync_run_id     INTEGER REFERENCES sync_runs (id),
    detail          TEXT,
    before_json     TEXT,
    after_json      TEXT
);

CREATE INDEX audit_log_provider ON audit_log (provider_slug, id);
CREATE INDEX connector_providers_status ON connector_providers (status, slug);
-- Covers the sync's index read (slug, hash, status).
CREATE INDEX connector_providers_hash ON connector_providers (slug, manifest_hash, status);
