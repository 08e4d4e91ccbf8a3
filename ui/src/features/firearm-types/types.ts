// The firearm-type screen's checks: the shared slug-registry rules, typed for a firearm type.
import type { FirearmTypeFields, RiskLevel, TypeUsage } from "../../bindings";
import { textProblem, trimText, usageText as text, usageTotal as total } from "../../shared/slug-registry/registry";

export { slugProblem } from "../../shared/slug-registry/registry";

export const RISK_LEVELS: RiskLevel[] = ["low", "medium", "high", "critical"];

/** Why the name or description is refused, or null. Counts characters, as the registry does. */
export function fieldsProblem(f: FirearmTypeFields): string | null {
  return textProblem(f);
}

export function trimFields(f: FirearmTypeFields): FirearmTypeFields {
  return trimText(f);
}

/** Gated scopes using the type, over every connector. */
export function usageTotal(usage: readonly TypeUsage[]): number {
  return total(usage, (u) => u.scopes);
}

/** "notion (3), stripe (1)" */
export function usageText(usage: readonly TypeUsage[]): string {
  return text(usage, (u) => u.scopes);
}
