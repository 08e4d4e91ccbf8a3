// Keyboard dragging that jumps from one KPI to the next instead of nudging by pixels: with
// twenty targets, an arrow key per KPI is what a keyboard user expects.
import type { KeyboardCoordinateGetter } from "@dnd-kit/core";

export type Step = "next" | "previous";

export function stepOf(code: string): Step | null {
  if (code === "ArrowDown" || code === "ArrowRight") return "next";
  if (code === "ArrowUp" || code === "ArrowLeft") return "previous";
  return null;
}

/** The target to move to: from nothing, the preferred one (the suggestion) or the first; then
 * the next or previous in order, stopping at the ends. */
export function nextTarget(order: readonly string[], over: string | null, step: Step, preferred: string | null): string | null {
  if (order.length === 0) return null;
  const at = over === null ? -1 : order.indexOf(over);
  if (at < 0) {
    if (preferred !== null && order.includes(preferred)) return preferred;
    return step === "next" ? order[0] : order[order.length - 1];
  }
  const to = step === "next" ? Math.min(at + 1, order.length - 1) : Math.max(at - 1, 0);
  return order[to];
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Where the dragged box's top-left goes so its centre sits on the target's centre. */
export function centreOn(target: Box, dragged: Box): { x: number; y: number } {
  return { x: target.left + target.width / 2 - dragged.width / 2, y: target.top + target.height / 2 - dragged.height / 2 };
}

/** `preferred` names the KPI the first arrow goes to for the dragged metric (its suggestion). */
export function jumpBetweenTargets(order: readonly string[], preferred: (active: string) => string | null): KeyboardCoordinateGetter {
  return (event, { active, context }) => {
    const step = stepOf(event.code);
    if (!step) return undefined;
    event.preventDefault();
    const { collisionRect, droppableRects, over } = context;
    const to = nextTarget(order, over ? String(over.id) : null, step, preferred(String(active)));
    const rect = to === null ? undefined : droppableRects.get(to);
    if (!rect || !collisionRect) return undefined;
    return centreOn(rect, collisionRect);
  };
}
