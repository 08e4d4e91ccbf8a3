// What the current user may do. In team mode the database enforces the roles; the UI only
// disables what would be refused, and says why, so nobody fills in a form to be told no.
import type { Identity } from "../bindings";

export type Role = "operator" | "admin" | "developer" | "sentinel";

const TASKS: Record<Role, string> = {
  operator: "approve, reject or revoke connectors and answer agents' tool calls",
  admin: "change gating, firearm types, KPI mappings, core KPIs, UTM templates, tool policies and the team policy",
  developer: "write or delete developer keys",
  sentinel: "sync the connectors folder",
};

export interface Permission {
  allowed: boolean;
  /** Why not, and who can fix it; null when allowed. */
  why: string | null;
}

const ALLOWED: Permission = { allowed: true, why: null };

/** Unknown identity (loading) and solo mode allow: the database still refuses what it must. */
export function permit(id: Identity | undefined, role: Role): Permission {
  if (!id || !id.team_mode || id.roles.includes(role)) return ALLOWED;
  const held = id.roles.length ? id.roles.join(", ") : "no God Config role";
  return {
    allowed: false,
    why: `Only the ${role} role can ${TASKS[role]}. You are ${id.user} (${held}); an owner grants it with GRANT godconfig_${role} TO ${id.user}.`,
  };
}

/** "alice · operator, admin" for the sidebar; solo mode shows the name alone. */
export function describeIdentity(id: Identity): string {
  if (!id.team_mode) return id.user;
  return `${id.user} · ${id.roles.length ? id.roles.join(", ") : "no role"}`;
}
