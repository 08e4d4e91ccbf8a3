import { describe, expect, it } from "vitest";
import type { AuditEntry, Value } from "../../bindings";
import { codeSpans, describeAnswer, describeReceipt, formatDuration, isReceipt, receiptOf } from "./receipts";

const receipt: { [key: string]: Value } = {
  connector: "gwtest",
  tool: "send",
  scope: "things:send",
  firearm_type: "sends_messages",
  client: "godconfig-test-client 1.0",
  policy: "ask",
  answered_by: "e2e-ana",
  pending_id: 3,
  outcome: "allowed",
  reason: null,
  duration_ms: 1834,
  arguments_sha256: "ab".repeat(32),
  fingerprint: "cd".repeat(32),
};
const entry = (detail: Value | null): AuditEntry => ({ id: 9, at: "2026-12-04T10:00:00Z", actor: "olga", action: "mcp.call", provider_slug: "gwtest", detail, before: null, after: null });

describe("receipts", () => {
  it("reads a receipt's fields", () => {
    expect(receiptOf(entry(receipt))).toEqual({
      id: 9,
      at: "2026-12-04T10:00:00Z",
      connector: "gwtest",
      operation: "send",
      tool: "gwtest__send",
      client: "godconfig-test-client 1.0",
      outcome: "allowed",
      policy: "ask",
      answeredBy: "e2e-ana",
      durationMs: 1834,
      reason: null,
    });
  });

  it("tolerates a detail that lacks fields", () => {
    const row = receiptOf(entry({ outcome: "exploded" }));
    expect(row).toMatchObject({ connector: "gwtest", tool: "", outcome: null, durationMs: null, answeredBy: null });
    // A name the gateway could not split names no connector: the tool is the name called.
    expect(receiptOf({ ...entry({ connector: "", tool: "nonsense", outcome: "refused" }), provider_slug: null }).tool).toBe("nonsense");
    expect(isReceipt({ tool: "y", outcome: "refused" })).toBe(true);
    expect(isReceipt({ reason: "too broad" })).toBe(false);
    expect(isReceipt(null)).toBe(false);
  });

  it("formats durations", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(12.4)).toBe("12 ms");
    expect(formatDuration(1834)).toBe("1.8 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
  });

  it("says who answered", () => {
    expect(describeAnswer(receiptOf(entry(receipt)))).toBe("e2e-ana");
    expect(describeAnswer(receiptOf(entry({ ...receipt, answered_by: "timeout", outcome: "timed_out" })))).toBe("nobody (timeout)");
    expect(describeAnswer(receiptOf(entry({ ...receipt, answered_by: null, policy: "allow" })))).toBe("—");
  });

  it("reads as one line in the audit log", () => {
    expect(describeReceipt(receipt)).toBe("gwtest__send · allowed · answered by e2e-ana · from godconfig-test-client 1.0 · 1.8 s");
    const refused: Value = { connector: "gwtest", tool: "send", outcome: "refused", reason: "blocked by policy", duration_ms: 0 };
    expect(describeReceipt(refused)).toBe("gwtest__send · refused · 0 ms · blocked by policy");
    expect(describeReceipt({ reason: "x" })).toBe("");
  });

  it("shows the names a reason quotes as code", () => {
    expect(codeSpans("`gwtest__send` is blocked by policy")).toEqual([
      { code: true, text: "gwtest__send" },
      { code: false, text: " is blocked by policy" },
    ]);
    expect(codeSpans("plain")).toEqual([{ code: false, text: "plain" }]);
  });
});
