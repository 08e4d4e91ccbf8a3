import { describe, expect, it } from "vitest";
import { href, parseRoute } from "./router";

describe("router", () => {
  it("round-trips every route, including odd slugs and scope names", () => {
    const routes = [
      { page: "queue", status: "approved" },
      { page: "queue", status: "draft", q: "acme_forms" },
      { page: "queue", status: "draft", order: true },
      { page: "connector", slug: "google_ads", focus: "scope:https://www.googleapis.com/auth/adwords" },
      { page: "connector", slug: "stripe", focus: null },
      { page: "audit", connector: "shopify", action: null },
      { page: "audit", connector: null, action: null },
      { page: "audit", connector: "a&b", action: "mcp.call" },
      { page: "audit", connector: null, action: "mcp.call" },
      { page: "scopes", connector: "notion", gating: "missing_type", q: "a b/c&d=e" },
      { page: "scopes", connector: "google_ads", gating: null, q: "" },
      { page: "scopes", connector: null, gating: null, q: "" },
      { page: "firearm-types" },
      { page: "kpis", connector: "shopify", kpi: "gross_sales" },
      { page: "kpis", connector: "a&b", kpi: null },
      { page: "kpis", connector: null, kpi: null },
      { page: "coverage", q: "shop ify" },
      { page: "coverage", q: "" },
      { page: "core-kpis" },
      { page: "utm", connector: "hub spot" },
      { page: "utm", connector: null },
      { page: "pending" },
      { page: "agents" },
      { page: "workspace" },
      { page: "settings" },
    ] as const;
    for (const r of routes) expect(parseRoute(href(r))).toEqual(r);
  });

  it("links to one connector's scopes with a plain query", () => {
    expect(href({ page: "scopes", connector: "notion", gating: null, q: "" })).toBe("#/scopes?connector=notion");
    expect(href({ page: "scopes", connector: null, gating: null, q: "" })).toBe("#/scopes");
    expect(parseRoute("#/scopes?connector=stripe")).toEqual({ page: "scopes", connector: "stripe", gating: null, q: "" });
  });

  it("links to the tool calls in the audit log", () => {
    expect(href({ page: "audit", connector: null, action: "mcp.call" })).toBe("#/audit?action=mcp.call");
    expect(href({ page: "audit", connector: null, action: null })).toBe("#/audit");
  });

  it("defaults to the draft queue", () => {
    expect(parseRoute("")).toEqual({ page: "queue", status: "draft" });
    expect(parseRoute("#/nowhere")).toEqual({ page: "queue", status: "draft" });
  });
});
