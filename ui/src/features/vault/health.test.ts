import { describe, expect, it } from "vitest";
import type { SecretHealth } from "../../bindings";
import { countHealth, describeSet, filterSecrets } from "./health";

function row(slug: string, key: string, health: SecretHealth["health"], account: SecretHealth["account"] = null): SecretHealth {
  return { slug, display_name: slug.toUpperCase(), status: "draft", key, vault_key: `PROVIDER_${slug.toUpperCase()}_${key}`, health, account, age_days: account ? 3 : null };
}

const dev = { slug: "shop", key: "API_KEY", vault_key: "PROVIDER_SHOP_API_KEY", label: "test store", set_by: "alice", set_at: "2026-11-01T10:00:00Z", rotated_at: null };
const rows = [row("shop", "API_KEY", "present", dev), row("shop", "SECRET", "missing"), row("mail", "TOKEN", "stale", { ...dev, slug: "mail", rotated_at: "2026-01-02T00:00:00Z" })];

describe("secret health", () => {
  it("filters by health and by text (key, connector, label)", () => {
    expect(filterSecrets(rows, "", "missing").map((r) => r.key)).toEqual(["SECRET"]);
    expect(filterSecrets(rows, "mail", "all").map((r) => r.key)).toEqual(["TOKEN"]);
    expect(filterSecrets(rows, "TEST STORE", "all").map((r) => r.key)).toEqual(["API_KEY", "TOKEN"]);
    expect(filterSecrets(rows, "provider_shop_s", "all").map((r) => r.key)).toEqual(["SECRET"]);
  });
  it("counts overall (per connector: the backend, queue.rs)", () => {
    expect(countHealth(rows)).toEqual({ present: 1, missing: 1, stale: 1, unknown: 0 });
  });
  it("describes who set a key and when, never a value", () => {
    expect(describeSet(rows[0])).toBe("set on 2026-11-01 by alice");
    expect(describeSet(rows[1])).toBe("not set");
    expect(describeSet(rows[2])).toBe("set on 2026-11-01 by alice, replaced on 2026-01-02 (3 days old: rotate it)");
    expect(describeSet(row("x", "K", "present"))).toMatch(/outside God Config/);
  });
});
