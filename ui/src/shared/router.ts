// A tiny hash router: the app has five screens and no server, so no routing library is needed.
import { useSyncExternalStore } from "react";

export type Route =
  | { page: "queue"; status: string }
  | { page: "connector"; slug: string; focus: string | null }
  | { page: "audit"; connector: string | null }
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
      return { page: "audit", connector: params.get("connector") };
    case "workspace":
      return { page: "workspace" };
    case "settings":
      return { page: "settings" };
  }
  return { page: "queue", status: params.get("status") ?? "draft" };
}

export function href(r: Route): string {
  switch (r.page) {
    case "queue":
      return `#/queue?status=${encodeURIComponent(r.status)}`;
    case "connector":
      return `#/connector/${encodeURIComponent(r.slug)}${r.focus ? `?focus=${encodeURIComponent(r.focus)}` : ""}`;
    case "audit":
      return r.connector ? `#/audit?connector=${encodeURIComponent(r.connector)}` : "#/audit";
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

export function navigate(r: Route) {
  window.location.hash = href(r);
}
