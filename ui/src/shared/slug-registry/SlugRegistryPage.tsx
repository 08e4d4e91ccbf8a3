// One screen for every versioned slug registry (firearm types, core KPIs): a table with each
// entry's usage, Retire/Restore in place, and add, edit and delete forms. The config says the rest.
import { Fragment, useState } from "react";
import type { ErrorCode } from "../../bindings";
import { errorOf } from "../errors";
import { ErrorBanner } from "../ErrorBanner";
import { Guarded } from "../identity";
import { useLive } from "../live";
import type { SlugRegistryConfig } from "./config";
import { conflictNotice, deleteLabel, doneText, IN_USE, toggleOp, usageShown, usageTotal, type SlugEntry, type SlugOp, type TextFields } from "./registry";
import { AddForm, DeleteDialog, EditDialog } from "./SlugRegistryForms";

export function SlugRegistryPage<E extends SlugEntry, F extends TextFields>({ config: c }: { config: SlugRegistryConfig<E, F> }) {
  const live = useLive(c.load);
  const [dialog, setDialog] = useState<{ kind: "edit" | "delete"; entry: E } | null>(null);
  const [result, setResult] = useState("");
  const [notice, setNotice] = useState<ErrorCode>();
  const [busy, setBusy] = useState(false);

  /** Runs one change; returns the error for the form or dialog to show, null when done. */
  const run = async (op: SlugOp<F>): Promise<ErrorCode | null> => {
    setBusy(true);
    setNotice(undefined);
    try {
      await c.change(op);
      setResult(doneText(op));
      setDialog(null);
      live.reload();
      return null;
    } catch (e) {
      const err = errorOf(e);
      const stale = conflictNotice(err, c.noun);
      if (!stale) return err;
      // The version we sent is stale: show the current values instead of a dialog built on old ones.
      setDialog(null);
      setResult("");
      setNotice(stale);
      live.reload();
      return null;
    } finally {
      setBusy(false);
    }
  };
  const toggleRetired = async (e: E) => {
    const err = await run(toggleOp(e));
    if (err) setNotice(err);
  };

  const entries = live.data;
  return (
    <section className={`page ${c.screen}`} aria-labelledby={`${c.plural}-title`}>
      <header className="page-header">
        <div>
          <h1 id={`${c.plural}-title`}>{c.title}</h1>
          <p className="muted">{c.intro}</p>
        </div>
      </header>
      <Guarded role="admin">
      <p role="status" className={result ? "notice" : "sr-only"} data-testid={`${c.id}-result`}>{result}</p>
      {notice && <ErrorBanner error={notice} />}
      {live.error && <ErrorBanner error={live.error} onRetry={live.reload} />}
      {!entries && !live.error && <p className="muted">{c.loading}</p>}
      {entries && entries.length === 0 && <p className="empty" data-testid={`${c.plural}-empty`}>{c.empty}</p>}
      {entries && entries.length > 0 && (
        <table className="table" data-testid={c.screen}>
          <thead>
            <tr>
              <th>Name</th><th>Slug</th>{c.columns.map((col) => <th key={col.header}>{col.header}</th>)}<th>Description</th><th>Status</th><th>Where used</th><th><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => {
              const used = usageTotal(e.usage, c.usage.count);
              const { shown, more } = usageShown(e.usage);
              return (
                <tr key={e.slug} className={e.retired ? "retired-type" : undefined} data-testid={`${c.id}-row-${e.slug}`} data-slug={e.slug} data-retired={e.retired}>
                  <td><strong>{e.name}</strong></td>
                  <td><code>{e.slug}</code></td>
                  {c.columns.map((col) => <td key={col.header}>{col.cell(e)}</td>)}
                  <td>{e.description}</td>
                  <td>{e.retired ? <span className="pill warn">retired</span> : <span className="pill ok">active</span>}</td>
                  <td data-testid={`${c.id}-usage`}>
                    {e.usage.length === 0 ? <span className="muted">unused</span> : shown.map((u, i) => (
                      <Fragment key={u.connector}>
                        {i > 0 && ", "}
                        <a href={c.usage.href(u, e)}>{u.connector}</a> ({c.usage.count(u)})
                      </Fragment>
                    ))}
                    {more > 0 && <>, <a href={c.usage.moreHref(e)}>{more} more connectors</a></>}
                  </td>
                  <td className="type-actions">
                    <button type="button" className="small" onClick={() => setDialog({ kind: "edit", entry: e })} aria-label={`Edit ${e.name}`} data-testid={`${c.id}-edit-${e.slug}`}>Edit…</button>
                    {e.retired ? (
                      <button type="button" className="small" disabled={busy} onClick={() => toggleRetired(e)} aria-label={`Restore ${e.name}`} data-testid={`${c.id}-restore-${e.slug}`}>Restore</button>
                    ) : (
                      <button type="button" className="small" disabled={busy} onClick={() => toggleRetired(e)} aria-label={`Retire ${e.name}`} title={c.retireTitle} data-testid={`${c.id}-retire-${e.slug}`}>Retire</button>
                    )}
                    <button
                      type="button"
                      className="small"
                      disabled={used > 0}
                      onClick={() => setDialog({ kind: "delete", entry: e })}
                      aria-label={deleteLabel(e.name, used)}
                      title={used > 0 ? IN_USE : undefined}
                      data-testid={`${c.id}-delete-${e.slug}`}
                    >
                      Delete…
                    </button>
                    {used > 0 && <div className="muted small-note">{IN_USE}</div>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <AddForm id={c.id} form={c.form} busy={busy} onAdd={(slug, fields) => run({ kind: "add", slug, fields })} />
      {dialog?.kind === "edit" && (
        <EditDialog
          id={c.id}
          form={c.form}
          entry={dialog.entry}
          busy={busy}
          onClose={() => setDialog(null)}
          onSave={(fields) => run({ kind: "update", slug: dialog.entry.slug, version: dialog.entry.version, fields })}
        />
      )}
      {dialog?.kind === "delete" && (
        <DeleteDialog
          id={c.id}
          lead={c.form.deleteLead}
          entry={dialog.entry}
          busy={busy}
          onClose={() => setDialog(null)}
          onDelete={() => run({ kind: "delete", slug: dialog.entry.slug, version: dialog.entry.version })}
        />
      )}
      </Guarded>
    </section>
  );
}
