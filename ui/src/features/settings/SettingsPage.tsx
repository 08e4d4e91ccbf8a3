import { useCallback, useState } from "react";
import { commands, type ErrorCode } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { useLive } from "../../shared/live";
import { TeamPolicyForm } from "./TeamPolicyForm";

export function SettingsPage({ onSaved }: { onSaved: () => void }) {
  const load = useCallback(async () => unwrap(await commands.getSettings()), []);
  const live = useLive(load);
  const [name, setName] = useState<string | null>(null);
  const [error, setError] = useState<ErrorCode | null>(null);
  const [saved, setSaved] = useState(false);
  const current = name ?? live.data?.reviewer_name ?? "";
  const [days, setDays] = useState<string | null>(null);
  const currentDays = days ?? String(live.data?.rotation_days ?? "");
  const saveDays = async (value: number | null) => {
    setError(null);
    setSaved(false);
    try {
      unwrap(await commands.setRotationDays(value));
      setDays(value === null ? "" : String(value));
      setSaved(true);
    } catch (e) {
      setError(errorOf(e));
    }
  };
  const save = async (value: string | null) => {
    setError(null);
    setSaved(false);
    try {
      unwrap(await commands.setReviewerName(value));
      setName(value ?? "");
      setSaved(true);
      onSaved();
    } catch (e) {
      setError(errorOf(e));
    }
  };
  return (
    <section className="page settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <form onSubmit={(e) => { e.preventDefault(); void save(current); }}>
        <label htmlFor="reviewer">Reviewer name recorded in approvals and the audit log</label>
        <input id="reviewer" value={current} onChange={(e) => setName(e.target.value)} placeholder="your OS user name is used when empty" data-testid="reviewer-name" />
        <div className="actions">
          <button type="button" onClick={() => void save(null)}>Use my OS user name</button>
          <button type="submit" className="primary">Save</button>
        </div>
      </form>
      <form onSubmit={(e) => { e.preventDefault(); void saveDays(currentDays.trim() === "" ? null : Number(currentDays)); }}>
        <label htmlFor="rotation-days">Rotation age of developer keys, in days: older keys show as stale</label>
        <input id="rotation-days" type="number" min={1} max={3650} value={currentDays} onChange={(e) => setDays(e.target.value)} placeholder="90 when empty" data-testid="rotation-days" />
        <div className="actions">
          <button type="button" onClick={() => void saveDays(null)}>Use the default (90)</button>
          <button type="submit" className="primary">Save</button>
        </div>
      </form>
      {saved && <p className="notice" role="status">Saved.</p>}
      {error && <ErrorBanner error={error} />}
      <TeamPolicyForm />
      <AboutSection />
    </section>
  );
}

/** What this build is: the same line as `sentinel --version`. */
function AboutSection() {
  const load = useCallback(async () => unwrap(await commands.about()), []);
  const about = useLive(load).data;
  return (
    <section aria-labelledby="about-title" data-testid="about">
      <h2 id="about-title">About God Config</h2>
      {about ? (
        <dl className="facts">
          <dt>Version</dt><dd>{about.version}</dd>
          <dt>Commit</dt><dd><code>{about.commit}</code></dd>
          <dt>Registry schema</dt><dd><code>{about.schema}</code></dd>
        </dl>
      ) : <p className="muted">Loading…</p>}
      <p className="muted">On this machine, <code>sentinel doctor</code> checks the registry, the keyring, Python for the gateway and WebKitGTK.</p>
    </section>
  );
}
