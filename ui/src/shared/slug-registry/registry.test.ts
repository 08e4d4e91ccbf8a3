import { describe, expect, it } from "vitest";
import type { CoreKpiFields } from "../../bindings";
import { choice } from "./config";
import { conflictNotice, deleteLabel, doneText, IN_USE, slugProblem, textProblem, toggleOp, trimText, usageShown, usageText, usageTotal, USAGE_SHOWN } from "./registry";

const entry = { slug: "moves_money", name: "Moves money", description: "Pays out.", retired: false, version: 7, usage: [] };
const connectors = (n: number) => Array.from({ length: n }, (_, i) => ({ connector: `c${i}`, scopes: i + 1 }));

describe("slug registry rules", () => {
  it("checks slugs and text as the registry does", () => {
    expect(slugProblem("gross_sales")).toBeNull();
    expect(slugProblem("")).toBe("A slug is required.");
    expect(slugProblem("Gross")).toBe("2–48 characters of a–z, 0–9 and _, starting with a letter (like moves_money).");
    expect(textProblem({ name: "n", description: "d" })).toBeNull();
    expect(textProblem({ name: " ", description: "d" })).toBe("A name of 1–80 characters is required.");
    expect(textProblem({ name: "n", description: "d".repeat(501) })).toBe("A description of 1–500 characters is required.");
  });

  it("trims only the text and keeps every other field", () => {
    const f: CoreKpiFields = { name: " n ", description: " d ", unit: "ratio", aggregation: "last", direction: "higher_is_worse" };
    expect(trimText(f)).toEqual({ name: "n", description: "d", unit: "ratio", aggregation: "last", direction: "higher_is_worse" });
    expect(f.name).toBe(" n ");
  });

  it("counts usage in the kind's unit", () => {
    const usage = connectors(2);
    expect(usageTotal(usage, (u) => u.scopes)).toBe(3);
    expect(usageText(usage, (u) => u.scopes)).toBe("c0 (1), c1 (2)");
    expect(usageTotal([], () => 1)).toBe(0);
  });

  it("lists eight connectors and counts the rest for the more link", () => {
    expect(USAGE_SHOWN).toBe(8);
    expect(usageShown(connectors(8))).toEqual({ shown: connectors(8), more: 0 });
    const nine = usageShown(connectors(9));
    expect(nine.shown.map((u) => u.connector)).toEqual(["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"]);
    expect(nine.more).toBe(1);
    expect(usageShown([])).toEqual({ shown: [], more: 0 });
  });

  it("retires an active entry and restores a retired one, at the version shown", () => {
    expect(toggleOp(entry)).toEqual({ kind: "retire", slug: "moves_money", version: 7 });
    expect(toggleOp({ ...entry, retired: true })).toEqual({ kind: "restore", slug: "moves_money", version: 7 });
  });

  it("words every change for the status line", () => {
    const fields = { name: "n", description: "d" };
    expect(doneText({ kind: "add", slug: "carts", fields })).toBe("Added carts.");
    expect(doneText({ kind: "update", slug: "carts", version: 1, fields })).toBe("Saved carts.");
    expect(doneText({ kind: "retire", slug: "carts", version: 1 })).toBe("Retired carts.");
    expect(doneText({ kind: "restore", slug: "carts", version: 1 })).toBe("Restored carts.");
    expect(doneText({ kind: "delete", slug: "carts", version: 1 })).toBe("Deleted carts.");
  });

  it("says why a used entry cannot be deleted", () => {
    expect(deleteLabel("Orders", 0)).toBe("Delete Orders");
    expect(deleteLabel("Orders", 3)).toBe("Delete Orders: in use, retire it instead");
    expect(IN_USE).toBe("in use: retire it instead");
  });

  it("turns only a stale version into a notice over the reloaded list", () => {
    expect(conflictNotice({ code: "registry.conflict", message: "version 3 is not 4" }, "KPI")).toEqual({
      code: "registry.conflict",
      message: "Someone else changed this KPI; the list was reloaded. (version 3 is not 4)",
    });
    expect(conflictNotice({ code: "firearms.in_use", message: "m" }, "type")).toBeNull();
  });

  it("words a select's options, by default as their values", () => {
    const unit = choice<CoreKpiFields, "unit">("unit", "Unit", "unit", ["count", "ratio"]);
    expect(unit).toMatchObject({ key: "unit", label: "Unit", testId: "unit", options: ["count", "ratio"] });
    expect(unit.options.map(unit.text)).toEqual(["count", "ratio"]);
    const dir = choice<CoreKpiFields, "direction">("direction", "Direction", "direction", ["higher_is_worse"], (d) => d.replaceAll("_", " "));
    expect(dir.options.map(dir.text)).toEqual(["higher is worse"]);
  });
});
