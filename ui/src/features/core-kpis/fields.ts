// The core-KPI screen's checks, mirroring the registry's (`kpi_registry.rs`), so the form explains
// a problem before the round trip (the registry still checks: it is the authority).
import type { Aggregation, CoreKpiFields, Direction, KpiUsage, Unit } from "../../bindings";
import { fieldsProblem as typeFieldsProblem } from "../firearm-types/types";

// The registry checks KPI slugs with the firearm-type rule.
export { slugProblem } from "../firearm-types/types";

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
  return typeFieldsProblem({ name: f.name, description: f.description, risk_level: "low" });
}

export function trimFields(f: CoreKpiFields): CoreKpiFields {
  return { ...f, name: f.name.trim(), description: f.description.trim() };
}

/** Mapped metrics using the KPI, over every connector. */
export function usageTotal(usage: readonly KpiUsage[]): number {
  return usage.reduce((n, u) => n + u.metrics, 0);
}

/** "shopify (3), stripe (1)" */
export function usageText(usage: readonly KpiUsage[]): string {
  return usage.map((u) => `${u.connector} (${u.metrics})`).join(", ");
}
