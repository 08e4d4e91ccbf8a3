// "Offline, reconnecting": the backend retries with backoff and says when the registry's server
// is back (then every screen reloads, as after any change).
import { useEffect, useState } from "react";
import { events, type RegistryConnection } from "../bindings";

export function ConnectionBanner() {
  const [state, setState] = useState<RegistryConnection | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unlisten = events.registryConnection.listen((e) => {
      clearTimeout(timer);
      setState(e.payload);
      // "Reconnected" stays a moment, then goes.
      if (e.payload.online) timer = setTimeout(() => setState(null), 4_000);
    });
    return () => {
      clearTimeout(timer);
      void unlisten.then((f) => f());
    };
  }, []);
  if (!state) return null;
  if (state.online) return <p className="notice connection" role="status" data-testid="connection-banner" data-online="true">Reconnected to the registry: screens are up to date again.</p>;
  const secs = Math.max(1, Math.round(state.retry_in_ms / 1000));
  return (
    <div className="error-banner connection" role="alert" data-testid="connection-banner" data-online="false">
      <strong>Offline, reconnecting</strong> (next try in {secs} s). The registry's database cannot be reached, so changes are refused until it is back; nothing is queued.
      {state.reason && <div className="muted">{state.reason}</div>}
    </div>
  );
}
