import { describe, expect, it } from "vitest";
import type { QueueRow } from "../../bindings";
import { countByStatus, coverage, filterRows, indexRows, isApprovable } from "./filter";

function row(slug: string, over: Partial<QueueRow> = {}): QueueRow {
  return {
    slug, display_name: slug.toUpperCase(), status: "draft", status_reason: null, manifest_hash: "h", fingerprint: "f",
    scopes: 3, gated: 1, metrics: 2, metrics_mapped: 2, missing: 0, ...over,
  };
}

describe("queue filtering", () => {
  const rows = [
    row("shopify"), row("stripe", { missing: 2 }), row("slack", { status: "approved" }),
    row("hubspot", { display_name: "HubSpot CRM" }), row("gone", { status: "removed" }),
  ];
  const index = indexRows(rows);

  it("filters by status, then by text in slug or display name, case-insensitively", () => {
    expect(filterRows(index, "draft", "").map((r) => r.slug)).toEqual(["shopify", "stripe", "hubspot"]);
    expect(filterRows(index, "draft", "  CRM ").map((r) => r.slug)).toEqual(["hubspot"]);
    expect(filterRows(index, "draft", "s").map((r) => r.slug)).toEqual(["shopify", "stripe", "hubspot"]);
    expect(filterRows(index, "approved", "sla").map((r) => r.slug)).toEqual(["slack"]);
    expect(filterRows(index, "draft", "zzz")).toEqual([]);
  });

  it("filters by readiness", () => {
    expect(filterRows(index, "draft", "", "ready").map((r) => r.slug)).toEqual(["shopify", "hubspot"]);
    expect(filterRows(index, "draft", "", "blocked").map((r) => r.slug)).toEqual(["stripe"]);
  });

  it("counts every status", () => {
    expect(countByStatus(rows)).toEqual({ draft: 3, approved: 1, rejected: 0, removed: 1 });
  });

  it("only offers ready drafts and rejected connectors for approval", () => {
    expect(isApprovable(row("a"))).toBe(true);
    expect(isApprovable(row("a", { missing: 1 }))).toBe(false);
    expect(isApprovable(row("a", { status: "approved" }))).toBe(false);
    expect(isApprovable(row("a", { status: "rejected" }))).toBe(true);
    expect(isApprovable(row("a", { status: "removed" }))).toBe(false);
  });

  it("describes coverage", () => {
    expect(coverage({ metrics: 14, metrics_mapped: 12 })).toBe("12 of 14 metrics mapped");
    expect(coverage({ metrics: 0, metrics_mapped: 0 })).toBe("no metrics");
  });

  it("stays fast on 10,000 connectors", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => row(`connector_${i}`, { status: i % 4 ? "draft" : "approved" }));
    const big = indexRows(many);
    const t = performance.now();
    for (const q of ["c", "co", "con", "connector_9", "connector_99"]) filterRows(big, "draft", q);
    // Five keystrokes; the benchmark measures the real figure in the app.
    expect(performance.now() - t).toBeLessThan(250);
  });
});
