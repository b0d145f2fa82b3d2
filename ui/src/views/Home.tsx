import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { ErrorMessage } from "../components/ErrorMessage";
import { typeColor } from "../components/colors";
import { readRecent } from "../recent";
import { contextUrl, Link, lineageUrl, navigate } from "../router";
import { useNewestArtifacts, useSearchHits, useTypeCounts, type SearchHit } from "./homeData";

const hitUrl = (h: { id: string; kind: string }) => (h.kind === "CONTEXT" ? contextUrl(h.id) : lineageUrl(h.id));

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function Home({ search: locSearch }: { search: string }) {
  const initial = new URLSearchParams(locSearch).get("q") ?? "";
  const [text, setText] = useState(initial);
  const [active, setActive] = useState(0);
  const q = useDebounced(text.trim(), 200);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    // The query is part of the URL (replace: typing is not history).
    const target = q ? `/search?q=${encodeURIComponent(q)}` : "/";
    if (window.location.pathname + window.location.search !== target) navigate(target, { replace: true });
  }, [q]);

  const hits = useSearchHits(q);
  const counts = useTypeCounts();
  const newest = useNewestArtifacts();
  const recent = useMemo(() => readRecent(), []);

  const list: SearchHit[] = hits.data ?? [];
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") setActive((a) => Math.min(list.length - 1, a + 1));
    else if (e.key === "ArrowUp") setActive((a) => Math.max(0, a - 1));
    else if (e.key === "Enter" && list[active]) navigate(hitUrl(list[active]));
    else return;
    e.preventDefault();
  };
  useEffect(() => setActive(0), [q]);

  const byKind = useMemo(() => {
    const m = new Map<string, { typeName: string; count: number }[]>();
    for (const c of counts.data ?? []) (m.get(c.kind) ?? m.set(c.kind, []).get(c.kind)!).push(c);
    return m;
  }, [counts.data]);

  return (
    <div className="home page">
      <h1>Explore ML metadata and lineage</h1>
      <div className="search-box">
        <input
          ref={input}
          type="search"
          placeholder="Search artifacts, executions and contexts by name, uri, type or id…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          data-testid="search-input"
          aria-label="Search"
        />
        {q && (
          <div className="search-results" data-testid="search-results">
            {hits.isFetching && <div className="muted">Searching…</div>}
            {hits.error && <ErrorMessage error={hits.error} />}
            {hits.isSuccess && list.length === 0 && <div className="muted">Nothing matches “{q}”.</div>}
            <ul>
              {list.map((h, i) => (
                <li key={h.id} className={i === active ? "active" : undefined}>
                  <Link to={hitUrl(h)} data-testid="search-hit" data-id={h.id} data-kind={h.kind}>
                    <span className={`kind-badge kind-${h.kind.toLowerCase()}`}>{h.kind.toLowerCase()}</span>
                    <span className="swatch" style={{ background: typeColor(h.typeName) }} />
                    <strong>{h.name || h.id}</strong> <span className="muted">{h.typeName}</span>
                    {h.uri && <span className="mono small muted"> {h.uri}</span>}
                    {h.externalId && <span className="mono small muted"> · {h.externalId}</span>}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      <div className="home-grid">
        <section>
          <h3>Recently visited</h3>
          {recent.length === 0 ? (
            <p className="muted">Nothing yet — search above, or start from the newest artifacts.</p>
          ) : (
            <ul className="plain" data-testid="recent">
              {recent.map((r) => (
                <li key={r.id}>
                  <Link to={hitUrl(r)}>
                    {r.name || r.id} <span className="muted">({r.typeName})</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section>
          <h3>Newest artifacts</h3>
          {newest.error && <ErrorMessage error={newest.error} />}
          <ul className="plain" data-testid="newest">
            {(newest.data ?? []).map((a) => (
              <li key={a.id}>
                <Link to={lineageUrl(a.id)}>
                  <span className="swatch" style={{ background: typeColor(a.typeName) }} />
                  {a.name || a.id} <span className="muted">({a.typeName})</span>
                </Link>{" "}
                <span className="muted small">{new Date(a.createdAt).toLocaleString()}</span>
              </li>
            ))}
          </ul>
        </section>
        <section>
          <h3>Counts by type</h3>
          {counts.error && <ErrorMessage error={counts.error} />}
          <div data-testid="type-counts">
            {[...byKind.entries()].map(([kind, list]) => (
              <div key={kind}>
                <h4>{kind.toLowerCase()}s</h4>
                <table className="kv">
                  <tbody>
                    {list.map((c) => (
                      <tr key={c.typeName} data-kind={kind} data-type={c.typeName}>
                        <th>
                          <span className="swatch" style={{ background: typeColor(c.typeName) }} />
                          <button className="linklike" onClick={() => setText(c.typeName)}>
                            {c.typeName}
                          </button>
                        </th>
                        <td className="num">{c.count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
          </div>
        </section>
      </div>
    </div>
  );
}
