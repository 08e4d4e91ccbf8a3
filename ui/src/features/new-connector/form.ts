// New connector's form logic: the manifest's slug rule checked as you type, the request the form
// sends, and which field each of `check`'s diagnostics belongs to.
import type { Diagnostic, Field, FieldProblem, NewConnector, SyncSummary } from "../../bindings";
import { summaryLine } from "../sync/progress";

/** manifest v1's `provider_slug` (crates/manifest): also the folder's name. */
export const SLUG_RULE = /^[a-z0-9][a-z0-9_]{0,62}$/;
export const SLUG_RULE_TEXT = "lowercase letters, digits and _, starting with a letter or a digit, at most 63 characters";

/** The auth methods of manifest v1, `sentinel new`'s default first. */
export const AUTH_METHODS = [
  { value: "api_key", label: "API key", keys: "API_KEY" },
  { value: "oauth2", label: "OAuth 2", keys: "CLIENT_ID, CLIENT_SECRET, ACCESS_TOKEN" },
  { value: "bearer", label: "Bearer token", keys: "ACCESS_TOKEN" },
  { value: "basic", label: "Basic (user and password)", keys: "USERNAME, PASSWORD" },
  { value: "none", label: "None", keys: "" },
] as const;
export const DEFAULT_AUTH = "api_key";

export interface FormState {
  slug: string;
  name: string;
  auth: string;
  docs: string;
}

export const EMPTY_FORM: FormState = { slug: "", name: "", auth: DEFAULT_AUTH, docs: "" };

/** What is wrong with a slug, in words, or null when it follows the rule. Empty is not an
 * error to show (the Create button waits for one), so it is null too; see `canSubmit`. */
export function slugProblem(slug: string): string | null {
  if (slug === "" || SLUG_RULE.test(slug)) return null;
  if (slug.length > 63) return `At most 63 characters; this one has ${slug.length}.`;
  if (/\s/.test(slug)) return "No spaces: use _ between words (acme_forms).";
  if (/[A-Z]/.test(slug)) return "Lowercase only: the slug is the folder's name (acme_forms, not Acme_Forms).";
  if (slug.startsWith("_")) return "Start with a lowercase letter or a digit, not _.";
  const bad = [...new Set([...slug].filter((c) => !/[a-z0-9_]/.test(c)))];
  return `${bad.map((c) => `“${c}”`).join(", ")} ${bad.length === 1 ? "is" : "are"} not allowed: use lowercase letters, digits and _.`;
}

/** The nearest slug that follows the rule, or null when there is none or it is the same. */
export function suggestSlug(slug: string): string | null {
  const s = slug
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 63)
    .replace(/_+$/, "");
  return s !== slug && SLUG_RULE.test(s) ? s : null;
}

/** The display name `sentinel new` gives when none is typed: `acme_forms` → `Acme Forms`. */
export function titleOf(slug: string): string {
  return slug
    .split("_")
    .filter((w) => w !== "")
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(" ");
}

export function canSubmit(f: FormState): boolean {
  return SLUG_RULE.test(f.slug) && f.auth !== "";
}

/** The request: a blank name or docs URL is left out (the slug's title, no docs_url). */
export function toRequest(f: FormState): NewConnector {
  const opt = (v: string) => (v.trim() === "" ? null : v.trim());
  return { slug: f.slug, name: opt(f.name), auth: f.auth, docs: opt(f.docs) };
}

/** `path:line:col`, as `sentinel check` prints it. */
export function where(d: Diagnostic): string {
  return `${d.path}:${d.line}:${d.column}`;
}

/** Problems per field; those about no field under `other`. */
export function byField(problems: FieldProblem[]): Record<Field | "other", Diagnostic[]> {
  const out: Record<Field | "other", Diagnostic[]> = { slug: [], name: [], auth: [], docs: [], other: [] };
  for (const p of problems) out[p.field ?? "other"].push(p.diagnostic);
  return out;
}

/** The first field with a problem, to move the focus to. */
export function firstField(problems: FieldProblem[]): Field | null {
  const order: Field[] = ["slug", "name", "auth", "docs"];
  return order.find((f) => problems.some((p) => p.field === f)) ?? null;
}

/** What the sync after the order did for this connector. */
export function syncNote(slug: string, synced: SyncSummary | null): { ok: boolean; text: string } {
  if (!synced) return { ok: false, text: "Not registered yet: the sync did not run (below). Sync now (Ctrl+S) registers it." };
  const rejected = synced.rejected.find((r) => r.folder === slug);
  if (rejected) return { ok: false, text: `The sync rejected it (${rejected.diagnostics.length} problem${rejected.diagnostics.length === 1 ? "" : "s"}); open it in the queue to read why.` };
  const change = [...synced.added, ...synced.changed].find((c) => c.slug === slug);
  if (change) return { ok: true, text: `Synced: ${slug} is a ${change.status_after} in the review queue.` };
  return { ok: true, text: `Synced (${summaryLine(synced)}): ${slug} is in the review queue.` };
}
