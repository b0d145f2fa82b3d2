/** A tiny router: the URL is the state; pushState for navigation, popstate for back/forward. */
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from "react";

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
window.addEventListener("popstate", notify);

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}
const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  notify();
}

export interface Location {
  path: string;
  search: string;
}

export function useLocation(): Location {
  const s = useSyncExternalStore(subscribe, snapshot);
  const q = s.indexOf("?");
  return q < 0 ? { path: s, search: "" } : { path: s.slice(0, q), search: s.slice(q) };
}

export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={click} {...rest} />;
}

/** The view a path shows, and the node or context it is about. */
export function route(path: string): {
  view: "home" | "lineage" | "impact" | "contexts" | "repos" | "production" | "notfound";
  id: string;
} {
  const m = /^\/(lineage|impact|contexts|repos)\/([^/]+)\/?$/.exec(path);
  if (m) return { view: m[1] as "lineage" | "impact" | "contexts" | "repos", id: decodeURIComponent(m[2]) };
  if (path === "/production") return { view: "production", id: "" };
  if (path === "/" || path === "/search" || path === "/index.html") return { view: "home", id: "" };
  return { view: "notfound", id: "" };
}

export const lineageUrl = (id: string, search = "") => `/lineage/${encodeURIComponent(id)}${search ? `?${search}` : ""}`;
export const contextUrl = (id: string) => `/contexts/${encodeURIComponent(id)}`;
export const impactUrl = (id: string) => `/impact/${encodeURIComponent(id)}`;
