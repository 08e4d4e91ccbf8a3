-- Review state. manifest_problems is written by the sentinel (the latest rejection of a folder,
-- without touching the connector's registered rows); connector_approvals by operators.

CREATE TABLE manifest_problems (
    provider_slug   TEXT PRIMARY KEY,
    diagnostics     TEXT NOT NULL
);

-- The approval in force: who, when, and exactly what (hash and the manifest as approved, for
-- the difference shown when a changed connector comes back to review). History is in audit_log.
CREATE TABLE connector_approvals (
    provider_slug     TEXT PRIMARY KEY REFERENCES connector_providers (slug),
    approved_by       TEXT NOT NULL,
    approved_at       TEXT NOT NULL,
    manifest_hash     TEXT NOT NULL,
    manifest_snapshot TEXT NOT NULL
);
