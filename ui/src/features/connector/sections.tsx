import type { ConnectorDiff, MetricView, ProblemView, ScopeView, SecretHealth, VaultReport } from "../../bindings";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { href } from "../../shared/router";
import { coverage } from "../review-queue/filter";
import { describeSet, HEALTH_CLASS, HEALTH_LABEL } from "../vault/health";

/** Each required secret and its health in the OS keyring. Missing keys warn; they do not block approval. */
export function Secrets({ report, onManage }: { report: VaultReport; onManage: (s: SecretHealth) => void }) {
  const { secrets } = report;
  return (
    <section aria-labelledby="secrets-title">
      <h2 id="secrets-title">Required secrets ({secrets.length})</h2>
      {report.keyring_error && <ErrorBanner error={report.keyring_error} />}
      {secrets.length ? (
        <ul data-testid="secrets">
          {secrets.map((s) => (
            <li key={s.vault_key} data-key={s.vault_key} data-health={s.health}>
              <code>{s.vault_key}</code>{" "}
              <span className={HEALTH_CLASS[s.health]}>{HEALTH_LABEL[s.health]}</span>{" "}
              <span className="muted">{describeSet(s)}</span>{" "}
              <button type="button" onClick={() => onManage(s)} data-testid="secret-manage" aria-label={`${s.health === "missing" ? "Set" : "Manage"} ${s.vault_key}`}>
                {s.health === "missing" ? "Set…" : "Manage…"}
              </button>
            </li>
          ))}
        </ul>
      ) : <p className="muted">None.</p>}
      {secrets.length > 0 && <p><a href={href({ page: "vault", q: secrets[0].slug })}>All keys in the vault →</a></p>}
    </section>
  );
}

export function ScopesTable({ slug, scopes }: { slug: string; scopes: ScopeView[] }) {
  return (
    <section aria-labelledby="scopes-title">
      <h2 id="scopes-title">Scopes ({scopes.length}, {scopes.filter((s) => s.effective_gated).length} gated)</h2>
      <p><a href={href({ page: "scopes", connector: slug, gating: null, q: "" })} data-testid="manage-scopes">Manage scopes</a> <span className="muted">gate, ungate and set firearm types</span></p>
      <table className="table" data-testid="scopes">
        <thead>
          <tr><th>Scope</th><th>Description</th><th>Declared</th><th>Effective</th><th>Firearm type</th></tr>
        </thead>
        <tbody>
          {scopes.map((s) => (
            <tr key={s.name} id={`focus-scope:${s.name}`} className={s.gating_override !== null && s.gating_override !== s.declared_gated ? "overridden" : undefined}>
              <td><code className="wrap">{s.name}</code></td>
              <td>{s.description}</td>
              <td>{s.declared_gated ? "gated" : "—"}</td>
              <td>{s.effective_gated ? <strong>gated</strong> : "—"}{s.gating_override !== null && <span className="muted"> (operator)</span>}</td>
              <td>{s.effective_gated ? (s.firearm_type ?? <span className="pill warn">missing</span>) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function MetricsTable({ slug, metrics }: { slug: string; metrics: MetricView[] }) {
  if (metrics.length === 0) return null;
  const settled = metrics.filter((m) => m.core_kpi || m.not_a_kpi).length;
  return (
    <section aria-labelledby="metrics-title">
      <h2 id="metrics-title">Platform metrics <span className="count" data-testid="connector-coverage">({coverage({ metrics: metrics.length, metrics_mapped: settled })})</span></h2>
      <p><a href={href({ page: "kpis", connector: slug, kpi: null })} data-testid="open-mapper">Map metrics in the KPI mapper →</a></p>
      <table className="table" data-testid="metrics">
        <thead>
          <tr><th>Metric</th><th>Description</th><th>Suggested KPI</th><th>Mapping</th></tr>
        </thead>
        <tbody>
          {metrics.map((m) => (
            <tr key={m.raw} id={`focus-metric:${m.raw}`}>
              <td><code>{m.raw}</code></td>
              <td>{m.description}</td>
              <td>{m.standard ?? "—"}</td>
              <td>{m.core_kpi ?? (m.not_a_kpi ? "not a KPI" : <span className="pill warn">unmapped</span>)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ChangesSinceApproval({ diff }: { diff: ConnectorDiff | null }) {
  if (!diff) return null;
  const lists: [string, string[]][] = [
    ["Scopes added", diff.scopes.added], ["Scopes removed", diff.scopes.removed], ["Scopes changed", diff.scopes.changed],
    ["Metrics added", diff.metrics.added], ["Metrics removed", diff.metrics.removed],
    ["Operations added", diff.operations.added], ["Operations changed", diff.operations.changed],
    ["Other fields changed", diff.fields],
  ];
  return (
    <section className="changes" aria-labelledby="changes-title" data-testid="changes-since-approval">
      <h2 id="changes-title">Changed since the approved version</h2>
      {diff.risk.length > 0 && <ul className="risk">{diff.risk.map((r) => <li key={r}>{r}</li>)}</ul>}
      <dl className="facts">
        {lists.filter(([, v]) => v.length > 0).map(([k, v]) => (
          <div key={k} className={k.includes("added") ? "added" : k.includes("removed") ? "removed" : "changed"}>
            <dt>{k}</dt><dd>{v.map((x) => <code key={x} className="wrap">{x}</code>)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function Problems({ problems }: { problems: ProblemView[] }) {
  if (problems.length === 0) return null;
  return (
    <section className="problems" id="focus-problems" aria-labelledby="problems-title" data-testid="problems">
      <h2 id="problems-title">The files on disk are invalid</h2>
      <p className="muted">The registered version is older. Fix what is listed, then save (the watcher syncs it) or sync.</p>
      <Diagnostics items={problems} />
    </section>
  );
}

export function Diagnostics({ items }: { items: ProblemView[] }) {
  return (
    <ul className="diagnostics">
      {items.map((p, i) => (
        <li key={i}>
          <code>{p.path}:{p.line}:{p.column}</code> <span className="code">[{p.code}]</span> {p.message}
          <div className="hint">hint: {p.hint}</div>
        </li>
      ))}
    </ul>
  );
}
