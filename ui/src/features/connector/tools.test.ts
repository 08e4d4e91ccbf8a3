import { describe, expect, it } from "vitest";
import type { ServedTool } from "../../bindings";
import { choiceOf, choices, defaultPolicy, describePolicyChange, toPolicy } from "./tools";

const tool = (over: Partial<ServedTool> = {}): ServedTool => ({
  connector: "gwtest",
  operation: "send",
  description: "Send a thing",
  input_schema: null,
  scope: "things:send",
  gated: true,
  firearm_type: "sends_messages",
  policy: "ask",
  policy_set: false,
  fingerprint: "ab",
  ...over,
});

describe("tool policies", () => {
  it("asks by default on a gated scope, allows otherwise", () => {
    expect(defaultPolicy(true)).toBe("ask");
    expect(defaultPolicy(false)).toBe("allow");
    expect(choices(tool())[0]).toEqual({ value: "default", label: "Default (ask)" });
    expect(choices(tool({ gated: false, policy: "allow" }))[0].label).toBe("Default (allow)");
  });

  it("shows an admin's choice, else the default", () => {
    expect(choiceOf(tool())).toBe("default");
    expect(choiceOf(tool({ policy: "block", policy_set: true }))).toBe("block");
    // An admin may set the same policy the default gives: it stays set.
    expect(choiceOf(tool({ policy: "ask", policy_set: true }))).toBe("ask");
  });

  it("sends null for the default", () => {
    expect(toPolicy("default")).toBeNull();
    expect(toPolicy("allow")).toBe("allow");
  });

  it("confirms a change in words", () => {
    expect(describePolicyChange("gwtest__send", ["ask", "block"], "block")).toBe("gwtest__send: ask → block");
    expect(describePolicyChange("gwtest__send", ["block", "ask"], "default")).toBe("gwtest__send: block → ask (the default)");
    expect(describePolicyChange("gwtest__send", ["ask", "ask"], "ask")).toBe("gwtest__send: ask → ask (unchanged)");
  });
});
