// Data that stays fresh: loaded on mount, and again whenever the registry changes (another app,
// the CLI, or this app). The backend emits `registry-changed` on every commit it sees.
import { useCallback, useEffect, useRef, useState } from "react";
import { events, type ErrorCode } from "../bindings";
import { errorOf } from "./errors";

export function useRegistryChanged(onChange: () => void) {
  const ref = useRef(onChange);
  useEffect(() => {
    ref.current = onChange;
  }, [onChange]);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unlisten = events.registryChanged.listen(() => {
      // Several commits in a burst cost one reload.
      clearTimeout(timer);
      timer = setTimeout(() => ref.current(), 50);
    });
    return () => {
      clearTimeout(timer);
      void unlisten.then((f) => f());
    };
  }, []);
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
  useRegistryChanged(reload);
  return { ...state, reload };
}
