import { jsonObject } from "../api/json";
import { contextUrl, impactUrl, Link } from "../router";
import { ErrorMessage } from "./ErrorMessage";
import { useNodeDetails } from "./sidePanelData";

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

export function PropsTable({ title, values: json, testid }: { title: string; values: unknown; testid?: string }) {
  const values = jsonObject(json);
  const keys = Object.keys(values).sort();
  return (
    <section data-testid={testid}>
      <h4>{title}</h4>
      {keys.length === 0 ? (
        <p className="muted">none</p>
      ) : (
        <table className="kv">
          <tbody>
            {keys.map((k) => (
              <tr key={k} data-key={k}>
                <th>{k}</th>
                <td>{formatValue(values[k])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export interface SidePanelProps {
  id: string;
  onClose: () => void;
  onRecentre?: (id: string) => void;
  onSelect?: (id: string) => void;
  onExpand?: (side: "up" | "down") => void;
  onCollapse?: (side: "up" | "down") => void;
  isCentre?: boolean;
}

export function SidePanel({ id, onClose, onRecentre, onSelect, onExpand, onCollapse, isCentre }: SidePanelProps) {
  const q = useNodeDetails(id);
  const d = q.data;
  return (
    <aside className="side-panel" data-testid="side-panel" data-node-id={id}>
      <div className="side-head">
        <strong>{d ? d.__typename : "Node"}</strong>
        <button className="close" onClick={onClose} title="Close (Esc)">
          ×
        </button>
      </div>
      {q.isPending && <p className="muted">Loading…</p>}
      {q.error && <ErrorMessage error={q.error} />}
      {q.isSuccess && !d && <p className="muted">This node no longer exists.</p>}
      {d && (
        <>
          <h3 className="side-name">{d.name || d.id}</h3>
          <table className="kv">
            <tbody>
              <tr>
                <th>type</th>
                <td data-testid="side-type">
                  {d.typeName}
                  {d.typeVersion ? ` (v${d.typeVersion})` : ""}
                </td>
              </tr>
              {d.state && (
                <tr>
                  <th>state</th>
                  <td>
                    <span className={`state-badge state-${d.state.toLowerCase()}`}>{d.state}</span>
                  </td>
                </tr>
              )}
              {d.uri && (
                <tr>
                  <th>uri</th>
                  <td className="mono">{d.uri}</td>
                </tr>
              )}
              <tr>
                <th>id</th>
                <td className="mono">{d.id}</td>
              </tr>
              {d.externalId && (
                <tr>
                  <th>externalId</th>
                  <td className="mono">{d.externalId}</td>
                </tr>
              )}
              <tr>
                <th>created</th>
                <td>{new Date(d.createdAt).toLocaleString()}</td>
              </tr>
              <tr>
                <th>updated</th>
                <td>{new Date(d.updatedAt).toLocaleString()}</td>
              </tr>
            </tbody>
          </table>
          <div className="side-actions">
            {!isCentre && onRecentre && <button onClick={() => onRecentre(d.id)}>Re-centre here</button>}
            {onExpand && (
              <>
                <button onClick={() => onExpand("up")}>Expand ◀ 1 hop</button>
                <button onClick={() => onExpand("down")}>Expand 1 hop ▶</button>
              </>
            )}
            {onCollapse && (
              <>
                <button onClick={() => onCollapse("up")}>Collapse upstream</button>
                <button onClick={() => onCollapse("down")}>Collapse downstream</button>
              </>
            )}
            {d.__typename === "Artifact" && <Link to={impactUrl(d.id)}>Impact analysis →</Link>}
          </div>
          <PropsTable title="Properties" values={d.properties} testid="side-properties" />
          <PropsTable title="Custom properties" values={d.customProperties} testid="side-custom-properties" />
          {d.events && (
            <section>
              <h4>Events ({d.events.length})</h4>
              <ul className="events">
                {d.events.map((e, i) => {
                  const other = d.__typename === "Artifact" ? e.executionId : e.artifactId;
                  return (
                    <li key={i}>
                      <span className="event-type">{e.type}</span>{" "}
                      <button className="linklike" onClick={() => onSelect?.(other)} title={other}>
                        {d.__typename === "Artifact" ? "execution" : "artifact"} {other.slice(-8)}
                      </button>{" "}
                      <span className="muted">{new Date(e.timestamp).toLocaleString()}</span>
                      {e.path.length > 0 && <span className="muted"> · path {JSON.stringify(e.path)}</span>}
                    </li>
                  );
                })}
              </ul>
            </section>
          )}
          {d.contexts && (
            <section>
              <h4>Contexts ({d.contexts.length})</h4>
              <ul>
                {d.contexts.map((c) => (
                  <li key={c.id}>
                    <Link to={contextUrl(c.id)}>
                      {c.name} <span className="muted">({c.typeName})</span>
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </aside>
  );
}
