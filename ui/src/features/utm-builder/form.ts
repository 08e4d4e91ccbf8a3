// The UTM builder's pure helpers: the parameters in URL order, a blank template, violations by
// field for inline display, and the sample link a template is previewed on. The rules
// themselves run in Rust (`crates/utm`), called for every preview, so there is one authority.
import type { LinkRequest, Param, Rules, UtmTemplate, Violation } from "../../bindings";

export const PARAMS: Param[] = [
  "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
  "utm_source_platform", "utm_creative_format", "utm_marketing_tactic",
];

export const DEFAULT_RULES: Rules = {
  required: ["utm_source", "utm_medium", "utm_campaign"],
  lowercase: true,
  allowed_chars: "a-z0-9_.-",
  allowed_values: {},
  max_length: 100,
};

export function blankTemplate(contentType: string): UtmTemplate {
  return {
    content_type: contentType,
    description: "",
    params: { utm_source: "{connector}", ...(contentType ? { utm_medium: contentType } : {}), utm_campaign: "{campaign}" },
    rules: { ...DEFAULT_RULES, required: [...DEFAULT_RULES.required], allowed_values: {} },
  };
}

/** Violations per field (`utm_source`, `base_url`, `vars.region`, `rules.max_length`…). */
export function byField(violations: readonly Violation[]): Map<string, Violation[]> {
  const out = new Map<string, Violation[]>();
  for (const v of violations) {
    const list = out.get(v.field);
    if (list) list.push(v);
    else out.set(v.field, [v]);
  }
  return out;
}

/** `{campaign}`, `{region}`… in a template's patterns, in order, once each. */
export function variablesOf(t: UtmTemplate): string[] {
  const out: string[] = [];
  for (const p of PARAMS) {
    for (const m of (t.params[p] ?? "").matchAll(/\{([a-z][a-z0-9_]*)\}/g)) {
      const name = m[1];
      if (["connector", "content_type", "date"].includes(name) || out.includes(name)) continue;
      out.push(name);
    }
  }
  return out;
}

/** The link a template is previewed on: sample values for every input it needs. */
export function sampleRequest(t: UtmTemplate): LinkRequest {
  const vars: Record<string, string> = {};
  for (const v of variablesOf(t)) if (v !== "campaign") vars[v] = `sample_${v}`;
  return { connector: "sample_connector", content_type: t.content_type, base_url: "https://example.com/page?ref=nav#top", campaign: "spring_sale", vars };
}

/** A pattern field's value as stored: blank means "not set". */
export function setParam(t: UtmTemplate, p: Param, value: string): UtmTemplate {
  const params = { ...t.params };
  if (value === "") delete params[p];
  else params[p] = value;
  return { ...t, params };
}

/** "a, b ,c" → ["a", "b", "c"]; an empty list removes the rule for that parameter. */
export function setAllowed(t: UtmTemplate, p: Param, text: string): UtmTemplate {
  const list = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const allowed = { ...t.rules.allowed_values };
  if (list.length === 0) delete allowed[p];
  else allowed[p] = list;
  return { ...t, rules: { ...t.rules, allowed_values: allowed } };
}

export function toggleRequired(t: UtmTemplate, p: Param, on: boolean): UtmTemplate {
  const rest = t.rules.required.filter((r) => r !== p);
  const required = on ? PARAMS.filter((x) => x === p || rest.includes(x)) : rest;
  return { ...t, rules: { ...t.rules, required } };
}

/** Connectors and the content types each declares, from (connector, content type) pairs. */
export function capabilities(pairs: readonly (readonly [string, string])[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [c, ct] of pairs) {
    const list = out.get(c);
    if (list) list.push(ct);
    else out.set(c, [ct]);
  }
  return out;
}
