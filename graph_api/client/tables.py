"""The server's compact lineage table (`LineageGraph.table`, `Impact.table`) read into the
SDK's models: one pass over parallel lists, however large the answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph_api.client.errors import ProtocolError
from graph_api.client.models import (
    Artifact,
    EventType,
    Execution,
    LineageEdge,
    LineageNode,
    NodeKind,
)

#: The columns the SDK asks for: what MLMD's lineage subgraph returns of each node.
COLUMNS = "[NAME, URI, STATE, PROPERTIES]"
_EVENTS = {e.value: e for e in EventType}


@dataclass(frozen=True)
class Decoded:
    """A table as the SDK's models: the lineage nodes and edges, and the artifacts and
    executions themselves (those still stored: a node deleted since the walk has none)."""

    nodes: list[LineageNode]
    edges: list[LineageEdge]
    artifacts: list[Artifact]
    executions: list[Execution]
    truncated: bool


def _columns(table: Mapping[str, Any]) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    try:
        nodes, edges = table["nodes"], table["edges"]
        count = len(nodes["id"])
        if any(len(v) != count for v in nodes.values()) or not (
                len(edges["source"]) == len(edges["target"]) == len(edges["eventType"])):
            raise ValueError("columns of unequal length")
    except (KeyError, TypeError, ValueError) as error:
        raise ProtocolError(f"the server's lineage table is malformed ({error})") from None
    return nodes, edges


def decode(table: Mapping[str, Any]) -> Decoded:
    """The SDK's models of a table asked for with `COLUMNS`.

    Raises:
        ProtocolError: the table does not have the documented shape.
    """
    nodes, edges = _columns(table)
    kinds = [NodeKind[t["kind"]] for t in table["types"]]
    names = [t["name"] for t in table["types"]]
    ids = nodes["id"]
    lineage = [LineageNode(i, kinds[t], names[t], d)
               for i, t, d in zip(ids, nodes["type"], nodes["degree"], strict=True)]
    links = [LineageEdge(ids[s], ids[t], "INPUT" if e.endswith("INPUT") else "OUTPUT",
                         _EVENTS[e])
             for s, t, e in zip(edges["source"], edges["target"], edges["eventType"],
                                strict=True)]
    artifacts: list[Artifact] = []
    executions: list[Execution] = []
    for k, node in enumerate(lineage):
        if nodes["createdAt"][k] is None:  # deleted since the walk
            continue
        common = {"id": node.id, "type": node.type, "external_id": nodes["externalId"][k],
                  "type_version": nodes["typeVersion"][k], "name": nodes["name"][k],
                  "properties": nodes["properties"][k] or {},
                  "custom_properties": nodes["customProperties"][k] or {},
                  "created_at": nodes["createdAt"][k], "updated_at": nodes["updatedAt"][k]}
        if node.kind is NodeKind.ARTIFACT:
            artifacts.append(Artifact(**common, uri=nodes["uri"][k], state=nodes["state"][k]))
        else:
            executions.append(Execution(**common, state=nodes["state"][k]))
    return Decoded(lineage, links, artifacts, executions, bool(table["truncated"]))


def lineage_nodes(table: Mapping[str, Any]) -> list[LineageNode]:
    """Only the lineage nodes of a table (any columns)."""
    nodes, _ = _columns(table)
    kinds = [NodeKind[t["kind"]] for t in table["types"]]
    names = [t["name"] for t in table["types"]]
    return [LineageNode(i, kinds[t], names[t], d)
            for i, t, d in zip(nodes["id"], nodes["type"], nodes["degree"], strict=True)]
