import { useState } from "react";
import { commands, type ErrorCode } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { Modal } from "../../shared/Modal";

/** Reject a draft or revoke an approval: both need a written reason for the audit log. */
export function ReasonDialog({ slug, name, action, onClose, onDone }: {
  slug: string;
  name: string;
  action: "reject" | "revoke";
  onClose: () => void;
  onDone: () => void;
}) {
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorCode>();
  const verb = action === "reject" ? "Reject" : "Revoke the approval of";
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      unwrap(await (action === "reject" ? commands.reject(slug, reason) : commands.revoke(slug, reason)));
      onDone();
    } catch (err) {
      setError(errorOf(err));
      setBusy(false);
    }
  };
  return (
    <Modal title={`${verb} ${name}?`} onClose={onClose} testId={`${action}-dialog`}>
      <form onSubmit={submit}>
        <label htmlFor="reason">Reason (recorded in the audit log)</label>
        <textarea id="reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={3} required autoFocus data-testid="reason" />
        {error && <ErrorBanner error={error} />}
        <div className="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="danger" disabled={busy || reason.trim() === ""} data-testid={`${action}-confirm`}>
            {action === "reject" ? "Reject" : "Revoke"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
