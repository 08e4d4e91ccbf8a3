// Secret health for the vault screen, the connector page and the review queue. Pure.
import type { Health, SecretHealth } from "../../bindings";

export type HealthFilter = "all" | "missing" | "stale" | "present";

export function filterSecrets(rows: SecretHealth[], text: string, health: HealthFilter): SecretHealth[] {
  const q = text.trim().toLowerCase();
  return rows.filter((s) =>
    (health === "all" || s.health === health) &&
    (q === "" || s.vault_key.toLowerCase().includes(q) || s.slug.includes(q) || s.display_name.toLowerCase().includes(q) || (s.account?.label ?? "").toLowerCase().includes(q)),
  );
}

export type Counts = Record<Health, number>;

export function countHealth(rows: SecretHealth[]): Counts {
  const counts: Counts = { present: 0, missing: 0, stale: 0, unknown: 0 };
  for (const s of rows) counts[s.health] += 1;
  return counts;
}

export const HEALTH_LABEL: Record<Health, string> = {
  present: "in the vault",
  missing: "missing",
  stale: "stale",
  unknown: "unknown",
};

export const HEALTH_CLASS: Record<Health, string> = {
  present: "pill ok",
  missing: "pill warn",
  stale: "pill warn",
  unknown: "pill",
};

function day(iso: string): string {
  return iso.slice(0, 10);
}

/** "set on 2026-11-21 by alice", with the rotation and age when known. */
export function describeSet(s: SecretHealth): string {
  const a = s.account;
  if (s.health === "missing") return "not set";
  if (s.health === "unknown") return "the keyring did not answer";
  if (!a) return "set outside God Config (age unknown)";
  let text = `set on ${day(a.set_at)} by ${a.set_by}`;
  if (a.rotated_at) text += `, replaced on ${day(a.rotated_at)}`;
  if (s.health === "stale") text += ` (${s.age_days ?? "?"} days old: rotate it)`;
  return text;
}
