"""Lookups of single nodes and of types."""

from __future__ import annotations

import asyncio

import strawberry

from graph_api.errors import InvalidInput
from graph_api.graphql.context import Info
from graph_api.graphql.nodes.types import (
    AnyNode,
    Artifact,
    Context,
    Execution,
    NodeTypeDefinition,
    node_from_domain,
)
from graph_api.model import nodes as domain
from graph_api.model.enums import NodeKind


def _one_key(**keys: object) -> None:
    given = [k for k, v in keys.items() if v is not None]
    if len(given) != 1:
        names = " or ".join(keys)
        raise InvalidInput(f"{names}: give exactly one", field=names.split(" ")[0])


async def _by_external_id(info: Info, kind: NodeKind, external_id: str) -> domain.Node | None:
    found = await info.context.services.nodes.by_external_ids(kind, [external_id])
    return found[0] if found else None


@strawberry.type
class NodeQuery:
    @strawberry.field(description="One artifact by id or by externalId; null if none.")
    async def artifact(self, info: Info, id: strawberry.ID | None = None,
                       external_id: str | None = None) -> Artifact | None:
        _one_key(id=id, externalId=external_id)
        n = (await info.context.loaders.artifacts.load(str(id)) if id is not None
             else await _by_external_id(info, NodeKind.ARTIFACT, str(external_id)))
        return Artifact.from_domain(n) if isinstance(n, domain.Artifact) else None

    @strawberry.field(description="One execution by id or by externalId; null if none.")
    async def execution(self, info: Info, id: strawberry.ID | None = None,
                        external_id: str | None = None) -> Execution | None:
        _one_key(id=id, externalId=external_id)
        n = (await info.context.loaders.executions.load(str(id)) if id is not None
             else await _by_external_id(info, NodeKind.EXECUTION, str(external_id)))
        return Execution.from_domain(n) if isinstance(n, domain.Execution) else None

    @strawberry.field(description=(
        "One context by id, by externalId, or by its unique (type, name); null if none."))
    async def context(self, info: Info, id: strawberry.ID | None = None,
                      external_id: str | None = None, type: str | None = None,
                      name: str | None = None) -> Context | None:
        if (type is None) != (name is None):
            raise InvalidInput("type: give type and name together", field="type")
        _one_key(id=id, externalId=external_id, type=type)
        n: domain.Node | None
        if id is not None:
            n = await info.context.loaders.contexts.load(str(id))
        elif external_id is not None:
            n = await _by_external_id(info, NodeKind.CONTEXT, external_id)
        else:
            found = await info.context.services.nodes.contexts_by_type_and_name(
                [(str(type), str(name))])
            n = found[0] if found else None
        return Context.from_domain(n) if isinstance(n, domain.Context) else None

    @strawberry.field(description="Any node by id, whatever its kind; null if none.")
    async def node(self, info: Info, id: strawberry.ID) -> AnyNode | None:
        loaders = info.context.loaders
        found = await asyncio.gather(loaders.artifacts.load(str(id)),
                                     loaders.executions.load(str(id)),
                                     loaders.contexts.load(str(id)))
        n = next((f for f in found if f is not None), None)
        return node_from_domain(n) if n is not None else None

    @strawberry.field(description="Every artifact type, by name and version.")
    async def artifact_types(self, info: Info) -> list[NodeTypeDefinition]:
        return [NodeTypeDefinition.from_domain(t)
                for t in await info.context.services.types.list(NodeKind.ARTIFACT)]

    @strawberry.field(description="Every execution type, by name and version.")
    async def execution_types(self, info: Info) -> list[NodeTypeDefinition]:
        return [NodeTypeDefinition.from_domain(t)
                for t in await info.context.services.types.list(NodeKind.EXECUTION)]

    @strawberry.field(description="Every context type, by name and version.")
    async def context_types(self, info: Info) -> list[NodeTypeDefinition]:
        return [NodeTypeDefinition.from_domain(t)
                for t in await info.context.services.types.list(NodeKind.CONTEXT)]
