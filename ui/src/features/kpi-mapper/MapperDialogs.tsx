import { useState } from "react";
import type { CoreKpi, MetricRow } from "../../bindings";
import { Modal } from "../../shared/Modal";

/** A drop whose unit or aggregation does not fit: says why, maps only on "Map anyway". */
export function MisfitDialog({ row, kpi, warnings, onConfirm, onClose, busy }: {
  row: MetricRow; kpi: CoreKpi; warnings: string[]; onConfirm: () => void; onClose: () => void; busy: boolean;
}) {
  return (
    <Modal title={`Map ${row.raw} to ${kpi.name}?`} onClose={onClose} testId="misfit-dialog">
      <p>This metric may not fit the KPI:</p>
      <ul data-testid="misfit-reasons">{warnings.map((w) => <li key={w}>{w}</li>)}</ul>
      <p className="muted">Map it anyway only if you know the values are converted; otherwise pick another KPI.</p>
      <div className="actions">
        <button type="button" onClick={onClose} autoFocus>Cancel</button>
        <button type="button" className="primary" disabled={busy} onClick={onConfirm} data-testid="misfit-confirm">Map anyway</button>
      </div>
    </Modal>
  );
}

/** "Not a KPI" needs a reason, kept in the audit log and shown on the metric. */
export function IgnoreDialog({ row, onConfirm, onClose, busy }: { row: MetricRow; onConfirm: (reason: string) => void; onClose: () => void; busy: boolean }) {
  const [reason, setReason] = useState("");
  const blank = reason.trim() === "";
  return (
    <Modal title={`Mark ${row.raw} “not a KPI”`} onClose={onClose} testId="ignore-dialog">
      <form onSubmit={(e) => { e.preventDefault(); if (!blank) onConfirm(reason.trim()); }}>
        <label className="field">
          <span className="label">Why is it not a KPI?</span>
          <textarea value={reason} rows={3} maxLength={500} autoFocus onChange={(e) => setReason(e.target.value)} placeholder="e.g. an internal counter, not a business outcome" data-testid="ignore-reason" />
        </label>
        {row.core_kpi && <p className="muted">This replaces its mapping to {row.core_kpi}.</p>}
        <div className="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy || blank} data-testid="ignore-confirm">Mark not a KPI</button>
        </div>
      </form>
    </Modal>
  );
}

/** Unmapping a metric of an approved connector sends the connector back to review: confirm. */
export function UnmapDialog({ row, onConfirm, onClose, busy }: { row: MetricRow; onConfirm: () => void; onClose: () => void; busy: boolean }) {
  return (
    <Modal title={`Unmap ${row.raw}?`} onClose={onClose} testId="unmap-dialog">
      <p><strong>{row.connector}</strong> is approved. Leaving a metric unmapped sends it back to the review queue, and it cannot be approved again until every metric is mapped or marked “not a KPI”.</p>
      <div className="actions">
        <button type="button" onClick={onClose} autoFocus>Cancel</button>
        <button type="button" className="danger" disabled={busy} onClick={onConfirm} data-testid="unmap-confirm">Unmap and send back</button>
      </div>
    </Modal>
  );
}
