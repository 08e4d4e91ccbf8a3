// The connector page's Tools section: each operation as the gateway serves it, and its policy.
import type { Policy, ServedTool } from "../../bindings";

/** What the policy control offers: an admin's choice, or back to the default. */
export type PolicyChoice = Policy | "default";

export const POLICY_MEANING: Record<Policy, string> = {
  allow: "runs at once",
  ask: "waits for a person's Allow once or Deny",
  block: "refused, and not listed to agents",
};

/** The default of a tool no admin has set: a person answers for every firearm. */
export function defaultPolicy(gated: boolean): Policy {
  return gated ? "ask" : "allow";
}

/** The control's value: "default" unless an admin set the policy. */
export function choiceOf(tool: ServedTool): PolicyChoice {
  return tool.policy_set ? tool.policy : "default";
}

/** The control's options, the default named with what it means for this tool. */
export function choices(tool: ServedTool): { value: PolicyChoice; label: string }[] {
  return [
    { value: "default", label: `Default (${defaultPolicy(tool.gated)})` },
    { value: "allow", label: "Allow" },
    { value: "ask", label: "Ask" },
    { value: "block", label: "Block" },
  ];
}

/** What `set_tool_policy` takes: null goes back to the default. */
export function toPolicy(choice: PolicyChoice): Policy | null {
  return choice === "default" ? null : choice;
}

/** "gwtest__send: ask → block", or "… (the default)" when it went back to it. */
export function describePolicyChange(tool: string, [before, after]: [Policy, Policy], choice: PolicyChoice): string {
  const same = before === after ? " (unchanged)" : "";
  return `${tool}: ${before} → ${after}${choice === "default" ? " (the default)" : ""}${same}`;
}
