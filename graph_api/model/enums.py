"""Enumerations of the ML Metadata model."""

from __future__ import annotations

from enum import StrEnum


class NodeKind(StrEnum):
    """The three kinds of node; the value is the node's label in the graph."""

    ARTIFACT = "Artifact"
    EXECUTION = "Execution"
    CONTEXT = "Context"

    @property
    def type_label(self) -> str:
        return f"{self.value}Type"


class PropertyType(StrEnum):
    """Declared property value types. STRUCT is any JSON value; LIST a list of scalars;
    PROTO a packed protobuf message (MLMD's `proto_value`, a `ProtoValue`)."""

    INT = "INT"
    DOUBLE = "DOUBLE"
    STRING = "STRING"
    BOOLEAN = "BOOLEAN"
    STRUCT = "STRUCT"
    LIST = "LIST"
    PROTO = "PROTO"


class ArtifactState(StrEnum):
    UNKNOWN = "UNKNOWN"
    PENDING = "PENDING"
    LIVE = "LIVE"
    MARKED_FOR_DELETION = "MARKED_FOR_DELETION"
    DELETED = "DELETED"
    ABANDONED = "ABANDONED"
    REFERENCE = "REFERENCE"


class ExecutionState(StrEnum):
    UNKNOWN = "UNKNOWN"
    NEW = "NEW"
    RUNNING = "RUNNING"
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"
    CACHED = "CACHED"
    CANCELED = "CANCELED"


class EventType(StrEnum):
    """MLMD's event kinds. Input kinds become `INPUT` edges, output kinds `OUTPUT` edges."""

    INPUT = "INPUT"
    DECLARED_INPUT = "DECLARED_INPUT"
    INTERNAL_INPUT = "INTERNAL_INPUT"
    OUTPUT = "OUTPUT"
    DECLARED_OUTPUT = "DECLARED_OUTPUT"
    INTERNAL_OUTPUT = "INTERNAL_OUTPUT"
    PENDING_OUTPUT = "PENDING_OUTPUT"

    @property
    def is_input(self) -> bool:
        return self.value.endswith("INPUT")

    @property
    def relationship(self) -> str:
        return "INPUT" if self.is_input else "OUTPUT"


class Direction(StrEnum):
    UPSTREAM = "UPSTREAM"
    DOWNSTREAM = "DOWNSTREAM"
    BOTH = "BOTH"


ARTIFACT_BASE_TYPES = frozenset({"DATASET", "MODEL", "METRICS", "STATISTICS"})
EXECUTION_BASE_TYPES = frozenset({"TRAIN", "TRANSFORM", "PROCESS", "EVALUATE", "DEPLOY"})
CONTEXT_BASE_TYPES: frozenset[str] = frozenset()

BASE_TYPES: dict[NodeKind, frozenset[str]] = {
    NodeKind.ARTIFACT: ARTIFACT_BASE_TYPES,
    NodeKind.EXECUTION: EXECUTION_BASE_TYPES,
    NodeKind.CONTEXT: CONTEXT_BASE_TYPES,
}
