import { useState } from "react";
import type { Aggregation, CoreKpi, CoreKpiFields, Direction, ErrorCode, Unit } from "../../bindings";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { Modal } from "../../shared/Modal";
import { aggregationLabel, AGGREGATIONS, directionLabel, DIRECTIONS, fieldsProblem, slugProblem, trimFields, UNITS } from "./fields";

/** Name, description, unit, aggregation and direction; `prefix` keeps the add form's and the edit dialog's test ids apart. */
function Fields({ fields, onChange, prefix }: { fields: CoreKpiFields; onChange: (f: CoreKpiFields) => void; prefix: string }) {
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
        <span className="label">Unit</span>
        <select value={fields.unit} onChange={(e) => onChange({ ...fields, unit: e.target.value as Unit })} data-testid={`${prefix}-unit`}>
          {UNITS.map((u) => <option key={u} value={u}>{u}</option>)}
        </select>
      </label>
      <label className="field">
        <span className="label">Aggregation</span>
        <select value={fields.aggregation} onChange={(e) => onChange({ ...fields, aggregation: e.target.value as Aggregation })} data-testid={`${prefix}-aggregation`}>
          {AGGREGATIONS.map((a) => <option key={a} value={a}>{aggregationLabel(a)}</option>)}
        </select>
      </label>
      <label className="field">
        <span className="label">Direction</span>
        <select value={fields.direction} onChange={(e) => onChange({ ...fields, direction: e.target.value as Direction })} data-testid={`${prefix}-direction`}>
          {DIRECTIONS.map((d) => <option key={d} value={d}>{directionLabel(d)}</option>)}
        </select>
      </label>
    </>
  );
}

const BLANK: CoreKpiFields = { name: "", description: "", unit: "count", aggregation: "sum", direction: "higher_is_better" };

/** Resolves to an error to show, or null once saved. */
type Save<A extends unknown[]> = (...args: A) => Promise<ErrorCode | null>;

export function AddKpiForm({ onAdd, busy }: { onAdd: Save<[string, CoreKpiFields]>; busy: boolean }) {
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
    <form className="type-form" onSubmit={submit} aria-labelledby="kpi-add-title" data-testid="kpi-add">
      <h2 id="kpi-add-title">Add a core KPI</h2>
      <label className="field">
        <span className="label">Slug</span>
        <input type="text" value={slug} maxLength={48} placeholder="gross_sales" spellCheck={false} onChange={(e) => setSlug(e.target.value.trim())} required aria-describedby="kpi-add-problem" data-testid="kpi-slug" />
      </label>
      <Fields fields={fields} onChange={setFields} prefix="kpi" />
      <p id="kpi-add-problem" className="muted" aria-live="polite">{touched && problem ? problem : ""}</p>
      {error && <ErrorBanner error={error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-testid="kpi-save">Add KPI</button>
      </div>
    </form>
  );
}

export function EditKpiDialog({ kpi, onSave, onClose, busy }: { kpi: CoreKpi; onSave: Save<[CoreKpiFields]>; onClose: () => void; busy: boolean }) {
  const [fields, setFields] = useState<CoreKpiFields>({ name: kpi.name, description: kpi.description, unit: kpi.unit, aggregation: kpi.aggregation, direction: kpi.direction });
  const [error, setError] = useState<ErrorCode | null>(null);
  const problem = fieldsProblem(fields);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!problem) setError(await onSave(trimFields(fields)));
  };
  return (
    <Modal title={`Edit ${kpi.slug}`} onClose={onClose} testId="kpi-edit-dialog">
      <form onSubmit={submit}>
        <p className="muted">The slug stays: mapped metrics refer to the KPI by it.</p>
        <Fields fields={fields} onChange={setFields} prefix="kpi-edit" />
        {problem && <p className="muted">{problem}</p>}
        {error && <ErrorBanner error={error} />}
        <div className="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy || problem !== null} data-testid="kpi-edit-save">Save</button>
        </div>
      </form>
    </Modal>
  );
}

export function DeleteKpiDialog({ kpi, onDelete, onClose, busy }: { kpi: CoreKpi; onDelete: Save<[]>; onClose: () => void; busy: boolean }) {
  const [error, setError] = useState<ErrorCode | null>(null);
  return (
    <Modal title={`Delete ${kpi.name}?`} onClose={onClose} testId="kpi-delete-dialog">
      <p>No metric maps to <code>{kpi.slug}</code>. Deleting removes it for good; the audit log keeps the record.</p>
      {error && <ErrorBanner error={error} />}
      <div className="actions">
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" className="danger" disabled={busy} onClick={async () => setError(await onDelete())} data-testid="kpi-delete-confirm">Delete</button>
      </div>
    </Modal>
  );
}
