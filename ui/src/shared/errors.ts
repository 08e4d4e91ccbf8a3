// The one place that turns `{code, message}` from IPC into what the user sees and can do.
import type { ErrorCode, ErrorCodeId } from "../bindings";

export type Recovery =
  | { kind: "route"; label: string; href: string }
  | { kind: "retry"; label: string }
  | { kind: "none" };

export interface Shown {
  title: string;
  message: string;
  recovery: Recovery;
}

// Every code's title and way out. Typed by the generated union: a code without an entry fails `tsc`.
const workspace: Recovery = { kind: "route", label: "Open the workspace screen", href: "#/workspace" };
const settings: Recovery = { kind: "route", label: "Open settings", href: "#/settings" };
const vault: Recovery = { kind: "route", label: "Open the vault", href: "#/vault" };
const firearmTypes: Recovery = { kind: "route", label: "Open firearm types", href: "#/firearm-types" };
const coreKpis: Recovery = { kind: "route", label: "Open core KPIs", href: "#/core-kpis" };
const tryAgain: Recovery = { kind: "retry", label: "Try again" };
const reviewAgain: Recovery = { kind: "retry", label: "Reload and review again" };
const reload: Recovery = { kind: "retry", label: "Reload" };
// The message already carries the fix (a field to correct, a role to ask for): no button helps.
const none: Recovery = { kind: "none" };

const CODES: Record<ErrorCodeId, { title: string; recovery: Recovery }> = {
  "app.no_workspace": { title: "No workspace is open", recovery: workspace },
  "app.no_folder": { title: "Choose a connectors folder", recovery: workspace },
  "app.no_file": { title: "Choose a registry file", recovery: none },
  "app.folder_not_empty": { title: "That folder already holds files", recovery: none },
  "app.no_examples": { title: "No example connectors in this build", recovery: none },
  "app.not_a_folder": { title: "That is not a connectors folder", recovery: workspace },
  "app.settings": { title: "The settings file cannot be used", recovery: none },
  "app.sync_running": { title: "A sync is already running", recovery: tryAgain },
  "app.blank_name": { title: "The name is blank", recovery: settings },
  "app.bad_rotation": { title: "The rotation age is not valid", recovery: settings },
  "app.export": { title: "The export could not be written", recovery: none },
  "app.import": { title: "The file could not be read", recovery: none },
  "utm.refused": { title: "The UTM rules refuse this", recovery: none },
  "utm.unknown_template": { title: "No UTM template for that content type", recovery: none },
  "utm.exists": { title: "That UTM template already exists", recovery: none },
  "utm.not_declared": { title: "The connector does not declare that content type", recovery: none },
  "registry.connect": { title: "Cannot open the registry", recovery: workspace },
  "registry.tls": { title: "The registry's server could not be verified", recovery: workspace },
  "registry.bad_url": { title: "That registry URL is not supported", recovery: workspace },
  "registry.busy": { title: "The registry is busy", recovery: tryAgain },
  "registry.database": { title: "The database refused the change", recovery: tryAgain },
  "registry.corrupt": { title: "The registry is damaged", recovery: none },
  "registry.migration": { title: "The registry could not be upgraded", recovery: none },
  "registry.migration_changed": { title: "The registry's migrations were edited", recovery: none },
  "registry.unknown_migration": { title: "The registry is newer than this app", recovery: none },
  "registry.conflict": { title: "Someone else changed this", recovery: reload },
  "registry.offline": { title: "Offline: the registry cannot be reached", recovery: tryAgain },
  "registry.forbidden": { title: "Your role may not do this", recovery: none },
  "review.four_eyes": { title: "Four-eyes rule: another operator must approve", recovery: none },
  "team.bad_policy": { title: "The team policy is not valid", recovery: none },
  "team.needs_postgres": { title: "Team mode needs a PostgreSQL registry", recovery: workspace },
  "review.not_found": { title: "That connector is not registered", recovery: none },
  "review.gate_refused": { title: "Approval refused: the gate is not met", recovery: reviewAgain },
  "review.wrong_status": { title: "Not possible in this status", recovery: reviewAgain },
  "review.reason_required": { title: "A reason is required", recovery: none },
  "review.hash_mismatch": { title: "The connector changed while you reviewed it", recovery: reviewAgain },
  "scopes.unknown_scope": { title: "That scope is not registered", recovery: reload },
  "scopes.not_gated": { title: "The scope is not gated", recovery: none },
  "scopes.reason_required": { title: "A reason is required to ungate", recovery: none },
  "scopes.empty_selection": { title: "No scope is selected", recovery: none },
  "firearms.unknown_type": { title: "That firearm type does not exist", recovery: firearmTypes },
  "firearms.retired": { title: "That firearm type is retired", recovery: firearmTypes },
  "firearms.exists": { title: "That firearm type already exists", recovery: none },
  "firearms.in_use": { title: "The firearm type is still in use", recovery: none },
  "firearms.invalid": { title: "The firearm type is not valid", recovery: none },
  "kpis.empty_selection": { title: "No metric is selected", recovery: none },
  "kpis.unknown_metric": { title: "That metric is not registered", recovery: none },
  "kpis.orphaned": { title: "The metric is no longer in the manifest", recovery: none },
  "kpis.unknown_kpi": { title: "That core KPI does not exist", recovery: coreKpis },
  "kpis.retired_kpi": { title: "That core KPI is retired", recovery: coreKpis },
  "kpis.reason_required": { title: "A reason is required for “not a KPI”", recovery: none },
  "core_kpis.exists": { title: "That core KPI already exists", recovery: none },
  "core_kpis.in_use": { title: "The core KPI is still in use", recovery: none },
  "core_kpis.invalid": { title: "The core KPI is not valid", recovery: none },
  "vault.unavailable": { title: "The OS keyring is not available", recovery: tryAgain },
  "vault.denied": { title: "The OS keyring refused access", recovery: tryAgain },
  "vault.error": { title: "The OS keyring failed", recovery: tryAgain },
  "vault.bad_name": { title: "That is not a vault key name", recovery: vault },
  "vault.blank": { title: "The key is empty", recovery: none },
  "vault.unknown_key": { title: "No registered connector needs that key", recovery: vault },
  "vault.ambiguous_key": { title: "Two connectors' keys have the same name", recovery: none },
  "vault.key_of_removed": { title: "That key belongs to a removed connector", recovery: vault },
  "vault.missing": { title: "Keys are missing from the keyring", recovery: vault },
  "vault.read_value": { title: "The key's value could not be read", recovery: none },
  "vault.exec": { title: "The command could not be started", recovery: none },
  "vault.not_approved": { title: "Keys go only to a connector approved as it is on disk", recovery: none },
  "sentinel.dir": { title: "The connectors folder cannot be read", recovery: workspace },
  "sentinel.write": { title: "An MCP stub could not be written", recovery: tryAgain },
  "sentinel.codegen": { title: "An MCP stub could not be generated", recovery: none },
  "sentinel.confirm": { title: "A confirmation is needed", recovery: none },
  "sentinel.stub_changed": { title: "A connector's mcp.py was edited by hand", recovery: none },
  "sentinel.exists": { title: "That connector folder already exists", recovery: none },
  "sentinel.watch": { title: "The connectors folder cannot be watched", recovery: none },
  "mcp.unknown_tool": { title: "That connector has no such tool", recovery: reload },
  "mcp.no_pending_call": { title: "That tool call is not known", recovery: reload },
  "mcp.call_answered": { title: "That tool call was already answered", recovery: reload },
  "mcp.python": { title: "No Python for the connectors was found", recovery: none },
  "mcp.client_config": { title: "The client's configuration cannot be updated", recovery: none },
  "ipc.unexpected": { title: "Unexpected error", recovery: none },
};

const FALLBACK = { title: "Something went wrong", recovery: none };

/** Whether a string from outside the bindings (a thrown object) is one of the known codes. */
export function isKnownCode(code: string): code is ErrorCodeId {
  return Object.hasOwn(CODES, code);
}

export function describeError(e: ErrorCode): Shown {
  // A code unknown at run time (a newer backend, a thrown object) still shows its message.
  const entry = isKnownCode(e.code) ? CODES[e.code] : FALLBACK;
  return { title: entry.title, message: e.message, recovery: entry.recovery };
}

/** Anything thrown (an IPC error, a JS error, a framework string) as `{code, message}`. */
export function toErrorCode(e: unknown): ErrorCode {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const { code, message } = e as { code: unknown; message: unknown };
    if (typeof code === "string" && typeof message === "string") return { code: code as ErrorCodeId, message };
  }
  if (e instanceof Error) return { code: "ipc.unexpected", message: e.message };
  return { code: "ipc.unexpected", message: String(e) };
}

/** Thrown by `unwrap` so callers can use try/catch with the typed error inside. */
export class IpcFailure extends Error {
  constructor(public readonly error: ErrorCode) {
    super(error.message);
  }
}

export function unwrap<T>(r: { status: "ok"; data: T } | { status: "error"; error: ErrorCode }): T {
  if (r.status === "error") throw new IpcFailure(r.error);
  return r.data;
}

export function errorOf(e: unknown): ErrorCode {
  return e instanceof IpcFailure ? e.error : toErrorCode(e);
}
