import { useCallback, useState } from "react";
import { commands, type ErrorCode, type WorkspaceState } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";

type Kind = "default" | "picked" | "postgres";

/** Choose the connectors folder and the registry. Paths only come from native dialogs. */
export function WorkspacePage({ state, onOpened }: { state: WorkspaceState; onOpened: () => void }) {
  const [picks, setPicks] = useState(state.picks);
  const [kind, setKind] = useState<Kind>(state.open?.registry.startsWith("postgres") ? "postgres" : "default");
  const [url, setUrl] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorCode | null>(null);
  const guard = useCallback(async (f: () => Promise<void>) => {
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(errorOf(e));
    }
  }, []);
  const open = () =>
    guard(async () => {
      setBusy(true);
      try {
        const registry = kind === "postgres" ? { kind, url } : { kind };
        unwrap(await commands.openWorkspace(registry));
        onOpened();
      } finally {
        setBusy(false);
      }
    });
  const folder = picks.connectors_dir ?? state.open?.connectors_dir ?? null;
  return (
    <section className="page workspace" aria-labelledby="ws-title">
      <h1 id="ws-title">Workspace</h1>
      {state.startup_error && !state.open && <ErrorBanner error={state.startup_error} />}
      {state.open && (
        <dl className="facts" data-testid="workspace-open">
          <dt>Connectors folder</dt><dd><code>{state.open.connectors_dir}</code></dd>
          <dt>Registry</dt><dd><code>{state.open.registry}</code> ({state.open.backend})</dd>
          {state.open.encrypted !== null && (
            <>
              <dt>Connection</dt>
              <dd data-testid="workspace-encryption">
                {state.open.encrypted
                  ? "Encrypted (TLS)"
                  : <>Not encrypted: approvals and logins cross the network in the clear. Add <code>?sslmode=verify-full</code> (or <code>require</code>) to the URL.</>}
              </dd>
            </>
          )}
          <dt>Reviewer</dt><dd>{state.open.reviewer} <a href="#/settings">change</a></dd>
        </dl>
      )}
      <h2>Open a workspace</h2>
      <div className="field">
        <span className="label">Connectors folder</span>
        <code>{folder ?? "none chosen"}</code>
        <button type="button" onClick={() => guard(async () => setPicks(unwrap(await commands.pickConnectorsDir())))}>Choose folder…</button>
      </div>
      <fieldset className="field">
        <legend className="label">Registry</legend>
        <label><input type="radio" name="reg" checked={kind === "default"} onChange={() => setKind("default")} /> Embedded SQLite (default): <code>{state.default_registry}</code></label>
        <label>
          <input type="radio" name="reg" checked={kind === "picked"} onChange={() => setKind("picked")} /> SQLite file: <code>{picks.registry_file ?? "none chosen"}</code>{" "}
          <button type="button" onClick={() => guard(async () => { setPicks(unwrap(await commands.pickRegistryFile())); setKind("picked"); })}>Choose file…</button>
        </label>
        <label>
          <input type="radio" name="reg" checked={kind === "postgres"} onChange={() => setKind("postgres")} /> PostgreSQL URL:{" "}
          <input type="text" value={url} onChange={(e) => { setUrl(e.target.value); setKind("postgres"); }} placeholder="postgres://user@host:5432/registry?sslmode=verify-full" aria-label="PostgreSQL URL" spellCheck={false} autoComplete="off" />
        </label>
        <p className="muted">A password in the URL is used for this session only and never saved; use PGPASSWORD or ~/.pgpass to keep one.</p>
      </fieldset>
      {error && <ErrorBanner error={error} />}
      <button type="button" className="primary" onClick={open} disabled={busy || !folder || (kind === "postgres" && !url.trim())} data-testid="open-workspace">
        {busy ? "Opening…" : "Open workspace"}
      </button>
    </section>
  );
}
