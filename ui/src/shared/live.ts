// Data that stays fresh: loaded on mount, and again whenever the registry changes (another app,
// the CLI, or this app). The backend emits `registry-changed` on every commit it sees.
import { useCallback, useEffect, useRef, useState } from "react";
import { events, type Delta, type ErrorCode } from "../bindings";
import { errorOf } from "./errors";

/** `onChange` once per burst of changes, with the connectors the burst is known to touch (the
 * app's watcher names what it synced), or null when anything may have changed. */
export function useRegistryChanged(onChange: (connectors: string[] | null) => void) {
  const ref = useRef(onChange);
  useEffect(() => {
    ref.current = onChange;
  }, [onChange]);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let named: Set<string> | null | undefined;
    const unlisten = events.registryChanged.listen((e) => {
      // Several commits in a burst cost one reload; one unnamed change makes it a whole one.
      named = mergeNamed(named, e.payload.connectors);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const connectors = named ? [...named] : null;
        named = undefined;
        ref.current(connectors);
      }, BURST_MS);
    });
    return () => {
      clearTimeout(timer);
      void unlisten.then((f) => f());
    };
  }, []);
}

/** How long a burst of changes is merged before screens reload. */
const BURST_MS = 20;

/** The connectors named so far in a burst (undefined: none seen yet; null: anything). Pure. */
export function mergeNamed(sofar: Set<string> | null | undefined, connectors: string[] | null): Set<string> | null {
  if (sofar === null || connectors === null) return null;
  return new Set([...(sofar ?? []), ...connectors]);
}

export interface Live<T> {
  data?: T;
  error?: ErrorCode;
  loading: boolean;
  reload: () => void;
}

/** `load` must be stable (useCallback) for the given inputs. */
export function useLive<T>(load: () => Promise<T>): Live<T> {
  const [state, setState] = useState<{ data?: T; error?: ErrorCode; loading: boolean }>({ loading: true });
  const seq = useRef(0);
  const reload = useCallback(() => {
    const mine = ++seq.current;
    // The previous data stays on screen until the new data arrives: no flicker on live reloads.
    load().then(
      (data) => mine === seq.current && setState({ data, loading: false }),
      (e) => mine === seq.current && setState((s) => ({ data: s.data, error: errorOf(e), loading: false })),
    );
  }, [load]);
  useEffect(reload, [reload]);
  useRegistryChanged(useCallback(() => reload(), [reload]));
  return { ...state, reload };
}

/** The list held plus a delta from the backend (`whole`, or only the rows that changed, same
 * keys in the same order): the new list. Unchanged rows keep their identity. Pure. */
export function applyDelta<T>(held: T[] | undefined, delta: Delta<T>, key: (row: T) => string): T[] {
  if (delta.whole || held === undefined) return delta.rows;
  if (delta.rows.length === 0) return held;
  const changed = new Map(delta.rows.map((r) => [key(r), r]));
  return held.map((r) => changed.get(key(r)) ?? r);
}

/** A list kept fresh like `useLive`, loaded whole once and then as what changed since the version
 * held, so a change to one of 10,000 rows moves one row. When a change names its connectors,
 * only their rows are read (`only`), and the whole list is read again once changes have been
 * quiet for VERIFY_MS, in case another writer's commit came in the same moment. `load` and `key`
 * must be stable. */
export function useLiveList<T>(load: (since: number | null, only: string[] | null) => Promise<Delta<T>>, key: (row: T) => string): Live<T[]> {
  const held = useRef<{ version: number; rows: T[] } | null>(null);
  const [state, setState] = useState<{ data?: T[]; error?: ErrorCode; loading: boolean }>({ loading: true });
  const seq = useRef(0);
  const verify = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const reload = useCallback(
    (only: string[] | null = null) => {
      const mine = ++seq.current;
      const base = held.current;
      load(base ? base.version : null, base ? only : null).then(
        (delta) => {
          const rows = applyDelta(base?.rows, delta, key);
          // Versions grow with each answer: keep the newest list as the base of the next delta.
          if (!held.current || delta.version > held.current.version) held.current = { version: delta.version, rows };
          if (mine === seq.current) setState({ data: rows, loading: false });
        },
        (e) => mine === seq.current && setState((s) => ({ data: s.data, error: errorOf(e), loading: false })),
      );
    },
    [load, key],
  );
  useEffect(() => {
    reload();
    return () => clearTimeout(verify.current);
  }, [reload]);
  useRegistryChanged(
    useCallback(
      (connectors: string[] | null) => {
        clearTimeout(verify.current);
        reload(connectors);
        if (connectors) verify.current = setTimeout(() => reload(), VERIFY_MS);
      },
      [reload],
    ),
  );
  return { ...state, reload: useCallback(() => reload(), [reload]) };
}

/** Quiet time after a named change before the whole list is read again. */
const VERIFY_MS = 1500;
