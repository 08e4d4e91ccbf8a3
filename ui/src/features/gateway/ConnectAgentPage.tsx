import { useCallback, useState } from "react";
import { commands, type AgentClient, type ErrorCode, type Installed } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { useLive } from "../../shared/live";
import { Modal } from "../../shared/Modal";
import { href } from "../../shared/router";
import { CALL_ACTION, codeSpans, describeAnswer, formatDuration, OUTCOME_CLASS, OUTCOME_LABEL, receiptOf } from "./receipts";
import { commandLine, connectedLine, SENTINEL_NOTE } from "./agents";

const RECENT = 50;

/**
 * Connect an agent: each MCP client, whether its configuration file has the gateway's entry, and
 * Connect… (what `sentinel mcp install --client …` does); below, the recent tool calls, live.
 */
export function ConnectAgentPage() {
  const loadClients = useCallback(async () => unwrap(await commands.agentClients()), []);
  const clients = useLive(loadClients);
  const loadCalls = useCallback(async () => unwrap(await commands.recentCalls(RECENT)), []);
  const calls = useLive(loadCalls);
  const [confirm, setConfirm] = useState<AgentClient | null>(null);
  const [done, setDone] = useState<Installed | null>(null);
  const view = clients.data;

  return (
    <section className="page agents" aria-labelledby="agents-title" data-testid="agents-page">
      <header className="page-header">
        <div>
          <h1 id="agents-title">Connect an agent</h1>
          <p className="muted">
            An MCP client (Claude Desktop, Claude Code, Cursor, VS Code) reaches the approved connectors through one entry, the God Config
            gateway: it lists only approved tools, asks a person before a tool set to <em>ask</em> runs, and writes a receipt for every call.
          </p>
        </div>
        <div className="header-actions">
          <a href={href({ page: "pending" })}>Pending calls →</a>
        </div>
      </header>
      {clients.error && <ErrorBanner error={clients.error} onRetry={clients.reload} />}
      {done && <p className="notice" role="status" data-testid="connect-notice">{connectedLine(done, view?.clients ?? [])}</p>}
      {view && (
        <>
          <h2>The gateway</h2>
          <pre className="command-line" data-testid="gateway-command">{commandLine(view.command)}</pre>
          <p className="muted small-note" data-testid="gateway-sentinel">
            {SENTINEL_NOTE[view.sentinel]} It serves this workspace's connectors folder and registry.
            {view.password_left_out && " The registry's password is not written into any file: the gateway reads it from ~/.pgpass or PGPASSWORD."}
          </p>
          <table className="table" data-testid="agent-clients">
            <thead>
              <tr><th>Client</th><th>Configuration file</th><th>Gateway</th><th><span className="sr-only">Action</span></th></tr>
            </thead>
            <tbody>
              {view.clients.map((c) => (
                <tr key={c.client} data-client={c.client} data-configured={c.configured}>
                  <td>{c.title}</td>
                  <td><code className="wrap" data-testid="client-path">{c.path}</code></td>
                  <td>{c.configured ? <span className="pill ok">connected</span> : <span className="pill">not connected</span>}</td>
                  <td>
                    <button type="button" onClick={() => { setDone(null); setConfirm(c); }} data-testid={`connect-${c.client}`} aria-label={`${c.configured ? "Connect again" : "Connect"} ${c.title}`}>
                      {c.configured ? "Connect again…" : "Connect…"}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h2 id="recent-title">Recent tool calls</h2>
      <p className="muted small-note">
        The newest {RECENT} receipts, live. <a href={href({ page: "audit", connector: null, action: CALL_ACTION })}>Every tool call in the audit log →</a>
      </p>
      {calls.error && <ErrorBanner error={calls.error} onRetry={calls.reload} />}
      {calls.data && calls.data.length === 0 && <div className="empty" data-testid="recent-empty"><p>No agent has called a tool through the gateway yet.</p></div>}
      {calls.data && calls.data.length > 0 && (
        <table className="table" aria-labelledby="recent-title" data-testid="recent-calls">
          <thead>
            <tr><th>When</th><th>Tool</th><th>Client</th><th>Outcome</th><th>Answered by</th><th>Duration</th></tr>
          </thead>
          <tbody>
            {calls.data.map(receiptOf).map((r) => (
              <tr key={r.id} data-outcome={r.outcome ?? ""} data-tool={r.tool}>
                <td className="nowrap"><time dateTime={r.at}>{new Date(r.at).toLocaleString()}</time></td>
                <td className="nowrap"><code>{r.tool}</code></td>
                <td>{r.client ?? "—"}</td>
                <td>
                  {r.outcome ? <span className={OUTCOME_CLASS[r.outcome]}>{OUTCOME_LABEL[r.outcome]}</span> : "—"}
                  {r.reason && <div className="muted small-note">{codeSpans(r.reason).map((p, i) => (p.code ? <code key={i}>{p.text}</code> : <span key={i}>{p.text}</span>))}</div>}
                </td>
                <td data-testid="answered-by">{describeAnswer(r)}</td>
                <td className="nowrap">{formatDuration(r.durationMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {confirm && view && (
        <ConnectDialog
          client={confirm}
          onClose={() => setConfirm(null)}
          onDone={(installed) => { setConfirm(null); setDone(installed); clients.reload(); }}
        />
      )}
    </section>
  );
}

/** The confirmation: which file changes, and the entry it gets. */
function ConnectDialog({ client, onClose, onDone }: { client: AgentClient; onClose: () => void; onDone: (i: Installed) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorCode | null>(null);
  const connect = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(unwrap(await commands.connectAgent(client.client)));
    } catch (e) {
      setError(errorOf(e));
      setBusy(false);
    }
  };
  return (
    <Modal title={`Connect ${client.title}?`} onClose={onClose} testId="connect-dialog">
      <p>
        This adds the <code>godconfig</code> server below to <code className="wrap" data-testid="connect-path">{client.path}</code>
        {client.configured ? ", replacing the one there" : ""}. The rest of the file is kept, and a copy of the file as it was is written beside it.
      </p>
      <pre className="command-line" data-testid="connect-entry">{JSON.stringify(client.entry, null, 2)}</pre>
      <p className="muted small-note">Restart {client.title} afterwards to load it.</p>
      {error && <ErrorBanner error={error} />}
      <div className="actions">
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" className="primary" onClick={() => void connect()} disabled={busy} autoFocus data-testid="connect-confirm">
          {busy ? "Connecting…" : `Connect ${client.title}`}
        </button>
      </div>
    </Modal>
  );
}
