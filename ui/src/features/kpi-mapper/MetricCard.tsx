import { useDraggable } from "@dnd-kit/core";
import type { CoreKpi, MetricRow } from "../../bindings";
import { stateOf } from "./mapping";

export interface CardActions {
  accept: (row: MetricRow, kpi: CoreKpi) => void;
  unmap: (row: MetricRow) => void;
  ignore: (row: MetricRow) => void;
}

/** One platform metric. The handle (name and description) is what drags, by pointer or by
 * keyboard; the buttons beside it are plain buttons, so Space on them never starts a drag. */
export function MetricCard({ row, kpis, actions, busy }: { row: MetricRow; kpis: Map<string, CoreKpi>; actions: CardActions; busy: boolean }) {
  const state = stateOf(row);
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({ id: row.raw, disabled: busy || row.orphaned });
  const mapped = row.core_kpi ? kpis.get(row.core_kpi) : undefined;
  const suggested = row.standard ? kpis.get(row.standard) : undefined;
  const canAccept = state === "open" && suggested !== undefined && !suggested.retired;
  return (
    <li ref={setNodeRef} className={`metric-card ${state}${isDragging ? " dragging" : ""}`} data-testid="metric-card" data-metric={row.raw} data-state={state}>
      <div ref={setActivatorNodeRef} className="metric-handle" {...attributes} {...listeners} data-testid="metric-handle">
        <code className="wrap">{row.raw}</code>
        {row.description && <div className="muted metric-desc">{row.description}</div>}
      </div>
      <div className="metric-state" data-testid="metric-state">
        {state === "mapped" && <>→ <strong>{mapped?.name ?? row.core_kpi}</strong></>}
        {state === "ignored" && <><span className="pill">not a KPI</span> <span className="muted">{row.reason}</span></>}
        {state === "orphaned" && (
          <><span className="pill warn">orphaned</span> <span className="muted">no longer in the manifest{row.core_kpi ? `; was mapped to ${mapped?.name ?? row.core_kpi}` : ""}</span></>
        )}
        {state === "open" && <span className="pill warn">unmapped</span>}
        {row.standard && state !== "mapped" && state !== "orphaned" && (
          <span className="muted"> suggested: {suggested?.name ?? row.standard}{suggested?.retired ? " (retired)" : ""}</span>
        )}
      </div>
      <div className="metric-actions">
        {canAccept && suggested && (
          <button type="button" className="small" disabled={busy} onClick={() => actions.accept(row, suggested)} data-testid="metric-accept">Accept suggestion</button>
        )}
        {(state === "mapped" || state === "ignored" || state === "orphaned") && (
          <button type="button" className="small" disabled={busy} onClick={() => actions.unmap(row)} aria-label={`Unmap ${row.raw}`} data-testid="metric-unmap">
            {state === "ignored" ? "Clear “not a KPI”" : "Unmap"}
          </button>
        )}
        {(state === "open" || state === "mapped") && (
          <button type="button" className="small" disabled={busy} onClick={() => actions.ignore(row)} aria-label={`Mark ${row.raw} not a KPI`} data-testid="metric-ignore">Not a KPI…</button>
        )}
      </div>
    </li>
  );
}

/** What follows the pointer (or the keyboard) while a metric is dragged. */
export function DraggedMetric({ row }: { row: MetricRow }) {
  return (
    <div className="metric-card dragged-overlay">
      <div className="metric-handle">
        <code className="wrap">{row.raw}</code>
        {row.description && <div className="muted metric-desc">{row.description}</div>}
      </div>
    </div>
  );
}
