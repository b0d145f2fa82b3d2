/**
 * The compact, columnar lineage answer (`LineageGraph.table`, `Impact.table` in
 * `schema.graphql`), checked and decoded into the UI's Graph.
 *
 * The schema types the table as its JSON scalar (`unknown` here), so its shape is written
 * down once below and checked when an answer arrives: a malformed answer fails where it is
 * read, with a message naming the part that is wrong, instead of deep in merging or layout.
 */
import type { GEdge, GNode, Graph, Kind } from "../graph/model";
import { MalformedAnswer } from "./client";

/** One of the answer's node types; `nodes.type` indexes them. */
export interface TableType {
  kind: Kind;
  name: string;
}

/**
 * The table as the server sends it: one list per field, one entry per node (or edge). The
 * optional columns are there only when asked for (NAME, URI, STATE, NEIGHBORS), and hold
 * null for a node deleted since the walk. (PROPERTIES' columns are not read by the UI.)
 */
export interface LineageTable {
  types: TableType[];
  nodes: {
    id: string[];
    type: number[];
    degree: number[];
    name?: (string | null)[];
    uri?: (string | null)[];
    state?: (string | null)[];
    upstreamNeighbors?: (number | null)[];
    downstreamNeighbors?: (number | null)[];
  };
  edges: {
    /** Indexes into the node lists, in the data-flow direction. */
    source: number[];
    target: number[];
    /** The MLMD event kind: `*INPUT` kinds are INPUT edges, the others OUTPUT. */
    eventType: string[];
  };
  truncated: boolean;
}

type Check = (v: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isString: Check = (v) => typeof v === "string";
const isNumber: Check = (v) => typeof v === "number" && Number.isFinite(v);
const orNull = (check: Check): Check => (v) => v === null || check(v);
const indexBelow = (n: number): Check => (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < n;

function fail(message: string): never {
  throw new MalformedAnswer(`the lineage table is malformed: ${message}`);
}

function object(parent: Record<string, unknown>, key: string, path: string): Record<string, unknown> {
  const v = parent[key];
  if (!isObject(v)) fail(`${path} is not an object`);
  return v;
}

/**
 * `parent[key]` as a list of `length` entries that all pass `check` (`wanted` says what they
 * should be); absent is allowed only for an optional column.
 */
function column(
  parent: Record<string, unknown>,
  key: string,
  path: string,
  length: number,
  check: Check,
  wanted: string,
  optional = false,
): void {
  const v = parent[key];
  if (v === undefined && optional) return;
  if (!Array.isArray(v)) fail(`${path}.${key} is not a list`);
  if (v.length !== length) fail(`${path}.${key} has ${v.length} entries for ${length} ${path}`);
  for (let i = 0; i < v.length; i++) if (!check(v[i])) fail(`${path}.${key}[${i}] is ${JSON.stringify(v[i])}, not ${wanted}`);
}

/** `value` as a LineageTable, or MalformedAnswer saying what is wrong with it. */
export function asLineageTable(value: unknown): LineageTable {
  if (!isObject(value)) fail("it is not an object");
  const types = value.types;
  if (!Array.isArray(types)) fail("types is not a list");
  types.forEach((t, i) => {
    if (!isObject(t) || (t.kind !== "ARTIFACT" && t.kind !== "EXECUTION") || !isString(t.name))
      fail(`types[${i}] is ${JSON.stringify(t)}, not {"kind": "ARTIFACT" | "EXECUTION", "name": …}`);
  });

  const nodes = object(value, "nodes", "nodes");
  if (!Array.isArray(nodes.id)) fail("nodes.id is not a list");
  const n = nodes.id.length;
  column(nodes, "id", "nodes", n, isString, "an id");
  column(nodes, "type", "nodes", n, indexBelow(types.length), `an index into the ${types.length} types`);
  column(nodes, "degree", "nodes", n, isNumber, "a number");
  for (const key of ["name", "uri", "state"]) column(nodes, key, "nodes", n, orNull(isString), "a string or null", true);
  for (const key of ["upstreamNeighbors", "downstreamNeighbors"])
    column(nodes, key, "nodes", n, orNull(isNumber), "a number or null", true);

  const edges = object(value, "edges", "edges");
  if (!Array.isArray(edges.source)) fail("edges.source is not a list");
  const m = edges.source.length;
  column(edges, "source", "edges", m, indexBelow(n), `an index into the ${n} nodes`);
  column(edges, "target", "edges", m, indexBelow(n), `an index into the ${n} nodes`);
  column(edges, "eventType", "edges", m, isString, "an event kind");

  if (typeof value.truncated !== "boolean") fail("truncated is not true or false");
  return value as unknown as LineageTable;
}

/** The table as the UI's Graph: nodes in the table's order (nearest first), edges as listed. */
export function tableToGraph(t: LineageTable): Graph {
  const { id, type, degree, name, uri, state, upstreamNeighbors, downstreamNeighbors } = t.nodes;
  const nodes: GNode[] = id.map((nodeId, i) => {
    const ty = t.types[type[i]];
    const node: GNode = { id: nodeId, kind: ty.kind, type: ty.name, degree: degree[i] };
    if (name) node.name = name[i];
    if (uri) node.uri = uri[i];
    if (state) node.state = state[i];
    // A deleted node's counts are null: unknown, which the hidden counts read as none.
    const up = upstreamNeighbors?.[i];
    const down = downstreamNeighbors?.[i];
    if (up != null) node.upTotal = up;
    if (down != null) node.downTotal = down;
    return node;
  });
  const { source, target, eventType } = t.edges;
  const edges: GEdge[] = source.map((s, i) => ({
    source: id[s],
    target: id[target[i]],
    kind: eventType[i].endsWith("INPUT") ? "INPUT" : "OUTPUT",
  }));
  return { nodes, edges, truncated: t.truncated };
}

/** A `table` field's value (the JSON scalar) as the UI's Graph; MalformedAnswer if it is not a table. */
export const decodeLineageTable = (value: unknown): Graph => tableToGraph(asLineageTable(value));
