import { describe, expect, it } from "vitest";
import { describeIdentity, permit } from "./roles";

const team = (roles: string[]) => ({ user: "alice", team_mode: true, roles });

describe("roles", () => {
  it("allows everything in solo mode and while the identity loads", () => {
    expect(permit(undefined, "operator").allowed).toBe(true);
    expect(permit({ user: "me", team_mode: false, roles: [] }, "admin")).toEqual({ allowed: true, why: null });
  });

  it("allows a held role and refuses another, saying why and how to fix it", () => {
    expect(permit(team(["operator", "admin"]), "admin").allowed).toBe(true);
    const p = permit(team(["developer"]), "operator");
    expect(p.allowed).toBe(false);
    expect(p.why).toBe(
      "Only the operator role can approve, reject or revoke connectors and answer agents' tool calls. You are alice (developer); an owner grants it with GRANT godconfig_operator TO alice.",
    );
    expect(permit(team([]), "sentinel").why).toContain("You are alice (no God Config role)");
  });

  it("describes who is signed in", () => {
    expect(describeIdentity(team(["admin", "operator"]))).toBe("alice · admin, operator");
    expect(describeIdentity({ user: "me", team_mode: false, roles: ["admin"] })).toBe("me");
  });
});
