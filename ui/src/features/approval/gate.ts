// The approval gate as a checklist: each missing item says what, and links to where it is fixed.
import type { Gate, Missing } from "../../bindings";
import { href } from "../../shared/router";

export interface GateItem {
  key: string;
  text: string;
  fixLabel: string;
  fixHref: string;
}

export function gateItem(slug: string, m: Missing): GateItem {
  switch (m.kind) {
    case "invalid_manifest":
      return {
        key: "manifest",
        text: `The files on disk are invalid (${m.problems} problem${m.problems === 1 ? "" : "s"}); the registered version is older.`,
        fixLabel: "See the problems, fix the file, then sync",
        fixHref: href({ page: "connector", slug, focus: "problems" }),
      };
    case "gated_scope_without_type":
      return {
        key: `scope:${m.scope}`,
        text: `Gated scope ${m.scope} has no firearm type.`,
        fixLabel: "Give it a firearm type in the scope manager",
        fixHref: href({ page: "scopes", connector: slug, gating: "missing_type", q: m.scope }),
      };
    case "unmapped_metric":
      return {
        key: `metric:${m.metric}`,
        text: `Metric ${m.metric} is neither mapped to a core KPI nor marked "not a KPI".`,
        fixLabel: "Map it, or mark it not a KPI, in the KPI mapper",
        fixHref: href({ page: "kpis", connector: slug, kpi: null }),
      };
  }
}

export function gateItems(gate: Gate): GateItem[] {
  return gate.missing.map((m) => gateItem(gate.slug, m));
}

export function gateSummary(gate: Gate): string {
  const n = gate.missing.length;
  return n === 0 ? "Ready to approve" : `${n} item${n === 1 ? "" : "s"} missing before approval`;
}
