// The team policy (admins): the four-eyes rule and the approval expiry. Shared by everyone on
// the registry, unlike the settings above, which are this computer's.
import { useCallback, useState } from "react";
import { commands, type ErrorCode, type TeamPolicy } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { usePermission, Why } from "../../shared/identity";
import { useLive } from "../../shared/live";

export function TeamPolicyForm() {
  const load = useCallback(async () => unwrap(await commands.teamPolicy()), []);
  const live = useLive(load);
  const admin = usePermission("admin");
  // Edits in progress; null: show what the registry holds.
  const [draft, setDraft] = useState<{ fourEyes: boolean; days: string } | null>(null);
  const [error, setError] = useState<ErrorCode | null>(null);
  const [saved, setSaved] = useState(false);
  const p: TeamPolicy | undefined = live.data;
  // Without an open workspace there is no registry, hence no policy: the section is left out.
  if (!p) return live.error && live.error.code !== "app.no_workspace" ? <ErrorBanner error={live.error} onRetry={live.reload} /> : null;
  const shown = draft ?? { fourEyes: p.four_eyes, days: p.approval_expiry_days === null ? "" : String(p.approval_expiry_days) };
  const save = async () => {
    setError(null);
    setSaved(false);
    try {
      const days = shown.days.trim() === "" ? null : Number(shown.days);
      unwrap(await commands.setTeamPolicy({ version: p.version, four_eyes: shown.fourEyes, approval_expiry_days: days }));
      setDraft(null);
      setSaved(true);
      live.reload();
    } catch (e) {
      setError(errorOf(e));
      live.reload();
    }
  };
  const locked = !admin.allowed;
  return (
    <form onSubmit={(e) => { e.preventDefault(); void save(); }} aria-labelledby="team-policy-title" data-testid="team-policy">
      <h2 id="team-policy-title">Team policy {p.team_mode ? <span className="pill">team mode</span> : <span className="muted">(solo)</span>}</h2>
      <Why id="policy-why" permission={admin} />
      <label className="check">
        <input type="checkbox" checked={shown.fourEyes} disabled={locked} onChange={(e) => setDraft({ ...shown, fourEyes: e.target.checked })} data-testid="policy-four-eyes" />
        Four-eyes: nobody approves a connector whose gating or mappings they changed last{p.team_mode ? "" : " (enforced in team mode)"}
      </label>
      <label htmlFor="policy-expiry">Approvals of connectors with gated scopes expire after, in days</label>
      <input id="policy-expiry" type="number" min={1} max={3650} value={shown.days} disabled={locked} onChange={(e) => setDraft({ ...shown, days: e.target.value })} placeholder="never when empty" data-testid="policy-expiry" />
      <div className="actions">
        <button type="submit" className="primary" disabled={locked || draft === null} aria-describedby={locked ? "policy-why" : undefined} data-testid="policy-save">Save the team policy</button>
      </div>
      {saved && <p className="notice" role="status">Team policy saved. Expired approvals go back to review at the next sync.</p>}
      {error && <ErrorBanner error={error} />}
    </form>
  );
}
