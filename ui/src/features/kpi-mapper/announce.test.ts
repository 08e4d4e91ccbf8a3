import { describe, expect, it } from "vitest";
import { announcements, overText } from "./announce";
import type { DropKpi, DropMetric } from "./dropRules";

const metric: DropMetric = { raw: "orders_count", core_kpi: null, orphaned: false, likely: { unit: "count", aggregation: null, because: "the word `count` in its name" } };
const orders: DropKpi = { slug: "orders", name: "Orders", unit: "count", aggregation: "sum", retired: false };
const revenue: DropKpi = { slug: "revenue", name: "Revenue", unit: "currency", aggregation: "sum", retired: false };
const old: DropKpi = { slug: "old", name: "Old", unit: "count", aggregation: "sum", retired: true };

const look = {
  metric: (id: string) => (id === "orders_count" ? metric : undefined),
  kpi: (id: string) => [orders, revenue, old].find((k) => k.slug === id),
};
const active = { id: "orders_count", data: { current: undefined }, rect: { current: { initial: null, translated: null } } };
const over = (id: string) => ({ id, rect: { width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0 }, disabled: false, data: { current: undefined } });

describe("announcements", () => {
  it("says where the metric fits, and what a misfit will ask", () => {
    expect(overText(metric, orders)).toBe("orders_count is over Orders (count, sum).");
    expect(overText(metric, revenue)).toContain("Dropping asks for confirmation: `orders_count` looks like a count");
    expect(overText(metric, old)).toBe("orders_count cannot drop on Old: Old is retired and takes no new metrics.");
    expect(overText({ ...metric, core_kpi: "orders" }, orders)).toBe("orders_count is over Orders, where it is already mapped.");
  });

  it("names the metric and the KPI on every step", () => {
    const a = announcements(look);
    expect(a.onDragStart({ active })).toContain("Picked up metric orders_count");
    expect(a.onDragOver({ active, over: over("orders") })).toBe("orders_count is over Orders (count, sum).");
    expect(a.onDragOver({ active, over: null })).toBe("orders_count is not over a core KPI.");
    expect(a.onDragEnd({ active, over: over("revenue") })).toBe("orders_count was dropped on Revenue.");
    expect(a.onDragEnd({ active, over: null })).toContain("nothing changed");
    expect(a.onDragCancel({ active, over: null })).toBe("Dragging orders_count was cancelled; nothing changed.");
  });
});
