import { useCallback, useEffect } from "react";
import { commands, type Status } from "./bindings";
import { unwrap } from "./shared/errors";
import { ConnectionBanner } from "./shared/ConnectionBanner";
import { ErrorBanner } from "./shared/ErrorBanner";
import { IdentityProvider, useIdentity } from "./shared/identity";
import { describeIdentity } from "./shared/roles";
import { useLive } from "./shared/live";
import { navigate, useRoute } from "./shared/router";
import { AuditPage } from "./features/audit/AuditPage";
import { ConnectorPage } from "./features/connector/ConnectorPage";
import { CoreKpisPage } from "./features/core-kpis/CoreKpisPage";
import { FirearmTypesPage } from "./features/firearm-types/FirearmTypesPage";
import { ConnectAgentPage } from "./features/gateway/ConnectAgentPage";
import { PendingBadge } from "./features/gateway/PendingBadge";
import { PendingCallsPage } from "./features/gateway/PendingCallsPage";
import { CoveragePage } from "./features/kpi-coverage/CoveragePage";
import { KpiMapperPage } from "./features/kpi-mapper/KpiMapperPage";
import { NewConnectorButton } from "./features/new-connector/NewConnectorButton";
import { QueuePage } from "./features/review-queue/QueuePage";
import { ScopesPage } from "./features/scope-manager/ScopesPage";
import { SettingsPage } from "./features/settings/SettingsPage";
import { SettingsProblemPage } from "./features/settings/SettingsProblemPage";
import { SyncButton } from "./features/sync/SyncButton";
import { UtmPage } from "./features/utm-builder/UtmPage";
import { VaultPage } from "./features/vault/VaultPage";
import { WatcherPanel } from "./features/watcher/WatcherPanel";
import { WelcomePage } from "./features/workspace/WelcomePage";
import { WorkspacePage } from "./features/workspace/WorkspacePage";

export function App() {
  const route = useRoute();
  const loadWs = useCallback(async () => unwrap(await commands.workspaceInfo()), []);
  const ws = useLive(loadWs);
  const open = ws.data?.open ?? null;
  const isOpen = open !== null;
  // The calls waiting for a person: the badge in the sidebar and the pending-calls panel.
  const loadPending = useCallback(async () => (isOpen ? unwrap(await commands.pendingCalls()) : []), [isOpen]);
  const pending = useLive(loadPending);
  useShortcuts();

  // First run: nothing remembered and nothing failed to open.
  const welcome = !!ws.data && !ws.data.settings_problem && !open && !ws.data.startup_error && route.page !== "workspace" && route.page !== "settings";
  let page;
  if (!ws.data) page = ws.error ? <ErrorBanner error={ws.error} onRetry={ws.reload} /> : <p className="muted page">Opening the workspace…</p>;
  else if (ws.data.settings_problem) page = <SettingsProblemPage problem={ws.data.settings_problem} onFixed={() => ws.reload()} />;
  else if (welcome) page = <WelcomePage state={ws.data} onOpened={(order) => { ws.reload(); navigate({ page: "queue", status: "draft", ...(order ? { order: true } : {}) }); }} />;
  else if (route.page === "workspace" || (!open && route.page !== "settings")) page = <WorkspacePage state={ws.data} onOpened={() => { ws.reload(); window.location.hash = "#/queue"; }} />;
  else if (route.page === "settings") page = <SettingsPage onSaved={ws.reload} />;
  else if (route.page === "connector") page = <ConnectorPage slug={route.slug} focus={route.focus} reviewer={open?.reviewer ?? ""} />;
  else if (route.page === "audit") page = <AuditPage connector={route.connector} action={route.action} />;
  else if (route.page === "pending") page = <PendingCallsPage pending={pending} />;
  else if (route.page === "agents") page = <ConnectAgentPage />;
  else if (route.page === "scopes") page = <ScopesPage connector={route.connector} gating={route.gating} q={route.q} />;
  else if (route.page === "firearm-types") page = <FirearmTypesPage />;
  else if (route.page === "kpis") page = <KpiMapperPage connector={route.connector} kpi={route.kpi} />;
  else if (route.page === "coverage") page = <CoveragePage q={route.q} />;
  else if (route.page === "core-kpis") page = <CoreKpisPage />;
  else if (route.page === "utm") page = <UtmPage connector={route.connector} />;
  else if (route.page === "vault") page = <VaultPage q={route.q} />;
  // A search in the link (New connector's "Open in queue") starts a fresh page with it.
  else page = <QueuePage key={route.q ?? ""} status={(route.status as Status) ?? "draft"} q={route.q ?? ""} order={route.order === true} />;

  return (
    <IdentityProvider open={open !== null}>
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">God Config</div>
        <NewConnectorButton disabled={!open} shortcut className="sidebar-action" />
        <a href="#/queue?status=draft" aria-current={route.page === "queue" && !welcome ? "page" : undefined} data-testid="nav-queue">Review queue</a>
        <a href="#/scopes" aria-current={route.page === "scopes" ? "page" : undefined} data-testid="nav-scopes">Scopes</a>
        <a href="#/firearm-types" aria-current={route.page === "firearm-types" ? "page" : undefined} data-testid="nav-firearm-types">Firearm types</a>
        <a href="#/kpis" aria-current={route.page === "kpis" ? "page" : undefined} data-testid="nav-kpis">KPI mapper</a>
        <a href="#/coverage" aria-current={route.page === "coverage" ? "page" : undefined} data-testid="nav-coverage">KPI coverage</a>
        <a href="#/core-kpis" aria-current={route.page === "core-kpis" ? "page" : undefined} data-testid="nav-core-kpis">Core KPIs</a>
        <a href="#/utm" aria-current={route.page === "utm" ? "page" : undefined} data-testid="nav-utm">UTM builder</a>
        <a href="#/vault" aria-current={route.page === "vault" ? "page" : undefined} data-testid="nav-vault">Vault</a>
        <a href="#/pending" aria-current={route.page === "pending" ? "page" : undefined} data-testid="nav-pending">
          Pending calls
          <PendingBadge calls={pending.data} />
        </a>
        <a href="#/agents" aria-current={route.page === "agents" ? "page" : undefined} data-testid="nav-agents">Connect an agent</a>
        <a href="#/audit" aria-current={route.page === "audit" ? "page" : undefined} data-testid="nav-audit">Audit log</a>
        <a href="#/workspace" aria-current={route.page === "workspace" ? "page" : undefined} data-testid="nav-workspace">Workspace</a>
        <a href="#/settings" aria-current={route.page === "settings" ? "page" : undefined} data-testid="nav-settings">Settings</a>
        <div className="sidebar-foot">
          {open ? (
            <>
              <div title={open.connectors_dir}><span className="muted">folder</span> {open.connectors_dir.split("/").slice(-2).join("/")}</div>
              <div title={open.registry}><span className="muted">{open.backend}</span></div>
              <WhoAmI fallback={open.reviewer} />
            </>
          ) : <span className="muted">no workspace</span>}
          <WatcherPanel open={isOpen} />
          <SyncButton disabled={!open} />
        </div>
      </nav>
      <main id="main"><ConnectionBanner />{page}</main>
    </div>
    </IdentityProvider>
  );
}

/** Who the registry says you are: the database user and roles in team mode. */
function WhoAmI({ fallback }: { fallback: string }) {
  const id = useIdentity();
  return (
    <div data-testid="whoami" title={id?.team_mode ? "Team mode: the database checks every change against these roles" : undefined}>
      <span className="muted">as</span> {id ? describeIdentity(id) : fallback}
      {id?.team_mode && <span className="pill team-pill">team</span>}
    </div>
  );
}

/** The search boxes "/" focuses; a page has at most one. */
const SEARCH_IDS = ["queue-search", "scopes-search", "coverage-search", "vault-search"];

/** "/" focuses the page's search box; Ctrl+S syncs. */
function useShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
      if (e.key === "/" && !typing) {
        const search = SEARCH_IDS.map((id) => document.getElementById(id)).find((el) => el !== null);
        if (search) {
          e.preventDefault();
          search.focus();
        }
      } else if (e.key === "s" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        document.getElementById("sync-now")?.click();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
