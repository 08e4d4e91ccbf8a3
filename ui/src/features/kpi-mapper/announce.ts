// What a screen reader hears while a metric is dragged: the metric's name, the KPI it is over,
// and whether dropping there asks for confirmation. Pure, so it is unit-tested.
import type { Announcements, ScreenReaderInstructions } from "@dnd-kit/core";
import { drop, type DropKpi, type DropMetric } from "./dropRules";

export const INSTRUCTIONS: ScreenReaderInstructions = {
  draggable:
    "To map this metric, press Space to pick it up. Use the arrow keys to move between core KPIs. Press Space again to drop it on the KPI, or Escape to cancel.",
};

export interface Lookup {
  metric: (id: string) => DropMetric | undefined;
  kpi: (id: string) => DropKpi | undefined;
}

/** What dropping here would do, in words. */
export function overText(m: DropMetric, k: DropKpi): string {
  const d = drop(m, k);
  if (d.kind === "refuse") return `${m.raw} cannot drop on ${k.name}: ${d.why}.`;
  if (d.kind === "same") return `${m.raw} is over ${k.name}, where it is already mapped.`;
  if (d.warnings.length > 0) return `${m.raw} is over ${k.name}. Dropping asks for confirmation: ${d.warnings.join("; ")}.`;
  return `${m.raw} is over ${k.name} (${k.unit}, ${k.aggregation}).`;
}

export function announcements(look: Lookup): Announcements {
  const name = (id: string | number) => look.metric(String(id))?.raw ?? String(id);
  return {
    onDragStart: ({ active }) => `Picked up metric ${name(active.id)}. Arrow keys move between core KPIs; Space drops; Escape cancels.`,
    onDragOver: ({ active, over }) => {
      const m = look.metric(String(active.id));
      const k = over ? look.kpi(String(over.id)) : undefined;
      if (!m || !k) return `${name(active.id)} is not over a core KPI.`;
      return overText(m, k);
    },
    onDragEnd: ({ active, over }) => {
      const k = over ? look.kpi(String(over.id)) : undefined;
      return k ? `${name(active.id)} was dropped on ${k.name}.` : `${name(active.id)} was dropped outside any core KPI; nothing changed.`;
    },
    onDragCancel: ({ active }) => `Dragging ${name(active.id)} was cancelled; nothing changed.`,
  };
}
