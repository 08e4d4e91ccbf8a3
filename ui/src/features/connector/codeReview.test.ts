import { describe, expect, it } from "vitest";
import type { CodeReview, FileDiff } from "../../bindings";
import { fileSummary, headline, openByDefault, short } from "./codeReview";

const file = (path: string, state: FileDiff["state"], added = 0, removed = 0): FileDiff => ({
  path, state, binary: false, old_size: null, new_size: null, hunks: [], added, removed,
});
const review = (over: Partial<CodeReview>): CodeReview => ({
  slug: "s", fingerprint: "f2f2f2f2f2f2f2f2", approved_fingerprint: "f1f1f1f1f1f1f1f1", files: [], tools: [], ...over,
});

describe("code review", () => {
  it("says what changed since the approval", () => {
    const r = review({ files: [file("service.py", "changed", 3, 1), file("README.md", "same")], tools: [{ name: "send", state: "changed", what: ["description changed"] }] });
    expect(headline(r)).toBe("Since the approval: 1 file changed, 1 tool changed (files f1f1f1f1f1f1 → f2f2f2f2f2f2)");
    expect(fileSummary(r.files[0])).toBe("service.py — changed, +3 −1");
    expect(openByDefault(r, r.files[0])).toBe(true);
    expect(openByDefault(r, r.files[1])).toBe(false);
  });

  it("says when nothing changed, and when it was never approved", () => {
    expect(headline(review({ fingerprint: "f1f1f1f1f1f1f1f1", files: [file("a.py", "same")] }))).toBe("Unchanged since the approval (files f1f1f1f1f1f1)");
    const fresh = review({ approved_fingerprint: null, files: [file("a.py", "added", 2), file("b.py", "added", 1)] });
    expect(headline(fresh)).toBe("Never approved: 2 files to review");
    expect(short(null)).toBe("—");
  });

  it("gives a binary file its sizes", () => {
    expect(fileSummary({ ...file("logo.png", "changed"), binary: true, old_size: 10, new_size: 12 })).toBe("logo.png — changed, binary (10 → 12 bytes)");
  });
});
