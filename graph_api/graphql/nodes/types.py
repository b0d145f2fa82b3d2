"""GraphQL object types of the graph model, converted from the domain with `from_domain`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from graph_api.graphql.enums import ArtifactState, ExecutionState, NodeKind, PropertyType
from graph_api.graphql.scalars import JSON
from graph_api.model import nodes as domain
from graph_api.model.types import NodeType as DomainType


def _time(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


@strawberry.type(description="One declared property of a type.")
class PropertyDeclaration:
    name: str = strawberry.field(description="The property's name.")
    type: PropertyType = strawberry.field(description="The value type it must hold.")


@strawberry.type(description="An artifact, execution or context type: name, version, schema.")
class NodeTypeDefinition:
    id: strawberry.ID = strawberry.field(description="Server-generated id of the type.")
    kind: NodeKind = strawberry.field(description="What the type is of.")
    name: str = strawberry.field(description="The type's name; with version, its identity.")
    version: str | None = strawberry.field(description="The type's version, if versioned.")
    base_type: str | None = strawberry.field(
        description="MLMD's base type (DATASET, MODEL, …; TRAIN, TRANSFORM, …), if any.")
    description: str | None = strawberry.field(description="Free text about the type.")
    properties: list[PropertyDeclaration] = strawberry.field(
        description="The declared property schema, by name.")

    @classmethod
    def from_domain(cls, t: DomainType) -> NodeTypeDefinition:
        return cls(
            id=strawberry.ID(t.id), kind=t.kind, name=t.name, version=t.version,
            base_type=t.base_type, description=t.description,
            properties=[PropertyDeclaration(name=k, type=v)
                        for k, v in sorted(t.properties.items())],
        )


@strawberry.interface(description="Fields every artifact, execution and context has.")
class GraphNode:
    id: strawberry.ID = strawberry.field(description="Server-generated, time-ordered id.")
    external_id: str | None = strawberry.field(
        description="Client-chosen unique id; writes with it are idempotent upserts.")
    type_name: str = strawberry.field(description="Name of the node's type.")
    type_version: str | None = strawberry.field(description="Version of the node's type.")
    name: str | None = strawberry.field(description="Human-readable name.")
    properties: JSON = strawberry.field(description="Declared properties, by name.")
    custom_properties: JSON = strawberry.field(description="Custom properties, by name.")
    created_at: datetime = strawberry.field(description="When the store created the node.")
    updated_at: datetime = strawberry.field(description="When the store last wrote the node.")


def _common(n: domain.Node) -> dict[str, object]:
    return {
        "id": strawberry.ID(n.id), "external_id": n.external_id, "type_name": n.type,
        "type_version": n.type_version, "name": n.name, "properties": n.properties,
        "custom_properties": n.custom_properties, "created_at": _time(n.created_at),
        "updated_at": _time(n.updated_at),
    }


@strawberry.type(description="A dataset, model, metrics file… anything a step reads or writes.")
class Artifact(GraphNode):
    uri: str | None = strawberry.field(description="Where the artifact's content lives.")
    state: ArtifactState = strawberry.field(description="The artifact's state.")

    @classmethod
    def from_domain(cls, n: domain.Artifact) -> Artifact:
        return cls(**_common(n), uri=n.uri, state=n.state)  # type: ignore[arg-type]


@strawberry.type(description="A run of a pipeline step, a training run, a deployment…")
class Execution(GraphNode):
    state: ExecutionState = strawberry.field(description="The last known state.")

    @classmethod
    def from_domain(cls, n: domain.Execution) -> Execution:
        return cls(**_common(n), state=n.state)  # type: ignore[arg-type]


@strawberry.type(description="A grouping: an experiment, a pipeline run, a project…")
class Context(GraphNode):
    @classmethod
    def from_domain(cls, n: domain.Context) -> Context:
        return cls(**_common(n))  # type: ignore[arg-type]


AnyNode = Annotated[Artifact | Execution | Context, strawberry.union(
    "AnyNode", description="An artifact, an execution or a context.")]


def node_from_domain(n: domain.Node) -> Artifact | Execution | Context:
    if isinstance(n, domain.Artifact):
        return Artifact.from_domain(n)
    if isinstance(n, domain.Execution):
        return Execution.from_domain(n)
    return Context.from_domain(n)
