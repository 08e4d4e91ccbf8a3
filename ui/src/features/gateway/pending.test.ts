import { describe, expect, it } from "vitest";
import type { PendingCall } from "../../bindings";
import { answered, describeLeft, describeRisk, isWaiting, prettyArguments, secondsLeft, toolName, waitingCount } from "./pending";

const NOW = Date.parse("2026-12-04T10:00:00Z");
const call = (over: Partial<PendingCall> = {}): PendingCall => ({
  id: 3,
  connector: "gwtest",
  operation: "send",
  scope: "things:send",
  firearm_type: "sends_messages",
  arguments: { to: "ana" },
  client: "claude-code 1.0",
  requested_by: "olga",
  requested_at: "2026-12-04T09:59:00Z",
  deadline: "2026-12-04T10:01:45Z",
  answer: null,
  answered_by: null,
  answered_at: null,
  ...over,
});

describe("pending calls", () => {
  it("names the tool as the agent sees it", () => {
    expect(toolName("gwtest", "send")).toBe("gwtest__send");
  });

  it("counts down to the automatic denial", () => {
    expect(secondsLeft("2026-12-04T10:01:45Z", NOW)).toBe(105);
    expect(secondsLeft("2026-12-04T10:00:00.200Z", NOW)).toBe(1);
    expect(secondsLeft("2026-12-04T09:59:00Z", NOW)).toBe(0);
    expect(secondsLeft("not a date", NOW)).toBe(0);
    // A clock read just before the call was made shows the whole wait, not more.
    expect(secondsLeft("2026-12-04T10:02:00.500Z", NOW, "2026-12-04T10:00:00.500Z")).toBe(120);
    expect(secondsLeft("2026-12-04T10:02:00.500Z", NOW, "bad")).toBe(121);
    expect(describeLeft(105)).toBe("1:45 left");
    expect(describeLeft(9)).toBe("0:09 left");
    expect(describeLeft(0)).toBe("Time is up: denied");
  });

  it("waits only while unanswered and before the deadline; the badge counts those", () => {
    const calls = [call(), call({ id: 4, deadline: "2026-12-04T09:59:59Z" }), call({ id: 5, answer: "deny" })];
    expect(calls.map((c) => isWaiting(c, NOW))).toEqual([true, false, false]);
    expect(waitingCount(calls, NOW)).toBe(1);
    expect(waitingCount(undefined, NOW)).toBe(0);
  });

  it("shows the firearm type, else the scope", () => {
    expect(describeRisk(call())).toBe("sends_messages");
    expect(describeRisk(call({ firearm_type: null }))).toBe("scope things:send");
  });

  it("shows the arguments as indented JSON", () => {
    expect(prettyArguments({ to: "ana", n: [1, 2] })).toBe('{\n  "to": "ana",\n  "n": [\n    1,\n    2\n  ]\n}');
    expect(prettyArguments({})).toBe("{} (no arguments)");
    expect(prettyArguments(null)).toBe("(cleared)");
  });

  it("confirms the answer in words", () => {
    expect(answered(call({ answer: "allow" }))).toBe("Allowed once: gwtest__send (call #3) runs now.");
    expect(answered(call({ answer: "deny" }))).toBe("Denied: gwtest__send (call #3); the agent was told.");
  });
});
