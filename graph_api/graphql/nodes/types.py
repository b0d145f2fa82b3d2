"""GraphQL object types of the graph model, converted from the domain with `from_domain`.

Nested fields (`type`, `producedBy`, `inputs`, `contexts`, `artifacts`…) walk the graph in
one request; each goes through a per-request DataLoader (`graph_api.graphql.loaders`), so
a level of the answer costs one store call whatever the number of nodes on it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, ClassVar, TypeVar, cast

import strawberry
from strawberry.dataloader import DataLoader

from graph_api.errors import LineageError, NotFound
from graph_api.graphql.context import Info
from graph_api.graphql.enums import (
    ArtifactState,
    EventType,
    ExecutionState,
    NodeKind,
    PropertyType,
)
from graph_api.graphql.filters import FilterInput, OrderByInput
from graph_api.graphql.loaders import MembersKey, loaded
from graph_api.graphql.pagination import (
    DEFAULT_PAGE_SIZE,
    Connection,
    first_not_limit,
    list_options,
)
from graph_api.graphql.scalars import JSON
from graph_api.graphql.selection import selects
from graph_api.model import nodes as domain
from graph_api.model import relations as domain_relations
from graph_api.model.types import NodeType as DomainType

T = TypeVar("T")


@lru_cache(maxsize=65_536)
def _time(ms: int) -> datetime:
    """A stored timestamp as a datetime. Cached: a batch's nodes share their timestamps,
    and a large answer converts tens of thousands of them."""
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
    properties: JSON = strawberry.field(description=(
        "Declared properties, by name. A proto value (MLMD's proto_value) is "
        '{"typeUrl": ..., "value": <its bytes in base64>}.'))
    custom_properties: JSON = strawberry.field(description=(
        "Custom properties, by name. A proto value (MLMD's proto_value) is "
        '{"typeUrl": ..., "value": <its bytes in base64>}.'))
    created_at: datetime = strawberry.field(description="When the store created the node.")
    updated_at: datetime = strawberry.field(description="When the store last wrote the node.")
    KIND: ClassVar[NodeKind]

    @strawberry.field(name="type", description=(
        "The node's type (typeName, typeVersion) with its declared property schema."))
    async def node_type(self, info: Info) -> NodeTypeDefinition:
        found = await info.context.loaders.types[self.KIND].load(
            (self.type_name, self.type_version))
        if found is None:
            raise NotFound(f"type: no {self.KIND.value.lower()} type {self.type_name!r}",
                           field="type")
        return NodeTypeDefinition.from_domain(found)


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

    KIND: ClassVar[NodeKind] = NodeKind.ARTIFACT

    @classmethod
    def from_domain(cls, n: domain.Artifact) -> Artifact:
        return cls(**_common(n), uri=n.uri, state=n.state)  # type: ignore[arg-type]

    @strawberry.field(description=(
        "The executions that wrote this artifact (an OUTPUT-kind event), by id."))
    def produced_by(self, info: Info) -> list[Execution]:
        return related(info.context.loaders.producers, self.id, Execution)

    @strawberry.field(description=(
        "The executions that read this artifact (an INPUT-kind event), by id."))
    def consumed_by(self, info: Info) -> list[Execution]:
        return related(info.context.loaders.consumers, self.id, Execution)

    @strawberry.field(description=(
        "Every event of this artifact, inputs and outputs, oldest first."))
    async def events(self, info: Info) -> list[Event]:
        found = await info.context.loaders.events[NodeKind.ARTIFACT].load(self.id)
        return [Event.from_domain(e) for e in found]

    @strawberry.field(description="The contexts this artifact is attributed to, by id.")
    def contexts(self, info: Info) -> list[Context]:
        return related(info.context.loaders.contexts_of[NodeKind.ARTIFACT], self.id, Context)


@strawberry.type(description="A run of a pipeline step, a training run, a deployment…")
class Execution(GraphNode):
    state: ExecutionState = strawberry.field(description="The last known state.")

    KIND: ClassVar[NodeKind] = NodeKind.EXECUTION

    @classmethod
    def from_domain(cls, n: domain.Execution) -> Execution:
        return cls(**_common(n), state=n.state)  # type: ignore[arg-type]

    @strawberry.field(description=(
        "The artifacts this execution read (an INPUT-kind event), by id."))
    def inputs(self, info: Info) -> list[Artifact]:
        return related(info.context.loaders.inputs, self.id, Artifact)

    @strawberry.field(description=(
        "The artifacts this execution wrote (an OUTPUT-kind event), by id."))
    def outputs(self, info: Info) -> list[Artifact]:
        return related(info.context.loaders.outputs, self.id, Artifact)

    @strawberry.field(description=(
        "Every event of this execution, inputs and outputs, oldest first."))
    async def events(self, info: Info) -> list[Event]:
        found = await info.context.loaders.events[NodeKind.EXECUTION].load(self.id)
        return [Event.from_domain(e) for e in found]

    @strawberry.field(description="The contexts this execution is associated with, by id.")
    def contexts(self, info: Info) -> list[Context]:
        return related(info.context.loaders.contexts_of[NodeKind.EXECUTION], self.id, Context)


@strawberry.type(description="A grouping: an experiment, a pipeline run, a project…")
class Context(GraphNode):
    KIND: ClassVar[NodeKind] = NodeKind.CONTEXT

    @classmethod
    def from_domain(cls, n: domain.Context) -> Context:
        return cls(**_common(n))  # type: ignore[arg-type]

    @strawberry.field(description=(
        "The artifacts attributed to this context, a page at a time (by createdAt unless "
        "orderBy says otherwise)."))
    async def artifacts(
        self, info: Info,
        filter: Annotated[FilterInput | None, strawberry.argument(
            description="Only the members this filter matches.")] = None,
        order_by: Annotated[OrderByInput | None, strawberry.argument(
            description="Sort key; default createdAt, oldest first; ties break by id.")] = None,
        first: Annotated[int, strawberry.argument(
            description="Page size; at most the server's maxPageSize.")] = DEFAULT_PAGE_SIZE,
        after: Annotated[str | None, strawberry.argument(
            description="Continue after this cursor (a previous page's endCursor).")] = None,
        filter_query: Annotated[str | None, strawberry.argument(description=(
            "Only the members this condition in MLMD's filter_query grammar matches "
            "(ANDed with filter; see docs/mlmd.md)."))] = None,
    ) -> Connection[Artifact]:
        return await _members(self, info, NodeKind.ARTIFACT, Artifact,
                              filter, order_by, first, after, filter_query)

    @strawberry.field(description=(
        "The executions associated with this context, a page at a time (by createdAt "
        "unless orderBy says otherwise)."))
    async def executions(
        self, info: Info,
        filter: Annotated[FilterInput | None, strawberry.argument(
            description="Only the members this filter matches.")] = None,
        order_by: Annotated[OrderByInput | None, strawberry.argument(
            description="Sort key; default createdAt, oldest first; ties break by id.")] = None,
        first: Annotated[int, strawberry.argument(
            description="Page size; at most the server's maxPageSize.")] = DEFAULT_PAGE_SIZE,
        after: Annotated[str | None, strawberry.argument(
            description="Continue after this cursor (a previous page's endCursor).")] = None,
        filter_query: Annotated[str | None, strawberry.argument(description=(
            "Only the members this condition in MLMD's filter_query grammar matches "
            "(ANDed with filter; see docs/mlmd.md)."))] = None,
    ) -> Connection[Execution]:
        return await _members(self, info, NodeKind.EXECUTION, Execution,
                              filter, order_by, first, after, filter_query)

    @strawberry.field(description="The direct parent contexts (e.g. a project), by id.")
    async def parents(self, info: Info) -> list[Context]:
        return _convert(await info.context.loaders.parents.load(self.id), Context)

    @strawberry.field(description="The direct child contexts (e.g. runs), by id.")
    async def children(self, info: Info) -> list[Context]:
        return _convert(await info.context.loaders.children.load(self.id), Context)


@strawberry.type(description=(
    "An event: an execution read an artifact (an INPUT kind) or wrote it (an OUTPUT kind)."))
class Event:
    artifact_id: strawberry.ID = strawberry.field(description="The artifact's id.")
    execution_id: strawberry.ID = strawberry.field(description="The execution's id.")
    type: EventType = strawberry.field(description="What the execution did with the artifact.")
    path: list[JSON] = strawberry.field(description=(
        "Where the artifact sits among the execution's inputs or outputs: keys (strings) "
        "and indexes (integers), as in MLMD's Event.path."))
    timestamp: datetime = strawberry.field(description="When the event happened.")

    @classmethod
    def from_domain(cls, e: domain_relations.Event) -> Event:
        return cls(artifact_id=strawberry.ID(e.artifact_id),
                   execution_id=strawberry.ID(e.execution_id), type=e.type,
                   path=[JSON(p) for p in e.path], timestamp=_time(e.timestamp))

    @strawberry.field(description="The event's artifact.")
    async def artifact(self, info: Info) -> Artifact | None:
        n = await info.context.loaders.artifacts.load(str(self.artifact_id))
        return Artifact.from_domain(n) if isinstance(n, domain.Artifact) else None

    @strawberry.field(description="The event's execution.")
    async def execution(self, info: Info) -> Execution | None:
        n = await info.context.loaders.executions.load(str(self.execution_id))
        return Execution.from_domain(n) if isinstance(n, domain.Execution) else None


def related(loader: DataLoader[str, list[domain.Node]], key: str, cls: type[T]) -> list[T]:
    """The nodes `loader` holds for `key` as `cls` — at once when they are loaded already
    (a listing loads what its request selects ahead: `nodes.lookahead`), else an awaitable
    of them. GraphQL awaits what a resolver returns when it is awaitable, so the field
    completes either way; the annotation names the completed value, hence the cast."""
    done = loaded(loader, key)
    if done is not None:
        return _convert(done.result(), cls)

    async def later() -> list[T]:
        return _convert(await loader.load(key), cls)

    return cast(list[T], later())


def _convert(nodes: list[domain.Node], cls: type[T]) -> list[T]:
    convert: Callable[[domain.Node], T] = cls.from_domain  # type: ignore[attr-defined]
    return [convert(n) for n in nodes]


async def _members(context: Context, info: Info, kind: NodeKind,
                   cls: type[T], filter: FilterInput | None, order_by: OrderByInput | None,
                   first: int, after: str | None, filter_query: str | None = None
                   ) -> Connection[T]:
    """A page of a context's members through the request's members loader."""
    options = list_options(filter, order_by, first, after, filter_query)
    loader = info.context.loaders.members[kind]
    try:
        page = await loader.load(MembersKey(str(context.id), options, selects(info, "totalCount")))
    except LineageError as error:
        raise first_not_limit(error) from None

    async def count() -> int:
        total = await loader.load(MembersKey(str(context.id), options, True))
        return total.total_count or 0

    convert: Callable[[domain.Node], T] = cls.from_domain  # type: ignore[attr-defined]
    return Connection[T].from_page(page, convert, after=after, count=count)


AnyNode = Annotated[Artifact | Execution | Context, strawberry.union(
    "AnyNode", description="An artifact, an execution or a context.")]


def node_from_domain(n: domain.Node) -> Artifact | Execution | Context:
    if isinstance(n, domain.Artifact):
        return Artifact.from_domain(n)
    if isinstance(n, domain.Execution):
        return Execution.from_domain(n)
    return Context.from_domain(n)
