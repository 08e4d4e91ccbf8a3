import { Fragment, useCallback, useState } from "react";
import { commands, type CoreKpi, type CoreKpiOp, type ErrorCode } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { Guarded } from "../../shared/identity";
import { useLive } from "../../shared/live";
import { href } from "../../shared/router";
import { aggregationLabel, directionLabel, usageTotal } from "./fields";
import { AddKpiForm, DeleteKpiDialog, EditKpiDialog } from "./KpiForm";

type Dialog = { kind: "edit" | "delete"; kpi: CoreKpi } | null;

/** Connectors listed per KPI; a KPI used by hundreds links to the coverage screen instead. */
const USAGE_SHOWN = 8;

export function CoreKpisPage() {
  const load = useCallback(async () => unwrap(await commands.coreKpis()), []);
  const live = useLive(load);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [result, setResult] = useState("");
  const [notice, setNotice] = useState<ErrorCode>();
  const [busy, setBusy] = useState(false);

  /** Runs one change; returns the error for the form or dialog to show, null when done. */
  const run = async (op: CoreKpiOp, done: string): Promise<ErrorCode | null> => {
    setBusy(true);
    setNotice(undefined);
    try {
      unwrap(await commands.changeCoreKpi(op));
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
      setNotice({ code: err.code, message: `Someone else changed this KPI; the list was reloaded. (${err.message})` });
      live.reload();
      return null;
    } finally {
      setBusy(false);
    }
  };
  /** Retire and Restore have no dialog: each undoes the other. */
  const toggleRetired = async (k: CoreKpi) => {
    const err = await run({ kind: k.retired ? "restore" : "retire", slug: k.slug, version: k.version }, `${k.retired ? "Restored" : "Retired"} ${k.slug}.`);
    if (err) setNotice(err);
  };

  const kpis = live.data;
  return (
    <section className="page core-kpis" aria-labelledby="kpis-title">
      <header className="page-header">
        <div>
          <h1 id="kpis-title">Core KPIs</h1>
          <p className="muted">What platform metrics map onto. A KPI in use cannot be deleted, only retired. <a href="#/kpis">KPI mapper →</a></p>
        </div>
      </header>
      <Guarded role="admin">
      <p role="status" className={result ? "notice" : "sr-only"} data-testid="kpi-result">{result}</p>
      {notice && <ErrorBanner error={notice} />}
      {live.error && <ErrorBanner error={live.error} onRetry={live.reload} />}
      {!kpis && !live.error && <p className="muted">Loading core KPIs…</p>}
      {kpis && kpis.length === 0 && <p className="empty" data-testid="kpis-empty">No core KPIs yet: add the first one below.</p>}
      {kpis && kpis.length > 0 && (
        <table className="table" data-testid="core-kpis">
          <thead>
            <tr><th>Name</th><th>Slug</th><th>Unit</th><th>Aggregation</th><th>Direction</th><th>Description</th><th>Status</th><th>Where used</th><th><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {kpis.map((k) => {
              const used = usageTotal(k.usage);
              return (
                <tr key={k.slug} className={k.retired ? "retired-type" : undefined} data-testid={`kpi-row-${k.slug}`} data-slug={k.slug} data-retired={k.retired}>
                  <td><strong>{k.name}</strong></td>
                  <td><code>{k.slug}</code></td>
                  <td>{k.unit}</td>
                  <td>{aggregationLabel(k.aggregation)}</td>
                  <td>{directionLabel(k.direction)}</td>
                  <td>{k.description}</td>
                  <td>{k.retired ? <span className="pill warn">retired</span> : <span className="pill ok">active</span>}</td>
                  <td data-testid="kpi-usage">
                    {k.usage.length === 0 ? <span className="muted">unused</span> : k.usage.slice(0, USAGE_SHOWN).map((u, i) => (
                      <Fragment key={u.connector}>
                        {i > 0 && ", "}
                        <a href={href({ page: "kpis", connector: u.connector, kpi: k.slug })}>{u.connector}</a> ({u.metrics})
                      </Fragment>
                    ))}
                    {k.usage.length > USAGE_SHOWN && <>, <a href="#/coverage">{k.usage.length - USAGE_SHOWN} more connectors</a></>}
                  </td>
                  <td className="type-actions">
                    <button type="button" className="small" onClick={() => setDialog({ kind: "edit", kpi: k })} aria-label={`Edit ${k.name}`} data-testid={`kpi-edit-${k.slug}`}>Edit…</button>
                    {k.retired ? (
                      <button type="button" className="small" disabled={busy} onClick={() => toggleRetired(k)} aria-label={`Restore ${k.name}`} data-testid={`kpi-restore-${k.slug}`}>Restore</button>
                    ) : (
                      <button type="button" className="small" disabled={busy} onClick={() => toggleRetired(k)} aria-label={`Retire ${k.name}`} title="It keeps its mappings but takes no new ones" data-testid={`kpi-retire-${k.slug}`}>Retire</button>
                    )}
                    <button
                      type="button"
                      className="small"
                      disabled={used > 0}
                      onClick={() => setDialog({ kind: "delete", kpi: k })}
                      aria-label={used > 0 ? `Delete ${k.name}: in use, retire it instead` : `Delete ${k.name}`}
                      title={used > 0 ? "in use: retire it instead" : undefined}
                      data-testid={`kpi-delete-${k.slug}`}
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
      <AddKpiForm busy={busy} onAdd={(slug, fields) => run({ kind: "add", slug, fields }, `Added ${slug}.`)} />
      {dialog?.kind === "edit" && (
        <EditKpiDialog
          kpi={dialog.kpi}
          busy={busy}
          onClose={() => setDialog(null)}
          onSave={(fields) => run({ kind: "update", slug: dialog.kpi.slug, version: dialog.kpi.version, fields }, `Saved ${dialog.kpi.slug}.`)}
        />
      )}
      {dialog?.kind === "delete" && (
        <DeleteKpiDialog
          kpi={dialog.kpi}
          busy={busy}
          onClose={() => setDialog(null)}
          onDelete={() => run({ kind: "delete", slug: dialog.kpi.slug, version: dialog.kpi.version }, `Deleted ${dialog.kpi.slug}.`)}
        />
      )}
      </Guarded>
    </section>
  );
}
