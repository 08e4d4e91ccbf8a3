import { useEffect, useMemo, useState } from "react";
import { commands, type ErrorCode, type Param, type Preview, type UtmTemplate, type Violation } from "../../bindings";
import { errorOf } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { byField, PARAMS, sampleRequest, setAllowed, setParam, toggleRequired } from "./form";

/** Each violation of a field under it, with its fix. */
export function FieldProblems({ list, id }: { list: Violation[] | undefined; id: string }) {
  if (!list || list.length === 0) return null;
  return (
    <ul className="field-problems" id={id} data-testid={`problems-${id}`}>
      {list.map((v, i) => <li key={i}><span className="risk">{v.message}</span> <span className="muted">Fix: {v.fix}</span></li>)}
    </ul>
  );
}

/** Edits one template with a live preview; the rules run in Rust on every change (debounced). */
export function TemplateEditor({ initial, version, onSaved, onCancel }: {
  initial: UtmTemplate;
  /** The version read (compare-and-set), or null for a new template. */
  version: number | null;
  onSaved: (text: string) => void;
  onCancel: () => void;
}) {
  const [t, setT] = useState(initial);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<ErrorCode | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void commands.utmPreviewTemplate(t, sampleRequest(t)).then((p) => live && setPreview(p));
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [t]);
  const problems = useMemo(() => byField(preview?.violations ?? []), [preview]);
  const id = (p: string) => `utm-${p.replace(/\./g, "-")}`;
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await commands.changeUtmTemplate({ kind: "save", template: t, version });
      if (r.status === "error") setError(r.error);
      else onSaved(`Saved the ${t.content_type} template.`);
    } catch (err) {
      setError(errorOf(err));
    } finally {
      setBusy(false);
    }
  };
  const blocked = (preview?.violations.length ?? 0) > 0;
  return (
    <form className="utm-editor" onSubmit={save} aria-labelledby="utm-editor-title" data-testid="utm-editor">
      <h2 id="utm-editor-title">{version === null ? "New template" : `Edit the ${initial.content_type} template`}</h2>
      <label className="field">
        <span className="label">Content type</span>
        <input type="text" value={t.content_type} readOnly={version !== null} spellCheck={false} aria-describedby={id("content_type")}
          onChange={(e) => setT({ ...t, content_type: e.target.value.trim() })} data-testid="utm-content-type" />
        <FieldProblems list={problems.get("content_type")} id={id("content_type")} />
      </label>
      <label className="field">
        <span className="label">Description</span>
        <input type="text" value={t.description} maxLength={200} onChange={(e) => setT({ ...t, description: e.target.value })} data-testid="utm-description" />
      </label>
      <fieldset className="field utm-params">
        <legend className="label">Parameters</legend>
        <p className="muted small-note">Placeholders: {"{connector}"}, {"{content_type}"}, {"{campaign}"}, {"{date:%Y%m%d}"}; any other {"{name}"} is a variable the link builder asks for. Leave a parameter blank to leave it out.</p>
        {PARAMS.map((p) => (
          <ParamRow key={p} p={p} t={t} setT={setT} problems={problems} id={id} />
        ))}
      </fieldset>
      <fieldset className="field">
        <legend className="label">Rules</legend>
        <label><input type="checkbox" checked={t.rules.lowercase} onChange={(e) => setT({ ...t, rules: { ...t.rules, lowercase: e.target.checked } })} data-testid="utm-lowercase" /> Lowercase only</label>
        <label>Allowed characters <input type="text" value={t.rules.allowed_chars} spellCheck={false} aria-describedby={id("rules.allowed_chars")}
          onChange={(e) => setT({ ...t, rules: { ...t.rules, allowed_chars: e.target.value } })} data-testid="utm-allowed-chars" /></label>
        <FieldProblems list={problems.get("rules.allowed_chars")} id={id("rules.allowed_chars")} />
        <label>Maximum length <input type="number" min={1} max={500} value={t.rules.max_length} aria-describedby={id("rules.max_length")}
          onChange={(e) => setT({ ...t, rules: { ...t.rules, max_length: Number(e.target.value) || 0 } })} data-testid="utm-max-length" /></label>
        <FieldProblems list={problems.get("rules.max_length")} id={id("rules.max_length")} />
      </fieldset>
      <div className="utm-preview" aria-live="polite" data-testid="utm-template-preview">
        <span className="label">Preview</span>{" "}
        {preview?.url ? <code className="wrap">{preview.url}</code> : (
          <span className="muted">{blocked ? "fix the problems above to see the link" : preview ? "no preview: the sample values do not fit these rules (the link builder checks real ones)" : "…"}</span>
        )}
      </div>
      {error && <ErrorBanner error={error} />}
      <div className="actions">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="submit" className="primary" disabled={busy || blocked} data-testid="utm-save">Save template</button>
      </div>
    </form>
  );
}

function ParamRow({ p, t, setT, problems, id }: {
  p: Param; t: UtmTemplate; setT: (t: UtmTemplate) => void; problems: Map<string, Violation[]>; id: (f: string) => string;
}) {
  return (
    <div className="utm-param">
      <label className="utm-param-key" htmlFor={`utm-param-${p}`}><code>{p}</code></label>
      <input id={`utm-param-${p}`} type="text" value={t.params[p] ?? ""} spellCheck={false} aria-describedby={id(p)} placeholder="not set"
        onChange={(e) => setT(setParam(t, p, e.target.value))} data-testid={`utm-param-${p}`} />
      <label className="small-note"><input type="checkbox" checked={t.rules.required.includes(p)} aria-label={`${p} required`} onChange={(e) => setT(toggleRequired(t, p, e.target.checked))} /> required</label>
      <AllowedInput p={p} initial={(t.rules.allowed_values[p] ?? []).join(", ")} onChange={(text) => setT(setAllowed(t, p, text))} />
      <FieldProblems list={[...(problems.get(p) ?? []), ...(problems.get(`rules.allowed_values.${p}`) ?? [])]} id={id(p)} />
    </div>
  );
}

/** Comma-separated values, kept as typed (a trailing comma is where the next value goes). */
function AllowedInput({ p, initial, onChange }: { p: Param; initial: string; onChange: (text: string) => void }) {
  const [text, setText] = useState(initial);
  return (
    <input type="text" className="utm-allowed" value={text} placeholder="allowed values (any)" aria-label={`Allowed values of ${p}`}
      onChange={(e) => { setText(e.target.value); onChange(e.target.value); }} data-testid={`utm-allowed-${p}`} />
  );
}
