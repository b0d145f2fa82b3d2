"""The domain's enumerations, registered with GraphQL under the same names.

`strawberry.enum` marks the domain classes themselves, so types and resolvers annotate
with the domain enums and values pass through unchanged.
"""

from __future__ import annotations

import strawberry

from graph_api.model.enums import (
    ArtifactState,
    Direction,
    EventType,
    ExecutionState,
    NodeKind,
    PropertyType,
)
from graph_api.model.table import Column

strawberry.enum(ArtifactState, description="MLMD's artifact states.")
strawberry.enum(ExecutionState, description="MLMD's last known execution states.")
strawberry.enum(EventType, description=(
    "MLMD's event kinds: *_INPUT kinds are artifact -> execution edges, *_OUTPUT kinds "
    "execution -> artifact edges."))
strawberry.enum(PropertyType, description=(
    "Declared property value types; STRUCT is any JSON value, LIST a list of scalars of "
    "one type, PROTO a packed protobuf message (MLMD's proto_value, a google.protobuf.Any), "
    'as the JSON object {"typeUrl": ..., "value": <its bytes in base64>}.'))
strawberry.enum(NodeKind, description="The three kinds of node.")
strawberry.enum(Direction, description=(
    "UPSTREAM walks against the data flow (what a node was made from), DOWNSTREAM with "
    "it (what was made from the node), BOTH is the union of the two."))

strawberry.enum(Column, name="LineageColumn", description=(
    "An optional column of a lineage table (ids, types and degrees are always there)."))

__all__ = ["ArtifactState", "Column", "Direction", "EventType", "ExecutionState", "NodeKind",
           "PropertyType"]
