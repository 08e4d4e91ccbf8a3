import { describe, expect, it } from "vitest";
import { describeChange, describeDetail, describeLines } from "./describe";

describe("describeChange", () => {
  it("shows status transitions", () => {
    expect(describeChange({ status: "draft" }, { status: "approved" })).toBe("draft → approved");
    expect(describeChange(null, { status: "draft" })).toBe("— → draft");
  });
  it("falls back to JSON, and to nothing", () => {
    expect(describeChange({ a: 1 }, null)).toBe('{"a":1} → —');
    expect(describeChange(null, null)).toBe("");
  });
});

describe("describeLines", () => {
  it("says one line per changed item of a bulk mapping, and skips the unchanged", () => {
    const item = (metric: string, core_kpi: string | null, not_a_kpi = false) => ({ connector: "stripe", metric, core_kpi, not_a_kpi, reason: null });
    const before = [item("mrr", null), item("fees", null), item("refunds", "refunds")];
    const after = [item("mrr", "net_revenue"), item("fees", null, true), item("refunds", "refunds")];
    expect(describeLines(before, after)).toEqual(["stripe · mrr: unmapped → net_revenue", "stripe · fees: unmapped → not a KPI"]);
  });
  it("says how a scope's gating changed", () => {
    const s = (gated: boolean, firearm_type: string | null) => ({ connector: "shopify", scope: "write_orders", gated, override: gated, firearm_type, dismissed: false });
    expect(describeLines([s(false, null)], [s(true, "money_movement")])).toEqual(["shopify · write_orders: not gated → gated (money_movement)"]);
  });
  it("names the fields of a changed record, and keeps statuses short", () => {
    expect(describeLines({ label: "old", set_by: "ana" }, { label: "new", set_by: "ana" })).toEqual(["label: old → new"]);
    expect(describeLines({ status: "approved" }, { status: "draft" })).toEqual(["approved → draft"]);
    expect(describeLines(null, null)).toEqual([]);
  });
});

describe("describeDetail", () => {
  it("gives the reason, the risks and the files of a sync", () => {
    const detail = { reason: "back to review", diff: { risk: ["file changed: service.py"], files: { added: [], changed: ["service.py"], removed: [] } } };
    expect(describeDetail(detail)).toBe("back to review · file changed: service.py · files changed: service.py");
    expect(describeDetail(null)).toBe("");
  });

  it("does not repeat risks the reason already names", () => {
    const detail = { reason: "back to review: file changed: service.py", diff: { risk: ["file changed: service.py"], files: { changed: ["service.py"] } } };
    expect(describeDetail(detail)).toBe("back to review: file changed: service.py · files changed: service.py");
  });

  it("reads a tool call's receipt as one line, never its arguments' hash", () => {
    const detail = { connector: "gwtest", tool: "send", outcome: "denied", answered_by: "ana", client: "cursor 1.2", duration_ms: 5400, reason: "ana denied it", arguments_sha256: "ab".repeat(32) };
    expect(describeDetail(detail)).toBe("gwtest__send · denied · answered by ana · from cursor 1.2 · 5.4 s · ana denied it");
  });
});
