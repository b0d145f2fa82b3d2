"""MLMD's write surface: types, nodes, events, memberships, parent contexts, whole steps.

Every mutation is one store call, so one transaction: it is written whole or, on any
error, not at all. Errors name the offending argument (`input[2].properties.lr`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated

import strawberry

from graph_api.errors import LineageError
from graph_api.graphql.context import Info
from graph_api.graphql.nodes.inputs import (
    ArtifactEventInput,
    ArtifactInput,
    ArtifactStateInput,
    AssociationInput,
    AttributionInput,
    ContextInput,
    EventInput,
    ExecutionInput,
    ExecutionStateInput,
    LineageAssociationInput,
    LineageAttributionInput,
    LineageEventInput,
    ParentContextInput,
    TypeDefinitionInput,
)
from graph_api.graphql.nodes.types import NodeTypeDefinition
from graph_api.model.enums import ArtifactState, ExecutionState, NodeKind

ID = strawberry.ID


def _ids(ids: Sequence[str]) -> list[ID]:
    return [ID(i) for i in ids]


@contextmanager
def under(argument: str) -> Iterator[None]:
    """Re-raise the store's errors with their field under `argument` (`properties.x` ->
    `input.properties.x`), for store calls that do not know the argument's name."""
    try:
        yield
    except LineageError as error:
        if not error.field:
            raise
        field = f"{argument}.{error.field}"
        message = (f"{argument}.{error.message}" if error.message.startswith(error.field)
                   else error.message)
        raise type(error)(message, field=field) from None


@strawberry.type(description="The ids one putExecution wrote or reused.")
class PutExecutionResult:
    execution_id: ID = strawberry.field(description="The execution's id.")
    artifact_ids: list[ID] = strawberry.field(
        description="The artifacts' ids, in the order of artifactEvents.")
    context_ids: list[ID] = strawberry.field(
        description="The contexts' ids, in the order of contexts.")


@strawberry.type(description="The ids one putLineageSubgraph wrote or reused.")
class LineageSubgraphResult:
    context_ids: list[ID] = strawberry.field(
        description="The contexts' ids, in the order of contexts.")
    artifact_ids: list[ID] = strawberry.field(
        description="The artifacts' ids, in the order of artifacts.")
    execution_ids: list[ID] = strawberry.field(
        description="The executions' ids, in the order of executions.")


_TYPE_INPUT = strawberry.argument(description="The type and how it may evolve.")
_NODES = ("The nodes to write, atomically; a row names its type, and id or externalId to "
          "update or upsert.")


async def _put_type(info: Info, kind: NodeKind, spec: TypeDefinitionInput) -> NodeTypeDefinition:
    domain = spec.to_domain("input")
    with under("input"):
        stored = await info.context.services.types.put(
            kind, domain, can_add_fields=spec.can_add_fields,
            can_omit_fields=spec.can_omit_fields)
    return NodeTypeDefinition.from_domain(stored)


async def _update_states(
    info: Info, kind: NodeKind, states: Sequence[ArtifactStateInput | ExecutionStateInput],
    by_id: dict[str, ArtifactState] | dict[str, ExecutionState],
) -> list[ID]:
    paths: dict[str, str] = {}
    for i, s in enumerate(states):
        paths.setdefault(str(s.id), f"states[{i}].id")
    await info.context.services.ingest.update_states(kind, by_id, paths)
    return [s.id for s in states]


@strawberry.type
class NodeMutation:
    @strawberry.mutation(description=(
        "Register or evolve an artifact type (MLMD put_artifact_type); returns it as stored."))
    async def put_artifact_type(
        self, info: Info, input: Annotated[TypeDefinitionInput, _TYPE_INPUT]
    ) -> NodeTypeDefinition:
        return await _put_type(info, NodeKind.ARTIFACT, input)

    @strawberry.mutation(description=(
        "Register or evolve an execution type (MLMD put_execution_type); returns it as stored."))
    async def put_execution_type(
        self, info: Info, input: Annotated[TypeDefinitionInput, _TYPE_INPUT]
    ) -> NodeTypeDefinition:
        return await _put_type(info, NodeKind.EXECUTION, input)

    @strawberry.mutation(description=(
        "Register or evolve a context type (MLMD put_context_type); returns it as stored."))
    async def put_context_type(
        self, info: Info, input: Annotated[TypeDefinitionInput, _TYPE_INPUT]
    ) -> NodeTypeDefinition:
        return await _put_type(info, NodeKind.CONTEXT, input)

    @strawberry.mutation(description=(
        "Create or update artifacts (MLMD put_artifacts); their ids, in input order. "
        "Re-sending a batch with externalIds writes nothing new."))
    async def put_artifacts(
        self, info: Info, input: Annotated[list[ArtifactInput], strawberry.argument(
            description=_NODES)]
    ) -> list[ID]:
        rows = [a.to_domain(f"input[{i}]") for i, a in enumerate(input)]
        return _ids(await info.context.services.ingest.put_nodes(NodeKind.ARTIFACT, rows))

    @strawberry.mutation(description=(
        "Create or update executions (MLMD put_executions); their ids, in input order."))
    async def put_executions(
        self, info: Info, input: Annotated[list[ExecutionInput], strawberry.argument(
            description=_NODES)]
    ) -> list[ID]:
        rows = [e.to_domain(f"input[{i}]") for i, e in enumerate(input)]
        return _ids(await info.context.services.ingest.put_nodes(NodeKind.EXECUTION, rows))

    @strawberry.mutation(description=(
        "Create or update contexts (MLMD put_contexts); their ids, in input order. A row "
        "without id or externalId upserts by (type, name)."))
    async def put_contexts(
        self, info: Info, input: Annotated[list[ContextInput], strawberry.argument(
            description=_NODES)]
    ) -> list[ID]:
        rows = [c.to_domain(f"input[{i}]") for i, c in enumerate(input)]
        return _ids(await info.context.services.ingest.put_nodes(NodeKind.CONTEXT, rows))

    @strawberry.mutation(description=(
        "Record events (MLMD put_events), atomically; re-sending one is a no-op. True "
        "when all are recorded."))
    async def put_events(
        self, info: Info, input: Annotated[list[EventInput], strawberry.argument(
            description="The events; their artifacts and executions must exist.")]
    ) -> bool:
        await info.context.services.ingest.put_events(
            [e.to_domain(f"input[{i}]") for i, e in enumerate(input)])
        return True

    @strawberry.mutation(description=(
        "Put artifacts and executions into contexts (MLMD put_attributions_and_associations),"
        " atomically and idempotently. True when all are recorded."))
    async def put_attributions_and_associations(
        self, info: Info,
        attributions: Annotated[list[AttributionInput] | None, strawberry.argument(
            description="Artifacts into contexts.")] = None,
        associations: Annotated[list[AssociationInput] | None, strawberry.argument(
            description="Executions into contexts.")] = None,
    ) -> bool:
        await info.context.services.ingest.put_memberships(
            [a.to_domain() for a in attributions or []],
            [a.to_domain() for a in associations or []])
        return True

    @strawberry.mutation(description=(
        "Link child contexts under parents (MLMD put_parent_contexts), atomically and "
        "idempotently; a link that would make a context its own ancestor is a CONFLICT. "
        "True when all are recorded."))
    async def put_parent_contexts(
        self, info: Info, input: Annotated[list[ParentContextInput], strawberry.argument(
            description="The (child, parent) links.")]
    ) -> bool:
        await info.context.services.ingest.put_parent_contexts([p.to_domain() for p in input])
        return True

    @strawberry.mutation(description=(
        "Record one step in one transaction (MLMD put_execution): the execution, its input "
        "and output artifacts with their events, and its contexts; every artifact is "
        "attributed to and the execution associated with every context. Re-sending it "
        "(with externalIds) writes nothing new."))
    async def put_execution(
        self, info: Info,
        execution: Annotated[ExecutionInput, strawberry.argument(
            description="The execution, new or updated.")],
        artifact_events: Annotated[list[ArtifactEventInput] | None, strawberry.argument(
            description="Its artifacts, each with its event.")] = None,
        contexts: Annotated[list[ContextInput] | None, strawberry.argument(
            description="Contexts of the step, new or updated.")] = None,
    ) -> PutExecutionResult:
        result = await info.context.services.ingest.put_execution(
            execution.to_domain("execution"),
            [a.to_domain(f"artifactEvents[{i}]") for i, a in enumerate(artifact_events or [])],
            [c.to_domain(f"contexts[{i}]") for i, c in enumerate(contexts or [])])
        return PutExecutionResult(execution_id=ID(result.execution_id),
                                  artifact_ids=_ids(result.artifact_ids),
                                  context_ids=_ids(result.context_ids))

    @strawberry.mutation(description=(
        "Record a whole lineage batch in one transaction (MLMD put_lineage_subgraph, with "
        "memberships given one by one): contexts, artifacts and executions written like "
        "putContexts, putArtifacts and putExecutions, and the events, attributions and "
        "associations between them, each end a node of the batch (by its position in its "
        "list) or a stored node (by id). All or nothing; re-sending it (with externalIds) "
        "writes nothing new."))
    async def put_lineage_subgraph(
        self, info: Info,
        contexts: Annotated[list[ContextInput] | None, strawberry.argument(
            description="Contexts to write, new or updated.")] = None,
        artifacts: Annotated[list[ArtifactInput] | None, strawberry.argument(
            description="Artifacts to write, new or updated.")] = None,
        executions: Annotated[list[ExecutionInput] | None, strawberry.argument(
            description="Executions to write, new or updated.")] = None,
        events: Annotated[list[LineageEventInput] | None, strawberry.argument(
            description="Events between the batch's or stored artifacts and executions.")
        ] = None,
        attributions: Annotated[list[LineageAttributionInput] | None, strawberry.argument(
            description="Artifacts into contexts.")] = None,
        associations: Annotated[list[LineageAssociationInput] | None, strawberry.argument(
            description="Executions into contexts.")] = None,
    ) -> LineageSubgraphResult:
        result = await info.context.services.ingest.put_lineage_subgraph(
            [c.to_domain(f"contexts[{i}]") for i, c in enumerate(contexts or [])],
            [a.to_domain(f"artifacts[{i}]") for i, a in enumerate(artifacts or [])],
            [e.to_domain(f"executions[{i}]") for i, e in enumerate(executions or [])],
            [e.to_domain(f"events[{i}]") for i, e in enumerate(events or [])],
            [a.to_domain(f"attributions[{i}]") for i, a in enumerate(attributions or [])],
            [a.to_domain(f"associations[{i}]") for i, a in enumerate(associations or [])])
        return LineageSubgraphResult(context_ids=_ids(result.context_ids),
                                     artifact_ids=_ids(result.artifact_ids),
                                     execution_ids=_ids(result.execution_ids))

    @strawberry.mutation(description=(
        "Set artifacts' states, atomically; the ids in input order. A repeated id: the "
        "last state wins."))
    async def update_artifact_states(
        self, info: Info, states: Annotated[list[ArtifactStateInput], strawberry.argument(
            description="Artifact ids and their new states.")]
    ) -> list[ID]:
        return await _update_states(info, NodeKind.ARTIFACT, states,
                                    {str(s.id): s.state for s in states})

    @strawberry.mutation(description=(
        "Set executions' states, atomically; the ids in input order. A repeated id: the "
        "last state wins."))
    async def update_execution_states(
        self, info: Info, states: Annotated[list[ExecutionStateInput], strawberry.argument(
            description="Execution ids and their new states.")]
    ) -> list[ID]:
        return await _update_states(info, NodeKind.EXECUTION, states,
                                    {str(s.id): s.state for s in states})
