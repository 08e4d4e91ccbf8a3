import { DndContext, DragOverlay, KeyboardSensor, PointerSensor, pointerWithin, rectIntersection, useSensor, useSensors, type CollisionDetection, type DragEndEvent } from "@dnd-kit/core";
import { useCallback, useEffect, useMemo, useState } from "react";
import { commands, type CoreKpi, type ErrorCode, type MappingChange, type MappingItem, type MetricRow } from "../../bindings";
import { errorOf, unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { Guarded, usePermission } from "../../shared/identity";
import { useLive } from "../../shared/live";
import { href, navigate } from "../../shared/router";
import { SearchSelect } from "../../shared/SearchSelect";
import { coverage } from "../review-queue/filter";
import { announcements, INSTRUCTIONS } from "./announce";
import { drop } from "./dropRules";
import { jumpBetweenTargets } from "./keyboard";
import { KpiTarget } from "./KpiTarget";
import { IgnoreDialog, MisfitDialog, UnmapDialog } from "./MapperDialogs";
import { byKpi, describeOutcome, itemFor, metricsText, openSuggestions, undoOf } from "./mapping";
import { DraggedMetric, MetricCard, type CardActions } from "./MetricCard";
import "./kpi-mapper.css";

type Dialog =
  | { kind: "misfit"; row: MetricRow; kpi: CoreKpi; warnings: string[] }
  | { kind: "ignore"; row: MetricRow }
  | { kind: "unmap"; row: MetricRow }
  | null;

const NONE: MetricRow[] = [];
// A press that moves under 4 px is a click (the buttons, text selection), not a drag.
const POINTER = { activationConstraint: { distance: 4 } };

/** The pointer drops on what it is inside; the keyboard (no pointer) on what the card overlaps,
 * so picking a card up on the left is over nothing until an arrow key moves it. */
const collide: CollisionDetection = (args) => (args.pointerCoordinates ? pointerWithin(args) : rectIntersection(args));

export function KpiMapperPage({ connector, kpi }: { connector: string | null; kpi: string | null }) {
  const loadKpis = useCallback(async () => unwrap(await commands.coreKpis()), []);
  const kpis = useLive(loadKpis);
  const loadMetrics = useCallback(async () => (connector ? unwrap(await commands.kpiMetrics(connector)) : NONE), [connector]);
  const metrics = useLive(loadMetrics);
  // Every connector's coverage feeds the picker only: with a connector named, it loads after
  // that connector's metrics, so the mapper is usable first.
  const waitFor = connector !== null && metrics.data === undefined;
  const loadCoverage = useCallback(async () => (waitFor ? undefined : unwrap(await commands.kpiCoverage())), [waitFor]);
  const cov = useLive(loadCoverage);
  const connectors = cov.data;
  // Without a choice, the first connector with work left (else the first).
  const current = connector ?? (connectors ? (connectors.find((c) => c.settled < c.metrics) ?? connectors[0])?.connector ?? null : null);
  useEffect(() => {
    if (connector === null && current !== null) navigate({ page: "kpis", connector: current, kpi }, { replace: true });
  }, [connector, current, kpi]);

  const [dialog, setDialog] = useState<Dialog>(null);
  const [result, setResult] = useState("");
  const [undo, setUndo] = useState<{ change: MappingChange; label: string } | null>(null);
  const [notice, setNotice] = useState<ErrorCode>();
  const [busy, setBusy] = useState(false);
  const admin = usePermission("admin");
  const [dragged, setDragged] = useState<MetricRow | null>(null);

  // While another connector's rows load, the previous connector's are not shown (nor acted on).
  const fresh = metrics.data !== undefined && (metrics.data.length === 0 || metrics.data[0].connector === connector);
  const rows = fresh ? metrics.data! : NONE;
  const kpiList = useMemo(() => kpis.data ?? [], [kpis.data]);
  const kpiBySlug = useMemo(() => new Map(kpiList.map((k) => [k.slug, k])), [kpiList]);
  const mapped = useMemo(() => byKpi(rows), [rows]);
  const suggestions = useMemo(() => openSuggestions(rows, (s) => kpiBySlug.get(s)?.retired === false), [rows, kpiBySlug]);
  // From its own rows: shown as soon as they arrive, and always in step with the cards.
  const present = rows.filter((r) => !r.orphaned);
  const mine = fresh ? { metrics: present.length, settled: present.filter((r) => r.core_kpi || r.not_a_kpi).length } : undefined;
  // Active KPIs are drop targets; retired ones only show where they still hold a mapping.
  const shown = useMemo(() => kpiList.filter((k) => !k.retired || mapped.has(k.slug)), [kpiList, mapped]);
  const connectorOptions = useMemo(
    () => (connectors ?? []).map((c) => ({ value: c.connector, detail: coverage({ metrics: c.metrics, metrics_mapped: c.settled }) })),
    [connectors],
  );

  const rowByRaw = useMemo(() => new Map(rows.map((r) => [r.raw, r])), [rows]);
  // Arrow keys step through the active KPIs; the first one lands on the metric's suggestion.
  const targets = useMemo(() => shown.filter((k) => !k.retired).map((k) => k.slug), [shown]);
  const jump = useMemo(() => jumpBetweenTargets(targets, (id) => rowByRaw.get(id)?.standard ?? null), [targets, rowByRaw]);
  const keyboard = useMemo(() => ({ coordinateGetter: jump }), [jump]);
  const sensors = useSensors(useSensor(PointerSensor, POINTER), useSensor(KeyboardSensor, keyboard));
  const announce = useMemo(() => announcements({ metric: (id) => rowByRaw.get(id), kpi: (id) => kpiBySlug.get(id) }), [rowByRaw, kpiBySlug]);

  const reload = () => {
    metrics.reload();
    cov.reload();
    kpis.reload();
  };
  /** Runs one batch; what it changed can be undone from the result line. */
  const apply = async (items: MappingItem[], done: string, undoLabel: string) => {
    setBusy(true);
    setNotice(undefined);
    const before = rows;
    try {
      const out = unwrap(await commands.changeMapping({ items }));
      setDialog(null);
      setResult(describeOutcome(done, out));
      setUndo(out.changed > 0 ? { change: undoOf(before, out.versions), label: undoLabel } : null);
      reload();
    } catch (e) {
      failed(errorOf(e));
    } finally {
      setBusy(false);
    }
  };
  const failed = (err: ErrorCode) => {
    setDialog(null);
    setUndo(null);
    setResult("");
    setNotice(err.code === "registry.conflict" ? { code: err.code, message: `Someone else changed these metrics; the mapper was reloaded. (${err.message})` } : err);
    reload();
  };
  const acceptAll = async () => {
    if (!current) return;
    setBusy(true);
    setNotice(undefined);
    const before = rows;
    try {
      const out = unwrap(await commands.acceptSuggestions(current));
      setResult(describeOutcome(`Mapped ${metricsText(out.changed)} to their suggested KPIs.`, out));
      setUndo(out.changed > 0 ? { change: undoOf(before, out.versions), label: "accept all suggestions" } : null);
      reload();
    } catch (e) {
      failed(errorOf(e));
    } finally {
      setBusy(false);
    }
  };
  const runUndo = async () => {
    if (!undo) return;
    await apply(undo.change.items, `Undid ${undo.label}.`, "");
    setUndo(null);
  };

  const tryMap = (row: MetricRow, k: CoreKpi) => {
    const d = drop(row, k);
    if (d.kind === "refuse") setResult(`Not mapped: ${d.why}.`);
    else if (d.kind === "same") setResult(`${row.raw} is already mapped to ${k.name}.`);
    else if (d.warnings.length > 0) setDialog({ kind: "misfit", row, kpi: k, warnings: d.warnings });
    else void apply([itemFor(row, { kind: "map", core_kpi: k.slug })], `Mapped ${row.raw} → ${k.name}.`, `mapping ${row.raw}`);
  };
  const onDragEnd = (e: DragEndEvent) => {
    setDragged(null);
    const row = rowByRaw.get(String(e.active.id));
    const k = e.over ? kpiBySlug.get(String(e.over.id)) : undefined;
    if (row && k) tryMap(row, k);
  };
  const actions: CardActions = {
    accept: tryMap,
    unmap: (row) => {
      if (row.connector_status === "approved" && !row.orphaned) setDialog({ kind: "unmap", row });
      else void apply([itemFor(row, { kind: "unmap" })], `Unmapped ${row.raw}.`, `unmapping ${row.raw}`);
    },
    ignore: (row) => setDialog({ kind: "ignore", row }),
  };

  const error = cov.error ?? kpis.error ?? metrics.error;
  return (
    <section className="page kpi-mapper" aria-labelledby="mapper-title">
      <header className="page-header">
        <div>
          <h1 id="mapper-title">KPI mapper{current && <> for <a href={href({ page: "connector", slug: current, focus: null })}>{current}</a></>}</h1>
          <p className="muted">Drag each platform metric onto the core KPI it feeds, or mark it “not a KPI”. A connector is approvable once every metric is settled. <a href="#/coverage">Coverage →</a> <a href="#/core-kpis">Core KPIs →</a></p>
        </div>
      </header>
      <div className="toolbar">
        <SearchSelect options={connectorOptions} value={current} onChange={(c) => c !== null && navigate({ page: "kpis", connector: c, kpi: null })} label="Connector" emptyText={connectors ? "No connector declares metrics." : "Loading the connectors…"} testId="mapper-connector" />
        <span className="live-count" data-testid="mapper-coverage">{mine ? coverage({ metrics: mine.metrics, metrics_mapped: mine.settled }) : ""}</span>
        <button type="button" disabled={busy || suggestions.length === 0 || !admin.allowed} title={admin.why ?? undefined} onClick={() => void acceptAll()} data-testid="accept-all">
          Accept all suggestions ({suggestions.length})
        </button>
      </div>
      <p role="status" className={result ? "notice" : "sr-only"} data-testid="mapper-result">
        {result}
        {undo && <> <button type="button" className="small" disabled={busy} onClick={() => void runUndo()} data-testid="mapper-undo">Undo</button></>}
      </p>
      {notice && <ErrorBanner error={notice} />}
      {error && <ErrorBanner error={error} onRetry={reload} />}
      {!error && (!kpis.data || (connector !== null ? !fresh : !connectors)) && <p className="muted">Loading metrics…</p>}
      {connectors && connectors.length === 0 && (
        <div className="empty" data-testid="mapper-empty">
          <h2>No connector declares platform metrics</h2>
          <p>Metrics come from each manifest's <code>kpis</code> list. Sync a connectors folder to register them.</p>
          <button type="button" onClick={() => document.getElementById("sync-now")?.click()}>Sync now</button>
        </div>
      )}
      {current && kpis.data && fresh && (
        <Guarded role="admin">
        <DndContext
          sensors={sensors}
          collisionDetection={collide}
          accessibility={{ announcements: announce, screenReaderInstructions: INSTRUCTIONS }}
          onDragStart={(e) => setDragged(rowByRaw.get(String(e.active.id)) ?? null)}
          onDragEnd={onDragEnd}
          onDragCancel={() => setDragged(null)}
        >
          <div className="mapper-columns">
            <div className="mapper-side">
              <h2>Platform metrics <span className="count">({rows.length})</span></h2>
              {rows.length === 0 ? <p className="empty">{current} declares no platform metrics.</p> : (
                <ul className="metric-list" data-testid="metric-list">
                  {rows.map((r) => <MetricCard key={r.raw} row={r} kpis={kpiBySlug} actions={actions} busy={busy || !admin.allowed} />)}
                </ul>
              )}
            </div>
            <div className="mapper-side">
              <h2>Core KPIs <span className="count">({shown.length})</span></h2>
              <ul className="kpi-targets" data-testid="kpi-targets">
                {shown.map((k) => <KpiTarget key={k.slug} kpi={k} mapped={mapped.get(k.slug) ?? NONE} highlight={k.slug === kpi} />)}
              </ul>
            </div>
          </div>
          <DragOverlay dropAnimation={null}>{dragged ? <DraggedMetric row={dragged} /> : null}</DragOverlay>
        </DndContext>
        </Guarded>
      )}
      {dialog?.kind === "misfit" && (
        <MisfitDialog row={dialog.row} kpi={dialog.kpi} warnings={dialog.warnings} busy={busy} onClose={() => setDialog(null)}
          onConfirm={() => void apply([itemFor(dialog.row, { kind: "map", core_kpi: dialog.kpi.slug })], `Mapped ${dialog.row.raw} → ${dialog.kpi.name}.`, `mapping ${dialog.row.raw}`)} />
      )}
      {dialog?.kind === "ignore" && (
        <IgnoreDialog row={dialog.row} busy={busy} onClose={() => setDialog(null)}
          onConfirm={(reason) => void apply([itemFor(dialog.row, { kind: "ignore", reason })], `Marked ${dialog.row.raw} “not a KPI”.`, `marking ${dialog.row.raw}`)} />
      )}
      {dialog?.kind === "unmap" && (
        <UnmapDialog row={dialog.row} busy={busy} onClose={() => setDialog(null)}
          onConfirm={() => void apply([itemFor(dialog.row, { kind: "unmap" })], `Unmapped ${dialog.row.raw}.`, `unmapping ${dialog.row.raw}`)} />
      )}
    </section>
  );
}
