-- The scope manager: who last changed a scope's gating and when, a version for compare-and-set,
-- and dismissed gate suggestions. Firearm types get a version too.

ALTER TABLE scope_gating ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scope_gating ADD COLUMN changed_by TEXT;
ALTER TABLE scope_gating ADD COLUMN changed_at TEXT;
ALTER TABLE scope_gating ADD COLUMN suggestion_dismissed INTEGER NOT NULL DEFAULT 0
    CHECK (suggestion_dismissed IN (0, 1));

ALTER TABLE firearm_types ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- "Where is this type used?" without a scan.
CREATE INDEX scope_gating_type ON scope_gating (firearm_type);
