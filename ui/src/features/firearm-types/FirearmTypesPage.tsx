import { commands, type FirearmType, type FirearmTypeFields } from "../../bindings";
import { unwrap } from "../../shared/errors";
import { href } from "../../shared/router";
import { choice, type SlugRegistryConfig } from "../../shared/slug-registry/config";
import { SlugRegistryPage } from "../../shared/slug-registry/SlugRegistryPage";
import { RiskPill } from "../scope-manager/FirearmTypeSelect";
import { fieldsProblem, RISK_LEVELS, trimFields } from "./types";

const FIREARM_TYPES: SlugRegistryConfig<FirearmType, FirearmTypeFields> = {
  id: "type",
  plural: "types",
  screen: "firearm-types",
  title: "Firearm types",
  intro: <>What a gated scope can do, and how dangerous that is. Every gated scope needs one before its connector can be approved. <a href="#/scopes">Scopes →</a></>,
  loading: "Loading firearm types…",
  empty: "No firearm types yet: add the first one below.",
  noun: "type",
  retireTitle: "It stays on its scopes but cannot be given to more",
  columns: [{ header: "Risk", cell: (t) => <RiskPill level={t.risk_level} /> }],
  usage: {
    count: (u) => u.scopes,
    href: (u) => href({ page: "scopes", connector: u.connector, gating: null, q: "" }),
    // The scope search matches the type column, so this lists every scope using it.
    moreHref: (t) => href({ page: "scopes", connector: null, gating: "gated", q: t.slug }),
  },
  load: async () => unwrap(await commands.firearmTypes()),
  change: async (op) => unwrap(await commands.changeFirearmType(op)),
  form: {
    addTitle: "Add a firearm type",
    addButton: "Add type",
    slugPlaceholder: "moves_money",
    editNote: "The slug stays: scopes refer to the type by it.",
    deleteLead: "No scope uses",
    blank: { name: "", description: "", risk_level: "medium" },
    fieldsOf: (t) => ({ name: t.name, description: t.description, risk_level: t.risk_level }),
    choices: [choice("risk_level", "Risk level", "risk", RISK_LEVELS)],
    problem: fieldsProblem,
    trim: trimFields,
  },
};

export function FirearmTypesPage() {
  return <SlugRegistryPage config={FIREARM_TYPES} />;
}
