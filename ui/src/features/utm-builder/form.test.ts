import { describe, expect, it } from "vitest";
import type { Violation } from "../../bindings";
import { blankTemplate, byField, capabilities, sampleRequest, setAllowed, setParam, toggleRequired, variablesOf } from "./form";

const v = (field: string, code = "utm.lowercase"): Violation => ({ code, field, message: "m", fix: "f", line: 0, column: 0 });

describe("UTM template form", () => {
  it("starts from a sound template for the content type", () => {
    const t = blankTemplate("email");
    expect(t.params).toEqual({ utm_source: "{connector}", utm_medium: "email", utm_campaign: "{campaign}" });
    expect(t.rules.required).toEqual(["utm_source", "utm_medium", "utm_campaign"]);
  });

  it("lists the inputs a template needs, once, without the built-ins", () => {
    let t = blankTemplate("email");
    t = setParam(t, "utm_content", "{variant}-{campaign}");
    t = setParam(t, "utm_term", "{date:%Y}{region}");
    expect(variablesOf(t)).toEqual(["campaign", "region", "variant"]);
    expect(sampleRequest(t).vars).toEqual({ variant: "sample_variant", region: "sample_region" });
  });

  it("unsets a parameter left blank, and edits allowed values and required parameters", () => {
    let t = setParam(blankTemplate("email"), "utm_campaign", "");
    expect("utm_campaign" in t.params).toBe(false);
    t = setAllowed(t, "utm_medium", " email, newsletter ,, ");
    expect(t.rules.allowed_values.utm_medium).toEqual(["email", "newsletter"]);
    t = setAllowed(t, "utm_medium", " ");
    expect("utm_medium" in t.rules.allowed_values).toBe(false);
    t = toggleRequired(t, "utm_term", true);
    expect(t.rules.required).toEqual(["utm_source", "utm_medium", "utm_campaign", "utm_term"]);
    t = toggleRequired(t, "utm_medium", false);
    expect(t.rules.required).toEqual(["utm_source", "utm_campaign", "utm_term"]);
  });

  it("groups violations by field for inline display", () => {
    const g = byField([v("utm_source"), v("base_url", "utm.bad_url"), v("utm_source", "utm.chars")]);
    expect(g.get("utm_source")?.map((x) => x.code)).toEqual(["utm.lowercase", "utm.chars"]);
    expect(g.get("utm_medium")).toBeUndefined();
  });

  it("groups declared content types by connector", () => {
    const c = capabilities([["hubspot", "email"], ["hubspot", "social"], ["shopify", "email"]]);
    expect(c.get("hubspot")).toEqual(["email", "social"]);
    expect([...c.keys()]).toEqual(["hubspot", "shopify"]);
  });
});
