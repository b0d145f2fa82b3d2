import { createContext, memo, useContext, useState } from "react";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import type { Kind, Side } from "../graph/model";
import { navigate } from "../router";
import { commitUrl, type IngredientsNode } from "../graph/ingredients";
import { BAD_STATES, typeColor } from "./colors";

export const NODE_SIZE = {
  ARTIFACT: { width: 200, height: 56 },
  EXECUTION: { width: 184, height: 46 },
  AGGREGATE: { width: 230, height: 64 },
  INGREDIENTS: { width: 236, height: 56 },
} as const;

export interface LineageNodeData extends Record<string, unknown> {
  kind: Kind;
  type: string;
  name: string;
  state: string | null;
  hiddenUp: number;
  hiddenDown: number;
  centre: boolean;
}

export interface AggregateNodeData extends Record<string, unknown> {
  owner: string;
  side: Side;
  label: string;
  hidden: { id: string; label: string }[];
}

export interface IngredientsNodeData extends Record<string, unknown> {
  ingredients: IngredientsNode;
}

export type LineageFlowNode = Node<LineageNodeData, "lineage">;
export type IngredientsFlowNode = Node<IngredientsNodeData, "ingredients">;
export type AggregateFlowNode = Node<AggregateNodeData, "aggregate">;

export interface NodeActions {
  expand?: (id: string, side: Side) => void;
  showMore?: (owner: string, side: Side) => void;
  openHidden?: (id: string) => void;
}

export const NodeActionsContext = createContext<NodeActions>({});

export function LineageNodeBody({ id, data, handles }: { id: string; data: LineageNodeData; handles: boolean }) {
  const actions = useContext(NodeActionsContext);
  const color = typeColor(data.type);
  const bad = data.state && BAD_STATES.has(data.state);
  const canExpand = Boolean(actions.expand);
  const expander = (side: Side, n: number) => {
    if (!canExpand || !n) return null;
    const label = side === "up" ? `+${n} upstream` : `+${n} downstream`;
    return (
      <button
        className={`expand expand-${side}`}
        title={`Expand one hop ${side === "up" ? "upstream" : "downstream"} of this node`}
        data-testid={`expand-${side}`}
        onClick={(e) => {
          e.stopPropagation();
          actions.expand?.(id, side);
        }}
      >
        {label}
      </button>
    );
  };
  return (
    <div
      className={`gnode gnode-${data.kind.toLowerCase()}${bad ? ` state-bad state-${data.state!.toLowerCase()}` : ""}${data.centre ? " centre" : ""}`}
      style={{ ["--type-color" as string]: color }}
      title={`${data.kind.toLowerCase()} · ${data.type}\n${data.name}${data.state ? `\nstate: ${data.state}` : ""}`}
    >
      {handles && <Handle type="target" position={Position.Left} isConnectable={false} />}
      <div className="gnode-type">
        <span className="swatch" />
        {data.type}
        {data.state && data.state !== "UNKNOWN" && <span className={`state-badge state-${data.state.toLowerCase()}`}>{data.state}</span>}
      </div>
      <div className="gnode-name">{data.name}</div>
      {expander("up", data.hiddenUp)}
      {expander("down", data.hiddenDown)}
      {handles && <Handle type="source" position={Position.Right} isConnectable={false} />}
    </div>
  );
}

function LineageNodeView({ id, data }: NodeProps<LineageFlowNode>) {
  return <LineageNodeBody id={id} data={data} handles />;
}


function AggregateNodeView({ data }: NodeProps<AggregateFlowNode>) {
  return <AggregateBody data={data} handles />;
}

export function AggregateBody({ data, handles }: { data: AggregateNodeData; handles: boolean }) {
  const actions = useContext(NodeActionsContext);
  const [q, setQ] = useState("");
  const matches = q ? data.hidden.filter((h) => h.label.toLowerCase().includes(q.toLowerCase()) || h.id.includes(q)).slice(0, 8) : [];
  return (
    <div className="gnode gnode-aggregate" data-testid="aggregate-node">
      {handles && <Handle type="target" position={Position.Left} isConnectable={false} />}
      <div className="agg-label">{data.label}</div>
      <div className="agg-actions">
        <button className="nodrag" onClick={() => actions.showMore?.(data.owner, data.side)}>
          show more
        </button>
        <input
          className="nodrag nowheel"
          placeholder="search inside…"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onClick={(e) => e.stopPropagation()}
        />
      </div>
      {matches.length > 0 && (
        <ul className="agg-matches nowheel">
          {matches.map((m) => (
            <li key={m.id}>
              <button className="nodrag" onClick={() => actions.openHidden?.(m.id)}>
                {m.label}
              </button>
            </li>
          ))}
        </ul>
      )}
      {handles && <Handle type="source" position={Position.Right} isConnectable={false} />}
    </div>
  );
}

/**
 * The commit a run used, before the run: repository@short sha and its kinds. Clicking it
 * opens the commit's page; the chevron lists the paths by kind instead (over the canvas,
 * so the layout does not move).
 */
function IngredientsNodeView({ data }: NodeProps<IngredientsFlowNode>) {
  const ing = data.ingredients;
  const [open, setOpen] = useState(false);
  return (
    <div
      className="gnode gnode-ingredients"
      data-testid="ingredients-node"
      data-run={ing.run}
      data-commit={ing.sha}
      title={`ingredients · ${ing.repo}@${ing.sha.slice(0, 7)}\n${ing.message}\nClick to open the commit`}
      onClick={() => navigate(commitUrl(ing.repo, ing.sha))}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="gnode-type">
        <span className="swatch" />
        ingredients
        <button
          className="nodrag ingredients-toggle"
          data-testid="ingredients-expand"
          aria-expanded={open}
          title={open ? "Hide the paths" : "Show the paths by kind"}
          onClick={(e) => {
            e.stopPropagation();
            setOpen(!open);
          }}
        >
          {open ? "▾" : "▸"}
        </button>
      </div>
      <div className="gnode-name" data-testid="ingredients-ref">
        {ing.repo}@{ing.sha.slice(0, 7)}
      </div>
      <div className="ingredients-kinds" data-testid="ingredients-kinds">
        {ing.kinds.map((k) => k.kind).join(" · ")}
      </div>
      {open && (
        <ul className="ingredients-paths nowheel" data-testid="ingredients-paths">
          {ing.kinds.map((k) => (
            <li key={k.kind} data-kind={k.kind}>
              <span className="muted">{k.kind}</span> {k.paths.join(", ")}
            </li>
          ))}
        </ul>
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

export const nodeTypes = {
  lineage: memo(LineageNodeView),
  aggregate: memo(AggregateNodeView),
  ingredients: memo(IngredientsNodeView),
};
