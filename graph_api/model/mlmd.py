"""Records of MLMD's view of the graph: nodes with their type's int64 id, events with
their order of insertion, listing orders."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from graph_api.model.nodes import Node
from graph_api.model.relations import PathStep


class MlmdOrder(StrEnum):
    """MLMD's `ListOperationOptions.OrderByField.Field`."""

    CREATE_TIME = "CREATE_TIME"
    LAST_UPDATE_TIME = "LAST_UPDATE_TIME"
    ID = "ID"


class MlmdNode(NamedTuple):
    """A stored node and the mlmdId of its type."""

    node: Node
    type_id: int | None


class MlmdEvent(NamedTuple):
    """An event between two nodes named by their mlmdIds; `seq` orders insertions."""

    artifact_id: int
    execution_id: int
    kind: str
    path: list[PathStep]
    timestamp: int
    seq: int
