import { useState, type ClipboardEvent } from "react";
import { commands, type ErrorCode, type SecretHealth } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { usePermission, Why } from "../../shared/identity";
import { Modal } from "../../shared/Modal";
import { describeSet } from "./health";
import { cleanPaste, valueProblem } from "./paste";

type Mode = "summary" | "form" | "confirm-delete";

/**
 * Writes one developer key to the OS keyring. The value is typed or pasted into a masked field,
 * sent once, and cleared; there is no reveal button and an existing value is never read back:
 * only "set on <date> by <name>" is shown, with Replace and Delete.
 */
export function VaultWriter({ secret, onClose, onDone }: {
  secret: SecretHealth;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const isSet = secret.health === "present" || secret.health === "stale";
  const [mode, setMode] = useState<Mode>(isSet ? "summary" : "form");
  const [value, setValue] = useState("");
  const [label, setLabel] = useState(secret.account?.label ?? "");
  const [warning, setWarning] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ErrorCode>();
  const [busy, setBusy] = useState(false);
  // In team mode the registry records keys for developers only (the keyring itself is yours).
  const developer = usePermission("developer");
  const refused = !developer.allowed;

  // A key is pasted whole: the paste replaces the field rather than inserting at the caret.
  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    e.preventDefault();
    const cleaned = cleanPaste(e.clipboardData.getData("text"));
    setValue(cleaned.value);
    setWarning(cleaned.warning);
    setProblem(null);
  };

  const save = async () => {
    const p = valueProblem(value);
    if (p) {
      setProblem(p);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const account = unwrap(await commands.vaultSetKey({ vault_key: secret.vault_key, label: label.trim(), value }));
      setValue("");
      onDone(`${account.rotated_at ? "Replaced" : "Stored"} ${secret.vault_key} in the OS keyring.`);
    } catch (e) {
      setError(errorOf(e));
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const existed = unwrap(await commands.vaultDeleteKey(secret.vault_key));
      onDone(existed ? `Deleted ${secret.vault_key} from the OS keyring.` : `${secret.vault_key} was not set: nothing to delete.`);
    } catch (e) {
      setError(errorOf(e));
      setBusy(false);
    }
  };

  const close = () => {
    setValue("");
    onClose();
  };

  return (
    <Modal title={`${secret.display_name}: ${secret.key}`} onClose={close} testId="vault-writer">
      <p><code>{secret.vault_key}</code></p>
      <Why id="vault-why" permission={developer} />
      {mode === "summary" && (
        <>
          <p data-testid="vault-set-info">{describeSet(secret)[0].toUpperCase() + describeSet(secret).slice(1)}.</p>
          {secret.account?.label && <p className="muted">Label: {secret.account.label}</p>}
          {error && <ErrorBanner error={error} />}
          <div className="actions">
            <button type="button" onClick={close}>Close</button>
            <button type="button" className="danger" onClick={() => setMode("confirm-delete")} disabled={refused} aria-describedby={refused ? "vault-why" : undefined} data-testid="vault-delete">Delete…</button>
            <button type="button" className="primary" onClick={() => setMode("form")} disabled={refused} aria-describedby={refused ? "vault-why" : undefined} data-testid="vault-replace" autoFocus>Replace</button>
          </div>
        </>
      )}
      {mode === "confirm-delete" && (
        <>
          <p role="alert">Delete this key from the OS keyring? It cannot be undone: to use the connector again you will have to paste the key again.</p>
          {error && <ErrorBanner error={error} />}
          <div className="actions">
            <button type="button" onClick={() => setMode("summary")} autoFocus>Cancel</button>
            <button type="button" className="danger" onClick={() => void remove()} disabled={busy} data-testid="vault-delete-confirm">
              {busy ? "Deleting…" : "Delete the key"}
            </button>
          </div>
        </>
      )}
      {mode === "form" && (
        <form onSubmit={(e) => { e.preventDefault(); void save(); }} autoComplete="off">
          {isSet && <p className="muted">The new value replaces the one {describeSet(secret)}.</p>}
          <label htmlFor="vault-value">Key value</label>
          <input
            id="vault-value"
            type="password"
            value={value}
            onChange={(e) => { setValue(e.target.value); setProblem(null); setWarning(null); }}
            onPaste={onPaste}
            autoComplete="off"
            autoCorrect="off"
            autoCapitalize="off"
            spellCheck={false}
            aria-describedby="vault-value-help"
            aria-invalid={problem !== null}
            data-testid="vault-value"
            autoFocus
          />
          <p id="vault-value-help" className="muted">Stored in the OS keyring only: never in a file, the registry or a log. It cannot be shown again.</p>
          {warning && <p className="warning" role="status" data-testid="vault-paste-warning">{warning}</p>}
          {problem && <p className="field-error" role="alert">{problem}</p>}
          <label htmlFor="vault-label">Label (optional)</label>
          <input id="vault-label" value={label} onChange={(e) => setLabel(e.target.value)} placeholder="such as: test store, sandbox account" data-testid="vault-label" maxLength={120} />
          {error && <ErrorBanner error={error} />}
          <div className="actions">
            <button type="button" onClick={isSet ? () => { setValue(""); setMode("summary"); } : close}>Cancel</button>
            <button type="submit" className="primary" disabled={busy || refused} aria-describedby={refused ? "vault-why" : undefined} data-testid="vault-save">
              {busy ? "Storing…" : isSet ? "Replace the key" : "Store the key"}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
