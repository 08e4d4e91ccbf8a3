import type { Value } from "../../bindings";

/** "draft → approved" from the audit's before/after JSON; compact JSON otherwise. */
export function describeChange(before: Value | null, after: Value | null): string {
  const status = (v: Value | null) =>
    v && typeof v === "object" && !Array.isArray(v) && typeof v.status === "string" ? v.status : null;
  const b = status(before);
  const a = status(after);
  if (b || a) return `${b ?? "—"} → ${a ?? "—"}`;
  if (before === null && after === null) return "";
  return `${before === null ? "—" : JSON.stringify(before)} → ${after === null ? "—" : JSON.stringify(after)}`;
}
