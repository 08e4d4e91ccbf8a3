// The KPI mapper's drop rules as pure functions: can this metric drop on this KPI, and what must
// the admin confirm first. The unit guess itself comes from the backend (`MetricRow.likely`),
// so the CLI and the app warn about the same things.

export type Unit = "currency" | "count" | "ratio" | "duration";
export type Aggregation = "sum" | "average" | "last";

export interface DropMetric {
  raw: string;
  core_kpi: string | null;
  orphaned: boolean;
  likely: { unit: Unit; aggregation: Aggregation | null; because: string } | null;
}

export interface DropKpi {
  slug: string;
  name: string;
  unit: Unit;
  aggregation: Aggregation;
  retired: boolean;
}

export type Drop =
  | { kind: "refuse"; why: string }
  | { kind: "same" }
  | { kind: "map"; warnings: string[] };

/** What dropping `m` on `k` does: refused (with why), nothing (already there), or a mapping
 * that may need confirming (`warnings` non-empty). */
export function drop(m: DropMetric, k: DropKpi): Drop {
  if (m.orphaned) return { kind: "refuse", why: `${m.raw} is no longer in the manifest; its mapping can only be removed` };
  if (m.core_kpi === k.slug) return { kind: "same" };
  if (k.retired) return { kind: "refuse", why: `${k.name} is retired and takes no new metrics` };
  return { kind: "map", warnings: misfits(m, k) };
}

/** Unit first, then aggregation; the same sentences as the CLI's warnings. */
export function misfits(m: DropMetric, k: DropKpi): string[] {
  const l = m.likely;
  if (!l) return [];
  const out: string[] = [];
  if (l.unit !== k.unit) out.push(`\`${m.raw}\` looks like a ${l.unit} (${l.because}), but ${k.name} is a ${k.unit} KPI`);
  if (l.aggregation !== null && l.aggregation !== k.aggregation) {
    out.push(`\`${m.raw}\` aggregates by ${l.aggregation} (${l.because}), but ${k.name} aggregates by ${k.aggregation}`);
  }
  return out;
}
