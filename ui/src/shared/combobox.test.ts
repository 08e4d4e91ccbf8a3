import { describe, expect, it } from "vitest";
import { afterTyping, CLOSED, comboKey, matchOptions } from "./combobox";

describe("combobox keys", () => {
  it("moves with the arrows, wrapping, and opens on the first or last option", () => {
    expect(comboKey(CLOSED, "ArrowDown", 3)).toEqual({ state: { open: true, active: 0 }, pick: null, handled: true });
    expect(comboKey(CLOSED, "ArrowUp", 3).state).toEqual({ open: true, active: 2 });
    expect(comboKey({ open: true, active: 2 }, "ArrowDown", 3).state.active).toBe(0);
    expect(comboKey({ open: true, active: 0 }, "ArrowUp", 3).state.active).toBe(2);
    expect(comboKey({ open: true, active: 1 }, "ArrowDown", 0).state.active).toBe(-1);
  });

  it("picks with Enter, closes with Escape, and leaves other keys alone", () => {
    expect(comboKey({ open: true, active: 1 }, "Enter", 3)).toEqual({ state: CLOSED, pick: 1, handled: true });
    expect(comboKey({ open: true, active: -1 }, "Enter", 1).pick).toBe(0);
    expect(comboKey({ open: true, active: -1 }, "Enter", 2)).toMatchObject({ pick: null, handled: true });
    expect(comboKey(CLOSED, "Enter", 3).handled).toBe(false); // the form submits
    expect(comboKey({ open: true, active: 0 }, "Escape", 3)).toEqual({ state: CLOSED, pick: null, handled: true });
    expect(comboKey(CLOSED, "Escape", 3).handled).toBe(false); // the modal closes
    expect(comboKey({ open: true, active: 0 }, "a", 3)).toMatchObject({ handled: false, pick: null });
    expect(afterTyping(2)).toEqual({ open: true, active: 0 });
    expect(afterTyping(0)).toEqual({ open: true, active: -1 });
  });
});

describe("matching options", () => {
  const opts = ["stripe", "shopify", "mailchimp", "conn_00001", "conn_00002", "x_stripe_test", "STRIPE"].map((value) => ({ value }));
  const values = (q: string, limit = 50) => matchOptions(opts, q, limit).shown.map((o) => o.value);

  it("lists exact matches, then prefixes, then the rest, case-insensitively", () => {
    expect(values("stripe")).toEqual(["stripe", "STRIPE", "x_stripe_test"]);
    expect(values("S")).toEqual(["stripe", "shopify", "STRIPE", "x_stripe_test"]);
    expect(values("chi")).toEqual(["mailchimp"]);
    expect(values("  conn_ ")).toEqual(["conn_00001", "conn_00002"]);
    expect(values("zzz")).toEqual([]);
  });

  it("shows at most the limit and counts the rest", () => {
    expect(matchOptions(opts, "", 3)).toEqual({ shown: opts.slice(0, 3), more: 4 });
    expect(matchOptions(opts, "conn", 1)).toEqual({ shown: [{ value: "conn_00001" }], more: 1 });
    const many = Array.from({ length: 10_000 }, (_, i) => ({ value: `conn_${String(i).padStart(5, "0")}` }));
    const m = matchOptions(many, "conn_0", 50);
    expect(m.shown).toHaveLength(50);
    expect(m.more).toBe(9_950);
  });
});
