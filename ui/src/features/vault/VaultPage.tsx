import { useCallback, useMemo, useState } from "react";
import { commands, type SecretHealth } from "../../bindings";
import { unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { useLive } from "../../shared/live";
import { href, navigate } from "../../shared/router";
import { countHealth, describeSet, filterSecrets, HEALTH_CLASS, HEALTH_LABEL, type HealthFilter } from "./health";
import { useReloadOnFocus } from "./useReloadOnFocus";
import { VaultWriter } from "./VaultWriter";
import "./vault.css";

/** Every key the registered connectors require, with its health; each opens the VaultWriter. */
export function VaultPage({ q }: { q: string }) {
  const load = useCallback(async () => unwrap(await commands.vaultStatus(null)), []);
  const live = useLive(load);
  useReloadOnFocus(live.reload);
  const [health, setHealth] = useState<HealthFilter>("all");
  const [editing, setEditing] = useState<SecretHealth | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const rows = useMemo(() => filterSecrets(live.data?.secrets ?? [], q, health), [live.data, q, health]);
  const counts = countHealth(live.data?.secrets ?? []);
  const report = live.data;

  return (
    <section className="page vault" aria-labelledby="vault-title">
      <h1 id="vault-title">Vault</h1>
      <p className="muted">Developer keys live in the OS keyring, never in a file. Values are never shown: set, replace or delete them here, and run a connector with <code>sentinel vault exec</code>.</p>
      {live.error && <ErrorBanner error={live.error} onRetry={live.reload} />}
      {report?.keyring_error && <ErrorBanner error={report.keyring_error} onRetry={live.reload} />}
      {notice && <p className="notice" role="status" data-testid="vault-notice">{notice}</p>}
      {!report ? (!live.error && <p className="muted">Reading the keyring…</p>) : report.secrets.length === 0 ? (
        <p className="muted" data-testid="vault-empty">No registered connector requires a secret. A manifest lists them under <code>secrets:</code>.</p>
      ) : (
        <>
          <p className="summary" data-testid="vault-summary">
            <span className="pill ok">{counts.present} present</span>
            <span className="pill warn">{counts.missing} missing</span>
            <span className="pill warn">{counts.stale} stale</span>
            {counts.unknown > 0 && <span className="pill">{counts.unknown} unknown</span>}
            <span className="muted">stale after {report.rotation_days} days (<a href="#/settings">settings</a>)</span>
          </p>
          <div className="filters">
            <input id="vault-search" type="search" value={q} placeholder="Filter by key, connector or label" aria-label="Filter keys"
              onChange={(e) => navigate({ page: "vault", q: e.target.value }, { replace: true })} data-testid="vault-search" />
            <select value={health} onChange={(e) => setHealth(e.target.value as HealthFilter)} aria-label="Health" data-testid="vault-health-filter">
              <option value="all">All keys</option>
              <option value="missing">Missing</option>
              <option value="stale">Stale</option>
              <option value="present">Present</option>
            </select>
          </div>
          {rows.length === 0 ? <p className="muted">No key matches the filter.</p> : (
            <table className="table" data-testid="vault-table">
              <thead><tr><th>Connector</th><th>Key</th><th>Health</th><th>Set</th><th>Label</th><th /></tr></thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.vault_key} data-key={s.vault_key} data-health={s.health}>
                    <td><a href={href({ page: "connector", slug: s.slug, focus: null })}>{s.display_name}</a> <span className="muted">{s.status}</span></td>
                    <td><code>{s.vault_key}</code></td>
                    <td><span className={HEALTH_CLASS[s.health]}>{HEALTH_LABEL[s.health]}</span></td>
                    <td>{describeSet(s)}</td>
                    <td>{s.account?.label ?? ""}</td>
                    <td>
                      <button type="button" onClick={() => { setNotice(null); setEditing(s); }} data-testid="vault-open" aria-label={`${s.health === "missing" ? "Set" : "Manage"} ${s.vault_key}`}>
                        {s.health === "missing" ? "Set…" : "Manage…"}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {editing && (
        <VaultWriter
          secret={editing}
          onClose={() => setEditing(null)}
          onDone={(message) => { setEditing(null); setNotice(message); live.reload(); }}
        />
      )}
    </section>
  );
}
