import { lazy, Suspense } from "react";
import { ErrorBoundary } from "./components/ErrorMessage";
import { Link, route, useLocation } from "./router";
import { Home } from "./views/Home";
import LineageView from "./views/LineageView";

const ImpactView = lazy(() => import("./views/ImpactView"));
const ContextView = lazy(() => import("./views/ContextView"));
const RepositoryView = lazy(() => import("./views/versioning/RepositoryView"));
const ProductionView = lazy(() => import("./views/versioning/ProductionView"));

export function App() {
  const loc = useLocation();
  const r = route(loc.path);
  return (
    <div className="app">
      <header className="topbar">
        <Link to="/" className="brand">
          ◆ Lineage explorer
        </Link>
        <nav>
          <Link to="/search">Search</Link>
          <Link to="/production">Production</Link>
        </nav>
      </header>
      <main className="main">
        <ErrorBoundary resetKey={loc.path}>
          <Suspense fallback={<div className="loading">Loading…</div>}>
            {r.view === "home" && <Home search={loc.search} />}
            {r.view === "lineage" && <LineageView key={r.id} id={r.id} search={loc.search} />}
            {r.view === "impact" && <ImpactView key={r.id} id={r.id} />}
            {r.view === "contexts" && <ContextView key={r.id} id={r.id} />}
            {r.view === "repos" && <RepositoryView key={r.id} name={r.id} />}
            {r.view === "production" && <ProductionView />}
            {r.view === "notfound" && (
              <div className="page">
                <h2>No such page</h2>
                <p>
                  <code>{loc.path}</code> is not a view of this app. <Link to="/">Search the metadata</Link>.
                </p>
              </div>
            )}
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}
