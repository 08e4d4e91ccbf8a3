import { useMemo, useState } from "react";
import { commands, type ErrorCode, type FirearmType, type GatingOp, type GatingResult, type ScopeRow } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { Modal } from "../../shared/Modal";
import { FirearmTypeSelect } from "./FirearmTypeSelect";
import { changes, joinNames, opFor, plural, scopeSummary, sentBack, type Action } from "./table";

export type DialogAction = Exclude<Action, "dismiss">;

const TITLES: Record<DialogAction, string> = {
  gate: "Gate",
  set_type: "Set the firearm type of",
  clear_type: "Clear the firearm type of",
  ungate: "Ungate",
};

const CONFIRM: Record<DialogAction, string> = {
  gate: "Gate",
  set_type: "Set the type of",
  clear_type: "Clear the type of",
  ungate: "Ungate",
};

/** One confirmation for one batch; the backend applies all of it or nothing, with one audit entry. */
export function GatingDialog({ action, rows, types, presetType = null, onClose, onDone, onConflict }: {
  action: DialogAction;
  rows: ScopeRow[];
  types: readonly FirearmType[];
  presetType?: string | null;
  onClose: () => void;
  onDone: (op: GatingOp, result: GatingResult) => void;
  /** Someone else changed a scope meanwhile: the page reloads and says so. */
  onConflict: (e: ErrorCode) => void;
}) {
  const [type, setType] = useState<string | null>(presetType);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorCode>();
  const op = useMemo(() => opFor(action, type), [action, type]);
  const back = useMemo(() => sentBack(rows, op), [rows, op]);
  const skipped = useMemo(() => rows.filter((r) => !changes(r, op)).length, [rows, op]);
  const declared = action === "ungate" ? rows.filter((r) => r.declared_gated).length : 0;
  const missing = (action === "set_type" && type === null) || (declared > 0 && reason.trim() === "");

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (missing || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const scopes = rows.map((r) => ({ connector: r.connector, scope: r.name, version: r.version }));
      const res = unwrap(await commands.changeGating({ op, scopes, reason: reason.trim() || null }));
      onDone(op, res);
    } catch (err) {
      const code = errorOf(err);
      if (code.code === "registry.conflict") onConflict(code);
      else {
        setError(code);
        setBusy(false);
      }
    }
  };

  return (
    <Modal title={`${TITLES[action]} ${plural(rows.length, "scope")}?`} onClose={onClose} testId="gating-dialog">
      <form onSubmit={submit}>
        <p data-testid="gating-summary">
          {scopeSummary(rows)}
          {skipped > 0 && <span className="muted"> ({skipped.toLocaleString("en-US")} already that way, skipped)</span>}
        </p>
        <ul className="bulk-list">
          {rows.slice(0, 50).map((r) => (
            <li key={`${r.connector}/${r.name}`}>
              <code>{r.connector}</code> <code className="wrap">{r.name}</code>{" "}
              <span className="muted">{r.effective_gated ? `gated${r.firearm_type ? `, ${r.firearm_type}` : ", no type"}` : "not gated"}</span>
            </li>
          ))}
          {rows.length > 50 && <li className="muted">…and {(rows.length - 50).toLocaleString("en-US")} more</li>}
        </ul>
        {action === "gate" && (
          <FirearmTypeSelect types={types} value={type} onChange={setType} label="Firearm type (optional)" hint="No type: scopes keep the type they have; a gated scope without one blocks approval." autoFocus />
        )}
        {action === "set_type" && (
          <FirearmTypeSelect types={types} value={type} onChange={setType} label="Firearm type" hint="Pick the type to give every selected scope." autoFocus />
        )}
        {action === "ungate" && <p>Ungated scopes no longer require a firearm, and lose their type.</p>}
        {back.length > 0 ? (
          <p className="gate warn" data-testid="gating-sent-back">
            <strong>{joinNames(back)}</strong> {back.length === 1 ? "is" : "are"} approved and will go back to review: {back.length === 1 ? "it needs" : "they need"} approving again.
          </p>
        ) : (
          <p className="muted" data-testid="gating-sent-back">No approved connector goes back to review.</p>
        )}
        <label htmlFor="gating-reason" className="label">
          {declared > 0 ? `Reason (required: ${plural(declared, "scope")} ${declared === 1 ? "is" : "are"} declared gated by ${declared === 1 ? "its" : "their"} manifest)` : "Reason (optional, recorded in the audit log)"}
        </label>
        <textarea id="gating-reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={3} required={declared > 0} data-testid="gating-reason" />
        {error && <ErrorBanner error={error} />}
        <div className="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className={action === "ungate" ? "danger" : "primary"} disabled={busy || missing} data-testid="confirm-gating">
            {busy ? "Saving…" : `${CONFIRM[action]} ${plural(rows.length, "scope")}`}
          </button>
        </div>
      </form>
    </Modal>
  );
}
