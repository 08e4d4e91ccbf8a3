// What one registry screen (firearm types, core KPIs) says and calls; SlugRegistryPage does the rest.
// A config is a module-level constant: `load` must stay the same function across renders.
import type { ReactNode } from "react";
import type { SlugEntry, SlugOp, TextFields } from "./registry";

/** Keys of F whose values are strings: the only ones a select can set. */
type StringKey<F> = { [K in keyof F]-?: F[K] extends string ? K : never }[keyof F];

/** A select over one kind-specific field, type-erased so one form renders any kind's. */
export interface Choice<F> {
  key: StringKey<F>;
  label: string;
  /** Suffix of the select's test id: `${prefix}-${testId}`. */
  testId: string;
  options: readonly string[];
  text: (value: string) => string;
}

/** Builds a Choice whose options and wording are checked against the field's own type. */
export function choice<F, K extends StringKey<F>>(key: K, label: string, testId: string, options: readonly F[K][], text: (value: F[K]) => string = String): Choice<F> {
  // Only values from `options` reach `text`, so widening both to string is safe.
  return { key, label, testId, options: options as readonly unknown[] as readonly string[], text: text as (value: string) => string };
}

/** A column for a kind-specific field, between Slug and Description. */
export interface Column<E> {
  header: string;
  cell: (e: E) => ReactNode;
}

export interface FormConfig<E, F extends TextFields> {
  addTitle: string;
  addButton: string;
  slugPlaceholder: string;
  /** Under the edit dialog's title: why the slug cannot change. */
  editNote: string;
  /** Starts the delete dialog's sentence, before the slug: "No scope uses". */
  deleteLead: string;
  blank: F;
  fieldsOf: (e: E) => F;
  choices: readonly Choice<F>[];
  problem: (f: F) => string | null;
  trim: (f: F) => F;
}

export interface SlugRegistryConfig<E extends SlugEntry, F extends TextFields> {
  /** Stem of the test ids: `${id}-row-<slug>`, `${id}-add`, `${id}-result`… */
  id: string;
  /** Stem of the heading's id and the empty state's test id: `${plural}-title`, `${plural}-empty`. */
  plural: string;
  /** The section's class and the table's test id. */
  screen: string;
  title: string;
  intro: ReactNode;
  loading: string;
  empty: string;
  /** "Someone else changed this <noun>…" */
  noun: string;
  retireTitle: string;
  columns: readonly Column<E>[];
  usage: {
    count: (u: E["usage"][number]) => number;
    href: (u: E["usage"][number], e: E) => string;
    /** Where "N more connectors" leads when the list is cut. */
    moreHref: (e: E) => string;
  };
  load: () => Promise<E[]>;
  change: (op: SlugOp<F>) => Promise<unknown>;
  form: FormConfig<E, F>;
}
