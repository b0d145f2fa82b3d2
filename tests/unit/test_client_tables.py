"""The SDK reads the server's lineage table into its models, and refuses a malformed one."""

from __future__ import annotations

from typing import Any

import pytest

from graph_api.client import ProtocolError
from graph_api.client.tables import decode, lineage_nodes
from graph_api.model.enums import ArtifactState, EventType, ExecutionState, NodeKind


def table(**overrides: Any) -> dict[str, Any]:
    nodes = {
        "id": ["a1", "e1", "a2"], "type": [0, 1, 0], "degree": [0, 1, 2],
        "name": ["data", "train", None], "uri": ["s3://d", None, None],
        "state": ["LIVE", "COMPLETE", None],
        "externalId": ["x-data", None, None], "typeVersion": [None, "2", None],
        "properties": [{"rows": 3}, {}, None], "customProperties": [{}, {"lr": 0.1}, None],
        "createdAt": [1000, 2000, None], "updatedAt": [1500, 2000, None],
    }
    return {"types": [{"kind": "ARTIFACT", "name": "Dataset"},
                      {"kind": "EXECUTION", "name": "Trainer"}],
            "nodes": nodes | overrides,
            "edges": {"source": [0, 1], "target": [1, 2], "eventType": ["INPUT", "OUTPUT"]},
            "truncated": False}


def test_a_table_becomes_lineage_nodes_edges_and_the_stored_nodes() -> None:
    got = decode(table())

    assert [(n.id, n.kind, n.type, n.degree) for n in got.nodes] == [
        ("a1", NodeKind.ARTIFACT, "Dataset", 0), ("e1", NodeKind.EXECUTION, "Trainer", 1),
        ("a2", NodeKind.ARTIFACT, "Dataset", 2)]
    assert [(e.source, e.target, e.kind, e.event_type) for e in got.edges] == [
        ("a1", "e1", "INPUT", EventType.INPUT), ("e1", "a2", "OUTPUT", EventType.OUTPUT)]
    [artifact] = got.artifacts  # a2 was deleted since the walk: no stored node
    assert (artifact.id, artifact.uri, artifact.state, artifact.external_id) == (
        "a1", "s3://d", ArtifactState.LIVE, "x-data")
    assert (artifact.properties, artifact.created_at, artifact.updated_at) == ({"rows": 3},
                                                                               1000, 1500)
    [execution] = got.executions
    assert (execution.state, execution.type_version, execution.custom_properties) == (
        ExecutionState.COMPLETE, "2", {"lr": 0.1})
    assert got.truncated is False


def test_lineage_nodes_need_no_optional_column() -> None:
    bare = {"types": [{"kind": "ARTIFACT", "name": "Dataset"}],
            "nodes": {"id": ["a1"], "type": [0], "degree": [0]},
            "edges": {"source": [], "target": [], "eventType": []}, "truncated": True}

    assert [(n.id, n.kind) for n in lineage_nodes(bare)] == [("a1", NodeKind.ARTIFACT)]


@pytest.mark.parametrize("broken", [
    {"nodes": None}, {"degree": [0, 1]}, {"edges": {"source": [0]}},
], ids=["no-nodes", "ragged", "no-targets"])
def test_a_malformed_table_is_a_protocol_error(broken: dict[str, Any]) -> None:
    value = table()
    if "nodes" in broken:
        value["nodes"] = broken["nodes"]
    elif "edges" in broken:
        value["edges"] = broken["edges"]
    else:
        value["nodes"] |= broken

    with pytest.raises(ProtocolError, match="lineage table is malformed"):
        decode(value)
