import type { SyncProgress, SyncSummary } from "../../bindings";

export interface ProgressState {
  label: string;
  /** 0..1, or null when the step has no measurable total. */
  fraction: number | null;
}

export function nextProgress(prev: ProgressState & { total?: number }, p: SyncProgress): ProgressState & { total?: number } {
  switch (p.step) {
    case "scanned":
      return { label: `Scanned ${p.connectors} connector folders; registering…`, fraction: null };
    case "generating":
      return { ...prev, total: p.total, label: p.total ? `Registering; writing ${p.total} MCP stubs…` : prev.label };
    case "generated":
      return prev.total ? { ...prev, label: `Writing MCP stubs: ${p.done} of ${prev.total}`, fraction: p.done / prev.total } : prev;
    case "registered":
      return { ...prev, label: "Registered; finishing MCP stubs…" };
  }
}

/** The one-line summary `sentinel sync` prints. */
export function summaryLine(s: SyncSummary): string {
  return `${s.added.length} added, ${s.changed.length} changed, ${s.removed.length} removed, ${s.unchanged} unchanged, ${s.rejected.length} rejected`;
}
