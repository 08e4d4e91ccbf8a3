import { commands, type CoreKpi, type CoreKpiFields } from "../../bindings";
import { unwrap } from "../../shared/errors";
import { href } from "../../shared/router";
import { choice, type SlugRegistryConfig } from "../../shared/slug-registry/config";
import { SlugRegistryPage } from "../../shared/slug-registry/SlugRegistryPage";
import { aggregationLabel, AGGREGATIONS, directionLabel, DIRECTIONS, fieldsProblem, trimFields, UNITS } from "./fields";

const CORE_KPIS: SlugRegistryConfig<CoreKpi, CoreKpiFields> = {
  id: "kpi",
  plural: "kpis",
  screen: "core-kpis",
  title: "Core KPIs",
  intro: <>What platform metrics map onto. A KPI in use cannot be deleted, only retired. <a href="#/kpis">KPI mapper →</a></>,
  loading: "Loading core KPIs…",
  empty: "No core KPIs yet: add the first one below.",
  noun: "KPI",
  retireTitle: "It keeps its mappings but takes no new ones",
  columns: [
    { header: "Unit", cell: (k) => k.unit },
    { header: "Aggregation", cell: (k) => aggregationLabel(k.aggregation) },
    { header: "Direction", cell: (k) => directionLabel(k.direction) },
  ],
  usage: {
    count: (u) => u.metrics,
    href: (u, k) => href({ page: "kpis", connector: u.connector, kpi: k.slug }),
    // A KPI used by hundreds links to the coverage screen instead.
    moreHref: () => "#/coverage",
  },
  load: async () => unwrap(await commands.coreKpis()),
  change: async (op) => unwrap(await commands.changeCoreKpi(op)),
  form: {
    addTitle: "Add a core KPI",
    addButton: "Add KPI",
    slugPlaceholder: "gross_sales",
    editNote: "The slug stays: mapped metrics refer to the KPI by it.",
    deleteLead: "No metric maps to",
    blank: { name: "", description: "", unit: "count", aggregation: "sum", direction: "higher_is_better" },
    fieldsOf: (k) => ({ name: k.name, description: k.description, unit: k.unit, aggregation: k.aggregation, direction: k.direction }),
    choices: [
      choice("unit", "Unit", "unit", UNITS),
      choice("aggregation", "Aggregation", "aggregation", AGGREGATIONS, aggregationLabel),
      choice("direction", "Direction", "direction", DIRECTIONS, directionLabel),
    ],
    problem: fieldsProblem,
    trim: trimFields,
  },
};

export function CoreKpisPage() {
  return <SlugRegistryPage config={CORE_KPIS} />;
}
