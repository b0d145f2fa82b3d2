"""Reads that help people find their way around the graph: search, counts by type, and what
a drawing or a table shows of many nodes at once."""

from __future__ import annotations

from collections.abc import Sequence

from graph_api.model.enums import NodeKind
from graph_api.model.explore import SearchHit, TypeCount
from graph_api.model.table import Details, Summaries
from graph_api.store.connection import Tx
from graph_api.store.properties import decode

#: A stored node without a state has the models' default state.
UNKNOWN_STATE = "UNKNOWN"


async def search(tx: Tx, text: str, kinds: Sequence[NodeKind], limit: int) -> list[SearchHit]:
    """Nodes whose id or external id is `text`, or whose name, uri or type name contains it
    (ignoring case), best matches first; at most `limit`."""
    row = await tx.single("explore/search_nodes", {
        "exact": text, "text": text.lower(), "limit": limit, "kinds": [k.value for k in kinds]})
    return [SearchHit(h["id"], NodeKind(h["kind"]), h["type"], h["name"], h["uri"],
                      h["externalId"]) for h in row["hits"]]


async def type_counts(tx: Tx) -> list[TypeCount]:
    """How many nodes there are of each type (all versions of a name together)."""
    row = await tx.single("explore/type_counts", {})
    return [TypeCount(NodeKind(c["kind"]), c["type"], c["count"]) for c in row["counts"]]


async def summaries(tx: Tx, artifacts: Sequence[str], executions: Sequence[str], *,
                    counts: bool) -> Summaries:
    """Name, uri and state of these nodes and, with `counts`, their distinct direct
    upstream and downstream neighbours; unknown ids are left out."""
    name = "explore/neighbor_counts" if counts else "explore/node_summaries"
    row = await tx.single(name, {"artifacts": list(artifacts), "executions": list(executions)})
    return Summaries(row["id"], row["name"], row["uri"],
                     [state or UNKNOWN_STATE for state in row["state"]],
                     row["up"] if counts else None, row["down"] if counts else None)


async def details(tx: Tx, artifacts: Sequence[str], executions: Sequence[str]) -> Details:
    """Every stored field of these artifacts and executions, decoded; unknown ids are left
    out."""
    rows = (await tx.single("explore/node_details", {"artifacts": list(artifacts),
                                                     "executions": list(executions)}))["nodes"]
    out = Details([], [], [], [], [], [], [], [], [], [])
    for row in rows:
        system, declared, custom = decode(row)
        out.id.append(system["id"])
        out.name.append(system.get("name"))
        out.uri.append(system.get("uri"))
        out.state.append(system.get("state") or UNKNOWN_STATE)
        out.external_id.append(system.get("externalId"))
        out.type_version.append(system.get("typeVersion") or None)
        out.properties.append(declared)
        out.custom_properties.append(custom)
        out.created_at.append(system["createdAt"])
        out.updated_at.append(system["updatedAt"])
    return out
