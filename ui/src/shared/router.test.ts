import { describe, expect, it } from "vitest";
import { href, parseRoute } from "./router";

describe("router", () => {
  it("round-trips every route, including odd slugs and scope names", () => {
    const routes = [
      { page: "queue", status: "approved" },
      { page: "connector", slug: "google_ads", focus: "scope:https://www.googleapis.com/auth/adwords" },
      { page: "connector", slug: "stripe", focus: null },
      { page: "audit", connector: "shopify" },
      { page: "audit", connector: null },
      { page: "workspace" },
      { page: "settings" },
    ] as const;
    for (const r of routes) expect(parseRoute(href(r))).toEqual(r);
  });

  it("defaults to the draft queue", () => {
    expect(parseRoute("")).toEqual({ page: "queue", status: "draft" });
    expect(parseRoute("#/nowhere")).toEqual({ page: "queue", status: "draft" });
  });
});
