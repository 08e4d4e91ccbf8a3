-- The scope manager: who last changed a scope's gating and when, a version for compare-and-set,
-- and dismissed gate suggestions. Firearm types get a version too.

ALTER TABLE scope_gating ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE scope_gating ADD COLUMN changed_by TEXT;
ALTER TABLE scope_gating ADD COLUMN changed_at TIMESTAMPTZ;
ALTER TABLE scope_gating ADD COLUMN suggestion_dismissed BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE firearm_types ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

CREATE INDEX scope_gating_type ON scope_gating (firearm_type);
