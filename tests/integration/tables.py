"""Reading a lineage table (`LineageGraph.table`, `GET /api/v1/subgraph`) back into rows, and
the typed GraphQL answer into the same rows, so tests can compare them node for node."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

import orjson

#: Every column of a table, and the typed fields that carry the same values.
ALL_COLUMNS = ["NAME", "URI", "STATE", "NEIGHBORS", "PROPERTIES"]
DETAILS = "externalId typeVersion properties customProperties createdAt updatedAt"
TYPED_NODES = f"""nodes {{ id kind type degree name uri state upstreamNeighbors
  downstreamNeighbors node {{ ... on Artifact {{ {DETAILS} }} ... on Execution {{ {DETAILS} }} }} }}
edges {{ source target kind eventType }}
truncated"""

Row = dict[str, Any]
Edge = tuple[str, str, str]


def rows_of_table(table: dict[str, Any]) -> list[Row]:
    """One dict per node: the always-there columns and whichever optional ones the table
    holds, with the node's kind and type name resolved from `types`."""
    nodes = table["nodes"]
    count = len(nodes["id"])
    assert all(len(values) == count for values in nodes.values()), "ragged node columns"
    rows = []
    for i in range(count):
        kind_type = table["types"][nodes["type"][i]]
        row = {key: values[i] for key, values in nodes.items() if key != "type"}
        row |= {"kind": kind_type["kind"], "type": kind_type["name"]}
        rows.append(row)
    return rows


def edges_of_table(table: dict[str, Any]) -> list[Edge]:
    """(source id, target id, event type) of each edge, in the table's order."""
    ids = table["nodes"]["id"]
    edges = table["edges"]
    assert len(edges["source"]) == len(edges["target"]) == len(edges["eventType"])
    return [(ids[s], ids[t], e) for s, t, e in zip(edges["source"], edges["target"],
                                                   edges["eventType"], strict=True)]


def _millis(text: str) -> int:
    return round(datetime.fromisoformat(text).timestamp() * 1000)


def rows_of_typed(answer: dict[str, Any]) -> list[Row]:
    """The typed answer's nodes as the rows a table with every column gives."""
    rows = []
    for n in answer["nodes"]:
        node = n["node"]
        rows.append({
            "id": n["id"], "kind": n["kind"], "type": n["type"], "degree": n["degree"],
            "name": n["name"], "uri": n["uri"], "state": n["state"],
            "upstreamNeighbors": n["upstreamNeighbors"],
            "downstreamNeighbors": n["downstreamNeighbors"],
            "externalId": node["externalId"], "typeVersion": node["typeVersion"],
            "properties": node["properties"], "customProperties": node["customProperties"],
            "createdAt": _millis(node["createdAt"]), "updatedAt": _millis(node["updatedAt"]),
        })
    return rows


def edges_of_typed(answer: dict[str, Any]) -> list[Edge]:
    for e in answer["edges"]:  # the table's event type gives the typed kind
        assert e["kind"] == ("INPUT" if e["eventType"].endswith("INPUT") else "OUTPUT")
    return [(e["source"], e["target"], e["eventType"]) for e in answer["edges"]]


def stream_lines(body: bytes) -> list[dict[str, Any]]:
    """The lines of an NDJSON answer, each a JSON object."""
    assert body.endswith(b"\n")
    return [orjson.loads(line) for line in body.splitlines()]


def joined(lines: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, int]]:
    """The whole table a stream's lines make (their lists concatenated), and its end line."""
    *parts, end = lines
    assert set(end) == {"end"}, f"the last line is not the end line: {end}"
    table: dict[str, Any] = {"types": [], "nodes": {}, "edges": {}}
    for part in parts:
        assert set(part) == {"types", "nodes", "edges"}
        table["types"] += part["types"]
        for section in ("nodes", "edges"):
            for key, values in part[section].items():
                table[section].setdefault(key, []).extend(values)
    return table, end["end"]


def as_set(rows: list[Row]) -> dict[str, Row]:
    by_id = {r["id"]: r for r in rows}
    assert len(by_id) == len(rows), "a node is listed twice"
    return by_id


def multiset(edges: list[Edge]) -> Counter[Edge]:
    return Counter(edges)
