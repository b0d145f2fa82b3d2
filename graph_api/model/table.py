"""The compact, columnar form of a lineage or impact answer (`LineageGraph.table`,
`GET /api/v1/subgraph`), and the column reads it is built from.

A table is one JSON object; every list under `nodes` has one entry per node, every list
under `edges` one entry per edge, so an answer of tens of thousands of nodes is a few
lists rather than as many objects::

    {
      "types": [{"kind": "ARTIFACT", "name": "Dataset"}, ...],
      "nodes": {"id": [...], "type": [0, ...], "degree": [0, ...],
                "name": [...], "uri": [...], "state": [...],          # NAME, URI, STATE
                "upstreamNeighbors": [...], "downstreamNeighbors": [...],  # NEIGHBORS
                "externalId": [...], "typeVersion": [...], "properties": [...],
                "customProperties": [...], "createdAt": [...], "updatedAt": [...]},
                                                                   # PROPERTIES
      "edges": {"source": [0, ...], "target": [1, ...], "eventType": ["INPUT", ...]},
      "truncated": false
    }

`nodes.type` indexes `types` (whose entry gives the node's kind and type name); `edges.source`
and `edges.target` index the node lists. `docs/api.md` documents every field.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

#: A table: a JSON object, as documented above.
Table = dict[str, Any]


class Column(StrEnum):
    """Optional columns of a table; ids, types and degrees are always there."""

    NAME = "NAME"
    URI = "URI"
    STATE = "STATE"
    NEIGHBORS = "NEIGHBORS"
    PROPERTIES = "PROPERTIES"


#: The columns a node's summary read gives (one round trip, with the neighbour counts).
SUMMARY_COLUMNS = frozenset({Column.NAME, Column.URI, Column.STATE, Column.NEIGHBORS})


@dataclass(frozen=True, slots=True)
class Summaries:
    """Name, uri and state of nodes found by id and, when counted, how many distinct nodes
    lie one edge upstream (`up`) and downstream (`down`) of each in the whole graph:
    parallel lists, one entry per node found (unknown ids are left out)."""

    id: list[str]
    name: list[str | None]
    uri: list[str | None]
    state: list[str | None]
    up: list[int] | None = None
    down: list[int] | None = None


@dataclass(frozen=True, slots=True)
class Details:
    """Every stored field of nodes found by id, decoded: parallel lists, one entry per node
    found (unknown ids are left out). Times are milliseconds since the Unix epoch."""

    id: list[str]
    name: list[str | None]
    uri: list[str | None]
    state: list[str | None]
    external_id: list[str | None]
    type_version: list[str | None]
    properties: list[dict[str, Any]]
    custom_properties: list[dict[str, Any]]
    created_at: list[int]
    updated_at: list[int]
