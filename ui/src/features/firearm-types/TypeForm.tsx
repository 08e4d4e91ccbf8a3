import { useState } from "react";
import type { ErrorCode, FirearmType, FirearmTypeFields, RiskLevel } from "../../bindings";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { Modal } from "../../shared/Modal";
import { fieldsProblem, RISK_LEVELS, slugProblem, trimFields } from "./types";

/** Name, description and risk level; `prefix` keeps the add form's and the edit dialog's test ids apart. */
function Fields({ fields, onChange, prefix }: { fields: FirearmTypeFields; onChange: (f: FirearmTypeFields) => void; prefix: string }) {
  return (
    <>
      <label className="field">
        <span className="label">Name</span>
        <input type="text" value={fields.name} maxLength={80} onChange={(e) => onChange({ ...fields, name: e.target.value })} required data-testid={`${prefix}-name`} />
      </label>
      <label className="field">
        <span className="label">Description</span>
        <textarea value={fields.description} maxLength={500} rows={2} onChange={(e) => onChange({ ...fields, description: e.target.value })} required data-testid={`${prefix}-description`} />
      </label>
      <label className="field">
        <span className="label">Risk level</span>
        <select value={fields.risk_level} onChange={(e) => onChange({ ...fields, risk_level: e.target.value as RiskLevel })} data-testid={`${prefix}-risk`}>
          {RISK_LEVELS.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      </label>
    </>
  );
}

const BLANK: FirearmTypeFields = { name: "", description: "", risk_level: "medium" };

/** Resolves to an error to show, or null once saved. */
type Save<A extends unknown[]> = (...args: A) => Promise<ErrorCode | null>;

export function AddTypeForm({ onAdd, busy }: { onAdd: Save<[string, FirearmTypeFields]>; busy: boolean }) {
  const [slug, setSlug] = useState("");
  const [fields, setFields] = useState(BLANK);
  const [error, setError] = useState<ErrorCode | null>(null);
  const [touched, setTouched] = useState(false);
  const problem = slugProblem(slug) ?? fieldsProblem(fields);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problem) return;
    const err = await onAdd(slug, trimFields(fields));
    setError(err);
    if (!err) {
      setSlug("");
      setFields(BLANK);
      setTouched(false);
    }
  };
  return (
    <form className="type-form" onSubmit={submit} aria-labelledby="type-add-title" data-testid="type-add">
      <h2 id="type-add-title">Add a firearm type</h2>
      <label className="field">
        <span className="label">Slug</span>
        <input type="text" value={slug} maxLength={48} placeholder="moves_money" spellCheck={false} onChange={(e) => setSlug(e.target.value.trim())} required aria-describedby="type-add-problem" data-testid="type-slug" />
      </label>
      <Fields fields={fields} onChange={setFields} prefix="type" />
      <p id="type-add-problem" className="muted" aria-live="polite">{touched && problem ? problem : ""}</p>
      {error && <ErrorBanner error={error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-testid="type-save">Add type</button>
      </div>
    </form>
  );
}

export function EditTypeDialog({ type, onSave, onClose, busy }: { type: FirearmType; onSave: Save<[FirearmTypeFields]>; onClose: () => void; busy: boolean }) {
  const [fields, setFields] = useState<FirearmTypeFields>({ name: type.name, description: type.description, risk_level: type.risk_level });
  const [error, setError] = useState<ErrorCode | null>(null);
  const problem = fieldsProblem(fields);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!problem) setError(await onSave(trimFields(fields)));
  };
  return (
    <Modal title={`Edit ${type.slug}`} onClose={onClose} testId="type-edit-dialog">
      <form onSubmit={submit}>
        <p className="muted">The slug stays: scopes refer to the type by it.</p>
        <Fields fields={fields} onChange={setFields} prefix="type-edit" />
        {problem && <p className="muted">{problem}</p>}
        {error && <ErrorBanner error={error} />}
        <div className="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy || problem !== null} data-testid="type-edit-save">Save</button>
        </div>
      </form>
    </Modal>
  );
}

export function DeleteTypeDialog({ type, onDelete, onClose, busy }: { type: FirearmType; onDelete: Save<[]>; onClose: () => void; busy: boolean }) {
  const [error, setError] = useState<ErrorCode | null>(null);
  return (
    <Modal title={`Delete ${type.name}?`} onClose={onClose} testId="type-delete-dialog">
      <p>No scope uses <code>{type.slug}</code>. Deleting removes it for good; the audit log keeps the record.</p>
      {error && <ErrorBanner error={error} />}
      <div className="actions">
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" className="danger" disabled={busy} onClick={async () => setError(await onDelete())} data-testid="type-delete-confirm">Delete</button>
      </div>
    </Modal>
  );
}
