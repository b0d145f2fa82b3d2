import type { GEdge, GNode, Graph, Kind } from "../graph/model";
import { gql } from "./client";

export type NodeKind = "ARTIFACT" | "EXECUTION" | "CONTEXT";
export type Direction = "UPSTREAM" | "DOWNSTREAM" | "BOTH";

// ---------------------------------------------------------------- nodes

export interface NodeRef {
  __typename: "Artifact" | "Execution" | "Context";
  id: string;
  name: string | null;
  typeName: string;
}

export async function fetchNodeRef(id: string): Promise<NodeRef | null> {
  const d = await gql<{ node: NodeRef | null }>(
    "Looking up the node",
    `query NodeRef($id: ID!) { node(id: $id) { __typename ... on Artifact { id name typeName } ... on Execution { id name typeName } ... on Context { id name typeName } } }`,
    { id },
  );
  return d.node;
}

/** A node's kind, name and type, shared by the lineage view and the start-up prefetch. */
export const nodeRefQuery = (id: string) => ({ queryKey: ["ref", id] as const, queryFn: () => fetchNodeRef(id), staleTime: 60_000 });

export interface ContextRef {
  id: string;
  name: string | null;
  typeName: string;
}

export interface EventInfo {
  type: string;
  artifactId: string;
  executionId: string;
  timestamp: string;
  path: unknown[];
}

export interface NodeDetail {
  __typename: "Artifact" | "Execution" | "Context";
  id: string;
  externalId: string | null;
  typeName: string;
  typeVersion: string | null;
  name: string | null;
  uri?: string | null;
  state?: string;
  properties: Record<string, unknown>;
  customProperties: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  events?: EventInfo[];
  contexts?: ContextRef[];
  parents?: ContextRef[];
  children?: ContextRef[];
}

const COMMON = "id externalId typeName typeVersion name properties customProperties createdAt updatedAt";

export async function fetchNodeDetail(id: string): Promise<NodeDetail | null> {
  const d = await gql<{ node: NodeDetail | null }>(
    "Loading the node's details",
    `query NodeDetail($id: ID!) { node(id: $id) {
      __typename
      ... on Artifact { ${COMMON} uri state events { type artifactId executionId timestamp path } contexts { id name typeName } }
      ... on Execution { ${COMMON} executionState: state events { type artifactId executionId timestamp path } contexts { id name typeName } }
      ... on Context { ${COMMON} parents { id name typeName } children { id name typeName } }
    } }`,
    { id },
  );
  const n = d.node as (NodeDetail & { executionState?: string }) | null;
  if (n && n.executionState) n.state = n.executionState;
  return n;
}

// ---------------------------------------------------------------- lineage

interface ApiLineageNode {
  id: string;
  kind: Kind;
  type: string;
  degree: number;
  upstreamNeighbors: number;
  downstreamNeighbors: number;
  name: string | null;
  uri: string | null;
  state: string | null;
}

interface ApiLineageGraph {
  nodes: ApiLineageNode[];
  edges: { source: string; target: string; kind: "INPUT" | "OUTPUT" }[];
  truncated: boolean;
}

/** What a drawing shows of each node: its summary fields and neighbour counts. */
const lineageFields = `
  truncated
  nodes { id kind type degree upstreamNeighbors downstreamNeighbors name uri state }
  edges { source target kind }`;

export function toGraph(g: ApiLineageGraph): Graph {
  const nodes: GNode[] = g.nodes.map((n) => ({
    id: n.id,
    kind: n.kind,
    type: n.type,
    degree: n.degree,
    name: n.name,
    uri: n.uri,
    state: n.state,
    upTotal: n.upstreamNeighbors,
    downTotal: n.downstreamNeighbors,
  }));
  const edges: GEdge[] = g.edges.map((e) => ({ source: e.source, target: e.target, kind: e.kind }));
  return { nodes, edges, truncated: g.truncated };
}

export interface LineageRequest {
  artifactIds: string[];
  executionIds: string[];
  direction: Direction;
  /** Null: the server's default. */
  maxHops: number | null;
}

export async function fetchLineage(req: LineageRequest): Promise<Graph> {
  const d = await gql<{ lineage: ApiLineageGraph }>(
    "Loading the lineage",
    `query Lineage($input: LineageInput!) { lineage(input: $input) { ${lineageFields} } }`,
    {
      input: {
        startArtifactIds: req.artifactIds,
        startExecutionIds: req.executionIds,
        direction: req.direction,
        maxHops: req.maxHops,
      },
    },
  );
  return toGraph(d.lineage);
}

export async function fetchContextGraph(contextId: string): Promise<Graph> {
  const d = await gql<{ contextGraph: ApiLineageGraph }>(
    "Loading the context's graph",
    `query ContextGraph($id: ID!) { contextGraph(contextId: $id) { ${lineageFields} } }`,
    { id: contextId },
  );
  return toGraph(d.contextGraph);
}

// ---------------------------------------------------------------- impact

export interface ImpactAnswer {
  truncated: boolean;
  nodes: { id: string; kind: Kind; type: string; degree: number; name: string | null; state: string | null }[];
  contexts: { id: string; type: string; name: string; degree: number; direct: boolean; affectedMembers: number }[];
  countsByKind: { kind: NodeKind; count: number }[];
  countsByType: { kind: NodeKind; type: string; count: number }[];
}

export async function fetchImpact(artifactId: string): Promise<ImpactAnswer> {
  const d = await gql<{ impact: ImpactAnswer }>(
    "Loading the impact analysis",
    `query Impact($ids: [ID!]!) { impact(artifactIds: $ids) {
      truncated
      nodes { id kind type degree name state }
      contexts { id type name degree direct affectedMembers }
      countsByKind { kind count }
      countsByType { kind type count }
    } }`,
    { ids: [artifactId] },
  );
  return d.impact;
}

// ---------------------------------------------------------------- contexts

export interface RunInfo {
  id: string;
  name: string | null;
  typeName: string;
  state: string;
  properties: Record<string, unknown>;
  customProperties: Record<string, unknown>;
  createdAt: string;
}

export interface ContextInfo {
  id: string;
  externalId: string | null;
  name: string | null;
  typeName: string;
  properties: Record<string, unknown>;
  customProperties: Record<string, unknown>;
  createdAt: string;
  parents: ContextRef[];
  children: ContextRef[];
  executions: { totalCount: number; edges: { node: RunInfo }[] };
  artifacts: { totalCount: number };
}

export async function fetchContext(id: string): Promise<ContextInfo | null> {
  const d = await gql<{ context: ContextInfo | null }>(
    "Loading the context",
    `query Context($id: ID!) { context(id: $id) {
      id externalId name typeName properties customProperties createdAt
      parents { id name typeName } children { id name typeName }
      executions(first: 200) { totalCount edges { node { id name typeName state properties customProperties createdAt } } }
      artifacts(first: 1) { totalCount }
    } }`,
    { id },
  );
  return d.context;
}

// ---------------------------------------------------------------- search & home

export interface SearchHit {
  id: string;
  kind: NodeKind;
  typeName: string;
  name: string | null;
  uri: string | null;
  externalId: string | null;
}

export async function search(text: string, first = 20): Promise<SearchHit[]> {
  const d = await gql<{ search: SearchHit[] }>(
    "Searching",
    `query Search($text: String!, $first: Int!) { search(text: $text, first: $first) { id kind typeName name uri externalId } }`,
    { text, first },
  );
  return d.search;
}

export interface TypeCount {
  kind: NodeKind;
  typeName: string;
  count: number;
}

export async function fetchTypeCounts(): Promise<TypeCount[]> {
  const d = await gql<{ typeCounts: TypeCount[] }>("Counting nodes by type", `query TypeCounts { typeCounts { kind typeName count } }`);
  return d.typeCounts;
}

export interface NewestArtifact {
  id: string;
  name: string | null;
  typeName: string;
  uri: string | null;
  state: string;
  createdAt: string;
}

export async function fetchNewestArtifacts(n = 8): Promise<NewestArtifact[]> {
  const d = await gql<{ artifacts: { edges: { node: NewestArtifact }[] } }>(
    "Loading the newest artifacts",
    `query Newest($n: Int!) { artifacts(first: $n, orderBy: { field: "createdAt", descending: true }) { edges { node { id name typeName uri state createdAt } } } }`,
    { n },
  );
  return d.artifacts.edges.map((e) => e.node);
}
