import { useCallback, useMemo, useRef, useState } from "react";
import { commands, type ConnectorCoverage, type CoreKpi } from "../../bindings";
import { unwrap } from "../../shared/errors";
import { ErrorBanner } from "../../shared/ErrorBanner";
import { useLive } from "../../shared/live";
import { href, navigate } from "../../shared/router";
import { rowRange, useViewport } from "../../shared/rowWindow";
import { coverage } from "../review-queue/filter";
import "../kpi-mapper/kpi-mapper.css";
import { feedCounts, filterCoverage, isIncomplete, matrixColumns } from "./matrix";

const ROW_HEIGHT = 32;
const HEAD_HEIGHT = 150;
const OVERSCAN = 6;
const NONE: ConnectorCoverage[] = [];

/** For each core KPI, which connectors feed it; a cell opens that connector in the mapper. */
export function CoveragePage({ q }: { q: string }) {
  const loadRows = useCallback(async () => unwrap(await commands.kpiCoverage()), []);
  const rows = useLive(loadRows);
  const loadKpis = useCallback(async () => unwrap(await commands.coreKpis()), []);
  const kpis = useLive(loadKpis);
  const [text, setText] = useState(q);
  const [incomplete, setIncomplete] = useState(false);

  const all = rows.data ?? NONE;
  const fed = useMemo(() => feedCounts(all), [all]);
  const columns = useMemo(() => matrixColumns(kpis.data ?? [], fed), [kpis.data, fed]);
  const visible = useMemo(() => filterCoverage(all, { text, incomplete }), [all, text, incomplete]);
  const left = useMemo(() => all.filter(isIncomplete).length, [all]);
  const error = rows.error ?? kpis.error;

  return (
    <section className="page coverage" aria-labelledby="coverage-title">
      <header className="page-header">
        <div>
          <h1 id="coverage-title">KPI coverage</h1>
          <p className="muted">Which connectors feed each core KPI. Click a cell to open that connector's metrics in the mapper. <a href="#/kpis">KPI mapper →</a> <a href="#/core-kpis">Core KPIs →</a></p>
        </div>
      </header>
      <div className="toolbar">
        <input type="search" placeholder="Filter connectors  ( / )" aria-label="Filter connectors" value={text} onChange={(e) => setText(e.target.value)} id="coverage-search" data-testid="coverage-search" />
        <label><input type="checkbox" checked={incomplete} onChange={(e) => setIncomplete(e.target.checked)} data-testid="coverage-incomplete" /> Only connectors with work left ({left.toLocaleString("en-US")})</label>
        <span className="muted live-count" aria-live="polite" data-testid="coverage-count">{visible.length.toLocaleString("en-US")} of {all.length.toLocaleString("en-US")} connectors</span>
      </div>
      {error && <ErrorBanner error={error} onRetry={() => { rows.reload(); kpis.reload(); }} />}
      {!error && (!rows.data || !kpis.data) && <p className="muted">Loading coverage…</p>}
      {rows.data && all.length === 0 && (
        <div className="empty" data-testid="coverage-empty">
          <h2>No connector declares platform metrics</h2>
          <p>Sync a connectors folder: each manifest's <code>kpis</code> list declares its metrics.</p>
        </div>
      )}
      {all.length > 0 && kpis.data && <Matrix rows={visible} columns={columns} fed={fed} />}
    </section>
  );
}

function Matrix({ rows, columns, fed }: { rows: readonly ConnectorCoverage[]; columns: CoreKpi[]; fed: Map<string, number> }) {
  const scroller = useRef<HTMLDivElement>(null);
  const view = useViewport(scroller, { top: 0, height: 800 });
  const { start, end } = rowRange(view, rows.length, ROW_HEIGHT, HEAD_HEIGHT, OVERSCAN);
  const template = `minmax(160px, 240px) 150px repeat(${columns.length}, 32px)`;
  const lines = [];
  for (let i = start; i < end; i++) {
    lines.push(<MatrixLine key={rows[i].connector} row={rows[i]} i={i} columns={columns} template={template} />);
  }
  return (
    <div className="matrix" ref={scroller} role="table" aria-label="KPI coverage" aria-rowcount={rows.length + 1} data-testid="coverage-matrix">
      <div role="row" aria-rowindex={1} className="matrix-row matrix-head" style={{ gridTemplateColumns: template }}>
        <div role="columnheader">Connector</div>
        <div role="columnheader">Coverage</div>
        {columns.map((k) => (
          <div role="columnheader" key={k.slug} className="kpi-col" title={`${k.name}: fed by ${fed.get(k.slug) ?? 0} connectors${k.retired ? " (retired)" : ""}`} data-kpi={k.slug}>
            {k.name} ({fed.get(k.slug) ?? 0})
          </div>
        ))}
      </div>
      <div role="rowgroup" className="matrix-body" style={{ height: rows.length * ROW_HEIGHT }}>{lines}</div>
    </div>
  );
}

function MatrixLine({ row, i, columns, template }: { row: ConnectorCoverage; i: number; columns: CoreKpi[]; template: string }) {
  const open = (kpi: string | null) => navigate({ page: "kpis", connector: row.connector, kpi });
  return (
    <div role="row" aria-rowindex={i + 2} className="matrix-row" style={{ top: i * ROW_HEIGHT, gridTemplateColumns: template }} data-testid="coverage-row" data-connector={row.connector}>
      <div role="rowheader"><a href={href({ page: "kpis", connector: row.connector, kpi: null })}>{row.connector}</a></div>
      <div role="cell" className={isIncomplete(row) ? "risk" : "muted"} data-testid="coverage-text">
        {coverage({ metrics: row.metrics, metrics_mapped: row.settled })}{row.orphaned > 0 ? `, ${row.orphaned} orphaned` : ""}
      </div>
      {columns.map((k) => {
        const feeds = row.feeds.includes(k.slug);
        return (
          <div role="cell" key={k.slug}>
            <button
              type="button"
              className={feeds ? "matrix-cell fed" : "matrix-cell"}
              aria-label={`${row.connector} ${feeds ? "feeds" : "does not feed"} ${k.name}: open the mapping`}
              title={`${row.connector} → ${k.name}`}
              onClick={() => open(k.slug)}
              data-testid="coverage-cell"
              data-kpi={k.slug}
              data-fed={feeds}
            >
              {feeds ? "●" : ""}
            </button>
          </div>
        );
      })}
    </div>
  );
}
