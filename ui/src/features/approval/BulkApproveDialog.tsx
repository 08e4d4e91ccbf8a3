import { useState } from "react";
import { commands, type ErrorCode, type QueueRow } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { Modal } from "../../shared/Modal";

/** One confirmation for the batch; the backend approves all of them or none. */
/** `missingKeys`: connectors whose developer keys are not all in the keyring (a warning only). */
export function BulkApproveDialog({ rows, missingKeys, onClose, onDone }: { rows: QueueRow[]; missingKeys: string[]; onClose: () => void; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorCode>();
  const approve = async () => {
    setBusy(true);
    setError(undefined);
    try {
      unwrap(await commands.approve(rows.map((r) => ({ slug: r.slug, manifest_hash: r.manifest_hash, fingerprint: r.fingerprint }))));
      onDone();
    } catch (e) {
      setError(errorOf(e));
      setBusy(false);
    }
  };
  return (
    <Modal title={`Approve ${rows.length} connector${rows.length === 1 ? "" : "s"}?`} onClose={onClose} testId="bulk-dialog">
      <p>Each one passed the gate. All are approved together, or none if one changed meanwhile.</p>
      <ul className="bulk-list">
        {rows.slice(0, 50).map((r) => (
          <li key={r.slug}>
            {r.display_name} <code>{r.slug}</code> <span className="muted">hash {r.manifest_hash.slice(0, 12)}</span>
          </li>
        ))}
        {rows.length > 50 && <li className="muted">…and {rows.length - 50} more</li>}
      </ul>
      {missingKeys.length > 0 && (
        <p className="warning" data-testid="bulk-missing-keys">
          Warning: developer keys are missing from your keyring for {missingKeys.join(", ")}. Approval does not need them; running the connectors does.
        </p>
      )}
      {error && <ErrorBanner error={error} />}
      <div className="actions">
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" className="primary" onClick={approve} disabled={busy} data-testid="bulk-confirm">
          {busy ? "Approving…" : `Approve ${rows.length}`}
        </button>
      </div>
    </Modal>
  );
}
