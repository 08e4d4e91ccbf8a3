// The coverage matrix's pure parts: which KPI columns to show, which connectors match the
// filter, and how many connectors feed each KPI.
import type { ConnectorCoverage, CoreKpi } from "../../bindings";

/** Active KPIs, plus retired ones some connector still feeds (their mappings are real). */
export function matrixColumns(kpis: readonly CoreKpi[], fed: ReadonlyMap<string, number>): CoreKpi[] {
  return kpis.filter((k) => !k.retired || (fed.get(k.slug) ?? 0) > 0);
}

/** Connectors feeding each KPI slug. */
export function feedCounts(rows: readonly ConnectorCoverage[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) for (const k of r.feeds) out.set(k, (out.get(k) ?? 0) + 1);
  return out;
}

export interface MatrixFilter {
  text: string;
  /** Only connectors with a metric neither mapped nor marked "not a KPI", or an orphaned one. */
  incomplete: boolean;
}

export function isIncomplete(r: ConnectorCoverage): boolean {
  return r.settled < r.metrics || r.orphaned > 0;
}

export function filterCoverage(rows: readonly ConnectorCoverage[], f: MatrixFilter): readonly ConnectorCoverage[] {
  const needle = f.text.trim().toLowerCase();
  if (needle === "" && !f.incomplete) return rows;
  return rows.filter((r) => (!f.incomplete || isIncomplete(r)) && (needle === "" || r.connector.includes(needle)));
}
