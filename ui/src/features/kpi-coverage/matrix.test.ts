import { describe, expect, it } from "vitest";
import type { ConnectorCoverage, CoreKpi } from "../../bindings";
import { feedCounts, filterCoverage, isIncomplete, matrixColumns } from "./matrix";

function cov(connector: string, metrics: number, settled: number, feeds: string[], orphaned = 0): ConnectorCoverage {
  return { connector, connector_status: "draft", metrics, settled, orphaned, feeds };
}
function kpi(slug: string, retired = false): CoreKpi {
  return { slug, name: slug, description: "", unit: "count", aggregation: "sum", direction: "higher_is_better", retired, version: 0, usage: [] };
}

const ROWS = [cov("shopify", 4, 4, ["orders", "revenue"]), cov("stripe", 3, 1, ["revenue"]), cov("slack", 0, 0, []), cov("notion", 2, 2, ["old"], 1)];

describe("coverage matrix", () => {
  it("counts the connectors feeding each KPI", () => {
    const c = feedCounts(ROWS);
    expect(c.get("revenue")).toBe(2);
    expect(c.get("orders")).toBe(1);
    expect(c.get("sessions")).toBeUndefined();
  });

  it("shows active KPIs and retired ones still fed", () => {
    const cols = matrixColumns([kpi("orders"), kpi("old", true), kpi("gone", true), kpi("revenue")], feedCounts(ROWS));
    expect(cols.map((k) => k.slug)).toEqual(["orders", "old", "revenue"]);
  });

  it("filters by text and by work left", () => {
    expect(filterCoverage(ROWS, { text: "", incomplete: false })).toBe(ROWS);
    expect(filterCoverage(ROWS, { text: "S", incomplete: false }).map((r) => r.connector)).toEqual(["shopify", "stripe", "slack"]);
    expect(filterCoverage(ROWS, { text: "", incomplete: true }).map((r) => r.connector)).toEqual(["stripe", "notion"]);
    expect(filterCoverage(ROWS, { text: "sh", incomplete: true })).toEqual([]);
  });

  it("counts an orphaned mapping as work left", () => {
    expect(isIncomplete(cov("a", 2, 2, [], 1))).toBe(true);
    expect(isIncomplete(cov("a", 2, 2, []))).toBe(false);
  });
});
