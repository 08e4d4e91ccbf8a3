import { describe, expect, it } from "vitest";
import type { AgentClient } from "../../bindings";
import { commandLine, connectedLine, shellQuote } from "./agents";

describe("the Connect screen", () => {
  it("quotes only the arguments a shell would split", () => {
    expect(shellQuote("/usr/bin/sentinel")).toBe("/usr/bin/sentinel");
    expect(shellQuote("postgres://ana@db:5432/reg")).toBe("postgres://ana@db:5432/reg");
    expect(shellQuote("/home/ana/my connectors")).toBe("'/home/ana/my connectors'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("")).toBe("''");
    expect(commandLine({ program: "/opt/gc/sentinel", args: ["mcp", "serve", "--dir", "/a b", "--db", "/r.db"] })).toBe(
      "/opt/gc/sentinel mcp serve --dir '/a b' --db /r.db",
    );
  });

  it("says what connecting did and what to do next", () => {
    const clients: AgentClient[] = [{ client: "claude-code", title: "Claude Code", path: "/h/.claude.json", configured: true, entry: null }];
    expect(connectedLine({ client: "claude-code", path: "/h/.claude.json", backup: "/h/.claude.json.godconfig-backup-1", replaced: false }, clients)).toBe(
      "Claude Code: added the godconfig server to /h/.claude.json (the old file is kept as /h/.claude.json.godconfig-backup-1). Restart Claude Code to load it.",
    );
    expect(connectedLine({ client: "cursor", path: "/h/.cursor/mcp.json", backup: null, replaced: true }, clients)).toBe(
      "cursor: replaced the godconfig server in /h/.cursor/mcp.json. Restart cursor to load it.",
    );
  });
});
