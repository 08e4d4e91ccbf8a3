// What the sidebar says about the connectors folder's watcher: one line for its state, a second
// for details (the last sync, what it rejected, an error's fix). Pure, so it is unit-tested.
import type { WatcherState, WatcherSync } from "../../bindings";
import { describeError } from "../../shared/errors";

/** How the line is coloured; also `data-state` for tests. */
export type Tone = "ok" | "busy" | "warn" | "error" | "off";

export interface WatcherView {
  /** The status word, e.g. "watching", "folder_gone", "paused". */
  state: string;
  tone: Tone;
  headline: string;
  /** The second line, when there is something to say. */
  detail: string | null;
  /** Connector folders the last sync rejected: the sidebar links to their pages. */
  rejected: string[];
}

/** `/home/ana/work/connectors` → `connectors/`. */
export function folderName(dir: string | null): string {
  if (!dir) return "the folder";
  const parts = dir.split("/").filter(Boolean);
  return `${parts.at(-1) ?? dir}/`;
}

/** Local wall-clock time of an RFC 3339 instant, `12:03:04`. */
export function clock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** `stripe`, `stripe, shopify`, `stripe, shopify and 3 more`, or `the whole folder`. */
export function foldersText(folders: string[] | null, max = 2): string {
  if (folders === null) return "the whole folder";
  if (folders.length === 0) return "nothing";
  if (folders.length <= max) return folders.join(", ");
  return `${folders.slice(0, max).join(", ")} and ${folders.length - max} more`;
}

/** "last sync 12:03:04 (stripe)" */
export function lastSyncText(last: WatcherSync): string {
  return `last sync ${clock(last.at)} (${foldersText(last.folders)})`;
}

/** What the last sync registered: "1 changed", "2 added, 1 rejected", "no change". */
export function outcomeText(last: WatcherSync): string {
  const s = last.summary;
  const parts = [
    [s.added.length, "added"],
    [s.changed.length, "changed"],
    [s.removed.length, "removed"],
    [s.rejected.length, "rejected"],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, what]) => `${n} ${what}`);
  return parts.length ? parts.join(", ") : "no change";
}

export function describeWatcher(w: WatcherState): WatcherView {
  const folder = folderName(w.dir);
  const rejected = w.last_sync?.summary.rejected.map((r) => r.folder) ?? [];
  const last = w.last_sync ? `${lastSyncText(w.last_sync)}: ${outcomeText(w.last_sync)}` : null;
  if (!w.enabled) {
    return {
      state: "paused",
      tone: "off",
      headline: "Paused",
      detail: "Changes on disk are not registered until the watcher is on again (or Sync now).",
      rejected: [],
    };
  }
  const s = w.status;
  switch (s.state) {
    case "off":
      return { state: "off", tone: "off", headline: "No connectors folder", detail: "Open a workspace to watch its folder.", rejected: [] };
    case "starting":
      return { state: "starting", tone: "busy", headline: `Starting to watch ${folder}…`, detail: last, rejected };
    case "watching":
      return { state: "watching", tone: rejected.length ? "warn" : "ok", headline: `Watching ${folder}`, detail: last, rejected };
    case "syncing":
      return { state: "syncing", tone: "busy", headline: `Syncing ${foldersText(s.folders)}…`, detail: last, rejected };
    case "folder_gone":
      return {
        state: "folder_gone",
        tone: "warn",
        headline: "Folder gone — waiting",
        detail: `${folder} was deleted or moved; nothing is removed from the registry. Watching resumes when it is back.`,
        rejected: [],
      };
    case "error": {
      const e = describeError(s.error);
      return {
        state: "error",
        tone: "error",
        headline: s.stopped ? `Not watching: ${e.title}` : `Sync failed, still watching: ${e.title}`,
        detail: e.message,
        rejected: [],
      };
    }
  }
}
