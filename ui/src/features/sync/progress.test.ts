import { describe, expect, it } from "vitest";
import type { ConnectorChange } from "../../bindings";
import { nextProgress, summaryLine } from "./progress";

describe("sync progress", () => {
  it("follows the steps of a sync", () => {
    let s = nextProgress({ label: "", fraction: null }, { step: "scanned", connectors: 9 });
    expect(s.label).toContain("9 connector folders");
    s = nextProgress(s, { step: "generating", total: 4 });
    s = nextProgress(s, { step: "generated", done: 2 });
    expect(s.fraction).toBe(0.5);
    expect(s.label).toBe("Writing MCP stubs: 2 of 4");
  });

  it("summarizes like the CLI", () => {
    const empty = () => ({ added: [], removed: [], changed: [] });
    const c: ConnectorChange = { slug: "a", kind: "added", status_before: null, status_after: "draft", diff: { scopes: empty(), metrics: empty(), operations: empty(), files: empty(), fields: [], risk: [] } };
    expect(summaryLine({ added: [c, c], changed: [], removed: [], unchanged: 7, rejected: [{ folder: "x", diagnostics: [] }], stubs_written: 2, elapsed_ms: 10, expired: [] }))
      .toBe("2 added, 0 changed, 0 removed, 7 unchanged, 1 rejected");
  });
});
