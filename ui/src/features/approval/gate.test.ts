import { describe, expect, it } from "vitest";
import type { Gate } from "../../bindings";
import { gateItems, gateSummary } from "./gate";

const gate: Gate = {
  slug: "shopify",
  status: "draft",
  manifest_hash: "abc",
  fingerprint: "fp",
  missing: [
    { kind: "invalid_manifest", problems: 2 },
    { kind: "gated_scope_without_type", scope: "write_orders" },
    { kind: "unmapped_metric", metric: "total_sales" },
  ],
};

describe("gate checklist", () => {
  it("lists every missing item with a link to its fix", () => {
    const items = gateItems(gate);
    expect(items.map((i) => i.key)).toEqual(["manifest", "scope:write_orders", "metric:total_sales"]);
    expect(items[0].text).toContain("2 problems");
    expect(items[1].text).toContain("write_orders");
    expect(items[1].fixHref).toBe("#/scopes?connector=shopify&gating=missing_type&q=write_orders");
    expect(items[2].fixHref).toBe("#/kpis?connector=shopify");
  });

  it("summarizes", () => {
    expect(gateSummary(gate)).toBe("3 items missing before approval");
    expect(gateSummary({ ...gate, missing: [{ kind: "invalid_manifest", problems: 1 }] })).toBe("1 item missing before approval");
    expect(gateSummary({ ...gate, missing: [] })).toBe("Ready to approve");
  });
});
