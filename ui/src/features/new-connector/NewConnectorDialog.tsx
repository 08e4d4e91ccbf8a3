// New connector: the fields of `sentinel new` (the slug checked as you type), Create, then the
// files written, the prompt for a coding agent with Copy prompt, and Open in queue.
import { useRef, useState, type FormEvent } from "react";
import { commands, type Diagnostic, type ErrorCode, type Field, type FieldProblem, type NewConnectorOutcome } from "../../bindings";
import { copyText } from "../../shared/clipboard";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { Modal } from "../../shared/Modal";
import { navigate } from "../../shared/router";
import { AUTH_METHODS, byField, canSubmit, EMPTY_FORM, firstField, slugProblem, SLUG_RULE_TEXT, suggestSlug, syncNote, titleOf, toRequest, where, type FormState } from "./form";

type Created = Extract<NewConnectorOutcome, { kind: "created" }>;

export function NewConnectorDialog({ onClose }: { onClose: () => void }) {
  const [created, setCreated] = useState<Created | null>(null);
  const [busy, setBusy] = useState(false);
  // Closing while it creates would hide what was written: Escape waits.
  const close = () => {
    if (!busy) onClose();
  };
  return (
    <Modal title={created ? `New connector: ${created.slug} created` : "New connector"} onClose={close} testId="new-connector-dialog">
      {created ? <Result created={created} onClose={onClose} /> : <OrderForm busy={busy} setBusy={setBusy} onCreated={setCreated} onClose={close} />}
    </Modal>
  );
}

function OrderForm({ busy, setBusy, onCreated, onClose }: {
  busy: boolean;
  setBusy: (b: boolean) => void;
  onCreated: (c: Created) => void;
  onClose: () => void;
}) {
  const [form, setForm] = useState<FormState>(EMPTY_FORM);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<ErrorCode | null>(null);
  const slugRef = useRef<HTMLInputElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const authRef = useRef<HTMLSelectElement>(null);
  const docsRef = useRef<HTMLInputElement>(null);
  const refs: Record<Field, { current: HTMLElement | null }> = { slug: slugRef, name: nameRef, auth: authRef, docs: docsRef };
  const live = slugProblem(form.slug);
  const suggestion = live ? suggestSlug(form.slug) : null;
  const fields = byField(problems);
  // The folder exists: said under the slug, the field to change.
  const exists = error?.code === "sentinel.exists";

  const set = (field: Field, value: string) => {
    setForm((f) => ({ ...f, [field]: value }));
    setProblems((ps) => ps.filter((p) => p.field !== field));
    if (field === "slug") setError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!canSubmit(form) || busy) return;
    setBusy(true);
    setError(null);
    setProblems([]);
    try {
      const out = unwrap(await commands.newConnector(toRequest(form)));
      if (out.kind === "created") {
        onCreated(out);
        return;
      }
      setProblems(out.problems);
      refs[firstField(out.problems) ?? "slug"].current?.focus();
    } catch (err) {
      const shown = errorOf(err);
      setError(shown);
      if (shown.code === "sentinel.exists") slugRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} data-testid="new-connector-form" noValidate>
      <p className="muted small-note">
        Writes <code>manifest.yaml</code>, <code>service.py</code> and <code>README.md</code> in a new folder of the workspace's connectors folder, as{" "}
        <code>sentinel new</code> does, then syncs: the connector arrives as a draft, and you get a prompt to hand to a coding agent.
      </p>
      <label className="field">
        <span className="label">Slug</span>
        <input
          ref={slugRef}
          type="text"
          value={form.slug}
          onChange={(e) => set("slug", e.target.value)}
          placeholder="acme_forms"
          autoFocus
          spellCheck={false}
          autoComplete="off"
          aria-invalid={live !== null || fields.slug.length > 0 || exists}
          aria-describedby="nc-slug-rule nc-slug-problem"
          data-testid="nc-slug"
        />
        <span className="muted small-note" id="nc-slug-rule">The folder's name and the connector's id: {SLUG_RULE_TEXT}.</span>
      </label>
      <div id="nc-slug-problem" aria-live="polite">
        {live && (
          <p className="field-problems risk" data-testid="nc-slug-problem">
            {live}
            {suggestion && (
              <>
                {" "}
                <button type="button" className="small" onClick={() => set("slug", suggestion)} data-testid="nc-slug-suggestion">
                  Use {suggestion}
                </button>
              </>
            )}
          </p>
        )}
        <Problems list={fields.slug} id="slug" />
        {error && exists && <ErrorBanner error={error} />}
      </div>
      <label className="field">
        <span className="label">Display name</span>
        <input ref={nameRef} type="text" value={form.name} onChange={(e) => set("name", e.target.value)} placeholder={titleOf(form.slug) || "Acme Forms"} aria-describedby="nc-problems-name" data-testid="nc-name" />
        <span className="muted small-note">Leave it blank for “{titleOf(form.slug) || "the slug in words"}”.</span>
      </label>
      <Problems list={fields.name} id="name" />
      <label className="field">
        <span className="label">Auth method</span>
        <select ref={authRef} value={form.auth} onChange={(e) => set("auth", e.target.value)} aria-describedby="nc-problems-auth" data-testid="nc-auth">
          {AUTH_METHODS.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label} ({m.value}){m.keys ? `: ${m.keys}` : ""}
            </option>
          ))}
        </select>
      </label>
      <Problems list={fields.auth} id="auth" />
      <label className="field">
        <span className="label">API documentation (https)</span>
        <input ref={docsRef} type="url" value={form.docs} onChange={(e) => set("docs", e.target.value)} placeholder="https://developers.example.com/docs" aria-describedby="nc-problems-docs" data-testid="nc-docs" />
      </label>
      <Problems list={fields.docs} id="docs" />
      <Problems list={fields.other} id="other" />
      {error && !exists && <ErrorBanner error={error} />}
      <div className="actions">
        <button type="button" onClick={onClose} disabled={busy}>Cancel</button>
        <button type="submit" className="primary" disabled={!canSubmit(form) || busy} data-testid="nc-create">
          {busy ? "Creating…" : "Create"}
        </button>
      </div>
    </form>
  );
}

/** `check`'s diagnostics under their field: where, code, message, hint. */
function Problems({ list, id }: { list: Diagnostic[]; id: string }) {
  if (list.length === 0) return null;
  return (
    <ul className="diagnostics field-problems" id={`nc-problems-${id}`} data-testid={`nc-problems-${id}`} role="alert">
      {list.map((d, i) => (
        <li key={i}>
          <code>{where(d)}</code> <span className="code">[{d.code}]</span> {d.message}
          <div className="hint">hint: {d.hint}</div>
        </li>
      ))}
    </ul>
  );
}

function Result({ created: c, onClose }: { created: Created; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const note = syncNote(c.slug, c.synced);
  const copy = async () => {
    await copyText(c.prompt);
    setCopied(true);
  };
  return (
    <div data-testid="nc-result" data-slug={c.slug}>
      <p>
        Written in <code className="wrap" data-testid="nc-folder">{c.folder}</code>:
      </p>
      <ul className="nc-files" data-testid="nc-files">
        {c.files.map((f) => <li key={f}><code className="wrap">{f}</code></li>)}
      </ul>
      <p className={note.ok ? "notice" : "notice warn-notice"} role="status" data-testid="nc-sync">{note.text}</p>
      {c.sync_error && <ErrorBanner error={c.sync_error} />}
      <label className="field">
        <span className="label">Prompt for your coding agent</span>
        <textarea className="nc-prompt" readOnly value={c.prompt} rows={12} onFocus={(e) => e.currentTarget.select()} data-testid="nc-prompt" />
      </label>
      <div className="actions">
        <span className="muted nc-copied" aria-live="polite" data-testid="nc-copied">{copied ? "Copied to the clipboard." : ""}</span>
        <button type="button" onClick={() => void copy()} autoFocus data-testid="nc-copy">Copy prompt</button>
        <button type="button" onClick={() => { onClose(); navigate({ page: "queue", status: "draft", q: c.slug }); }} data-testid="nc-open-queue">Open in queue</button>
        <button type="button" onClick={onClose}>Close</button>
      </div>
    </div>
  );
}
