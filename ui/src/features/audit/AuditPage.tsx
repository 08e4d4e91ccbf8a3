import { useCallback, useState } from "react";
import { commands, type AuditEntry, type ChainReport } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { useLive } from "../../shared/live";
import { href, navigate } from "../../shared/router";
import { CALL_ACTION } from "../gateway/receipts";
import { chainSummary } from "./chain";
import { describeDetail, describeLines } from "./describe";

const LIMIT = 500;

export function AuditPage({ connector, action }: { connector: string | null; action: string | null }) {
  const load = useCallback(async () => unwrap(await commands.auditLog(connector, action, LIMIT)), [connector, action]);
  const live = useLive(load);
  const [filter, setFilter] = useState(connector ?? "");
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<ReturnType<typeof errorOf> | null>(null);
  const exportCsv = async () => {
    setExportError(null);
    try {
      setExported(unwrap(await commands.exportAuditCsv(connector, action)));
    } catch (e) {
      setExportError(errorOf(e));
    }
  };
  const [chain, setChain] = useState<ChainReport | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [verifyError, setVerifyError] = useState<ReturnType<typeof errorOf> | null>(null);
  const verify = async () => {
    setVerifyError(null);
    setVerifying(true);
    try {
      setChain(unwrap(await commands.verifyAudit()));
    } catch (e) {
      setVerifyError(errorOf(e));
    } finally {
      setVerifying(false);
    }
  };
  return (
    <section className="page audit" aria-labelledby="audit-title">
      <header className="page-header">
        <h1 id="audit-title">{action === CALL_ACTION ? "Tool calls" : "Audit log"}{connector ? ` of ${connector}` : ""}</h1>
        <div className="header-actions">
          <button type="button" onClick={verify} disabled={verifying} aria-busy={verifying} data-testid="verify-chain" title="Recompute every entry's hash from the first one">
            {verifying ? "Verifying…" : "Verify chain"}
          </button>
          <button type="button" onClick={exportCsv} data-testid="export-csv">Export CSV…</button>
        </div>
      </header>
      {chain && <ChainResult report={chain} />}
      {verifyError && <ErrorBanner error={verifyError} onRetry={verify} />}
      <form className="toolbar" onSubmit={(e) => { e.preventDefault(); navigate({ page: "audit", connector: filter.trim() || null, action }); }}>
        <label htmlFor="audit-filter">Connector</label>
        <input id="audit-filter" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="slug, empty for all" data-testid="audit-filter" />
        <button type="submit">Filter</button>
        <label htmlFor="audit-action">Show</label>
        <select id="audit-action" value={action ?? ""} onChange={(e) => navigate({ page: "audit", connector, action: e.target.value || null })} data-testid="audit-action">
          <option value="">Every entry</option>
          <option value={CALL_ACTION}>Tool calls (agents through the gateway)</option>
          {action && action !== CALL_ACTION && <option value={action}>{action}</option>}
        </select>
        {(connector || action) && <a href={href({ page: "audit", connector: null, action: null })}>Show all</a>}
      </form>
      {exported && <p className="notice" role="status">Exported to <code>{exported}</code></p>}
      {exportError && <ErrorBanner error={exportError} />}
      {live.error && <ErrorBanner error={live.error} onRetry={live.reload} />}
      {live.data && live.data.length === 0 && <div className="empty"><p>No {action === CALL_ACTION ? "tool calls" : "audit entries"}{connector ? ` for ${connector}` : ""} yet.</p></div>}
      {live.data && live.data.length > 0 && (
        <table className="table" data-testid="audit-table">
          <thead>
            <tr><th>When</th><th>Who</th><th>What</th><th>Connector</th><th>What changed</th><th>Why</th></tr>
          </thead>
          <tbody>
            {live.data.map((e: AuditEntry) => (
              <tr key={e.id} data-action={e.action}>
                <td><time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time></td>
                <td>{e.actor}</td>
                <td><code>{e.action}</code></td>
                <td>{e.provider_slug ? <a href={href({ page: "connector", slug: e.provider_slug, focus: null })}>{e.provider_slug}</a> : "—"}</td>
                <td><Lines lines={describeLines(e.before, e.after)} /></td>
                <td className="detail">
                  {describeDetail(e.detail)}
                  {(e.detail || e.before || e.after) && (
                    <details className="raw">
                      <summary>Raw record</summary>
                      <pre>{JSON.stringify({ detail: e.detail, before: e.before, after: e.after }, null, 2)}</pre>
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {live.data && live.data.length === LIMIT && <p className="muted">Showing the newest {LIMIT}; the CSV export has every entry.</p>}
    </section>
  );
}

function ChainResult({ report }: { report: ChainReport }) {
  const s = chainSummary(report);
  return (
    <div className={s.ok ? "notice" : "error-banner"} role={s.ok ? "status" : "alert"} data-testid="chain-result" data-ok={s.ok}>
      <p>{s.text}</p>
      {s.fix && <p className="muted">{s.fix}</p>}
    </div>
  );
}

/** A few lines shown, the rest one click away: a bulk change can touch hundreds of items. */
function Lines({ lines }: { lines: string[] }) {
  const SHOWN = 5;
  if (!lines.length) return null;
  const list = (l: string[]) => <ul className="audit-lines">{l.map((x, i) => <li key={i}>{x}</li>)}</ul>;
  if (lines.length <= SHOWN) return list(lines);
  return (
    <>
      {list(lines.slice(0, SHOWN))}
      <details><summary>{lines.length - SHOWN} more</summary>{list(lines.slice(SHOWN))}</details>
    </>
  );
}
