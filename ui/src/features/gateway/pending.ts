// The pending-calls panel's rules: which calls still wait, how long is left, and how a call
// reads. Pure, so the panel and the sidebar's badge agree and vitest checks them.
import type { PendingCall, Value } from "../../bindings";

/** What an agent sees: `<slug>__<operation>` (the gateway's `tool_name`). */
export function toolName(connector: string, operation: string): string {
  return `${connector}__${operation}`;
}

/**
 * Whole seconds before the call is denied automatically; 0 once its deadline passed. Never more
 * than the whole wait (`requestedAt` to `deadline`): a clock read a moment before the call was
 * made must not show 2:01 of a 2:00 wait.
 */
export function secondsLeft(deadline: string, now: number, requestedAt?: string): number {
  const end = Date.parse(deadline);
  const ms = end - now;
  if (!Number.isFinite(ms) || ms <= 0) return 0;
  const whole = requestedAt === undefined ? Infinity : Math.ceil((end - Date.parse(requestedAt)) / 1000);
  return Math.min(Math.ceil(ms / 1000), Number.isFinite(whole) && whole > 0 ? whole : Infinity);
}

/** "1:45 left", and what happens at zero: the gateway denies it. */
export function describeLeft(secs: number): string {
  if (secs <= 0) return "Time is up: denied";
  const m = Math.floor(secs / 60);
  const s = secs % 60;
  return `${m}:${String(s).padStart(2, "0")} left`;
}

/** Unanswered and before its deadline (a gateway that died leaves a row that waits for no one). */
export function isWaiting(call: PendingCall, now: number): boolean {
  return call.answer === null && secondsLeft(call.deadline, now) > 0;
}

/** The sidebar's badge: the calls a person can still answer. */
export function waitingCount(calls: PendingCall[] | undefined, now: number): number {
  return (calls ?? []).filter((c) => isWaiting(c, now)).length;
}

/** The firearm type, or the scope when the tool's scope has none (an ungated tool set to ask). */
export function describeRisk(call: PendingCall): string {
  return call.firearm_type ?? `scope ${call.scope}`;
}

/** The arguments as indented JSON; the registry clears them once the call is answered. */
export function prettyArguments(args: Value | null): string {
  if (args === null) return "(cleared)";
  if (typeof args === "object" && !Array.isArray(args) && Object.keys(args).length === 0) return "{} (no arguments)";
  return JSON.stringify(args, null, 2);
}

/** The line that confirms an answer. */
export function answered(call: PendingCall): string {
  const tool = toolName(call.connector, call.operation);
  return call.answer === "allow" ? `Allowed once: ${tool} (call #${call.id}) runs now.` : `Denied: ${tool} (call #${call.id}); the agent was told.`;
}
