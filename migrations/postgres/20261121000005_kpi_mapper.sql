-- The KPI mapper: who last changed a mapping and when, and a version for compare-and-set. An
-- unmapped metric keeps its row (neither a KPI nor "not a KPI"), so its version never goes back
-- and a stale change is always caught.

ALTER TABLE kpi_mappings DROP CONSTRAINT kpi_mappings_check;
ALTER TABLE kpi_mappings ADD CONSTRAINT kpi_mappings_one_kind CHECK (NOT (core_kpi IS NOT NULL AND not_a_kpi));
ALTER TABLE kpi_mappings ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE kpi_mappings ADD COLUMN changed_by TEXT;
ALTER TABLE kpi_mappings ADD COLUMN changed_at TIMESTAMPTZ;

CREATE INDEX kpi_mappings_kpi ON kpi_mappings (core_kpi);

ALTER TABLE core_kpis ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
