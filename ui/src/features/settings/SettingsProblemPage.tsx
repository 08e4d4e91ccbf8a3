// Shown instead of everything else while the settings file cannot be read: what is wrong, and
// the two ways out. The file is never written over; moving it aside keeps it beside itself.
import { useState } from "react";
import { commands, type ErrorCode, type WorkspaceState } from "../../bindings";
import { ErrorBanner } from "../../shared/ErrorBanner";

export function SettingsProblemPage({ problem, onFixed }: { problem: ErrorCode; onFixed: (state: WorkspaceState) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorCode | null>(null);
  const act = async (call: () => ReturnType<typeof commands.retrySettings>) => {
    setBusy(true);
    setError(null);
    try {
      const r = await call();
      if (r.status === "ok") onFixed(r.data);
      else setError(r.error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="page settings-problem" aria-labelledby="settings-problem-title" data-testid="settings-problem">
      <h1 id="settings-problem-title">The settings file cannot be read</h1>
      <ErrorBanner error={error ?? problem} />
      <p>
        God Config keeps your workspace, reviewer name and preferences in this file. It has not changed it, and will not
        write to it until it can read it again.
      </p>
      <ul>
        <li>Fix the file in an editor (or its permissions), then choose <strong>Read it again</strong>.</li>
        <li>Or <strong>move it aside</strong>: it is kept beside itself as <code>settings.json.unreadable-…</code>, and God Config starts from its default settings.</li>
      </ul>
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={() => act(commands.retrySettings)} data-testid="settings-retry">
          Read it again
        </button>
        <button type="button" disabled={busy} onClick={() => act(commands.moveSettingsAside)} data-testid="settings-move-aside">
          Move it aside and start from defaults
        </button>
      </div>
    </section>
  );
}
