import { describe, expect, it } from "vitest";
import { chainSummary } from "./chain";

describe("chainSummary", () => {
  it("says an intact log is intact, with the hash to keep", () => {
    const s = chainSummary({ checked: 3, head: "ab".repeat(32), first_bad: null });
    expect(s.ok).toBe(true);
    expect(s.text).toBe("Intact: 3 entries chained, last hash abababababab…");
    expect(s.fix).toContain("ab".repeat(32));
  });

  it("says an empty log has nothing to verify", () => {
    expect(chainSummary({ checked: 0, head: null, first_bad: null }).text).toMatch(/empty/);
  });

  it("names the first bad entry and why", () => {
    const s = chainSummary({
      checked: 16,
      head: null,
      first_bad: { id: 17, seq: 17, at: "2026-12-04T07:02:11Z", action: "operator.approved", provider_slug: "notion", problem: "content" },
    });
    expect(s.ok).toBe(false);
    expect(s.text).toBe(
      "Broken at entry 17 (operator.approved notion, 2026-12-04T07:02:11Z): its content does not match its hash: it was changed after it was written. The 16 entries before it are intact.",
    );
    expect(s.fix).toMatch(/restore it from a backup taken before 2026-12-04T07:02:11Z/);
  });
});
