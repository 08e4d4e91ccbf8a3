// Queue filtering is a pure function over an index built once per load, so a keystroke over
// 10,000 connectors is one pass of `includes` on precomputed lowercase keys.
import type { QueueRow, Status } from "../../bindings";

export const STATUSES: Status[] = ["draft", "approved", "rejected", "removed"];

export interface Indexed {
  row: QueueRow;
  key: string;
}

export function indexRows(rows: QueueRow[]): Indexed[] {
  return rows.map((row) => ({ row, key: `${row.slug}\u0000${row.display_name}`.toLowerCase() }));
}

export function countByStatus(rows: QueueRow[]): Record<Status, number> {
  const c: Record<Status, number> = { draft: 0, approved: 0, rejected: 0, removed: 0 };
  for (const r of rows) c[r.status] += 1;
  return c;
}

export type Readiness = "all" | "ready" | "blocked";

export function filterRows(index: Indexed[], status: Status, text: string, readiness: Readiness = "all"): QueueRow[] {
  const needle = text.trim().toLowerCase();
  const out: QueueRow[] = [];
  for (const { row, key } of index) {
    if (row.status !== status) continue;
    if (readiness === "ready" && row.missing > 0) continue;
    if (readiness === "blocked" && row.missing === 0) continue;
    if (needle && !key.includes(needle)) continue;
    out.push(row);
  }
  return out;
}

/** A draft (or rejected connector) whose gate passes: the only rows bulk approval accepts. */
export function isApprovable(r: QueueRow): boolean {
  return (r.status === "draft" || r.status === "rejected") && r.missing === 0;
}

/** "12 of 14 metrics mapped" */
export function coverage(r: Pick<QueueRow, "metrics" | "metrics_mapped">): string {
  return r.metrics === 0 ? "no metrics" : `${r.metrics_mapped} of ${r.metrics} metrics mapped`;
}
