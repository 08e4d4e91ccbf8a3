// The KPI mapper's pure logic besides the drop rules: undo of a batch, grouping for the two
// sides, and the words for coverage and outcomes.
import type { MappingChange, MappingItem, MappingOp, MappingOutcome, MetricRow, MetricVersion } from "../../bindings";

/** What brings a metric back to how `before` shows it. */
export function restoreOp(before: Pick<MetricRow, "core_kpi" | "not_a_kpi" | "reason">): MappingOp {
  if (before.core_kpi) return { kind: "map", core_kpi: before.core_kpi };
  if (before.not_a_kpi) return { kind: "ignore", reason: before.reason ?? "" };
  return { kind: "unmap" };
}

/** The batch that undoes a change: each changed metric (at its new version) back to its value
 * in `before`. Metrics the change did not touch are left alone. */
export function undoOf(before: readonly MetricRow[], versions: readonly MetricVersion[]): MappingChange {
  const byKey = new Map(before.map((r) => [key(r.connector, r.raw), r]));
  const items: MappingItem[] = [];
  for (const v of versions) {
    const row = byKey.get(key(v.connector, v.metric));
    if (row) items.push({ connector: v.connector, metric: v.metric, version: v.version, op: restoreOp(row) });
  }
  return { items };
}

function key(connector: string, metric: string): string {
  return `${connector}\u0000${metric}`;
}

/** One item for a row as shown (its version is the compare-and-set base). */
export function itemFor(row: MetricRow, op: MappingOp): MappingItem {
  return { connector: row.connector, metric: row.raw, version: row.version, op };
}

/** Metrics mapped to each KPI slug, in the rows' order. */
export function byKpi(rows: readonly MetricRow[]): Map<string, MetricRow[]> {
  const out = new Map<string, MetricRow[]>();
  for (const r of rows) {
    if (!r.core_kpi) continue;
    const list = out.get(r.core_kpi);
    if (list) list.push(r);
    else out.set(r.core_kpi, [r]);
  }
  return out;
}

/** Unsettled, non-orphaned metrics whose suggestion names a usable KPI: what "accept all" maps. */
export function openSuggestions(rows: readonly MetricRow[], usable: (slug: string) => boolean): MetricRow[] {
  return rows.filter((r) => !r.orphaned && !r.core_kpi && !r.not_a_kpi && r.standard !== null && usable(r.standard));
}

/** "1 metric", "3 metrics". */
export function metricsText(n: number): string {
  return `${n} ${n === 1 ? "metric" : "metrics"}`;
}

/** The result line after a change: `done` when something changed, and who went back to review. */
export function describeOutcome(done: string, o: MappingOutcome): string {
  let text = o.changed === 0 ? "Nothing changed." : done;
  if (o.sent_back.length > 0) text += ` Sent back to review: ${o.sent_back.join(", ")}.`;
  return text;
}

/** The status line for a metric card. */
export function stateOf(r: MetricRow): "orphaned" | "mapped" | "ignored" | "open" {
  if (r.orphaned) return "orphaned";
  if (r.core_kpi) return "mapped";
  if (r.not_a_kpi) return "ignored";
  return "open";
}
