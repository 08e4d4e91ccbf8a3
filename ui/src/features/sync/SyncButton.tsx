import { useState } from "react";
import { Channel } from "@tauri-apps/api/core";
import { commands, type ErrorCode, type SyncProgress, type SyncSummary } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { usePermission } from "../../shared/identity";
import { Modal } from "../../shared/Modal";
import { href } from "../../shared/router";
import { nextProgress, summaryLine, type ProgressState } from "./progress";

export function SyncButton({ disabled }: { disabled: boolean }) {
  const sentinel = usePermission("sentinel");
  const [progress, setProgress] = useState<(ProgressState & { total?: number }) | null>(null);
  const [result, setResult] = useState<SyncSummary | null>(null);
  const [error, setError] = useState<ErrorCode | null>(null);
  const run = async () => {
    setResult(null);
    setError(null);
    setProgress({ label: "Scanning the connectors folder…", fraction: null });
    const channel = new Channel<SyncProgress>();
    channel.onmessage = (p) => setProgress((prev) => nextProgress(prev ?? { label: "", fraction: null }, p));
    try {
      setResult(unwrap(await commands.syncNow(channel)));
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setProgress(null);
    }
  };
  return (
    <>
      <button type="button" className="primary" onClick={run} disabled={disabled || progress !== null || !sentinel.allowed} data-testid="sync-now" title={sentinel.why ?? "Sync now (Ctrl+S)"} id="sync-now">
        {progress ? "Syncing…" : "Sync now"}
      </button>
      {progress && (
        <div className="sync-progress" role="status" aria-live="polite" data-testid="sync-progress">
          <progress value={progress.fraction ?? undefined} max={1} /> {progress.label}
        </div>
      )}
      {(result || error) && (
        <Modal title={error ? "Sync failed" : "Sync finished"} onClose={() => { setResult(null); setError(null); }} testId="sync-result">
          {error && <ErrorBanner error={error} onRetry={run} />}
          {result && <SyncReport summary={result} />}
          <div className="actions">
            <button type="button" onClick={() => { setResult(null); setError(null); }} autoFocus>Close</button>
          </div>
        </Modal>
      )}
    </>
  );
}

function SyncReport({ summary: s }: { summary: SyncSummary }) {
  return (
    <div data-testid="sync-summary">
      <p><strong>{summaryLine(s)}</strong> <span className="muted">in {s.elapsed_ms} ms, {s.stubs_written} MCP stubs written</span></p>
      {s.expired.length > 0 && (
        <p className="notice" data-testid="sync-expired">
          {s.expired.length} approval{s.expired.length === 1 ? "" : "s"} expired (team policy), back to review:{" "}
          {s.expired.map((slug, i) => <span key={slug}>{i > 0 && ", "}<a href={href({ page: "connector", slug, focus: null })}>{slug}</a></span>)}
        </p>
      )}
      {[["Added", s.added], ["Changed", s.changed], ["Removed", s.removed]].map(([label, list]) =>
        (list as SyncSummary["added"]).length ? (
          <div key={label as string}>
            <h3>{label as string}</h3>
            <ul>
              {(list as SyncSummary["added"]).map((c) => (
                <li key={c.slug}>
                  <a href={href({ page: "connector", slug: c.slug, focus: null })}>{c.slug}</a>
                  {c.status_before === "approved" && c.status_after === "draft" && <span className="pill warn"> back to review: {c.diff.risk.join("; ")}</span>}
                </li>
              ))}
            </ul>
          </div>
        ) : null,
      )}
      {s.rejected.length > 0 && (
        <div className="rejected" data-testid="sync-rejected">
          <h3>Rejected ({s.rejected.length}): registered rows were left untouched</h3>
          {s.rejected.map((r) => (
            <div key={r.folder}>
              <h4>{r.folder}</h4>
              <ul className="diagnostics">
                {r.diagnostics.map((d, i) => (
                  <li key={i}>
                    <code>{d.path}:{d.line}:{d.column}</code> <span className="code">[{d.code}]</span> {d.message}
                    <div className="hint">hint: {d.hint}</div>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
