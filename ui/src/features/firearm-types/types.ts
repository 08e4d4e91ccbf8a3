// The firearm-type screen's checks, mirroring the registry's, so the form explains a problem
// before the round trip (the registry still checks: it is the authority).
import type { FirearmTypeFields, RiskLevel, TypeUsage } from "../../bindings";

export const RISK_LEVELS: RiskLevel[] = ["low", "medium", "high", "critical"];

/** Why a slug is refused, or null: 2–48 of a–z, 0–9 and _, starting with a letter. */
export function slugProblem(slug: string): string | null {
  if (slug === "") return "A slug is required.";
  if (!/^[a-z][a-z0-9_]{1,47}$/.test(slug)) return "2–48 characters of a–z, 0–9 and _, starting with a letter (like moves_money).";
  return null;
}

/** Why the name or description is refused, or null. Counts characters, as the registry does. */
export function fieldsProblem(f: FirearmTypeFields): string | null {
  const name = [...f.name.trim()].length;
  const description = [...f.description.trim()].length;
  if (name === 0 || name > 80) return "A name of 1–80 characters is required.";
  if (description === 0 || description > 500) return "A description of 1–500 characters is required.";
  return null;
}

export function trimFields(f: FirearmTypeFields): FirearmTypeFields {
  return { name: f.name.trim(), description: f.description.trim(), risk_level: f.risk_level };
}

/** Gated scopes using the type, over every connector. */
export function usageTotal(usage: readonly TypeUsage[]): number {
  return usage.reduce((n, u) => n + u.scopes, 0);
}

/** "notion (3), stripe (1)" */
export function usageText(usage: readonly TypeUsage[]): string {
  return usage.map((u) => `${u.connector} (${u.scopes})`).join(", ");
}
