import type { Value } from "../../bindings";
import { describeReceipt, isReceipt } from "../gateway/receipts";

type Obj = { [key: string]: Value };
const isObj = (v: Value | null | undefined): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
const str = (v: Value | undefined) => (typeof v === "string" ? v : v === null || v === undefined ? "" : JSON.stringify(v));

/** "draft → approved" from the audit's before/after JSON; compact JSON otherwise. */
export function describeChange(before: Value | null, after: Value | null): string {
  const status = (v: Value | null) => (isObj(v) && typeof v.status === "string" ? v.status : null);
  const b = status(before);
  const a = status(after);
  if (b || a) return `${b ?? "—"} → ${a ?? "—"}`;
  if (before === null && after === null) return "";
  return `${before === null ? "—" : JSON.stringify(before)} → ${after === null ? "—" : JSON.stringify(after)}`;
}

/** One item of a batch (a metric mapping or a scope's gating) as a reader says it. */
function itemState(v: Obj): string {
  if ("metric" in v) return typeof v.core_kpi === "string" ? v.core_kpi : v.not_a_kpi === true ? "not a KPI" : "unmapped";
  if ("scope" in v) {
    if (v.gated !== true) return v.dismissed === true ? "not gated (suggestion dismissed)" : "not gated";
    return typeof v.firearm_type === "string" ? `gated (${v.firearm_type})` : "gated, no firearm type";
  }
  return JSON.stringify(v);
}

function itemName(v: Obj): string {
  const what = str(v.metric ?? v.scope);
  return v.connector ? `${str(v.connector)} · ${what}` : what;
}

/**
 * The change as sentences, one line per changed item: `stripe · mrr: unmapped → mrr_kpi`,
 * `draft → approved`, `reason: too broad`. The raw record stays one click away in the page.
 */
export function describeLines(before: Value | null, after: Value | null): string[] {
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => {
      const a = after[i];
      if (!isObj(b) || !isObj(a)) return [`${JSON.stringify(b)} → ${JSON.stringify(a)}`];
      const from = itemState(b);
      const to = itemState(a);
      return from === to ? [] : [`${itemName(a)}: ${from} → ${to}`];
    });
  }
  if (isObj(before) && isObj(after) && !("status" in before && "status" in after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => `${k}: ${str(before[k]) || "—"} → ${str(after[k]) || "—"}`);
  }
  const line = describeChange(before, after);
  return line ? [line] : [];
}

/** The detail's reason (or a sync's risks) in words; empty when there is nothing to say. */
export function describeDetail(detail: Value | null): string {
  if (!isObj(detail)) return detail === null ? "" : str(detail);
  // A tool call's receipt: the tool, how it ended, who answered, from which client, how long.
  if (isReceipt(detail)) return describeReceipt(detail);
  const parts: string[] = [];
  const reason = typeof detail.reason === "string" ? detail.reason : "";
  if (reason) parts.push(reason);
  const diff = detail.diff;
  const risks = isObj(diff) && Array.isArray(diff.risk) ? diff.risk.map((r) => str(r)) : [];
  // A back-to-review reason already names its risks: say them once.
  if (risks.length && !risks.every((r) => reason.includes(r))) parts.push(risks.join("; "));
  if (isObj(diff) && isObj(diff.files)) {
    const files = ["added", "changed", "removed"].flatMap((k) => {
      const list = (diff.files as Obj)[k];
      return Array.isArray(list) && list.length ? [`files ${k}: ${list.map((f) => str(f)).join(", ")}`] : [];
    });
    parts.push(...files);
  }
  return parts.join(" · ");
}
