"""GraphQL types of impact analysis."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph_api.graphql.context import Info
from graph_api.graphql.enums import Column, NodeKind
from graph_api.graphql.lineage.types import TABLE, TYPED_COST, LineageNode, typed_nodes
from graph_api.graphql.nodes.types import Context
from graph_api.graphql.scalars import JSON
from graph_api.model import nodes as domain_nodes
from graph_api.model.impact import AffectedContext, ImpactAnswer


@strawberry.type(description=(
    "A context affected by bad artifacts: it holds an affected artifact or execution "
    "(direct), or it is an ancestor (parent, grandparent…) of such a context."))
class ImpactContext:
    id: strawberry.ID = strawberry.field(description="The context's id.")
    type: str = strawberry.field(description="Name of the context's type.")
    name: str = strawberry.field(description="The context's name.")
    degree: int = strawberry.field(description=(
        "Smallest degree among the affected nodes it holds; for an ancestor, among its "
        "affected child contexts."))
    direct: bool = strawberry.field(description=(
        "True when it holds an affected node itself; false for an ancestor only."))
    affected_members: int = strawberry.field(description=(
        "How many affected artifacts and executions it holds directly (counting every "
        "affected node, whatever `include` lists)."))

    @classmethod
    def from_domain(cls, c: AffectedContext) -> ImpactContext:
        return cls(id=strawberry.ID(c.id), type=c.type, name=c.name, degree=c.degree,
                   direct=c.direct, affected_members=c.affected_members)

    @strawberry.field(description=(
        "The context itself, with its properties: loaded for all contexts in one batch."))
    async def context(self, info: Info) -> Context | None:
        found = await info.context.loaders.contexts.load(str(self.id))
        return Context.from_domain(found) if isinstance(found, domain_nodes.Context) else None


@strawberry.type(description="How many listed nodes are of one kind.")
class ImpactKindCount:
    kind: NodeKind = strawberry.field(description="ARTIFACT, EXECUTION or CONTEXT.")
    count: int = strawberry.field(description="How many listed nodes are of this kind.")


@strawberry.type(description="How many listed nodes are of one type.")
class ImpactTypeCount:
    kind: NodeKind = strawberry.field(description="The kind the type is of.")
    type: str = strawberry.field(description="The type's name.")
    count: int = strawberry.field(description="How many listed nodes are of this type.")


@strawberry.type(description=(
    "What bad artifacts affect: themselves (degree 0), every artifact and execution "
    "downstream of them, and every context holding one of those (with its ancestors)."))
class Impact:
    answer: strawberry.Private[ImpactAnswer]

    @strawberry.field(description=(
        "The affected artifacts and executions, nearest first. " + TYPED_COST))
    async def nodes(self, info: Info) -> list[LineageNode]:
        return await typed_nodes(info, self.answer.graph.nodes, None)

    @strawberry.field(description=(
        "The affected contexts, nearest first: of the listed nodes when truncated."))
    def contexts(self) -> list[ImpactContext]:
        return [ImpactContext.from_domain(c) for c in self.answer.contexts]

    @strawberry.field(description=(
        "How many nodes and contexts are listed, by kind (kinds with none are left out)."))
    def counts_by_kind(self) -> list[ImpactKindCount]:
        return [ImpactKindCount(kind=k, count=c)
                for k, c in sorted(self.answer.counts_by_kind.items())]

    @strawberry.field(description="How many nodes and contexts are listed, by kind and type name.")
    def counts_by_type(self) -> list[ImpactTypeCount]:
        return [ImpactTypeCount(kind=k, type=t, count=c)
                for (k, t), c in sorted(self.answer.counts_by_type.items())]

    @strawberry.field(description=(
        "True when maxNodes cut the artifacts and executions: the nearest were kept. The "
        "export (GET /api/v1/impact) has no such cap."))
    def truncated(self) -> bool:
        return self.answer.truncated

    @strawberry.field(description=(
        "The affected artifacts and executions, and the edges among them, as one compact "
        "table (the contexts are in `contexts`). " + TABLE))
    async def table(self, info: Info, columns: Annotated[list[Column], strawberry.argument(
            description="Optional columns to add; none by default.")] | None = None) -> JSON:
        return JSON(await info.context.services.tables.table(self.answer.graph, columns or ()))
