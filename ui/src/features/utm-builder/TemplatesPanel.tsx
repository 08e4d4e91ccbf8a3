import { useState } from "react";
import { commands, type ErrorCode, type ImportReport, type StoredTemplate } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { Modal } from "../../shared/Modal";
import { blankTemplate, PARAMS } from "./form";
import { TemplateEditor } from "./TemplateEditor";

type Editing = { template: StoredTemplate["template"]; version: number | null } | null;

/** Every template, with New, Edit, Delete (confirmed), Import and Export. */
export function TemplatesPanel({ templates, reload }: { templates: StoredTemplate[]; reload: () => void }) {
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<StoredTemplate | null>(null);
  const [result, setResult] = useState("");
  const [notice, setNotice] = useState<ErrorCode | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);

  const done = (text: string) => {
    setEditing(null);
    setDeleting(null);
    setResult(text);
    reload();
  };
  const run = async (f: () => Promise<string | null>) => {
    setNotice(null);
    setBusy(true);
    try {
      const text = await f();
      if (text) done(text);
    } catch (e) {
      const err = errorOf(e);
      setNotice(err);
      if (err.code === "registry.conflict") {
        // The dialog was built on a version someone else replaced: close it on the fresh list.
        setDeleting(null);
        reload();
      }
    } finally {
      setBusy(false);
    }
  };
  const importFile = () =>
    run(async () => {
      const r = unwrap(await commands.importUtmTemplates(replace));
      setReport(r);
      if (!r?.outcome) return null;
      const o = r.outcome;
      return `Imported ${r.file}: ${o.added.length} added, ${o.replaced.length} replaced, ${o.unchanged.length} unchanged.`;
    });
  const exportFile = () => run(async () => {
    const path = unwrap(await commands.exportUtmTemplates());
    return path ? `Exported ${templates.length} templates to ${path}.` : null;
  });

  return (
    <section aria-labelledby="utm-templates-title">
      <div className="toolbar">
        <h2 id="utm-templates-title">Templates <span className="count">({templates.length})</span></h2>
        <button type="button" className="primary" onClick={() => setEditing({ template: blankTemplate(""), version: null })} data-testid="utm-new">New template</button>
        <button type="button" onClick={() => void importFile()} data-testid="utm-import">Import…</button>
        <label className="small-note"><input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> replace existing</label>
        <button type="button" disabled={templates.length === 0} onClick={() => void exportFile()} data-testid="utm-export">Export…</button>
      </div>
      <p role="status" className={result ? "notice" : "sr-only"} data-testid="utm-templates-result">{result}</p>
      {notice && <ErrorBanner error={notice} />}
      {report && report.violations.length > 0 && (
        <div className="problems" role="alert" data-testid="utm-import-problems">
          <strong>{report.file} was not imported: {report.violations.length} problem(s)</strong>
          <ul className="diagnostics">
            {report.violations.map((v, i) => <li key={i}><code>{v.line}:{v.column}</code> <span className="code">{v.code}</span> {v.field}: {v.message} <div className="hint">Fix: {v.fix}</div></li>)}
          </ul>
        </div>
      )}
      {templates.length === 0 && !editing && <p className="empty" data-testid="utm-templates-empty">No templates yet. Add one per content type your connectors declare (email, social, paid_search…), or import a YAML file.</p>}
      {templates.length > 0 && (
        <table className="table" data-testid="utm-templates">
          <thead><tr><th>Content type</th><th>Parameters</th><th>Rules</th><th>Changed</th><th><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {templates.map((s) => (
              <tr key={s.template.content_type} data-testid={`utm-row-${s.template.content_type}`}>
                <td><strong>{s.template.content_type}</strong><div className="muted small-note">{s.template.description}</div></td>
                <td className="detail">{PARAMS.filter((p) => s.template.params[p]).map((p) => <div key={p}>{p}={s.template.params[p]}</div>)}</td>
                <td className="small-note">required {s.template.rules.required.join(", ")}{s.template.rules.lowercase ? "; lowercase" : ""}; {s.template.rules.allowed_chars}; ≤ {s.template.rules.max_length}</td>
                <td className="small-note">{s.changed_by ?? "—"}</td>
                <td className="type-actions">
                  <button type="button" className="small" onClick={() => setEditing({ template: s.template, version: s.version })} data-testid={`utm-edit-${s.template.content_type}`}>Edit…</button>
                  <button type="button" className="small" onClick={() => setDeleting(s)} data-testid={`utm-delete-${s.template.content_type}`}>Delete…</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <TemplateEditor key={`${editing.template.content_type}:${editing.version}`} initial={editing.template} version={editing.version} onSaved={done} onCancel={() => setEditing(null)} />
      )}
      {deleting && (
        <Modal title={`Delete the ${deleting.template.content_type} template?`} onClose={() => setDeleting(null)} testId="utm-delete-dialog">
          <p>Links already built keep their tags; new links for <code>{deleting.template.content_type}</code> cannot be built until a template exists again. The audit log keeps the template.</p>
          <div className="actions">
            <button type="button" onClick={() => setDeleting(null)} autoFocus>Cancel</button>
            <button type="button" className="danger" disabled={busy} data-testid="utm-delete-confirm"
              onClick={() => void run(async () => { unwrap(await commands.changeUtmTemplate({ kind: "delete", content_type: deleting.template.content_type, version: deleting.version })); return `Deleted the ${deleting.template.content_type} template.`; })}>Delete</button>
          </div>
        </Modal>
      )}
    </section>
  );
}
