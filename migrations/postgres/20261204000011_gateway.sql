-- The MCP gateway (issue 19): each tool's policy, set by admins (no row: the default, `ask` on a
-- gated scope, `allow` otherwise), and the calls waiting for a person's answer.

CREATE TABLE tool_policies (
    provider_slug TEXT NOT NULL REFERENCES connector_providers (slug),
    operation     TEXT NOT NULL,
    policy        TEXT NOT NULL CHECK (policy IN ('allow', 'ask', 'block')),
    changed_by    TEXT NOT NULL,
    changed_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider_slug, operation)
);

-- `arguments` is shown to the person who answers, then cleared with the answer: the audit log
-- keeps only its hash.
CREATE TABLE pending_calls (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_slug TEXT NOT NULL,
    operation     TEXT NOT NULL,
    scope_name    TEXT NOT NULL,
    firearm_type  TEXT,
    arguments     JSONB,
    client        TEXT,
    requested_by  TEXT NOT NULL,
    requested_at  TIMESTAMPTZ NOT NULL,
    deadline      TIMESTAMPTZ NOT NULL,
    answer        TEXT CHECK (answer IN ('allow', 'deny', 'timeout')),
    answered_by   TEXT,
    answered_at   TIMESTAMPTZ
);

CREATE INDEX pending_calls_open ON pending_calls (answer, id);
