import { describe, expect, it } from "vitest";
import type { FirearmType, GatingOp, ScopeRow } from "../../bindings";
import { matchTypes } from "./firearmMatch";
import {
  changes, charSets, chosenRows, clickRow, countSuggested, describeResult, filterScopes, hiddenSelected, indexScopes, joinNames,
  NO_SELECTION, opFor, parseGating, scopeSummary, selectAllVisible, sentBack, type GatingState, type ScopeFilter,
} from "./table";

function scope(connector: string, name: string, over: Partial<ScopeRow> = {}): ScopeRow {
  const r: ScopeRow = {
    connector, connector_status: "draft", name, description: null, declared_gated: false, gating_override: null,
    effective_gated: false, firearm_type: null, reason: null, changed_by: null, changed_at: null, version: 1,
    suggestion_dismissed: false, suggestion: null, ...over,
  };
  r.effective_gated = over.effective_gated ?? r.gating_override ?? r.declared_gated;
  return r;
}

const rows = [
  scope("notion", "read_content", { description: "Read pages" }),
  scope("notion", "write_content", { suggestion: { keyword: "write", firearm_type: "writes_data" } }),
  scope("notion", "delete_pages", { declared_gated: true, firearm_type: "deletes_data", connector_status: "approved" }),
  scope("stripe", "payments:write", { declared_gated: true, description: "Create charges" }),
  scope("stripe", "refunds", { gating_override: true, firearm_type: "moves_money", connector_status: "approved" }),
  scope("google_ads", "https://www.googleapis.com/auth/adwords", { declared_gated: true, gating_override: false }),
];
const index = indexScopes(rows);
const f = (over: Partial<ScopeFilter>) => filterScopes(index, { connector: null, gating: "all", text: "", ...over }).map((e) => e.row.name);

describe("scope filter", () => {
  it("indexes once per rows array and lists the connectors present", () => {
    expect(indexScopes(rows)).toBe(index);
    expect(index.connectors).toEqual(["google_ads", "notion", "stripe"]);
  });

  it("filters by each gating state", () => {
    const by = (gating: GatingState) => f({ gating });
    expect(by("all")).toHaveLength(6);
    expect(by("gated")).toEqual(["delete_pages", "payments:write", "refunds"]);
    expect(by("ungated")).toEqual(["read_content", "write_content", "https://www.googleapis.com/auth/adwords"]);
    expect(by("missing_type")).toEqual(["payments:write"]);
    expect(by("suggested")).toEqual(["write_content"]);
    // refunds: override true, manifest false; adwords: override false, manifest true.
    expect(by("overridden")).toEqual(["refunds", "https://www.googleapis.com/auth/adwords"]);
  });

  it("finds text in connector, scope, description and type, case-insensitively and trimmed", () => {
    expect(f({ text: "GOOGLE" })).toEqual(["https://www.googleapis.com/auth/adwords"]);
    expect(f({ text: "auth/ad" })).toEqual(["https://www.googleapis.com/auth/adwords"]);
    expect(f({ text: " read pages " })).toEqual(["read_content"]);
    expect(f({ text: "moves_MONEY" })).toEqual(["refunds"]);
    expect(f({ text: "stripe" })).toEqual(["payments:write", "refunds"]);
    expect(f({ text: "nothing like it" })).toEqual([]);
  });

  it("filters by connector and combines filters", () => {
    expect(f({ connector: "stripe" })).toEqual(["payments:write", "refunds"]);
    expect(f({ connector: "notion", gating: "gated" })).toEqual(["delete_pages"]);
    expect(f({ connector: "notion", text: "content", gating: "ungated" })).toEqual(["read_content", "write_content"]);
    expect(f({ connector: "nowhere" })).toEqual([]);
  });

  it("gives the same result typing on, backspacing and switching filters as a fresh scan", () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      scope(`c${i % 7}`, `${["read", "write", "wrap", "delete"][i % 4]}_${i}`, { declared_gated: i % 3 === 0 }),
    );
    const idx = indexScopes(many);
    const fresh = (g: GatingState, text: string) =>
      many.filter((r) => `${r.connector}\u0000${r.name}`.includes(text) && (g === "all" || r.effective_gated === (g === "gated"))).map((r) => r.name);
    const steps: [GatingState, string][] = [
      ["all", "w"], ["all", "wr"], ["all", "wri"], ["all", "wr"], ["all", "wra"], ["all", ""], ["gated", "w"], ["gated", "wr"], ["all", "wr"], ["ungated", "wri"],
    ];
    for (const [gating, text] of steps) {
      const got = filterScopes(idx, { connector: null, gating, text }).map((e) => e.row.name);
      expect(got, `${gating} ${JSON.stringify(text)}`).toEqual(fresh(gating, text));
    }
  });

  it("knows, per character, which rows hold it", () => {
    const sets = charSets(index.entries);
    const rowsOf = (c: string) => index.entries.filter((_, i) => ((sets.get(c.charCodeAt(0))?.[i >> 5] ?? 0) >>> (i & 31)) & 1).map((e) => e.row.name);
    expect(rowsOf("/")).toEqual(["https://www.googleapis.com/auth/adwords"]);
    expect(rowsOf(":")).toEqual(["payments:write", "https://www.googleapis.com/auth/adwords"]);
    expect(rowsOf("z")).toEqual([]);
    expect(f({ text: "é" })).toEqual([]);
    expect(filterScopes(indexScopes([]), { connector: null, gating: "all", text: "a" })).toEqual([]);
  });

  it("matches a fresh scan for every needle over rows past one bitset word", () => {
    const words = ["read", "write", "Wrap", "delete", "https://x.io/auth/ädmin", "send_mail"];
    const many = Array.from({ length: 300 }, (_, i) =>
      scope(`c${i % 11}`, `${words[i % words.length]}_${i}`, { description: i % 5 === 0 ? `Sends ${words[(i * 7) % words.length]}` : null }),
    );
    const idx = indexScopes(many);
    for (const text of ["w", "W", "e", "_1", "wr", "ite_2", "auth/ä", "ä", "d_", "sends", "s wr", "zz", "c1", "c10\u0000"]) {
      const needle = text.toLowerCase();
      const want = many
        .filter((r) => `${r.connector}\u0000${r.name}\u0000${r.description ?? ""}\u0000`.toLowerCase().includes(needle))
        .map((r) => r.name);
      // A fresh index each time: no cached result to narrow from.
      expect(filterScopes(indexScopes([...many]), { connector: null, gating: "all", text }).map((e) => e.row.name), text).toEqual(want);
      expect(filterScopes(idx, { connector: "c3", gating: "all", text }).map((e) => e.row.name), text).toEqual(
        want.filter((n) => many.find((r) => r.name === n)?.connector === "c3"),
      );
    }
  });

  it("counts suggested gates within the connector filter", () => {
    expect(countSuggested(index, null)).toBe(1);
    expect(countSuggested(index, "stripe")).toBe(0);
  });

  it("reads the gating state from the URL", () => {
    expect(parseGating("missing_type")).toBe("missing_type");
    expect(parseGating(null)).toBe("all");
    expect(parseGating("bogus")).toBe("all");
  });
});

describe("selection", () => {
  const visible = filterScopes(index, { connector: null, gating: "all", text: "" });
  const names = (s: typeof NO_SELECTION, v = visible) => chosenRows(v, s).map((r) => r.name);

  it("toggles a row on click and keys it by connector and scope", () => {
    const one = clickRow(NO_SELECTION, visible, 1, false);
    expect(names(one)).toEqual(["write_content"]);
    expect(one.keys.has("notion\u0000write_content")).toBe(true);
    expect(names(clickRow(one, visible, 1, false))).toEqual([]);
  });

  it("selects the range from the last clicked row on shift-click, in either direction", () => {
    const down = clickRow(clickRow(NO_SELECTION, visible, 1, false), visible, 3, true);
    expect(names(down)).toEqual(["write_content", "delete_pages", "payments:write"]);
    const up = clickRow(clickRow(NO_SELECTION, visible, 4, false), visible, 2, true);
    expect(names(up)).toEqual(["delete_pages", "payments:write", "refunds"]);
    // Shift-clicking a selected row clears the range instead.
    expect(names(clickRow(down, visible, 2, true))).toEqual(["write_content"]);
    // No anchor yet: a plain toggle.
    expect(names(clickRow(NO_SELECTION, visible, 2, true))).toEqual(["delete_pages"]);
  });

  it("ranges in the filtered order, and falls back to a click when the anchor is filtered out", () => {
    const stripe = filterScopes(index, { connector: "stripe", gating: "all", text: "" });
    const gated = filterScopes(index, { connector: null, gating: "gated", text: "" });
    const a = clickRow(NO_SELECTION, gated, 0, false); // delete_pages
    expect(names(clickRow(a, gated, 2, true), gated)).toEqual(["delete_pages", "payments:write", "refunds"]);
    expect(names(clickRow(a, stripe, 1, true), stripe)).toEqual(["refunds"]);
  });

  it("selects all in the filter, keeps hidden selections out of the batch, and clears", () => {
    const stripe = filterScopes(index, { connector: "stripe", gating: "all", text: "" });
    const first = clickRow(NO_SELECTION, visible, 0, false); // notion read_content, hidden below
    const all = selectAllVisible(first, stripe, true);
    expect(names(all, stripe)).toEqual(["payments:write", "refunds"]);
    expect(hiddenSelected(index, all, 2)).toBe(1);
    expect(names(all)).toEqual(["read_content", "payments:write", "refunds"]);
    const none = selectAllVisible(all, stripe, false);
    expect(names(none)).toEqual(["read_content"]);
    expect(chosenRows(visible, NO_SELECTION)).toEqual([]);
  });

  it("survives a reload: new row objects, same keys", () => {
    const sel = clickRow(NO_SELECTION, visible, 2, false);
    const reloaded = indexScopes(rows.map((r) => ({ ...r, version: r.version + 1 })));
    const again = chosenRows(filterScopes(reloaded, { connector: null, gating: "all", text: "" }), sel);
    expect(again.map((r) => [r.name, r.version])).toEqual([["delete_pages", 2]]);
  });
});

describe("who goes back to review", () => {
  const [, , deletePages, , refunds] = rows;
  const approvedUngated = scope("slack", "chat:write", { connector_status: "approved" });
  const back = (op: GatingOp, r: ScopeRow[]) => sentBack(r, op);

  it("sends back approved connectors whose effective gating changes", () => {
    expect(back({ kind: "gate", firearm_type: null }, [approvedUngated, rows[0]])).toEqual(["slack"]);
    expect(back({ kind: "ungate" }, [deletePages, refunds, rows[3]])).toEqual(["notion", "stripe"]);
  });

  it("sends back on a new or cleared type of a gated scope, not on the same type", () => {
    expect(back(opFor("set_type", "moves_money"), [refunds])).toEqual([]);
    expect(back(opFor("set_type", "full_access"), [refunds])).toEqual(["stripe"]);
    expect(back(opFor("clear_type", null), [deletePages])).toEqual(["notion"]);
    expect(back({ kind: "gate", firearm_type: null }, [deletePages])).toEqual([]);
    expect(back({ kind: "gate", firearm_type: "full_access" }, [deletePages])).toEqual(["notion"]);
  });

  it("never sends back drafts, and dismissing changes nothing a connector may do", () => {
    expect(back({ kind: "gate", firearm_type: "x" }, [rows[0], rows[1]])).toEqual([]);
    expect(back({ kind: "dismiss" }, [approvedUngated])).toEqual([]);
  });

  it("knows which scopes are already in the target state", () => {
    expect(changes(refunds, { kind: "gate", firearm_type: null })).toBe(false);
    expect(changes(deletePages, { kind: "gate", firearm_type: null })).toBe(true); // writes the override
    expect(changes(rows[0], { kind: "set_type", firearm_type: null })).toBe(false);
    expect(changes(rows[1], { kind: "dismiss" })).toBe(true);
  });
});

describe("messages", () => {
  it("summarizes a batch and its result", () => {
    expect(scopeSummary(rows.slice(0, 4))).toBe("4 scopes in 2 connectors");
    expect(scopeSummary(rows.slice(0, 1))).toBe("1 scope in 1 connector");
    expect(joinNames(["a", "b", "c"])).toBe("a, b and c");
    const res = (changed: number, unchanged: number, sent_back: string[]) => ({ outcome: { changed, unchanged, sent_back, regated: [] }, stubs_refreshed: 0, stub_warning: null });
    expect(describeResult({ kind: "gate", firearm_type: null }, res(3, 0, ["notion"]))).toBe("Gated 3 scopes. notion went back to review.");
    expect(describeResult(opFor("set_type", "moves_money"), res(1, 2, []))).toBe("Set the firearm type of 1 scope to moves_money. 2 scopes already were that way.");
    expect(describeResult(opFor("clear_type", null), res(2, 0, ["a", "b"]))).toBe("Cleared the firearm type of 2 scopes. a and b went back to review.");
    expect(describeResult({ kind: "ungate" }, { ...res(1, 0, []), stubs_refreshed: 1 })).toBe("Ungated 1 scope. Regenerated 1 MCP stub.");
  });
});

describe("firearm type combobox", () => {
  const t = (slug: string, name: string, description: string, retired = false): FirearmType =>
    ({ slug, name, description, risk_level: "high", retired, version: 1, usage: [] });
  const types = [
    t("moves_money", "Moves money", "Payments and refunds"),
    t("deletes_data", "Deletes data", "Removes records for good"),
    t("old_thing", "Old thing", "Payments of the past", true),
  ];
  const slugs = (q: string) => matchTypes(types, q).map((x) => x.slug);

  it("filters by slug, name or description and never offers retired types", () => {
    expect(slugs("")).toEqual(["moves_money", "deletes_data"]);
    expect(slugs("MOVES_")).toEqual(["moves_money"]);
    expect(slugs("deletes d")).toEqual(["deletes_data"]);
    expect(slugs("payments")).toEqual(["moves_money"]);
    expect(slugs("old")).toEqual([]);
  });
});
