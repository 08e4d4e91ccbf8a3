// The connectors folder's watcher in the sidebar: an on/off switch (a checkbox, so Tab and Space
// work) and what it is doing, from `watcher_state` and then every `watcher-changed` event.
import { useEffect, useRef, useState } from "react";
import { commands, events, type ErrorCode, type WatcherState } from "../../bindings";
import { errorOf, describeError, unwrap } from "../../shared/errors";
import { href } from "../../shared/router";
import { describeWatcher } from "./watcher";
import "./watcher.css";

export function WatcherPanel({ open }: { open: boolean }) {
  const [state, setState] = useState<WatcherState | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ErrorCode | null>(null);
  // Asked once listening, so no change falls between the two; an event wins over the answer.
  const heard = useRef(false);
  useEffect(() => {
    let alive = true;
    const unlisten = events.watcherChanged.listen((e) => {
      heard.current = true;
      setState(e.payload);
    });
    unlisten
      .then(() => commands.watcherState())
      .then(
        (r) => alive && !heard.current && setState(unwrap(r)),
        (e) => alive && setError(errorOf(e)),
      );
    return () => {
      alive = false;
      void unlisten.then((f) => f());
    };
  }, []);

  if (!state) return error ? <div className="watcher-error" role="alert">{describeError(error).title}: {error.message}</div> : null;
  const view = describeWatcher(state);
  const toggle = async (on: boolean) => {
    setSaving(true);
    setError(null);
    try {
      setState(unwrap(await commands.setWatcher(on)));
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <div className={`watcher tone-${view.tone}`} data-testid="watcher" data-state={view.state}>
      <label className="watcher-switch" title="Sync what changes in the connectors folder as it is saved">
        <input
          type="checkbox"
          role="switch"
          checked={state.enabled}
          disabled={saving || !open}
          onChange={(e) => void toggle(e.target.checked)}
          aria-describedby="watcher-status"
          data-testid="watcher-toggle"
        />
        <span>Watch folder</span>
      </label>
      <div id="watcher-status" data-testid="watcher-status" role={view.tone === "error" ? "alert" : undefined}>
        <span className="watcher-dot" aria-hidden="true" />
        <span data-testid="watcher-headline">{view.headline}</span>
        {view.detail && <div className="muted" data-testid="watcher-detail">{view.detail}</div>}
        {view.rejected.length > 0 && (
          <div data-testid="watcher-rejected">
            Rejected:{" "}
            {view.rejected.map((slug, i) => (
              <span key={slug}>{i > 0 && ", "}<a href={href({ page: "connector", slug, focus: "problems" })}>{slug}</a></span>
            ))}
          </div>
        )}
        {state.warning && state.enabled && <div className="muted" data-testid="watcher-warning">{state.warning}</div>}
      </div>
      {error && <div className="watcher-error" role="alert">{describeError(error).title}: {error.message}</div>}
    </div>
  );
}
