import { UtmCapabilities } from "./UtmCapabilities";
import { CodeChanges } from "./CodeChanges";
import { short } from "./codeReview";
import { useCallback, useEffect, useState } from "react";
import { commands, type SecretHealth } from "../../bindings";
import { unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { useIdentity, usePermission, Why } from "../../shared/identity";
import { useLive } from "../../shared/live";
import { href } from "../../shared/router";
import { ApproveDialog } from "../approval/ApproveDialog";
import { gateSummary } from "../approval/gate";
import { ReasonDialog } from "../approval/ReasonDialog";
import { useReloadOnFocus } from "../vault/useReloadOnFocus";
import { VaultWriter } from "../vault/VaultWriter";
import { ChangesSinceApproval, MetricsTable, Problems, ScopesTable, Secrets } from "./sections";
import { ToolPolicies } from "./ToolPolicies";

type Dialog = "approve" | "reject" | "revoke" | null;

export function ConnectorPage({ slug, focus, reviewer }: { slug: string; focus: string | null; reviewer: string }) {
  const load = useCallback(async () => unwrap(await commands.connectorDetail(slug)), [slug]);
  const live = useLive(load);
  const operator = usePermission("operator");
  // In team mode the database records its own user, whatever the app's settings say.
  const who = useIdentity();
  const approver = who?.team_mode ? who.user : reviewer;
  useReloadOnFocus(live.reload);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [secret, setSecret] = useState<SecretHealth | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const view = live.data?.detail.slug === slug ? live.data : undefined;
  const d = view?.detail;

  useEffect(() => {
    if (!focus || !d) return;
    const el = document.getElementById(`focus-${focus}`);
    el?.scrollIntoView({ block: "center" });
    el?.classList.add("flash");
  }, [focus, d]);

  if (live.error && !d) return <section className="page"><ErrorBanner error={live.error} onRetry={live.reload} /></section>;
  if (!d || !view) return <section className="page"><p className="muted">Loading {slug}…</p></section>;

  const done = () => {
    setDialog(null);
    live.reload();
  };
  const canApprove = d.status === "draft" || d.status === "rejected";
  const decide = { disabled: !operator.allowed, "aria-describedby": operator.allowed ? undefined : "decide-why" };
  return (
    <section className="page connector" aria-labelledby="connector-title" data-testid="connector-page" data-status={d.status}>
      <header className="page-header">
        <div>
          <a href={href({ page: "queue", status: d.status })} className="back">← {d.status} queue</a>
          <h1 id="connector-title">{d.display_name} <code>{d.slug}</code></h1>
          <p className="muted">{d.description}</p>
        </div>
        <div className="header-actions">
          <span className={`status status-${d.status}`} data-testid="connector-status">{d.status}</span>
          {canApprove && <button type="button" className="primary" onClick={() => setDialog("approve")} {...decide} data-testid="approve">Approve…</button>}
          {d.status === "draft" && <button type="button" onClick={() => setDialog("reject")} {...decide} data-testid="reject">Reject…</button>}
          {d.status === "approved" && <button type="button" className="danger" onClick={() => setDialog("revoke")} {...decide} data-testid="revoke">Revoke…</button>}
        </div>
      </header>
      <Why id="decide-why" permission={operator} />
      {live.error && <ErrorBanner error={live.error} onRetry={live.reload} />}
      {notice && <p className="notice" role="status" data-testid="connector-notice">{notice}</p>}
      {d.status_reason && <p className="reason" data-testid="status-reason">{d.status_reason}</p>}
      <p className={d.gate.missing.length ? "gate warn" : "gate ok"} data-testid="gate-summary">{gateSummary(d.gate)}</p>
      <ChangesSinceApproval diff={d.changes_since_approval} />
      <Problems problems={d.problems} />
      <CodeChanges slug={d.slug} fingerprint={d.fingerprint} approved={d.approval?.fingerprint ?? null} />
      <dl className="facts">
        <dt>Version</dt><dd>{d.version ?? "—"}</dd>
        <dt>Auth</dt><dd>{d.auth_method ?? "none"}</dd>
        <dt>Manifest</dt><dd><code>{d.manifest_path}</code> <span className="muted">hash {d.manifest_hash.slice(0, 12)}</span></dd>
        <dt>Files</dt><dd data-testid="fingerprint">{d.files.length} hand-written <span className="muted">fingerprint {short(d.fingerprint)}</span></dd>
        <dt>Generated MCP stub</dt><dd><code>{d.mcp_path}</code></dd>
        <dt>Last approval</dt>
        <dd>{d.approval ? `${d.approval.approved_by}, ${new Date(d.approval.approved_at).toLocaleString()} (hash ${d.approval.manifest_hash.slice(0, 12)}, files ${short(d.approval.fingerprint)})` : "never approved"}</dd>
        {d.docs_url && (<><dt>Docs</dt><dd><code>{d.docs_url}</code></dd></>)}
      </dl>
      <ScopesTable slug={d.slug} scopes={d.scopes} />
      <ToolPolicies slug={d.slug} operations={d.operations} />
      <MetricsTable slug={d.slug} metrics={d.metrics} />
      <div className="columns two">
        <UtmCapabilities slug={d.slug} declared={d.utm_capabilities} />
        <Secrets report={view.secrets} onManage={(s) => { setNotice(null); setSecret(s); }} />
      </div>
      <p><a href={href({ page: "audit", connector: d.slug, action: null })}>Audit log of {d.slug} →</a></p>
      {dialog === "approve" && <ApproveDialog detail={d} secrets={view.secrets.secrets} reviewer={approver} onClose={() => setDialog(null)} onDone={done} />}
      {secret && <VaultWriter secret={secret} onClose={() => setSecret(null)} onDone={(m) => { setSecret(null); setNotice(m); live.reload(); }} />}
      {(dialog === "reject" || dialog === "revoke") && (
        <ReasonDialog slug={d.slug} name={d.display_name} action={dialog} onClose={() => setDialog(null)} onDone={done} />
      )}
    </section>
  );
}
