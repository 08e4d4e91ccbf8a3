import { useState } from "react";
import { commands, type ErrorCode, type Start, type WorkspaceState } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";

/** The first run: no workspace is known yet. Each choice opens a workspace on the embedded
 * SQLite registry and leads to the review queue; `onOpened(true)` asks for the New connector
 * form there. */
export function WelcomePage({ state, onOpened }: { state: WorkspaceState; onOpened: (order: boolean) => void }) {
  const firstRun = state.first_run ?? { new_folder: null, examples: null, example_count: 0 };
  const [newFolder, setNewFolder] = useState(firstRun.new_folder);
  const [busy, setBusy] = useState<null | "open" | Start>(null);
  const [error, setError] = useState<ErrorCode | null>(null);
  const { examples, example_count } = firstRun;

  const run = async (what: "open" | Start, f: () => Promise<boolean>, order = false) => {
    setError(null);
    setBusy(what);
    try {
      if (await f()) onOpened(order);
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(null);
    }
  };
  // The dialog answers with what is picked; a cancelled dialog leaves the earlier pick.
  const openFolder = () =>
    run("open", async () => {
      const before = state.picks.connectors_dir;
      const picks = unwrap(await commands.pickConnectorsDir());
      if (!picks.connectors_dir || picks.connectors_dir === before) return false;
      unwrap(await commands.openWorkspace({ kind: "default" }));
      return true;
    });
  const create = (start: Start) =>
    run(start, async () => {
      unwrap(await commands.createWorkspace(start));
      return true;
    }, start === "empty");
  const change = async () => {
    try {
      const picks = unwrap(await commands.pickNewFolder());
      if (picks.new_folder) setNewFolder(picks.new_folder);
    } catch (e) {
      setError(errorOf(e));
    }
  };

  return (
    <section className="page welcome" aria-labelledby="welcome-title" data-testid="welcome">
      <h1 id="welcome-title">Welcome to God Config</h1>
      <p className="lead">
        God Config registers the connectors of one folder as drafts, and nothing acts on an account until a person has
        approved what it can do. Choose how to start. The registry is the embedded SQLite file <code>{state.default_registry}</code>;
        a team registry on PostgreSQL can be chosen later in <a href="#/workspace">Workspace</a>.
      </p>
      {error && <ErrorBanner error={error} />}
      <div className="choices">
        <article className="choice" aria-labelledby="welcome-examples-title">
          <h2 id="welcome-examples-title">Start from the examples</h2>
          {examples ? (
            <p>{example_count} example connectors (Stripe, Shopify, Slack…) copied into a new folder, then registered as drafts for you to review.</p>
          ) : (
            <p>This build has no example connectors: open your folder or start empty.</p>
          )}
          <button type="button" className="primary" onClick={() => create("examples")} disabled={busy !== null || !examples || !newFolder} data-testid="welcome-examples">
            {busy === "examples" ? "Creating…" : "Create from the examples"}
          </button>
        </article>
        <article className="choice" aria-labelledby="welcome-empty-title">
          <h2 id="welcome-empty-title">Start empty</h2>
          <p>A new folder with the guide for coding agents and no connector; then order a first connector and hand its prompt to a coding agent.</p>
          <button type="button" onClick={() => create("empty")} disabled={busy !== null || !newFolder} data-testid="welcome-empty">
            {busy === "empty" ? "Creating…" : "Start empty"}
          </button>
        </article>
        <article className="choice" aria-labelledby="welcome-open-title">
          <h2 id="welcome-open-title">Open your connectors folder</h2>
          <p>A folder with one sub-folder per connector, each with its <code>manifest.yaml</code>.</p>
          <button type="button" onClick={openFolder} disabled={busy !== null} data-testid="welcome-open">
            {busy === "open" ? "Opening…" : "Choose folder…"}
          </button>
        </article>
      </div>
      <p className="new-folder" data-testid="welcome-new-folder">
        <span className="muted">A new folder is created at</span> <code>{newFolder ?? "(no home folder is known: choose one)"}</code>{" "}
        <button type="button" className="link" onClick={change} disabled={busy !== null}>Change…</button>
      </p>
    </section>
  );
}
