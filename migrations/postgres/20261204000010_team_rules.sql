-- What team mode's rules need to hold an approval in the database (issue 18; the rules
-- themselves are installed by `sentinel db init-roles`, crates/registry/src/team_roles.sql).
-- Outside team mode both stay empty.

-- The risk an approval was given for, computed by the server when the approval is recorded:
-- each scope's requires_firearm and each operation's scope. A later scope, flip or operation
-- outside it sends the connector back to draft.
ALTER TABLE connector_approvals ADD COLUMN approved_risk JSONB;

-- Every gating and mapping change and every approval, in order, with the server's time and
-- the database's login: the four-eyes rule reads all the changes since the last approval, not
-- only the last one. Written by triggers only; never changed.
CREATE TABLE review_log (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_slug   TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('gating', 'mapping', 'approval')),
    item            TEXT,
    changed_by      TEXT NOT NULL,
    changed_at      TIMESTAMPTZ NOT NULL
);

CREATE INDEX review_log_provider ON review_log (provider_slug, id);
