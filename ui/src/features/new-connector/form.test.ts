import { describe, expect, it } from "vitest";
import type { ConnectorChange, Diagnostic, FieldProblem, SyncSummary } from "../../bindings";
import { byField, canSubmit, EMPTY_FORM, firstField, slugProblem, SLUG_RULE, suggestSlug, syncNote, titleOf, toRequest, where } from "./form";

const diag = (over: Partial<Diagnostic> = {}): Diagnostic => ({
  path: "/w/connectors/acme/manifest.yaml", line: 4, column: 16, severity: "error", code: "invalid-pattern", message: "m", hint: "h", ...over,
});

describe("the slug rule", () => {
  it("is the manifest's provider_slug pattern", () => {
    for (const ok of ["a", "acme_forms", "0day", "g2", "a".repeat(63)]) expect(SLUG_RULE.test(ok), ok).toBe(true);
    for (const bad of ["", "_a", "Acme", "acme-forms", "acme forms", "a".repeat(64), "acme\n", "../x"]) expect(SLUG_RULE.test(bad), bad).toBe(false);
  });

  it("says what is wrong, and nothing for an empty or valid slug", () => {
    expect(slugProblem("")).toBeNull();
    expect(slugProblem("acme_forms")).toBeNull();
    expect(slugProblem("Acme")).toMatch(/Lowercase only/);
    expect(slugProblem("acme forms")).toMatch(/No spaces/);
    expect(slugProblem("_acme")).toMatch(/Start with a lowercase letter or a digit/);
    expect(slugProblem("acme-forms")).toBe("“-” is not allowed: use lowercase letters, digits and _.");
    expect(slugProblem("a.b/c")).toBe("“.”, “/” are not allowed: use lowercase letters, digits and _.");
    expect(slugProblem("a".repeat(70))).toBe("At most 63 characters; this one has 70.");
  });

  it("suggests the nearest valid slug", () => {
    expect(suggestSlug("Acme Forms")).toBe("acme_forms");
    expect(suggestSlug("--acme--crm--")).toBe("acme_crm");
    expect(suggestSlug("acme")).toBeNull();
    expect(suggestSlug("!!!")).toBeNull();
    expect(suggestSlug("x".repeat(70))).toBe("x".repeat(63));
  });
});

describe("the form", () => {
  it("waits for a valid slug", () => {
    expect(canSubmit(EMPTY_FORM)).toBe(false);
    expect(canSubmit({ ...EMPTY_FORM, slug: "Bad-Slug" })).toBe(false);
    expect(canSubmit({ ...EMPTY_FORM, slug: "acme" })).toBe(true);
  });

  it("leaves a blank name and docs URL out, and trims them", () => {
    expect(toRequest({ slug: "acme", name: "  ", auth: "oauth2", docs: "" })).toEqual({ slug: "acme", name: null, auth: "oauth2", docs: null });
    expect(toRequest({ slug: "acme", name: " Acme ", auth: "none", docs: " https://a.example.com " })).toEqual({ slug: "acme", name: "Acme", auth: "none", docs: "https://a.example.com" });
  });

  it("names the slug's title as the default display name", () => {
    expect(titleOf("acme_forms")).toBe("Acme Forms");
    expect(titleOf("g2__crowd_")).toBe("G2 Crowd");
    expect(titleOf("")).toBe("");
  });

  it("puts each diagnostic under its field, and focuses the first", () => {
    const problems: FieldProblem[] = [
      { field: "docs", diagnostic: diag({ code: "invalid-url", line: 8 }) },
      { field: null, diagnostic: diag({ code: "unknown-field" }) },
      { field: "slug", diagnostic: diag() },
    ];
    const f = byField(problems);
    expect(f.slug.map((d) => d.code)).toEqual(["invalid-pattern"]);
    expect(f.docs.map((d) => d.code)).toEqual(["invalid-url"]);
    expect(f.other.map((d) => d.code)).toEqual(["unknown-field"]);
    expect(f.name).toEqual([]);
    expect(firstField(problems)).toBe("slug");
    expect(firstField([])).toBeNull();
    expect(where(diag())).toBe("/w/connectors/acme/manifest.yaml:4:16");
  });
});

describe("the sync after the order", () => {
  const empty = () => ({ added: [], removed: [], changed: [] });
  const change = (slug: string): ConnectorChange => ({ slug, kind: "added", status_before: null, status_after: "draft", diff: { scopes: empty(), metrics: empty(), operations: empty(), files: empty(), fields: [], risk: [] } });
  const summary = (over: Partial<SyncSummary> = {}): SyncSummary => ({ added: [], changed: [], removed: [], unchanged: 3, rejected: [], stubs_written: 0, elapsed_ms: 5, expired: [], ...over });

  it("says the draft is in the queue", () => {
    expect(syncNote("acme", summary({ added: [change("acme")] }))).toEqual({ ok: true, text: "Synced: acme is a draft in the review queue." });
  });

  it("says so when the watcher registered it first", () => {
    expect(syncNote("acme", summary()).text).toBe("Synced (0 added, 0 changed, 0 removed, 3 unchanged, 0 rejected): acme is in the review queue.");
  });

  it("says when it was rejected or not synced", () => {
    expect(syncNote("acme", summary({ rejected: [{ folder: "acme", diagnostics: [diag()] }] }))).toMatchObject({ ok: false });
    expect(syncNote("acme", null)).toMatchObject({ ok: false, text: expect.stringContaining("Sync now") });
  });
});
