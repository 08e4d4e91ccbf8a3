import { describe, expect, it } from "vitest";
import { drop, misfits, type DropKpi, type DropMetric } from "./dropRules";

const sales: DropKpi = { slug: "gross_sales", name: "Gross sales", unit: "currency", aggregation: "sum", retired: false };
const aov: DropKpi = { slug: "average_order_value", name: "Average order value", unit: "currency", aggregation: "average", retired: false };
const metric = (over: Partial<DropMetric> = {}): DropMetric => ({ raw: "orders_count", core_kpi: null, orphaned: false, likely: null, ...over });

describe("drop rules", () => {
  it("maps a metric with nothing known about it without asking", () => {
    expect(drop(metric(), sales)).toEqual({ kind: "map", warnings: [] });
  });

  it("asks before a count lands on a currency KPI, and says why", () => {
    const m = metric({ likely: { unit: "count", aggregation: null, because: "the word `count` in its name" } });
    expect(drop(m, sales)).toEqual({
      kind: "map",
      warnings: ["`orders_count` looks like a count (the word `count` in its name), but Gross sales is a currency KPI"],
    });
  });

  it("asks about an aggregation that does not fit, with the unit fine", () => {
    const m = metric({ raw: "gross", likely: { unit: "currency", aggregation: "sum", because: "its suggested KPI `gross_sales`" } });
    expect(misfits(m, sales)).toEqual([]);
    expect(misfits(m, aov)).toEqual(["`gross` aggregates by sum (its suggested KPI `gross_sales`), but Average order value aggregates by average"]);
  });

  it("does nothing when dropped where it already is", () => {
    expect(drop(metric({ core_kpi: "gross_sales" }), sales)).toEqual({ kind: "same" });
  });

  it("refuses a retired KPI and an orphaned metric, saying why", () => {
    expect(drop(metric(), { ...sales, retired: true })).toEqual({ kind: "refuse", why: "Gross sales is retired and takes no new metrics" });
    expect(drop(metric({ orphaned: true }), sales)).toMatchObject({ kind: "refuse" });
  });
});
