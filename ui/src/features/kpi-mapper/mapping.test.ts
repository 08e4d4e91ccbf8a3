import { describe, expect, it } from "vitest";
import type { MetricRow } from "../../bindings";
import { byKpi, describeOutcome, metricsText, openSuggestions, stateOf, undoOf } from "./mapping";

function row(raw: string, over: Partial<MetricRow> = {}): MetricRow {
  return {
    connector: "shop", connector_status: "draft", raw, description: null, standard: null, core_kpi: null, not_a_kpi: false,
    reason: null, changed_by: null, changed_at: null, version: 1, orphaned: false, likely: null, ...over,
  };
}

describe("undo", () => {
  it("puts each changed metric back as it was, at its new version", () => {
    const before = [row("a"), row("b", { core_kpi: "orders" }), row("c", { not_a_kpi: true, reason: "internal" }), row("d")];
    const undo = undoOf(before, [
      { connector: "shop", metric: "a", version: 2 },
      { connector: "shop", metric: "b", version: 5 },
      { connector: "shop", metric: "c", version: 3 },
    ]);
    expect(undo.items).toEqual([
      { connector: "shop", metric: "a", version: 2, op: { kind: "unmap" } },
      { connector: "shop", metric: "b", version: 5, op: { kind: "map", core_kpi: "orders" } },
      { connector: "shop", metric: "c", version: 3, op: { kind: "ignore", reason: "internal" } },
    ]);
  });

  it("leaves out metrics it never saw (another connector)", () => {
    expect(undoOf([row("a")], [{ connector: "other", metric: "a", version: 2 }]).items).toEqual([]);
  });
});

describe("grouping and suggestions", () => {
  it("groups mapped metrics by KPI in order", () => {
    const g = byKpi([row("a", { core_kpi: "orders" }), row("b"), row("c", { core_kpi: "orders" }), row("d", { core_kpi: "revenue" })]);
    expect([...g.keys()]).toEqual(["orders", "revenue"]);
    expect(g.get("orders")?.map((r) => r.raw)).toEqual(["a", "c"]);
  });

  it("offers only open, present metrics whose suggestion is usable", () => {
    const rows = [
      row("open", { standard: "orders" }),
      row("mapped", { standard: "orders", core_kpi: "revenue" }),
      row("ignored", { standard: "orders", not_a_kpi: true }),
      row("gone", { standard: "orders", orphaned: true }),
      row("retired", { standard: "old" }),
      row("none"),
    ];
    expect(openSuggestions(rows, (s) => s === "orders").map((r) => r.raw)).toEqual(["open"]);
  });

  it("names each metric's state", () => {
    expect(stateOf(row("a", { orphaned: true, core_kpi: "x" }))).toBe("orphaned");
    expect(stateOf(row("a", { core_kpi: "x" }))).toBe("mapped");
    expect(stateOf(row("a", { not_a_kpi: true }))).toBe("ignored");
    expect(stateOf(row("a"))).toBe("open");
  });
});

describe("words", () => {
  it("says what changed and who went back to review", () => {
    expect(describeOutcome("Mapped a → Orders.", { changed: 1, unchanged: 0, sent_back: [], versions: [] })).toBe("Mapped a → Orders.");
    expect(describeOutcome("Unmapped a.", { changed: 1, unchanged: 0, sent_back: ["shop"], versions: [] })).toBe("Unmapped a. Sent back to review: shop.");
    expect(describeOutcome("Mapped a → Orders.", { changed: 0, unchanged: 1, sent_back: [], versions: [] })).toBe("Nothing changed.");
    expect(metricsText(1)).toBe("1 metric");
    expect(metricsText(3)).toBe("3 metrics");
  });
});
