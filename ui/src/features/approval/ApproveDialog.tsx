import { useState } from "react";
import { commands, type ConnectorDetail, type ErrorCode, type SecretHealth } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { Modal } from "../../shared/Modal";
import { gateItems, gateSummary } from "./gate";

/** Confirms an approval, or lists exactly what the gate still misses. */
export function ApproveDialog({ detail, secrets, reviewer, onClose, onDone }: {
  detail: ConnectorDetail;
  /** Missing keys are a warning here, never a block. */
  secrets: SecretHealth[];
  reviewer: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorCode>();
  const items = gateItems(detail.gate);
  const missingKeys = secrets.filter((s) => s.health === "missing");
  const approve = async () => {
    setBusy(true);
    setError(undefined);
    try {
      unwrap(await commands.approve([{ slug: detail.slug, manifest_hash: detail.manifest_hash, fingerprint: detail.fingerprint }]));
      onDone();
    } catch (e) {
      setError(errorOf(e));
      setBusy(false);
    }
  };
  if (items.length > 0) {
    return (
      <Modal title={`${detail.display_name} cannot be approved yet`} onClose={onClose} testId="gate-dialog">
        <p>{gateSummary(detail.gate)}:</p>
        <ul className="checklist" data-testid="gate-missing">
          {items.map((i) => (
            <li key={i.key}>
              <span>{i.text}</span>{" "}
              <a href={i.fixHref} onClick={onClose}>{i.fixLabel}</a>
            </li>
          ))}
        </ul>
        <div className="actions">
          <button type="button" onClick={onClose} autoFocus>Close</button>
        </div>
      </Modal>
    );
  }
  return (
    <Modal title={`Approve ${detail.display_name}?`} onClose={onClose} testId="approve-dialog">
      <p>The gate passes: the manifest is valid, every gated scope has a firearm type, every metric is mapped or marked not a KPI.</p>
      <dl className="facts">
        <dt>Approved by</dt><dd>{reviewer}</dd>
        <dt>Manifest hash</dt><dd><code>{detail.manifest_hash}</code></dd>
        <dt>Files fingerprint</dt><dd><code>{detail.fingerprint}</code></dd>
        <dt>Scopes</dt><dd>{detail.scopes.length} ({detail.scopes.filter((s) => s.effective_gated).length} gated)</dd>
      </dl>
      {missingKeys.length > 0 && (
        <p className="warning" data-testid="approve-missing-keys">
          Warning: {missingKeys.length === 1 ? "a developer key is" : `${missingKeys.length} developer keys are`} not in your keyring ({missingKeys.map((s) => s.vault_key).join(", ")}). Approval does not need them, but the connector cannot run locally until they are set.
        </p>
      )}
      {error && <ErrorBanner error={error} />}
      <div className="actions">
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" className="primary" onClick={approve} disabled={busy} data-testid="approve-confirm" autoFocus>
          {busy ? "Approving…" : "Approve"}
        </button>
      </div>
    </Modal>
  );
}
