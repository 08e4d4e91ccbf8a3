import { useCallback, useMemo, useState } from "react";
import { commands, type ErrorCode, type GatingOp, type GatingResult, type ScopeRow } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { usePermission, Why } from "../../shared/identity";
import { useLive } from "../../shared/live";
import { href, navigate } from "../../shared/router";
import { SearchSelect } from "../../shared/SearchSelect";
import { GatingDialog, type DialogAction } from "./GatingDialog";
import { ScopeGrid, type RowActions } from "./ScopeGrid";
import {
  chosenRows, clickRow, countSuggested, describeResult, filterScopes, GATING_LABELS, GATING_STATES, hiddenSelected,
  indexScopes, NO_SELECTION, parseGating, plural, selectAllVisible, type GatingState, type Selection,
} from "./table";

const NONE: ScopeRow[] = [];

interface Open {
  action: DialogAction;
  rows: ScopeRow[];
  preset: string | null;
  /** From the bulk bar: success clears the selection. */
  bulk: boolean;
}

export function ScopesPage({ connector, gating, q }: { connector: string | null; gating: string | null; q: string }) {
  // Always every scope: the connector filter is client-side so its select can list them all.
  const loadScopes = useCallback(async () => unwrap(await commands.scopesList(null)), []);
  const scopes = useLive(loadScopes);
  const loadTypes = useCallback(async () => unwrap(await commands.firearmTypes()), []);
  const types = useLive(loadTypes);
  const state = parseGating(gating);

  // The search box is local state (the URL is not rewritten per keystroke); a link with `q` sets it.
  const [text, setText] = useState(q);
  const [seenQ, setSeenQ] = useState(q);
  if (q !== seenQ) {
    setSeenQ(q);
    setText(q);
  }
  const [sel, setSel] = useState<Selection>(NO_SELECTION);
  const [dialog, setDialog] = useState<Open | null>(null);
  const [result, setResult] = useState<{ text: string; warning: ErrorCode | null } | null>(null);
  const [notice, setNotice] = useState<ErrorCode>();
  const [busy, setBusy] = useState(false);
  const admin = usePermission("admin");
  const locked = !admin.allowed;

  const rows = scopes.data ?? NONE;
  const index = useMemo(() => indexScopes(rows), [rows]);
  // ~10 ms for 100,000 rows: filtering on the keystroke itself costs one paint, not two.
  const visible = useMemo(() => filterScopes(index, { connector, gating: state, text }), [index, connector, state, text]);
  const chosen = useMemo(() => chosenRows(visible, sel), [visible, sel]);
  const hidden = useMemo(() => hiddenSelected(index, sel, chosen.length), [index, sel, chosen.length]);
  const suggested = useMemo(() => countSuggested(index, connector), [index, connector]);
  const notGated = useMemo(() => chosen.filter((r) => !r.effective_gated).length, [chosen]);
  // Up to 10,000: built once per load, so the memoized picker skips keystrokes.
  const connectorOptions = useMemo(() => index.connectors.map((c) => ({ value: c })), [index]);
  const typeList = types.data;
  const typeBySlug = useMemo(() => new Map((typeList ?? []).map((t) => [t.slug, t])), [typeList]);

  const setFilter = (f: { connector?: string | null; gating?: GatingState }) => {
    const g = f.gating ?? state;
    navigate({ page: "scopes", connector: f.connector === undefined ? connector : f.connector, gating: g === "all" ? null : g, q: text });
  };
  const clearFilters = () => {
    setText("");
    navigate({ page: "scopes", connector: null, gating: null, q: "" });
  };

  const reload = () => {
    scopes.reload();
    types.reload(); // usage counts move with gating
  };
  const done = (op: GatingOp, res: GatingResult, bulk: boolean) => {
    setDialog(null);
    if (bulk) setSel(NO_SELECTION);
    setResult({ text: describeResult(op, res), warning: res.stub_warning });
    reload();
  };
  const conflict = (e: ErrorCode) => {
    setDialog(null);
    setResult(null);
    // The backend's message names the scopes that changed.
    setNotice({ code: e.code, message: `Someone else changed these scopes; the table was reloaded. (${e.message})` });
    reload();
  };
  const open = (action: DialogAction, rows: ScopeRow[], bulk: boolean, preset: string | null = null) => {
    setNotice(undefined);
    setDialog({ action, rows, preset, bulk });
  };

  /** Accept and Dismiss apply on their click, without a dialog: the button says what it does. */
  const apply = async (op: GatingOp, row: ScopeRow) => {
    setBusy(true);
    setNotice(undefined);
    try {
      const res = unwrap(await commands.changeGating({ op, scopes: [{ connector: row.connector, scope: row.name, version: row.version }], reason: null }));
      done(op, res, false);
    } catch (e) {
      const err = errorOf(e);
      if (err.code === "registry.conflict") conflict(err);
      else setNotice(err);
    } finally {
      setBusy(false);
    }
  };

  const actions: RowActions = {
    toggle: (i, shift) => setSel((s) => clickRow(s, visible, i, shift)),
    // A retired type cannot be given again, so it is no preset.
    open: (action, row) => open(action, [row], false, action === "set_type" && row.firearm_type && !typeBySlug.get(row.firearm_type)?.retired ? row.firearm_type : null),
    accept: (row) => {
      const s = row.suggestion;
      if (!s) return;
      const t = typeBySlug.get(s.firearm_type);
      const usable = t !== undefined && !t.retired;
      // Sending an approved connector back to review, or picking another type, deserves the dialog.
      if (row.connector_status === "approved" || !usable) open("gate", [row], false, usable ? s.firearm_type : null);
      else void apply({ kind: "gate", firearm_type: s.firearm_type }, row);
    },
    dismiss: (row) => void apply({ kind: "dismiss" }, row),
  };

  const n = chosen.length;
  const filtered = text.trim() !== "" || state !== "all" || connector !== null;
  return (
    <section className="page scopes" aria-labelledby="scopes-title">
      <header className="page-header">
        <div>
          <h1 id="scopes-title">Scopes{connector && <> of <a href={href({ page: "connector", slug: connector, focus: null })}>{connector}</a></>}</h1>
          <p className="muted">Gate the scopes that act (a firearm), and give each gated scope a firearm type. <a href="#/firearm-types">Firearm types →</a></p>
        </div>
      </header>
      <div className="toolbar">
        <input
          type="search"
          placeholder="Search connector, scope, description or type  ( / )"
          aria-label="Search scopes"
          value={text}
          onChange={(e) => setText(e.target.value)}
          id="scopes-search"
          data-testid="scopes-search"
        />
        <SearchSelect options={connectorOptions} value={connector} onChange={(c) => setFilter({ connector: c })} label="Connector" nullLabel={`All connectors (${index.connectors.length.toLocaleString("en-US")})`} testId="scopes-connector" />
        <select aria-label="Gating" value={state} onChange={(e) => setFilter({ gating: e.target.value as GatingState })} data-testid="scopes-gating">
          {GATING_STATES.map((g) => <option key={g} value={g}>{GATING_LABELS[g]}</option>)}
        </select>
        <button type="button" onClick={() => setFilter({ gating: "suggested" })} disabled={suggested === 0 || state === "suggested"} data-testid="suggested-count">
          {plural(suggested, "suggested gate")}
        </button>
        <span className="muted live-count" aria-live="polite" data-testid="scopes-count">
          {visible.length.toLocaleString("en-US")} of {rows.length.toLocaleString("en-US")} shown
        </span>
      </div>
      <div className="toolbar" role="group" aria-label="Selected scopes">
        <span aria-live="polite" data-testid="selected-count">
          <strong>{n.toLocaleString("en-US")} selected</strong>
          {hidden > 0 && <span className="muted"> ({hidden.toLocaleString("en-US")} more hidden by the filter, left out)</span>}
        </span>
        <button type="button" disabled={n === 0 || locked} onClick={() => open("gate", chosen, true)} data-testid="bulk-gate">Gate…</button>
        <button type="button" disabled={n === 0 || notGated > 0 || locked} onClick={() => open("set_type", chosen, true)} aria-describedby={notGated > 0 && n > 0 ? "set-type-why" : undefined} data-testid="bulk-set-type">Set type…</button>
        <button type="button" disabled={n === 0 || locked} onClick={() => open("clear_type", chosen, true)} data-testid="bulk-clear-type">Clear type…</button>
        <button type="button" disabled={n === 0 || locked} onClick={() => open("ungate", chosen, true)} data-testid="bulk-ungate">Ungate…</button>
        <button type="button" disabled={sel.keys.size === 0} onClick={() => setSel(NO_SELECTION)} data-testid="clear-selection">Clear selection</button>
        {n > 0 && notGated > 0 && (
          <span className="muted" id="set-type-why">Set type needs every selected scope gated; {notGated.toLocaleString("en-US")} {notGated === 1 ? "is" : "are"} not. Use Gate, which can set the type too.</span>
        )}
      </div>
      <Why id="scopes-why" permission={admin} />
      <p role="status" className={result ? "notice" : "sr-only"} data-testid="gating-result">{result?.text ?? ""}</p>
      {result?.warning && <ErrorBanner error={result.warning} />}
      {notice && <ErrorBanner error={notice} />}
      {scopes.error && <ErrorBanner error={scopes.error} onRetry={scopes.reload} />}
      {types.error && <ErrorBanner error={types.error} onRetry={types.reload} />}
      {!scopes.data && !scopes.error && <p className="muted">Loading scopes…</p>}
      {scopes.data && rows.length === 0 && (
        <div className="empty" data-testid="scopes-empty">
          <h2>No scopes are registered</h2>
          <p>Sync a connectors folder: each connector's manifest declares its scopes.</p>
          <button type="button" onClick={() => document.getElementById("sync-now")?.click()}>Sync now</button>{" "}
          <a className="button" href="#/workspace">Choose a folder</a>
        </div>
      )}
      {rows.length > 0 && visible.length === 0 && (
        <div className="empty" data-testid="scopes-no-match">
          <p>No scope matches {filtered ? "the filters" : "this view"}.</p>
          <button type="button" onClick={clearFilters} data-testid="clear-filters">Clear filters</button>
        </div>
      )}
      <ScopeGrid
        visible={visible}
        isSelected={(k) => sel.keys.has(k)}
        chosen={n}
        onSelectAll={(on) => setSel((s) => selectAllVisible(s, visible, on))}
        types={typeBySlug}
        actions={actions}
        busy={busy || locked}
      />
      {dialog && (
        <GatingDialog
          action={dialog.action}
          rows={dialog.rows}
          types={typeList ?? []}
          presetType={dialog.preset}
          onClose={() => setDialog(null)}
          onDone={(op, res) => done(op, res, dialog.bulk)}
          onConflict={conflict}
        />
      )}
    </section>
  );
}
