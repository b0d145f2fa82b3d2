/**
 * The app's query client, and the first requests of the page it opens on.
 *
 * `main.tsx` imports this module first, so when the app opens on a lineage view its requests
 * leave as soon as this small module is evaluated — before React and the rest of the app
 * are, and a few hundred milliseconds before the view's first render would send them. The
 * view finds them in flight under the same keys and waits for them instead of asking again.
 */
import { QueryClient } from "@tanstack/react-query";
import { nodeRefQuery } from "./api/nodeRef";
import { route } from "./router";
import { parseLineageSearch } from "./state/urlState";
import { lineageViewQuery } from "./views/lineageData";

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, staleTime: 30_000, refetchOnWindowFocus: false },
  },
});

/** Start the requests the view at `location` will make first (only the lineage view's, for now). */
export function prefetchView(qc: QueryClient, location: { pathname: string; search: string }): void {
  const r = route(location.pathname);
  if (r.view !== "lineage") return;
  // The answer first: it is the long one.
  void qc.prefetchQuery(lineageViewQuery(qc, r.id, parseLineageSearch(location.search), undefined));
  void qc.prefetchQuery(nodeRefQuery(r.id));
}

prefetchView(queryClient, window.location);
