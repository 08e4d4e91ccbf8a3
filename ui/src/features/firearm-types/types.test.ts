import { describe, expect, it } from "vitest";
import { fieldsProblem, slugProblem, trimFields, usageText, usageTotal } from "./types";

describe("firearm type checks", () => {
  it("accepts slugs like the seeded ones and explains the rest", () => {
    expect(slugProblem("moves_money")).toBeNull();
    expect(slugProblem("a1")).toBeNull();
    expect(slugProblem("")).toMatch(/required/);
    for (const bad of ["a", "Moves", "1abc", "moves-money", "x".repeat(49), "mo ney"]) expect(slugProblem(bad)).not.toBeNull();
    expect(slugProblem("x".repeat(48))).toBeNull();
  });

  it("requires a name and a description within their lengths, after trimming", () => {
    expect(fieldsProblem({ name: "Moves money", description: "Pays out.", risk_level: "high" })).toBeNull();
    expect(fieldsProblem({ name: "  ", description: "d", risk_level: "low" })).toMatch(/name/);
    expect(fieldsProblem({ name: "n", description: "", risk_level: "low" })).toMatch(/description/);
    expect(fieldsProblem({ name: "n".repeat(81), description: "d", risk_level: "low" })).toMatch(/name/);
    expect(fieldsProblem({ name: "é".repeat(80), description: "d", risk_level: "low" })).toBeNull();
    expect(trimFields({ name: " n ", description: " d ", risk_level: "low" })).toEqual({ name: "n", description: "d", risk_level: "low" });
  });

  it("describes where a type is used", () => {
    const usage = [{ connector: "notion", scopes: 3 }, { connector: "stripe", scopes: 1 }];
    expect(usageText(usage)).toBe("notion (3), stripe (1)");
    expect(usageTotal(usage)).toBe(4);
    expect(usageTotal([])).toBe(0);
  });
});
