import { useDroppable } from "@dnd-kit/core";
import type { CoreKpi, MetricRow } from "../../bindings";

const DIRECTION: Record<CoreKpi["direction"], string> = { higher_is_better: "↑ better", higher_is_worse: "↑ worse" };

/** A core KPI that takes metrics; a retired one takes none and says so. */
export function KpiTarget({ kpi, mapped, highlight }: { kpi: CoreKpi; mapped: MetricRow[]; highlight: boolean }) {
  const { setNodeRef, isOver } = useDroppable({ id: kpi.slug, disabled: kpi.retired });
  const cls = ["kpi-target", isOver ? "over" : "", kpi.retired ? "retired" : "", highlight ? "highlight" : ""].filter(Boolean).join(" ");
  return (
    <li ref={setNodeRef} className={cls} data-testid="kpi-target" data-kpi={kpi.slug} data-over={isOver} title={kpi.description}>
      <div className="kpi-name">
        <strong>{kpi.name}</strong> {kpi.retired && <span className="pill warn">retired</span>}
      </div>
      <div className="muted kpi-meta">{kpi.unit} · {kpi.aggregation} · {DIRECTION[kpi.direction]}</div>
      {mapped.length > 0 && (
        <ul className="kpi-mapped" aria-label={`Metrics mapped to ${kpi.name}`}>
          {mapped.map((m) => <li key={m.raw}><code className={m.orphaned ? "orphan" : undefined}>{m.raw}</code></li>)}
        </ul>
      )}
    </li>
  );
}
