// The pure rules of a versioned slug registry (firearm types, core KPIs): the checks mirror the
// registry's, so a form explains a problem before the round trip (the registry still checks:
// it is the authority).
import type { ErrorCode } from "../../bindings";

/** What every registry entry has; `usage` is per connector, counted in the kind's own unit. */
export interface SlugEntry {
  slug: string;
  name: string;
  description: string;
  retired: boolean;
  /** Sent back with every change: the registry refuses a stale one (compare-and-set). */
  version: number;
  usage: readonly { connector: string }[];
}

/** The text every kind has; the rest of an entry's fields are kind-specific choices. */
export interface TextFields {
  name: string;
  description: string;
}

/** The same five changes for every kind; assignable to CoreKpiOp and FirearmOp. */
export type SlugOp<F> =
  | { kind: "add"; slug: string; fields: F }
  | { kind: "update"; slug: string; version: number; fields: F }
  | { kind: "retire"; slug: string; version: number }
  | { kind: "restore"; slug: string; version: number }
  | { kind: "delete"; slug: string; version: number };

/** Connectors listed per entry; one used by hundreds links to a wider screen instead. */
export const USAGE_SHOWN = 8;

/** Why a used entry's Delete is disabled, as the note under it and its tooltip. */
export const IN_USE = "in use: retire it instead";

/** Why a slug is refused, or null: 2–48 of a–z, 0–9 and _, starting with a letter. */
export function slugProblem(slug: string): string | null {
  if (slug === "") return "A slug is required.";
  if (!/^[a-z][a-z0-9_]{1,47}$/.test(slug)) return "2–48 characters of a–z, 0–9 and _, starting with a letter (like moves_money).";
  return null;
}

/** Why the name or description is refused, or null. Counts characters, as the registry does. */
export function textProblem(f: TextFields): string | null {
  const name = [...f.name.trim()].length;
  const description = [...f.description.trim()].length;
  if (name === 0 || name > 80) return "A name of 1–80 characters is required.";
  if (description === 0 || description > 500) return "A description of 1–500 characters is required.";
  return null;
}

/** Trims the text and keeps the kind-specific choices. */
export function trimText<F extends TextFields>(f: F): F {
  return { ...f, name: f.name.trim(), description: f.description.trim() };
}

/** The total over every connector, in the kind's unit (mapped metrics, gated scopes). */
export function usageTotal<U>(usage: readonly U[], count: (u: U) => number): number {
  return usage.reduce((n, u) => n + count(u), 0);
}

/** "notion (3), stripe (1)" */
export function usageText<U extends { connector: string }>(usage: readonly U[], count: (u: U) => number): string {
  return usage.map((u) => `${u.connector} (${count(u)})`).join(", ");
}

/** The connectors listed in the table, and how many more the "more connectors" link stands for. */
export function usageShown<U>(usage: readonly U[]): { shown: readonly U[]; more: number } {
  return { shown: usage.slice(0, USAGE_SHOWN), more: Math.max(0, usage.length - USAGE_SHOWN) };
}

/** Retire and Restore have no dialog: each undoes the other. */
export function toggleOp(e: SlugEntry): SlugOp<never> {
  return { kind: e.retired ? "restore" : "retire", slug: e.slug, version: e.version };
}

const DONE: Record<SlugOp<unknown>["kind"], string> = { add: "Added", update: "Saved", retire: "Retired", restore: "Restored", delete: "Deleted" };

/** The status line after a change went through: "Retired moves_money." */
export function doneText(op: SlugOp<unknown>): string {
  return `${DONE[op.kind]} ${op.slug}.`;
}

/** The Delete button's accessible name: a used entry says why it cannot be deleted. */
export function deleteLabel(name: string, used: number): string {
  return used > 0 ? `Delete ${name}: in use, retire it instead` : `Delete ${name}`;
}

/**
 * A stale version means the dialog was built on old values: the screen drops it and shows this
 * notice over the reloaded list. Null for any other error, which the form or dialog shows.
 */
export function conflictNotice(err: ErrorCode, noun: string): ErrorCode | null {
  if (err.code !== "registry.conflict") return null;
  return { code: err.code, message: `Someone else changed this ${noun}; the list was reloaded. (${err.message})` };
}
