import { Fragment, useCallback, useState } from "react";
import { commands, type ErrorCode, type FirearmOp, type FirearmType } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { Guarded } from "../../shared/identity";
import { useLive } from "../../shared/live";
import { href } from "../../shared/router";
import { RiskPill } from "../scope-manager/FirearmTypeSelect";
import { AddTypeForm, DeleteTypeDialog, EditTypeDialog } from "./TypeForm";
import { usageTotal } from "./types";

type Dialog = { kind: "edit" | "delete"; type: FirearmType } | null;

/** Connectors listed per type; a type used by hundreds links to the scope search instead. */
const USAGE_SHOWN = 8;

export function FirearmTypesPage() {
  const load = useCallback(async () => unwrap(await commands.firearmTypes()), []);
  const live = useLive(load);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [result, setResult] = useState("");
  const [notice, setNotice] = useState<ErrorCode>();
  const [busy, setBusy] = useState(false);

  /** Runs one change; returns the error for the form or dialog to show, null when done. */
  const run = async (op: FirearmOp, done: string): Promise<ErrorCode | null> => {
    setBusy(true);
    setNotice(undefined);
    try {
      unwrap(await commands.changeFirearmType(op));
      setResult(done);
      setDialog(null);
      live.reload();
      return null;
    } catch (e) {
      const err = errorOf(e);
      if (err.code !== "registry.conflict") return err;
      // The version we sent is stale: show the current values instead of a dialog built on old ones.
      setDialog(null);
      setResult("");
      setNotice({ code: err.code, message: `Someone else changed this type; the list was reloaded. (${err.message})` });
      live.reload();
      return null;
    } finally {
      setBusy(false);
    }
  };
  /** Retire and Restore have no dialog: each undoes the other. */
  const toggleRetired = async (t: FirearmType) => {
    const err = await run({ kind: t.retired ? "restore" : "retire", slug: t.slug, version: t.version }, `${t.retired ? "Restored" : "Retired"} ${t.slug}.`);
    if (err) setNotice(err);
  };

  const types = live.data;
  return (
    <section className="page firearm-types" aria-labelledby="types-title">
      <header className="page-header">
        <div>
          <h1 id="types-title">Firearm types</h1>
          <p className="muted">What a gated scope can do, and how dangerous that is. Every gated scope needs one before its connector can be approved. <a href="#/scopes">Scopes →</a></p>
        </div>
      </header>
      <Guarded role="admin">
      <p role="status" className={result ? "notice" : "sr-only"} data-testid="type-result">{result}</p>
      {notice && <ErrorBanner error={notice} />}
      {live.error && <ErrorBanner error={live.error} onRetry={live.reload} />}
      {!types && !live.error && <p className="muted">Loading firearm types…</p>}
      {types && types.length === 0 && <p className="empty" data-testid="types-empty">No firearm types yet: add the first one below.</p>}
      {types && types.length > 0 && (
        <table className="table" data-testid="firearm-types">
          <thead>
            <tr><th>Name</th><th>Slug</th><th>Risk</th><th>Description</th><th>Status</th><th>Where used</th><th><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {types.map((t) => {
              const used = usageTotal(t.usage);
              return (
                <tr key={t.slug} className={t.retired ? "retired-type" : undefined} data-testid={`type-row-${t.slug}`} data-slug={t.slug} data-retired={t.retired}>
                  <td><strong>{t.name}</strong></td>
                  <td><code>{t.slug}</code></td>
                  <td><RiskPill level={t.risk_level} /></td>
                  <td>{t.description}</td>
                  <td>{t.retired ? <span className="pill warn">retired</span> : <span className="pill ok">active</span>}</td>
                  <td data-testid="type-usage">
                    {t.usage.length === 0 ? <span className="muted">unused</span> : t.usage.slice(0, USAGE_SHOWN).map((u, i) => (
                      <Fragment key={u.connector}>
                        {i > 0 && ", "}
                        <a href={href({ page: "scopes", connector: u.connector, gating: null, q: "" })}>{u.connector}</a> ({u.scopes})
                      </Fragment>
                    ))}
                    {t.usage.length > USAGE_SHOWN && (
                      // The scope search matches the type column, so this lists every scope using it.
                      <>, <a href={href({ page: "scopes", connector: null, gating: "gated", q: t.slug })}>{t.usage.length - USAGE_SHOWN} more connectors</a></>
                    )}
                  </td>
                  <td className="type-actions">
                    <button type="button" className="small" onClick={() => setDialog({ kind: "edit", type: t })} aria-label={`Edit ${t.name}`} data-testid={`type-edit-${t.slug}`}>Edit…</button>
                    {t.retired ? (
                      <button type="button" className="small" disabled={busy} onClick={() => toggleRetired(t)} aria-label={`Restore ${t.name}`} data-testid={`type-restore-${t.slug}`}>Restore</button>
                    ) : (
                      <button type="button" className="small" disabled={busy} onClick={() => toggleRetired(t)} aria-label={`Retire ${t.name}`} title="It stays on its scopes but cannot be given to more" data-testid={`type-retire-${t.slug}`}>Retire</button>
                    )}
                    <button
                      type="button"
                      className="small"
                      disabled={used > 0}
                      onClick={() => setDialog({ kind: "delete", type: t })}
                      aria-label={used > 0 ? `Delete ${t.name}: in use, retire it instead` : `Delete ${t.name}`}
                      title={used > 0 ? "in use: retire it instead" : undefined}
                      data-testid={`type-delete-${t.slug}`}
                    >
                      Delete…
                    </button>
                    {used > 0 && <div className="muted small-note">in use: retire it instead</div>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <AddTypeForm busy={busy} onAdd={(slug, fields) => run({ kind: "add", slug, fields }, `Added ${slug}.`)} />
      {dialog?.kind === "edit" && (
        <EditTypeDialog
          type={dialog.type}
          busy={busy}
          onClose={() => setDialog(null)}
          onSave={(fields) => run({ kind: "update", slug: dialog.type.slug, version: dialog.type.version, fields }, `Saved ${dialog.type.slug}.`)}
        />
      )}
      {dialog?.kind === "delete" && (
        <DeleteTypeDialog
          type={dialog.type}
          busy={busy}
          onClose={() => setDialog(null)}
          onDelete={() => run({ kind: "delete", slug: dialog.type.slug, version: dialog.type.version }, `Deleted ${dialog.type.slug}.`)}
        />
      )}
      </Guarded>
    </section>
  );
}
