import { describe, expect, it } from "vitest";
import { cleanPaste, valueProblem } from "./paste";

describe("cleanPaste", () => {
  it("trims a copied trailing newline and says so", () => {
    expect(cleanPaste("  sk_test_123\n")).toEqual({ value: "sk_test_123", warning: "Spaces and line breaks around the pasted key were removed." });
  });
  it("keeps a clean key as is, without a warning", () => {
    expect(cleanPaste("sk_test_123")).toEqual({ value: "sk_test_123", warning: null });
  });
  it("warns about a line break inside the key but keeps it", () => {
    const out = cleanPaste("line1\nline2\n");
    expect(out.value).toBe("line1\nline2");
    expect(out.warning).toMatch(/line break inside/);
    expect(cleanPaste("a\r\nb").warning).toMatch(/line break inside/);
  });
});

describe("valueProblem", () => {
  it("refuses a blank value", () => {
    expect(valueProblem("")).not.toBeNull();
    expect(valueProblem("   ")).not.toBeNull();
    expect(valueProblem("k")).toBeNull();
  });
});
