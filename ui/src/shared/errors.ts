// The one place that turns `{code, message}` from IPC into what the user sees and can do.
import type { ErrorCode } from "../bindings";

export type Recovery =
  | { kind: "route"; label: string; href: string }
  | { kind: "retry"; label: string }
  | { kind: "none" };

export interface Shown {
  title: string;
  message: string;
  recovery: Recovery;
}

const TITLES: Record<string, string> = {
  "app.no_workspace": "No workspace is open",
  "app.no_folder": "Choose a connectors folder",
  "app.no_file": "Choose a registry file",
  "app.not_a_folder": "That is not a connectors folder",
  "app.settings": "Settings cannot be saved",
  "app.sync_running": "A sync is already running",
  "app.blank_name": "The name is blank",
  "app.export": "The export could not be written",
  "app.import": "The file could not be read",
  "utm.refused": "The UTM rules refuse this",
  "utm.unknown_template": "No UTM template for that content type",
  "utm.exists": "That UTM template already exists",
  "utm.not_declared": "The connector does not declare that content type",
  "registry.connect": "Cannot open the registry",
  "registry.bad_url": "That registry URL is not supported",
  "registry.busy": "The registry is busy",
  "registry.database": "The database refused the change",
  "registry.corrupt": "The registry is damaged",
  "registry.migration": "The registry could not be upgraded",
  "registry.migration_changed": "The registry's migrations were edited",
  "registry.unknown_migration": "The registry is newer than this app",
  "registry.conflict": "Someone else changed this",
  "registry.offline": "Offline: the registry cannot be reached",
  "registry.forbidden": "Your role may not do this",
  "review.four_eyes": "Four-eyes rule: another operator must approve",
  "team.bad_policy": "The team policy is not valid",
  "review.not_found": "That connector is not registered",
  "review.gate_refused": "Approval refused: the gate is not met",
  "review.wrong_status": "Not possible in this status",
  "review.reason_required": "A reason is required",
  "review.hash_mismatch": "The connector changed while you reviewed it",
  "scopes.unknown_scope": "That scope is not registered",
  "scopes.not_gated": "The scope is not gated",
  "scopes.reason_required": "A reason is required to ungate",
  "scopes.empty_selection": "No scope is selected",
  "firearms.unknown_type": "That firearm type does not exist",
  "firearms.retired": "That firearm type is retired",
  "firearms.exists": "That firearm type already exists",
  "firearms.in_use": "The firearm type is still in use",
  "firearms.invalid": "The firearm type is not valid",
  "kpis.empty_selection": "No metric is selected",
  "kpis.unknown_metric": "That metric is not registered",
  "kpis.orphaned": "The metric is no longer in the manifest",
  "kpis.unknown_kpi": "That core KPI does not exist",
  "kpis.retired_kpi": "That core KPI is retired",
  "kpis.reason_required": "A reason is required for “not a KPI”",
  "core_kpis.exists": "That core KPI already exists",
  "core_kpis.in_use": "The core KPI is still in use",
  "core_kpis.invalid": "The core KPI is not valid",
  "sentinel.dir": "The connectors folder cannot be read",
  "sentinel.write": "An MCP stub could not be written",
  "sentinel.codegen": "An MCP stub could not be generated",
  "ipc.unexpected": "Unexpected error",
};

function recoveryFor(code: string): Recovery {
  switch (code) {
    case "app.no_workspace":
    case "app.no_folder":
    case "app.not_a_folder":
    case "registry.connect":
    case "registry.bad_url":
    case "sentinel.dir":
      return { kind: "route", label: "Open the workspace screen", href: "#/workspace" };
    case "app.blank_name":
      return { kind: "route", label: "Open settings", href: "#/settings" };
    case "registry.busy":
    case "registry.offline":
    case "registry.database":
    case "app.sync_running":
    case "sentinel.write":
      return { kind: "retry", label: "Try again" };
    case "review.hash_mismatch":
    case "review.gate_refused":
    case "review.wrong_status":
      return { kind: "retry", label: "Reload and review again" };
    case "registry.conflict":
    case "scopes.unknown_scope":
      return { kind: "retry", label: "Reload" };
    case "firearms.unknown_type":
    case "firearms.retired":
      return { kind: "route", label: "Open firearm types", href: "#/firearm-types" };
    case "kpis.unknown_kpi":
    case "kpis.retired_kpi":
      return { kind: "route", label: "Open core KPIs", href: "#/core-kpis" };
    default:
      return { kind: "none" };
  }
}

export function describeError(e: ErrorCode): Shown {
  return {
    title: TITLES[e.code] ?? "Something went wrong",
    message: e.message,
    recovery: recoveryFor(e.code),
  };
}

/** Anything thrown (an IPC error, a JS error, a framework string) as `{code, message}`. */
export function toErrorCode(e: unknown): ErrorCode {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const { code, message } = e as { code: unknown; message: unknown };
    if (typeof code === "string" && typeof message === "string") return { code, message };
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
