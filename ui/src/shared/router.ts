// A tiny hash router: the app has fourteen screens and no server, so no routing library is needed.
import { useSyncExternalStore } from "react";

export type Route =
  | { page: "queue"; status: string; q?: string; order?: true }
  | { page: "connector"; slug: string; focus: string | null }
  | { page: "audit"; connector: string | null; action: string | null }
  | { page: "scopes"; connector: string | null; gating: string | null; q: string }
  | { page: "firearm-types" }
  | { page: "kpis"; connector: string | null; kpi: string | null }
  | { page: "coverage"; q: string }
  | { page: "core-kpis" }
  | { page: "utm"; connector: string | null }
  | { page: "vault"; q: string }
  | { page: "pending" }
  | { page: "agents" }
  | { page: "workspace" }
  | { page: "settings" };

export function parseRoute(hash: string): Route {
  const [path, query = ""] = hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query);
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case "connector":
      if (parts[1]) return { page: "connector", slug: parts[1], focus: params.get("focus") };
      break;
    case "audit":
      return { page: "audit", connector: params.get("connector"), action: params.get("action") };
    case "scopes":
      return { page: "scopes", connector: params.get("connector"), gating: params.get("gating"), q: params.get("q") ?? "" };
    case "firearm-types":
      return { page: "firearm-types" };
    case "kpis":
      return { page: "kpis", connector: params.get("connector"), kpi: params.get("kpi") };
    case "coverage":
      return { page: "coverage", q: params.get("q") ?? "" };
    case "core-kpis":
      return { page: "core-kpis" };
    case "utm":
      return { page: "utm", connector: params.get("connector") };
    case "vault":
      return { page: "vault", q: params.get("q") ?? "" };
    case "pending":
      return { page: "pending" };
    case "agents":
      return { page: "agents" };
    case "workspace":
      return { page: "workspace" };
    case "settings":
      return { page: "settings" };
  }
  const status = params.get("status") ?? "draft";
  const q = params.get("q");
  // `order=1`: open the New connector form at once (the welcome screen's "Start empty").
  const order = params.get("order") === "1" ? { order: true as const } : {};
  return q ? { page: "queue", status, q, ...order } : { page: "queue", status, ...order };
}

export function href(r: Route): string {
  switch (r.page) {
    case "queue":
      return `#/queue?status=${encodeURIComponent(r.status)}${r.q ? `&q=${encodeURIComponent(r.q)}` : ""}${r.order ? "&order=1" : ""}`;
    case "connector":
      return `#/connector/${encodeURIComponent(r.slug)}${r.focus ? `?focus=${encodeURIComponent(r.focus)}` : ""}`;
    case "audit": {
      const q = new URLSearchParams();
      if (r.connector) q.set("connector", r.connector);
      if (r.action) q.set("action", r.action);
      const query = q.toString();
      return query ? `#/audit?${query}` : "#/audit";
    }
    case "scopes": {
      // Only the filters that are set, so a plain link is `#/scopes?connector=notion`.
      const q = new URLSearchParams();
      if (r.connector) q.set("connector", r.connector);
      if (r.gating) q.set("gating", r.gating);
      if (r.q) q.set("q", r.q);
      const query = q.toString();
      return query ? `#/scopes?${query}` : "#/scopes";
    }
    case "firearm-types":
      return "#/firearm-types";
    case "kpis": {
      const q = new URLSearchParams();
      if (r.connector) q.set("connector", r.connector);
      if (r.kpi) q.set("kpi", r.kpi);
      const query = q.toString();
      return query ? `#/kpis?${query}` : "#/kpis";
    }
    case "coverage":
      return r.q ? `#/coverage?q=${encodeURIComponent(r.q)}` : "#/coverage";
    case "core-kpis":
      return "#/core-kpis";
    case "utm":
      return r.connector ? `#/utm?connector=${encodeURIComponent(r.connector)}` : "#/utm";
    case "vault":
      return r.q ? `#/vault?q=${encodeURIComponent(r.q)}` : "#/vault";
    case "pending":
      return "#/pending";
    case "agents":
      return "#/agents";
    case "workspace":
      return "#/workspace";
    case "settings":
      return "#/settings";
  }
}

function subscribe(cb: () => void) {
  window.addEventListener("hashchange", cb);
  return () => window.removeEventListener("hashchange", cb);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}

/** `replace`: a redirect, not a step the Back button should return to. */
export function navigate(r: Route, { replace = false }: { replace?: boolean } = {}) {
  if (replace) window.location.replace(href(r));
  else window.location.hash = href(r);
}
