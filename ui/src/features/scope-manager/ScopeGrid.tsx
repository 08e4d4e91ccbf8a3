// The scope table, virtualized: 100,000 rows cost what the ~20 on screen cost. ARIA table roles
// on divs, with aria-rowcount/rowindex so a screen reader knows where it is in the whole list.
import { useLayoutEffect, useRef, type ChangeEvent } from "react";
import type { FirearmType, ScopeRow } from "../../bindings";
import { href } from "../../shared/router";
import { rowRange, useViewport } from "../../shared/rowWindow";
import type { DialogAction } from "./GatingDialog";
import { disagrees, type Entry } from "./table";

const ROW_HEIGHT = 56;
const WHEN = new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "short" });
const HEAD_HEIGHT = 36;
const OVERSCAN = 4;

export interface RowActions {
  toggle: (i: number, shift: boolean) => void;
  open: (action: DialogAction, row: ScopeRow) => void;
  accept: (row: ScopeRow) => void;
  dismiss: (row: ScopeRow) => void;
}

export function ScopeGrid({ visible, isSelected, chosen, onSelectAll, types, actions, busy }: {
  visible: readonly Entry[];
  isSelected: (key: string) => boolean;
  /** Selected rows among the visible ones. */
  chosen: number;
  onSelectAll: (on: boolean) => void;
  types: ReadonlyMap<string, FirearmType>;
  actions: RowActions;
  busy: boolean;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  // Fixed-height rows: the window is arithmetic, whatever the count (see shared/rowWindow).
  const view = useViewport(scroller, { top: 0, height: 800 });
  const { start, end } = rowRange(view, visible.length, ROW_HEIGHT, HEAD_HEIGHT, OVERSCAN);
  // Rows are keyed by their slot in the window, not by scope: a keystroke then rewrites the
  // text of ~20 existing rows instead of building new ones, half of its paint time in WebKit.
  // A slot keeps its row while scrolling (i % size is stable for a row still in the window).
  const size = Math.max(1, end - start);
  const lines = [];
  for (let i = start; i < end; i++) {
    const e = visible[i];
    lines.push(<ScopeLine key={i % size} entry={e.key} row={e.row} i={i} top={HEAD_HEIGHT + i * ROW_HEIGHT} checked={isSelected(e.key)} types={types} actions={actions} busy={busy} />);
  }
  const all = visible.length > 0 && chosen === visible.length;

  return (
    <div className="scope-grid" ref={scroller} tabIndex={-1} role="table" aria-label="Scopes" aria-rowcount={visible.length + 1} hidden={visible.length === 0} data-testid="scopes-table">
      <div className="scope-body" role="presentation" style={{ height: HEAD_HEIGHT + visible.length * ROW_HEIGHT }}>
        <div role="rowgroup" className="scope-head">
          <div role="row" aria-rowindex={1} className="scope-row">
            <div role="columnheader">
              <input
                type="checkbox"
                aria-label={`Select all ${visible.length.toLocaleString("en-US")} in filter`}
                title={`Select all ${visible.length.toLocaleString("en-US")} in filter`}
                checked={all}
                ref={(el) => {
                  if (el) el.indeterminate = chosen > 0 && !all;
                }}
                onChange={() => onSelectAll(!all)}
                data-testid="select-all"
              />
            </div>
            <div role="columnheader">Connector</div>
            <div role="columnheader">Scope</div>
            <div role="columnheader">Description</div>
            <div role="columnheader">Declared</div>
            <div role="columnheader">Effective</div>
            <div role="columnheader">Firearm type</div>
            <div role="columnheader">Last changed</div>
            <div role="columnheader"><span className="sr-only">Actions</span></div>
          </div>
        </div>
        <div role="rowgroup">
          {lines}
        </div>
      </div>
    </div>
  );
}

function ScopeLine({ entry, row, i, top, checked, types, actions, busy }: {
  /** The scope's key: the slot shows another scope when it changes. */
  entry: string;
  row: ScopeRow;
  i: number;
  top: number;
  checked: boolean;
  types: ReadonlyMap<string, FirearmType>;
  actions: RowActions;
  busy: boolean;
}) {
  const line = useRef<HTMLDivElement>(null);
  const shown = useRef(entry);
  // Focus in a reused slot would silently land on another scope: hand it to the table instead.
  useLayoutEffect(() => {
    if (shown.current === entry) return;
    shown.current = entry;
    const el = line.current;
    if (el?.contains(document.activeElement)) el.closest<HTMLElement>('[role="table"]')?.focus();
  }, [entry]);
  const label = `${row.connector} ${row.name}`;
  const over = disagrees(row);
  // Keyboard Space on a checkbox is a click too, so shift+Space extends the range as well.
  const shift = (e: ChangeEvent<HTMLInputElement>) => "shiftKey" in e.nativeEvent && e.nativeEvent.shiftKey === true;
  return (
    <div
      ref={line}
      role="row"
      aria-rowindex={i + 2}
      className={checked ? "scope-row selected" : "scope-row"}
      style={{ top }}
      data-testid="scope-row"
      data-connector={row.connector}
      data-scope={row.name}
      data-gated={row.effective_gated}
    >
      <div role="cell">
        <input type="checkbox" aria-label={`Select ${label}`} checked={checked} onChange={(e) => actions.toggle(i, shift(e))} data-testid="select-scope" />
      </div>
      <div role="cell" className="ellipsis" title={`${row.connector} (${row.connector_status})`}>
        <a href={href({ page: "connector", slug: row.connector, focus: `scope:${row.name}` })}>{row.connector}</a>
      </div>
      <div role="cell" className="clamp" title={row.name}><code>{row.name}</code></div>
      <div role="cell" className="clamp muted" title={row.description ?? undefined}>{row.description ?? "—"}</div>
      <div role="cell">{row.declared_gated ? "gated" : "—"}</div>
      <div role="cell">
        {row.effective_gated ? <strong>gated</strong> : "—"}
        {over && (
          <>
            {" "}<span className="pill override" data-testid="overridden" title={`An admin overrode the manifest, which declares it ${row.declared_gated ? "gated" : "not gated"}`}>overridden</span>
            <span className="sr-only">: the manifest declares it {row.declared_gated ? "gated" : "not gated"}</span>
          </>
        )}
      </div>
      <div role="cell" className="type-cell"><TypeCell row={row} types={types} actions={actions} busy={busy} /></div>
      <div role="cell" className="clamp muted changed" title={changedTitle(row)}>
        {row.changed_by ? <>{row.changed_by}<br />{row.changed_at ? WHEN.format(new Date(row.changed_at)) : ""}</> : "manifest"}
      </div>
      <div role="cell" className="row-actions">
        {row.effective_gated ? (
          <>
            <button type="button" className="small" disabled={busy} onClick={() => actions.open("set_type", row)} aria-label={`Set the firearm type of ${label}`} data-testid="row-set-type">Type…</button>
            <button type="button" className="small" disabled={busy} onClick={() => actions.open("ungate", row)} aria-label={`Ungate ${label}`} data-testid="row-ungate">Ungate…</button>
          </>
        ) : (
          <button type="button" className="small" disabled={busy} onClick={() => actions.open("gate", row)} aria-label={`Gate ${label}`} data-testid="row-gate">Gate…</button>
        )}
      </div>
    </div>
  );
}

function TypeCell({ row, types, actions, busy }: { row: ScopeRow; types: ReadonlyMap<string, FirearmType>; actions: RowActions; busy: boolean }) {
  if (row.effective_gated) {
    if (row.firearm_type === null) return <span className="pill warn" data-testid="type-missing">missing</span>;
    const t = types.get(row.firearm_type);
    return (
      <>
        <code className="ellipsis" title={t ? `${t.name} (${t.risk_level} risk): ${t.description}` : row.firearm_type}>{row.firearm_type}</code>
        {t?.retired && <span className="pill warn" data-testid="type-retired" title="Retired: it stays on this scope but cannot be given to more">retired</span>}
      </>
    );
  }
  const s = row.suggestion;
  if (!s) return <span className="muted">—</span>;
  const label = `${row.connector} ${row.name}`;
  return (
    <>
      <span className="chip ellipsis" title={`The name contains “${s.keyword}”: gate it as ${s.firearm_type}?`} data-testid="suggestion">
        suggested: {s.firearm_type} ({s.keyword})
      </span>
      <button type="button" className="small" disabled={busy} onClick={() => actions.accept(row)} aria-label={`Accept: gate ${label} as ${s.firearm_type}`} data-testid="accept-suggestion">Accept</button>
      <button type="button" className="small" disabled={busy} onClick={() => actions.dismiss(row)} aria-label={`Dismiss the suggestion for ${label}`} data-testid="dismiss-suggestion">Dismiss</button>
    </>
  );
}

function changedTitle(r: ScopeRow): string {
  if (!r.changed_by) return "As the manifest declares it: no admin has changed it";
  const when = r.changed_at ? ` at ${r.changed_at}` : "";
  return `${r.changed_by}${when}${r.reason ? `\nreason: ${r.reason}` : ""}`;
}
