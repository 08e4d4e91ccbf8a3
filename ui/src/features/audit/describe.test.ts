import { describe, expect, it } from "vitest";
import { describeChange } from "./describe";

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
