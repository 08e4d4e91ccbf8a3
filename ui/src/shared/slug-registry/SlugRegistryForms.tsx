// The add form and the edit and delete dialogs of a registry screen; the config gives the words
// and the kind-specific selects, the test ids follow the config's `id` as they always have.
import { useState } from "react";
import type { ErrorCode } from "../../bindings";
import { ErrorBanner } from "../ErrorBanner";
import { Modal } from "../Modal";
import type { Choice, FormConfig } from "./config";
import { slugProblem, type SlugEntry, type TextFields } from "./registry";

/** Resolves to an error to show, or null once saved. */
type Save<A extends unknown[]> = (...args: A) => Promise<ErrorCode | null>;

/** Name, description and the kind's selects; `prefix` keeps the add form's and the edit dialog's test ids apart. */
function Fields<F extends TextFields>({ fields, onChange, prefix, choices }: { fields: F; onChange: (f: F) => void; prefix: string; choices: readonly Choice<F>[] }) {
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
      {choices.map((c) => (
        <label className="field" key={c.testId}>
          <span className="label">{c.label}</span>
          <select value={String(fields[c.key])} onChange={(e) => onChange({ ...fields, [c.key]: e.target.value })} data-testid={`${prefix}-${c.testId}`}>
            {c.options.map((o) => <option key={o} value={o}>{c.text(o)}</option>)}
          </select>
        </label>
      ))}
    </>
  );
}

export function AddForm<E, F extends TextFields>({ id, form, onAdd, busy }: { id: string; form: FormConfig<E, F>; onAdd: Save<[string, F]>; busy: boolean }) {
  const [slug, setSlug] = useState("");
  const [fields, setFields] = useState(form.blank);
  const [error, setError] = useState<ErrorCode | null>(null);
  const [touched, setTouched] = useState(false);
  const problem = slugProblem(slug) ?? form.problem(fields);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problem) return;
    const err = await onAdd(slug, form.trim(fields));
    setError(err);
    if (!err) {
      setSlug("");
      setFields(form.blank);
      setTouched(false);
    }
  };
  return (
    <form className="type-form" onSubmit={submit} aria-labelledby={`${id}-add-title`} data-testid={`${id}-add`}>
      <h2 id={`${id}-add-title`}>{form.addTitle}</h2>
      <label className="field">
        <span className="label">Slug</span>
        <input type="text" value={slug} maxLength={48} placeholder={form.slugPlaceholder} spellCheck={false} onChange={(e) => setSlug(e.target.value.trim())} required aria-describedby={`${id}-add-problem`} data-testid={`${id}-slug`} />
      </label>
      <Fields fields={fields} onChange={setFields} prefix={id} choices={form.choices} />
      <p id={`${id}-add-problem`} className="muted" aria-live="polite">{touched && problem ? problem : ""}</p>
      {error && <ErrorBanner error={error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-testid={`${id}-save`}>{form.addButton}</button>
      </div>
    </form>
  );
}

export function EditDialog<E extends SlugEntry, F extends TextFields>({ id, form, entry, onSave, onClose, busy }: {
  id: string;
  form: FormConfig<E, F>;
  entry: E;
  onSave: Save<[F]>;
  onClose: () => void;
  busy: boolean;
}) {
  const [fields, setFields] = useState<F>(() => form.fieldsOf(entry));
  const [error, setError] = useState<ErrorCode | null>(null);
  const problem = form.problem(fields);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!problem) setError(await onSave(form.trim(fields)));
  };
  return (
    <Modal title={`Edit ${entry.slug}`} onClose={onClose} testId={`${id}-edit-dialog`}>
      <form onSubmit={submit}>
        <p className="muted">{form.editNote}</p>
        <Fields fields={fields} onChange={setFields} prefix={`${id}-edit`} choices={form.choices} />
        {problem && <p className="muted">{problem}</p>}
        {error && <ErrorBanner error={error} />}
        <div className="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy || problem !== null} data-testid={`${id}-edit-save`}>Save</button>
        </div>
      </form>
    </Modal>
  );
}

export function DeleteDialog({ id, lead, entry, onDelete, onClose, busy }: {
  id: string;
  lead: string;
  entry: SlugEntry;
  onDelete: Save<[]>;
  onClose: () => void;
  busy: boolean;
}) {
  const [error, setError] = useState<ErrorCode | null>(null);
  return (
    <Modal title={`Delete ${entry.name}?`} onClose={onClose} testId={`${id}-delete-dialog`}>
      <p>{lead} <code>{entry.slug}</code>. Deleting removes it for good; the audit log keeps the record.</p>
      {error && <ErrorBanner error={error} />}
      <div className="actions">
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" className="danger" disabled={busy} onClick={async () => setError(await onDelete())} data-testid={`${id}-delete-confirm`}>Delete</button>
      </div>
    </Modal>
  );
}
