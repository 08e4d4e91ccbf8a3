import { useCallback, useState } from "react";
import { commands, type ErrorCode, type OperationView, type ServedTool } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { usePermission, Why } from "../../shared/identity";
import { useLive } from "../../shared/live";
import { href } from "../../shared/router";
import { toolName } from "../gateway/pending";
import { short } from "./codeReview";
import { choiceOf, choices, describePolicyChange, POLICY_MEANING, toPolicy, type PolicyChoice } from "./tools";

/** Each operation as the MCP gateway serves it (`slug__operation`) with its policy, which an
 * admin changes here (`sentinel mcp policy` does the same). */
export function ToolPolicies({ slug, operations }: { slug: string; operations: OperationView[] }) {
  const load = useCallback(async () => unwrap(await commands.toolPolicies(slug)), [slug]);
  const live = useLive(load);
  const admin = usePermission("admin");
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ErrorCode | null>(null);
  const hashOf = new Map(operations.map((o) => [o.name, o.hash]));

  const change = async (t: ServedTool, choice: PolicyChoice) => {
    const name = toolName(t.connector, t.operation);
    setBusy(t.operation);
    setNotice(null);
    setError(null);
    try {
      const result = unwrap(await commands.setToolPolicy(t.connector, t.operation, toPolicy(choice)));
      setNotice(describePolicyChange(name, result, choice));
      live.reload();
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(null);
    }
  };

  const tools = live.data ?? [];
  return (
    <section aria-labelledby="tools-title" data-testid="connector-tools">
      <h2 id="tools-title">Tools ({live.data ? tools.length : operations.length})</h2>
      <p className="muted">
        What an agent gets through the MCP gateway once the connector is approved. <strong>Allow</strong> {POLICY_MEANING.allow};{" "}
        <strong>Ask</strong> {POLICY_MEANING.ask} (<a href={href({ page: "pending" })}>Pending calls</a>); <strong>Block</strong> {POLICY_MEANING.block}.
        By default a tool on a gated scope asks and any other is allowed.
      </p>
      <Why id="tools-why" permission={admin} />
      {live.error && <ErrorBanner error={live.error} onRetry={live.reload} />}
      {error && <ErrorBanner error={error} />}
      {notice && <p className="notice" role="status" data-testid="policy-notice">{notice}</p>}
      <table className="table" data-testid="tools">
        <thead>
          <tr><th>Tool</th><th>Scope</th><th>Description</th><th>Policy</th></tr>
        </thead>
        <tbody>
          {tools.map((t) => {
            const name = toolName(t.connector, t.operation);
            const hash = hashOf.get(t.operation);
            return (
              <tr key={t.operation} data-tool={t.operation} data-policy={t.policy} data-policy-set={t.policy_set}>
                <td>
                  <code className="wrap">{name}</code>
                  {hash && <div className="muted" title={`tool definition sha256 ${hash}`}>tool {short(hash)}</div>}
                </td>
                <td>
                  <code className="wrap">{t.scope}</code>
                  {t.gated && <div className="muted">gated{t.firearm_type ? ` · ${t.firearm_type}` : ""}</div>}
                </td>
                <td>{t.description}</td>
                <td className="policy-cell">
                  <select
                    value={choiceOf(t)}
                    onChange={(e) => void change(t, e.target.value as PolicyChoice)}
                    disabled={!admin.allowed || busy !== null}
                    aria-label={`Policy of ${name}`}
                    aria-describedby={admin.allowed ? undefined : "tools-why"}
                    data-testid={`policy-${t.operation}`}
                  >
                    {choices(t).map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
                  </select>{" "}
                  {t.policy_set ? <span className="pill" title="Set by an admin">set</span> : <span className="muted">default</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
