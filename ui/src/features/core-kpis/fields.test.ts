import { describe, expect, it } from "vitest";
import type { CoreKpiFields, ErrorCodeId } from "../../bindings";
import { describeError } from "../../shared/errors";
import { aggregationLabel, AGGREGATIONS, directionLabel, DIRECTIONS, fieldsProblem, slugProblem, trimFields, UNITS, usageText, usageTotal } from "./fields";

const base: CoreKpiFields = { name: "Gross sales", description: "Money in.", unit: "currency", aggregation: "sum", direction: "higher_is_better" };

describe("core KPI checks", () => {
  it("accepts slugs like the seeded ones and explains the rest", () => {
    expect(slugProblem("gross_sales")).toBeNull();
    expect(slugProblem("x".repeat(48))).toBeNull();
    expect(slugProblem("")).toMatch(/required/);
    for (const bad of ["g", "Gross", "1kpi", "gross-sales", "x".repeat(49), "gross sales"]) expect(slugProblem(bad)).not.toBeNull();
  });

  it("requires a name and a description within their lengths, after trimming", () => {
    expect(fieldsProblem(base)).toBeNull();
    expect(fieldsProblem({ ...base, name: "  " })).toMatch(/name/);
    expect(fieldsProblem({ ...base, name: "n".repeat(81) })).toMatch(/name/);
    expect(fieldsProblem({ ...base, name: "é".repeat(80) })).toBeNull();
    expect(fieldsProblem({ ...base, description: "" })).toMatch(/description/);
    expect(fieldsProblem({ ...base, description: "d".repeat(501) })).toMatch(/description/);
  });

  it("trims the text and keeps the choices", () => {
    const f: CoreKpiFields = { name: " n ", description: " d ", unit: "ratio", aggregation: "last", direction: "higher_is_worse" };
    expect(trimFields(f)).toEqual({ name: "n", description: "d", unit: "ratio", aggregation: "last", direction: "higher_is_worse" });
  });

  it("offers every choice the registry accepts, in words", () => {
    expect(UNITS).toEqual(["currency", "count", "ratio", "duration"]);
    expect(AGGREGATIONS.map(aggregationLabel)).toEqual(["sum", "average", "last value"]);
    expect(DIRECTIONS.map(directionLabel)).toEqual(["higher is better", "higher is worse"]);
  });

  it("describes where a KPI is used", () => {
    const usage = [{ connector: "shopify", metrics: 3 }, { connector: "stripe", metrics: 1 }];
    expect(usageText(usage)).toBe("shopify (3), stripe (1)");
    expect(usageTotal(usage)).toBe(4);
    expect(usageTotal([])).toBe(0);
  });

  it("titles the KPI codes and leads back to this screen", () => {
    for (const code of <ErrorCodeId[]>["core_kpis.exists", "core_kpis.in_use", "core_kpis.invalid", "kpis.unknown_kpi", "kpis.retired_kpi", "kpis.empty_selection", "kpis.unknown_metric", "kpis.orphaned", "kpis.reason_required"])
      expect(describeError({ code, message: "m" }).title).not.toBe("Something went wrong");
    expect(describeError({ code: "kpis.retired_kpi", message: "m" }).recovery).toEqual({ kind: "route", label: "Open core KPIs", href: "#/core-kpis" });
  });
});
