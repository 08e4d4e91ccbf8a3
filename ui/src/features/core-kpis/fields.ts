// The core-KPI screen's checks, mirroring the registry's (`kpi_registry.rs`), so the form explains
// a problem before the round trip (the registry still checks: it is the authority).
import type { Aggregation, CoreKpiFields, Direction, KpiUsage, Unit } from "../../bindings";
import { textProblem, trimText, usageText as text, usageTotal as total } from "../../shared/slug-registry/registry";

// The registry checks KPI slugs with the firearm-type rule.
export { slugProblem } from "../../shared/slug-registry/registry";

export const UNITS: Unit[] = ["currency", "count", "ratio", "duration"];
export const AGGREGATIONS: Aggregation[] = ["sum", "average", "last"];
export const DIRECTIONS: Direction[] = ["higher_is_better", "higher_is_worse"];

const AGGREGATION_LABELS: Record<Aggregation, string> = { sum: "sum", average: "average", last: "last value" };
const DIRECTION_LABELS: Record<Direction, string> = { higher_is_better: "higher is better", higher_is_worse: "higher is worse" };

export function aggregationLabel(a: Aggregation): string {
  return AGGREGATION_LABELS[a];
}

export function directionLabel(d: Direction): string {
  return DIRECTION_LABELS[d];
}

/** Why the name or description is refused, or null: the same rule as a firearm type's. */
export function fieldsProblem(f: CoreKpiFields): string | null {
  return textProblem(f);
}

export function trimFields(f: CoreKpiFields): CoreKpiFields {
  return trimText(f);
}

/** Mapped metrics using the KPI, over every connector. */
export function usageTotal(usage: readonly KpiUsage[]): number {
  return total(usage, (u) => u.metrics);
}

/** "shopify (3), stripe (1)" */
export function usageText(usage: readonly KpiUsage[]): string {
  return text(usage, (u) => u.metrics);
}
