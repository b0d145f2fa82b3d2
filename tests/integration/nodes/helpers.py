"""What the node tests share: types to register, sample rows."""

from __future__ import annotations

import time
from typing import Any

from graph_api.model.enums import NodeKind, PropertyType
from graph_api.model.nodes import ArtifactInput
from graph_api.model.types import TypeInput
from graph_api.services.container import Services

P = PropertyType
A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT

#: One declared property of each of the six types.
SCHEMA = {
    "rows": P.INT,
    "score": P.DOUBLE,
    "format": P.STRING,
    "public": P.BOOLEAN,
    "meta": P.STRUCT,
    "splits": P.LIST,
}
PROPERTIES: dict[str, Any] = {
    "rows": 1200,
    "score": 0.875,
    "format": "csv",
    "public": True,
    "meta": {"source": {"db": "pg", "tables": ["a", "b"]}, "sizes": [1, [2, 3], {"x": None}]},
    "splits": ["train", "eval", "test"],
}
CUSTOM: dict[str, Any] = {
    "owner": "ann",
    "epochs": 3,
    "lr": 0.001,
    "flag": False,
    "tags": ["x", "y"],
    "numbers": [1, 2.5],
    "nested": {"a": {"b": [1, 2, {"c": "d"}]}, "empty": {}},
    "mixed": [1, "two", 3.5, True, None],
    "matrix": [[1, 2], [3, 4]],
}


async def register_types(services: Services) -> None:
    for kind, name in ((A, "Dataset"), (E, "Trainer"), (C, "Experiment")):
        await services.types.put(kind, TypeInput(name=name, properties=SCHEMA))
    await services.types.put(A, TypeInput(name="Model", properties={"layers": P.INT}))
    await services.types.put(C, TypeInput(name="Pipeline"))




def dataset(**fields: Any) -> ArtifactInput:
    return ArtifactInput(**{"type": "Dataset", **fields})


def now_ms() -> int:
    return int(time.time() * 1000)
