import { useCallback, useMemo, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { commands, type QueueRow, type Status } from "../../bindings";
import { unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { usePermission, Why } from "../../shared/identity";
import { useLiveList } from "../../shared/live";
import { href, navigate } from "../../shared/router";
import { BulkApproveDialog } from "../approval/BulkApproveDialog";
import { NewConnectorButton } from "../new-connector/NewConnectorButton";
import { type Counts } from "../vault/health";
import { countByStatus, coverage, filterRows, indexRows, isApprovable, STATUSES, type Readiness } from "./filter";

const ROW_HEIGHT = 44;

const slugOf = (row: { slug: string }) => row.slug;

/** `q`: the search to start with (a link's, such as New connector's "Open in queue"); `order`:
 * open the New connector form at once (the welcome screen's "Start empty"). */
export function QueuePage({ status, q = "", order = false }: { status: Status; q?: string; order?: boolean }) {
  // Both lists come whole once, then as the rows that changed (a saved file: one row, read alone).
  const load = useCallback(async (since: number | null, only: string[] | null) => unwrap(await commands.reviewQueue(since, only)), []);
  const queue = useLiveList(load, slugOf);
  // Secret health comes apart from the queue: a slow or locked keyring never delays the list.
  const loadKeys = useCallback(async (since: number | null, only: string[] | null) => unwrap(await commands.queueKeys(since, only)), []);
  const keys = useLiveList(loadKeys, slugOf);
  const keysBySlug = useMemo(() => (keys.data ? new Map<string, Counts>(keys.data.map((k) => [k.slug, k])) : null), [keys.data]);
  const [text, setText] = useState(q);
  const [readiness, setReadiness] = useState<Readiness>("all");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulk, setBulk] = useState(false);
  const operator = usePermission("operator");
  const rows = queue.data;
  const index = useMemo(() => indexRows(rows ?? []), [rows]);
  const counts = useMemo(() => countByStatus(rows ?? []), [rows]);
  // Filtering 10,000 rows takes ~2 ms: filter on the keystroke itself, so each one costs a
  // single paint (a deferred value would paint the input, then the list).
  const visible = useMemo(() => filterRows(index, status, text, readiness), [index, status, text, readiness]);
  const chosen = useMemo(() => visible.filter((r) => selected.has(r.slug) && isApprovable(r)), [visible, selected]);
  const approvable = useMemo(() => visible.filter(isApprovable), [visible]);

  const scroller = useRef<HTMLDivElement>(null);
  // The compiler skips memoizing this component; that is fine, rows are cheap.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    // The list is hidden until data arrives; without a first size the rows wait a frame.
    initialRect: { width: 1000, height: 800 },
    overscan: 4,
  });

  const toggle = (slug: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(slug)) n.delete(slug);
      else n.add(slug);
      return n;
    });

  return (
    <section className="page queue" aria-labelledby="queue-title">
      <header className="page-header">
        <h1 id="queue-title">Review queue</h1>
        <nav className="tabs" aria-label="Status">
          {STATUSES.map((s) => (
            <a key={s} href={href({ page: "queue", status: s })} className={s === status ? "tab active" : "tab"} aria-current={s === status ? "page" : undefined} data-testid={`tab-${s}`}>
              {s} <span className="count">{counts[s]}</span>
            </a>
          ))}
        </nav>
        <NewConnectorButton disabled={false} testId="queue-new-connector" initiallyOpen={order} onFirstClose={order ? () => navigate({ page: "queue", status }, { replace: true }) : undefined} />
      </header>
      <div className="toolbar">
        <input
          type="search"
          placeholder="Search by slug or name  ( / )"
          aria-label="Search connectors"
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="queue-search"
          id="queue-search"
        />
        <select aria-label="Readiness" value={readiness} onChange={(e) => setReadiness(e.target.value as Readiness)}>
          <option value="all">All</option>
          <option value="ready">Ready to approve</option>
          <option value="blocked">Gate not met</option>
        </select>
        {(status === "draft" || status === "rejected") && (
          <>
            <button type="button" onClick={() => setSelected(new Set(approvable.map((r) => r.slug)))} disabled={approvable.length === 0}>
              Select all ready ({approvable.length})
            </button>
            <button type="button" className="primary" disabled={chosen.length === 0 || !operator.allowed} aria-describedby={operator.allowed ? undefined : "bulk-approve-why"} onClick={() => setBulk(true)} data-testid="bulk-approve">
              Approve selected ({chosen.length})
            </button>
          </>
        )}
        <span className="muted live-count" aria-live="polite" data-testid="queue-count">
          {visible.length} shown
        </span>
      </div>
      {(status === "draft" || status === "rejected") && <Why id="bulk-approve-why" permission={operator} />}
      {queue.error && <ErrorBanner error={queue.error} onRetry={queue.reload} />}
      {rows && visible.length === 0 && <EmptyQueue status={status} filtered={text !== "" || readiness !== "all"} total={rows.length} />}
      <div className="queue-list" ref={scroller} hidden={visible.length === 0} role="list" aria-label={`${status} connectors`} data-testid="queue-list">
        <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
          {virtual.getVirtualItems().map((v) => {
            const r = visible[v.index];
            return (
              <QueueLine key={r.slug} row={r} keys={keysBySlug ? keysBySlug.get(r.slug) ?? "none" : "loading"} top={v.start} checked={selected.has(r.slug)} onToggle={() => toggle(r.slug)} />
            );
          })}
        </div>
      </div>
      {bulk && (
        <BulkApproveDialog
          rows={chosen}
          missingKeys={chosen.filter((r) => (keysBySlug?.get(r.slug)?.missing ?? 0) > 0).map((r) => r.slug)}
          onClose={() => setBulk(false)}
          onDone={() => {
            setBulk(false);
            setSelected(new Set());
            queue.reload();
          }}
        />
      )}
    </section>
  );
}

function QueueLine({ row, keys, top, checked, onToggle }: { row: QueueRow; keys: Counts | "none" | "loading"; top: number; checked: boolean; onToggle: () => void }) {
  const canApprove = isApprovable(row);
  return (
    <div className="queue-row" role="listitem" style={{ top }} data-slug={row.slug}>
      <input
        type="checkbox"
        aria-label={`Select ${row.display_name}`}
        checked={checked && canApprove}
        disabled={!canApprove}
        title={canApprove ? "Select for bulk approval" : "Only ready drafts can be bulk-approved"}
        onChange={onToggle}
      />
      <a href={href({ page: "connector", slug: row.slug, focus: null })} className="queue-name" onClick={(e) => { e.preventDefault(); navigate({ page: "connector", slug: row.slug, focus: null }); }}>
        <strong>{row.display_name}</strong> <code>{row.slug}</code>
      </a>
      <span className="muted">{row.scopes} scopes · {row.gated} gated</span>
      <span className="muted">{coverage(row)}</span>
      <KeysPill keys={keys} />
      <span className={row.missing === 0 ? "pill ok" : "pill warn"}>{row.missing === 0 ? "ready" : `${row.missing} missing`}</span>
    </div>
  );
}

/** Developer keys: a warning when missing or stale, never a block on approval. */
function KeysPill({ keys }: { keys: Counts | "none" | "loading" }) {
  if (keys === "loading") return <span className="muted" title="Asking the OS keyring">…</span>;
  if (keys === "none") return <span className="muted" title="No secrets required">no keys</span>;
  const missing = keys.missing + keys.unknown;
  if (missing > 0) return <span className="pill warn" data-testid="queue-keys" title="Developer keys not in your keyring (a warning, not a block)">{keys.missing > 0 ? `${keys.missing} key${keys.missing > 1 ? "s" : ""} missing` : "keys unknown"}</span>;
  if (keys.stale > 0) return <span className="pill warn" data-testid="queue-keys" title="Older than the rotation age">{keys.stale} stale</span>;
  return <span className="pill ok" data-testid="queue-keys">keys set</span>;
}

function EmptyQueue({ status, filtered, total }: { status: Status; filtered: boolean; total: number }) {
  if (total === 0)
    return (
      <div className="empty" data-testid="queue-empty">
        <h2>Nothing is registered yet</h2>
        <p>Run “Sync now” to register the connectors of the workspace folder, or choose another folder.</p>
        <a className="button" href="#/workspace">Workspace</a>
      </div>
    );
  return (
    <div className="empty" data-testid="queue-empty">
      <p>{filtered ? "No connector matches the search." : `No ${status} connectors.`}</p>
    </div>
  );
}
