// A tool call's receipt (an `mcp.call` audit entry) as the Connect screen's recent calls and the
// audit log read it. The receipt's detail is written by the gateway (`gateway::Receipt`).
import type { AuditEntry, Value } from "../../bindings";
import { toolName } from "./pending";

/** The audit action of a receipt (`receipts::CALL_ACTION`). */
export const CALL_ACTION = "mcp.call";

export type Outcome = "allowed" | "refused" | "denied" | "timed_out" | "failed" | "cancelled";

export const OUTCOME_LABEL: Record<Outcome, string> = {
  allowed: "allowed",
  refused: "refused",
  denied: "denied",
  timed_out: "no answer in time",
  failed: "failed",
  cancelled: "cancelled by the agent",
};

export const OUTCOME_CLASS: Record<Outcome, string> = {
  allowed: "pill ok",
  refused: "pill warn",
  denied: "pill danger",
  timed_out: "pill danger",
  failed: "pill warn",
  cancelled: "pill",
};

export interface CallRow {
  id: number;
  at: string;
  connector: string;
  /** The operation, as the receipt names it. */
  operation: string;
  /** The name the agent called: `<slug>__<operation>` (the operation alone when no connector was known). */
  tool: string;
  client: string | null;
  outcome: Outcome | null;
  policy: string | null;
  answeredBy: string | null;
  durationMs: number | null;
  reason: string | null;
}

type Obj = { [key: string]: Value };
const isObj = (v: Value | null | undefined): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
const text = (v: Value | undefined) => (typeof v === "string" && v !== "" ? v : null);
const OUTCOMES = Object.keys(OUTCOME_LABEL) as Outcome[];

/** Whether an audit entry's detail is a receipt. */
export function isReceipt(detail: Value | null): boolean {
  return isObj(detail) && typeof detail.tool === "string" && OUTCOMES.includes(detail.outcome as Outcome);
}

/** One receipt as a row; a field the receipt lacks is null. */
export function receiptOf(e: AuditEntry): CallRow {
  const d = isObj(e.detail) ? e.detail : {};
  const outcome = OUTCOMES.find((o) => o === d.outcome) ?? null;
  const connector = text(d.connector) ?? e.provider_slug ?? "";
  const operation = text(d.tool) ?? "";
  return {
    id: e.id,
    at: e.at,
    connector,
    operation,
    tool: connector && operation ? toolName(connector, operation) : operation,
    client: text(d.client),
    outcome,
    policy: text(d.policy),
    answeredBy: text(d.answered_by),
    durationMs: typeof d.duration_ms === "number" ? d.duration_ms : null,
    reason: text(d.reason),
  };
}

/** "12 ms", "1.5 s", "2 min 5 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Who answered an `ask`: a person's name, "nobody (timeout)", or "—" for a call that did not ask. */
export function describeAnswer(row: CallRow): string {
  if (row.answeredBy === "timeout" || row.outcome === "timed_out") return "nobody (timeout)";
  return row.answeredBy ?? "—";
}

/** A receipt in one line for the audit log: `gwtest__send · allowed · answered by ana · from claude-code · 12 ms`. */
export function describeReceipt(detail: Value | null): string {
  if (!isReceipt(detail)) return "";
  const row = receiptOf({ id: 0, at: "", actor: "", action: "mcp.call", provider_slug: null, detail, before: null, after: null });
  const parts = [row.tool, row.outcome ? OUTCOME_LABEL[row.outcome] : ""];
  if (row.answeredBy) parts.push(row.answeredBy === "timeout" ? "nobody answered" : `answered by ${row.answeredBy}`);
  if (row.client) parts.push(`from ${row.client}`);
  if (row.durationMs !== null) parts.push(formatDuration(row.durationMs));
  if (row.reason) parts.push(row.reason);
  return parts.filter(Boolean).join(" · ");
}

/** A reason as text and `code` spans (the gateway quotes names in backticks). */
export function codeSpans(text: string): { code: boolean; text: string }[] {
  return text.split("`").map((t, i) => ({ code: i % 2 === 1, text: t })).filter((s) => s.text !== "");
}
