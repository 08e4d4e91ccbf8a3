-- The KPI mapper: who last changed a mapping and when, and a version for compare-and-set. An
-- unmapped metric keeps its row (neither a KPI nor "not a KPI"), so its version never goes back
-- and a stale change is always caught. SQLite cannot alter a CHECK: the table is rebuilt.

CREATE TABLE kpi_mappings_v5 (
    provider_slug   TEXT NOT NULL,
    metric_raw      TEXT NOT NULL,
    core_kpi        TEXT REFERENCES core_kpis (slug),
    not_a_kpi       INTEGER NOT NULL DEFAULT 0 CHECK (not_a_kpi IN (0, 1)),
    reason          TEXT,
    version         INTEGER NOT NULL DEFAULT 0,
    changed_by      TEXT,
    changed_at      TEXT,
    PRIMARY KEY (provider_slug, metric_raw),
    CHECK (NOT (core_kpi IS NOT NULL AND not_a_kpi = 1))
) WITHOUT ROWID;

INSERT INTO kpi_mappings_v5 (provider_slug, metric_raw, core_kpi, not_a_kpi, reason)
    SELECT provider_slug, metric_raw, core_kpi, not_a_kpi, reason FROM kpi_mappings;
DROP TABLE kpi_mappings;
ALTER TABLE kpi_mappings_v5 RENAME TO kpi_mappings;

-- "Where is this KPI used?" and the coverage matrix without a scan.
CREATE INDEX kpi_mappings_kpi ON kpi_mappings (core_kpi);

ALTER TABLE core_kpis ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
