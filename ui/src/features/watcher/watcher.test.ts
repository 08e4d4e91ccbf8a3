import { describe, expect, it } from "vitest";
import type { SyncSummary, WatcherState, WatcherSync } from "../../bindings";
import { clock, describeWatcher, folderName, foldersText, lastSyncText, outcomeText } from "./watcher";

const empty = (): SyncSummary => ({ added: [], changed: [], removed: [], unchanged: 0, rejected: [], stubs_written: 0, elapsed_ms: 5, expired: [] });
const change = (slug: string) => {
  const none = () => ({ added: [], removed: [], changed: [] });
  return { slug, kind: "changed" as const, status_before: "draft" as const, status_after: "draft" as const, diff: { scopes: none(), metrics: none(), operations: none(), files: none(), fields: [], risk: [] } };
};
// 12:03:04 local time, whatever the machine's zone.
const at = new Date(2026, 11, 4, 12, 3, 4).toISOString();
const sync = (over: Partial<WatcherSync> = {}): WatcherSync => ({ at, folders: ["stripe"], changes: 1, after_change_ms: 80, summary: { ...empty(), changed: [change("stripe")] }, ...over });
const state = (over: Partial<WatcherState> = {}): WatcherState => ({ enabled: true, dir: "/home/ana/work/connectors", status: { state: "watching" }, last_sync: null, warning: null, ...over });

describe("watcher texts", () => {
  it("names the folder, the time and the connectors", () => {
    expect(folderName("/home/ana/work/connectors")).toBe("connectors/");
    expect(folderName("/home/ana/work/connectors/")).toBe("connectors/");
    expect(folderName(null)).toBe("the folder");
    expect(clock(at)).toBe("12:03:04");
    expect(foldersText(["stripe"])).toBe("stripe");
    expect(foldersText(["shopify", "stripe"])).toBe("shopify, stripe");
    expect(foldersText(["a", "b", "c", "d", "e"])).toBe("a, b and 3 more");
    expect(foldersText(null)).toBe("the whole folder");
    expect(lastSyncText(sync())).toBe("last sync 12:03:04 (stripe)");
    expect(lastSyncText(sync({ folders: null }))).toBe("last sync 12:03:04 (the whole folder)");
  });

  it("says what the last sync registered", () => {
    expect(outcomeText(sync())).toBe("1 changed");
    expect(outcomeText(sync({ summary: empty() }))).toBe("no change");
    expect(outcomeText(sync({ summary: { ...empty(), added: [change("a"), change("b")], rejected: [{ folder: "x", diagnostics: [] }] } }))).toBe("2 added, 1 rejected");
  });
});

describe("watcher states", () => {
  it("watching, with the last sync", () => {
    const v = describeWatcher(state({ last_sync: sync() }));
    expect(v).toMatchObject({ state: "watching", tone: "ok", headline: "Watching connectors/", detail: "last sync 12:03:04 (stripe): 1 changed", rejected: [] });
    expect(describeWatcher(state()).detail).toBeNull();
  });

  it("a sync that rejected a connector links to it and warns", () => {
    const v = describeWatcher(state({ last_sync: sync({ summary: { ...empty(), rejected: [{ folder: "stripe", diagnostics: [] }] } }) }));
    expect(v.tone).toBe("warn");
    expect(v.rejected).toEqual(["stripe"]);
    expect(v.detail).toBe("last sync 12:03:04 (stripe): 1 rejected");
  });

  it("turned off is paused, whatever the status says", () => {
    const v = describeWatcher(state({ enabled: false, status: { state: "off" }, last_sync: sync() }));
    expect(v).toMatchObject({ state: "paused", tone: "off", headline: "Paused" });
  });

  it("on without a workspace has no folder", () => {
    expect(describeWatcher(state({ dir: null, status: { state: "off" } }))).toMatchObject({ state: "off", headline: "No connectors folder" });
  });

  it("starting and syncing are busy", () => {
    expect(describeWatcher(state({ status: { state: "starting" } }))).toMatchObject({ tone: "busy", headline: "Starting to watch connectors/…" });
    expect(describeWatcher(state({ status: { state: "syncing", folders: ["stripe"] } }))).toMatchObject({ tone: "busy", headline: "Syncing stripe…" });
    expect(describeWatcher(state({ status: { state: "syncing", folders: null } })).headline).toBe("Syncing the whole folder…");
  });

  it("a gone folder waits and says nothing is removed", () => {
    const v = describeWatcher(state({ status: { state: "folder_gone" } }));
    expect(v).toMatchObject({ state: "folder_gone", tone: "warn", headline: "Folder gone — waiting" });
    expect(v.detail).toContain("nothing is removed");
  });

  it("errors carry their title and their fix", () => {
    const error = { code: "registry.forbidden" as const, message: "permission denied. Ask an owner: GRANT godconfig_sentinel TO ana" };
    const failed = describeWatcher(state({ status: { state: "error", error, stopped: false } }));
    expect(failed.tone).toBe("error");
    expect(failed.headline).toMatch(/^Sync failed, still watching: /);
    expect(failed.detail).toContain("GRANT godconfig_sentinel");
    const cannot = describeWatcher(state({ status: { state: "error", error: { code: "sentinel.watch", message: "cannot watch /x: limit" }, stopped: true } }));
    expect(cannot.headline).toBe("Not watching: The connectors folder cannot be watched");
  });
});
