"""MLMD's metadata-store calls over the GraphQL API (`put_*`, `get_*`, lineage, impact).

Each call is one GraphQL request — batches go as list inputs, several ids as one `IN`
filter — except listings longer than a page, which follow the Relay connection's
cursors for the caller. Writes are made idempotent before they leave: a node without an
`id` or `externalId` gets a fresh externalId, so a write retried after a lost answer
updates what the first attempt wrote instead of duplicating it. (Contexts are upserted by
their unique (type, name) already.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from graph_api.client import wire
from graph_api.client.errors import InvalidInput, LineageError, NotFound
from graph_api.client.lineage_api import AsyncLineage
from graph_api.client.models import (
    Artifact,
    ArtifactAndEvent,
    ArtifactInput,
    Association,
    Attribution,
    Context,
    ContextInput,
    EventInput,
    Execution,
    ExecutionInput,
    Filter,
    LineageAssociation,
    LineageAttribution,
    LineageBatch,
    LineageEvent,
    LineageSubgraphResult,
    ListOptions,
    NodeKind,
    NodeType,
    Op,
    OrderBy,
    ParentContext,
    PutExecutionResult,
    TypeInput,
)
from graph_api.client.transport import Transport
from graph_api.ids import new_id

N = TypeVar("N", Artifact, Execution, Context)
I = TypeVar("I", ArtifactInput, ExecutionInput, ContextInput)  # noqa: E741

#: The most requests `put_lineage_subgraphs` keeps under way: the server writes one batch at
#: a time (LINEAGE_WRITE_CONCURRENCY), so two already keep it busy; more only wait there.
MAX_IN_FLIGHT = 8
#: Rows per page when the SDK pages through a listing (the server's default cap is 1000).
PAGE_SIZE = 500



def _in_batch(error: Exception, position: int,
              written: dict[int, LineageSubgraphResult]) -> Exception:
    """`error`, of the batch at `position` of `put_lineage_subgraphs` (-1: of taking the
    next batch from the caller's iterable), saying where it happened and what was written
    (`batch`, `written`)."""
    where = f"batches[{position}]" if position >= 0 else "batches"
    if isinstance(error, LineageError):
        error.message = f"{where}: {error.message}"
        error.args = (error.message,)
        error.field = f"{where}.{error.field}" if error.field else where
    else:
        error.add_note(f"in {where} of put_lineage_subgraphs; written: {sorted(written)}")
    error.batch = position  # type: ignore[attr-defined]
    error.written = written  # type: ignore[attr-defined]
    return error


def with_external_id(item: I) -> I:
    """`item`, with a fresh externalId when it names no node to update or upsert."""
    if item.id is not None or item.external_id is not None or isinstance(item, ContextInput):
        return item
    return item.model_copy(update={"external_id": f"sdk-{new_id()}"})


class AsyncStore(AsyncLineage):
    """The metadata-store half of the client: MLMD's calls, one request each."""

    def __init__(self, transport: Transport, page_size: int = PAGE_SIZE) -> None:
        self.transport = transport
        self.page_size = page_size

    # -- types ------------------------------------------------------------------------

    async def _put_type(self, kind: NodeKind, type_: TypeInput, can_add_fields: bool,
                        can_omit_fields: bool) -> str:
        field = wire.PUT_TYPE[kind]
        data = await self.transport.execute(
            f"mutation ($t: TypeDefinitionInput!) {{ {field}(input: $t) {{ id }} }}",
            {"t": wire.type_input(type_, can_add_fields, can_omit_fields)})
        return str(data[field]["id"])

    async def put_artifact_type(self, artifact_type: TypeInput, *, can_add_fields: bool = False,
                                can_omit_fields: bool = False) -> str:
        """Register or evolve an artifact type (MLMD's rules); its id."""
        return await self._put_type(NodeKind.ARTIFACT, artifact_type, can_add_fields,
                                    can_omit_fields)

    async def put_execution_type(self, execution_type: TypeInput, *, can_add_fields: bool = False,
                                 can_omit_fields: bool = False) -> str:
        """Register or evolve an execution type (MLMD's rules); its id."""
        return await self._put_type(NodeKind.EXECUTION, execution_type, can_add_fields,
                                    can_omit_fields)

    async def put_context_type(self, context_type: TypeInput, *, can_add_fields: bool = False,
                               can_omit_fields: bool = False) -> str:
        """Register or evolve a context type (MLMD's rules); its id."""
        return await self._put_type(NodeKind.CONTEXT, context_type, can_add_fields,
                                    can_omit_fields)

    async def _types(self, kind: NodeKind) -> list[NodeType]:
        field = wire.TYPES[kind]
        data = await self.transport.execute(f"{{ {field} {{ {wire.TYPE_FIELDS} }} }}")
        return [wire.node_type(row) for row in data[field]]

    async def get_artifact_types(self) -> list[NodeType]:
        return await self._types(NodeKind.ARTIFACT)

    async def get_execution_types(self) -> list[NodeType]:
        return await self._types(NodeKind.EXECUTION)

    async def get_context_types(self) -> list[NodeType]:
        return await self._types(NodeKind.CONTEXT)

    async def _type(self, kind: NodeKind, name: str, version: str | None) -> NodeType:
        for found in await self._types(kind):
            if found.name == name and found.version == version:
                return found
        raise NotFound(f"no {kind.value.lower()} type {name!r}"
                       + (f" version {version!r}" if version else ""))

    async def get_artifact_type(self, name: str, version: str | None = None) -> NodeType:
        """The artifact type `name` (and `version`); NotFound if none."""
        return await self._type(NodeKind.ARTIFACT, name, version)

    async def get_execution_type(self, name: str, version: str | None = None) -> NodeType:
        return await self._type(NodeKind.EXECUTION, name, version)

    async def get_context_type(self, name: str, version: str | None = None) -> NodeType:
        return await self._type(NodeKind.CONTEXT, name, version)

    # -- node writes ------------------------------------------------------------------

    async def _put_nodes(self, kind: NodeKind, items: Sequence[I]) -> list[str]:
        if not items:
            return []
        field = wire.PUT_NODES[kind]
        rows = [wire.node_input(with_external_id(item)) for item in items]
        data = await self.transport.execute(
            f"mutation ($rows: [{wire.INPUT_TYPE[kind]}!]!) {{ {field}(input: $rows) }}",
            {"rows": rows})
        return [str(i) for i in data[field]]

    async def put_artifacts(self, artifacts: Sequence[ArtifactInput]) -> list[str]:
        """Create or update artifacts, atomically; their ids in input order (MLMD)."""
        return await self._put_nodes(NodeKind.ARTIFACT, artifacts)

    async def put_executions(self, executions: Sequence[ExecutionInput]) -> list[str]:
        """Create or update executions, atomically; their ids in input order (MLMD)."""
        return await self._put_nodes(NodeKind.EXECUTION, executions)

    async def put_contexts(self, contexts: Sequence[ContextInput]) -> list[str]:
        """Create or update contexts (upserted by (type, name)); their ids (MLMD)."""
        return await self._put_nodes(NodeKind.CONTEXT, contexts)

    async def put_events(self, events: Sequence[EventInput]) -> None:
        """Record events, atomically; re-sending one is a no-op (MLMD)."""
        if events:
            await self.transport.execute(
                "mutation ($e: [EventInput!]!) { putEvents(input: $e) }",
                {"e": [wire.event_input(e) for e in events]})

    async def put_attributions_and_associations(
            self, attributions: Sequence[Attribution] = (),
            associations: Sequence[Association] = ()) -> None:
        """Put artifacts and executions into contexts, atomically and idempotently (MLMD)."""
        if not attributions and not associations:
            return
        await self.transport.execute(
            "mutation ($at: [AttributionInput!], $as: [AssociationInput!]) {"
            " putAttributionsAndAssociations(attributions: $at, associations: $as) }",
            {"at": [{"artifactId": a.artifact_id, "contextId": a.context_id}
                    for a in attributions],
             "as": [{"executionId": a.execution_id, "contextId": a.context_id}
                    for a in associations]})

    async def put_parent_contexts(self, parent_contexts: Sequence[ParentContext]) -> None:
        """Link child contexts under parents, idempotently; a cycle is a Conflict (MLMD)."""
        if parent_contexts:
            await self.transport.execute(
                "mutation ($p: [ParentContextInput!]!) { putParentContexts(input: $p) }",
                {"p": [{"childId": p.child_id, "parentId": p.parent_id}
                       for p in parent_contexts]})

    async def put_execution(self, execution: ExecutionInput,
                            artifact_and_events: Sequence[ArtifactAndEvent] = (),
                            contexts: Sequence[ContextInput] = ()) -> PutExecutionResult:
        """Record one step in one transaction (MLMD): the execution, its artifacts with
        their events, its contexts; every artifact is attributed to and the execution
        associated with every context."""
        events = [ae if ae.artifact is None else
                  ae.model_copy(update={"artifact": with_external_id(ae.artifact)})
                  for ae in artifact_and_events]
        data = await self.transport.execute(
            "mutation ($x: ExecutionInput!, $ae: [ArtifactEventInput!], $c: [ContextInput!]) {"
            " putExecution(execution: $x, artifactEvents: $ae, contexts: $c)"
            " { executionId artifactIds contextIds } }",
            {"x": wire.node_input(with_external_id(execution)),
             "ae": [wire.artifact_event_input(ae) for ae in events],
             "c": [wire.node_input(c) for c in contexts]})
        result = data["putExecution"]
        return PutExecutionResult(execution_id=result["executionId"],
                                  artifact_ids=result["artifactIds"],
                                  context_ids=result["contextIds"])

    async def put_lineage_subgraph(
            self, *, contexts: Sequence[ContextInput] = (),
            artifacts: Sequence[ArtifactInput] = (), executions: Sequence[ExecutionInput] = (),
            events: Sequence[LineageEvent] = (), attributions: Sequence[LineageAttribution] = (),
            associations: Sequence[LineageAssociation] = ()) -> LineageSubgraphResult:
        """Record a whole lineage batch in one request, one transaction (MLMD
        put_lineage_subgraph): the nodes, and the events, attributions and associations
        between them, each end a node of the batch (`*_index`: its position in its list)
        or a stored node (`*_id`). All or nothing; re-sending it writes nothing new."""
        if not (contexts or artifacts or executions or events or attributions
                or associations):
            return LineageSubgraphResult(context_ids=[], artifact_ids=[], execution_ids=[])
        data = await self.transport.execute(
            "mutation ($c: [ContextInput!], $a: [ArtifactInput!], $x: [ExecutionInput!], "
            "$e: [LineageEventInput!], $at: [LineageAttributionInput!], "
            "$as: [LineageAssociationInput!]) { putLineageSubgraph(contexts: $c, "
            "artifacts: $a, executions: $x, events: $e, attributions: $at, "
            "associations: $as) { contextIds artifactIds executionIds } }",
            {"c": [wire.node_input(c) for c in contexts],
             "a": [wire.node_input(with_external_id(a)) for a in artifacts],
             "x": [wire.node_input(with_external_id(x)) for x in executions],
             "e": [wire.lineage_event_input(e) for e in events],
             "at": [wire.membership_input(a) for a in attributions],
             "as": [wire.membership_input(a) for a in associations]})
        result = data["putLineageSubgraph"]
        return LineageSubgraphResult(context_ids=result["contextIds"],
                                     artifact_ids=result["artifactIds"],
                                     execution_ids=result["executionIds"])

    async def put_lineage_subgraphs(self, batches: Iterable[LineageBatch], *,
                                    in_flight: int = 2) -> list[LineageSubgraphResult]:
        """Record many lineage batches, each one `put_lineage_subgraph` (one request, one
        transaction), with up to `in_flight` requests under way at once: while the
        database writes one batch, the server reads the next. Results in the order of
        `batches`, which is consumed as the requests go out.

        A batch that fails stops the sending; the requests under way finish. The error
        raised is the failed batch's own (`NotFound`, `InvalidInput`, …), its message and
        `field` prefixed with the batch's position (`batches[3].events[2].artifactId`), with
        `batch` (that position; -1 when taking the next batch from `batches` failed) and
        `written` (position → result of every batch that was written; no other batch
        was): sending the batches absent from `written` again completes the call.

        Raises:
            InvalidInput: `in_flight` is not between 1 and `MAX_IN_FLIGHT`.
            LineageError: a batch failed (see above).
        """
        if not 1 <= in_flight <= MAX_IN_FLIGHT:
            raise InvalidInput(f"in_flight must be between 1 and {MAX_IN_FLIGHT}, "
                               f"not {in_flight}", field="in_flight")
        pending = enumerate(batches)
        written: dict[int, LineageSubgraphResult] = {}
        failed: dict[int, Exception] = {}  # by position; -1: taking the next batch failed

        async def sender() -> None:
            while not failed:
                try:
                    position, batch = next(pending)  # shared: each batch goes to one sender
                except StopIteration:
                    return
                except Exception as error:  # the caller's iterable: nothing more is sent
                    failed[-1] = error
                    return
                try:
                    written[position] = await self.put_lineage_subgraph(
                        contexts=batch.contexts, artifacts=batch.artifacts,
                        executions=batch.executions, events=batch.events,
                        attributions=batch.attributions, associations=batch.associations)
                except Exception as error:
                    failed[position] = error

        await asyncio.gather(*(sender() for _ in range(in_flight)))
        if failed:
            position = min(failed)
            raise _in_batch(failed[position], position, dict(sorted(written.items())))
        return [written[position] for position in range(len(written))]

    # -- node reads -------------------------------------------------------------------

    async def _list(self, kind: NodeKind, options: ListOptions | None = None,
                    where: Filter | None = None, context_id: str | None = None) -> list[Any]:
        """Every node matching (up to `options.limit`), following the cursors."""
        options = options or ListOptions(limit=0)
        conditions = [f for f in (where, options.filter) if f is not None]
        combined = (conditions[0] if len(conditions) == 1
                    else Filter.all_of(*conditions) if conditions else None)
        field = wire.LISTING[kind]
        context_arg = ", contextId: $context" if context_id is not None else ""
        context_var = ", $context: ID" if context_id is not None else ""
        query = (f"query ($filter: FilterInput, $order: OrderByInput, $first: Int!, "
                 f"$after: String{context_var}) {{ {field}(filter: $filter, orderBy: $order, "
                 f"first: $first, after: $after{context_arg}) {{ edges {{ node {{ "
                 f"{wire.FIELDS[kind]} }} }} pageInfo {{ hasNextPage endCursor }} }} }}")
        limit = options.limit if options.limit > 0 else None
        out: list[Any] = []
        after = options.after
        convert = wire.NODE[kind]
        while True:
            first = self.page_size if limit is None else min(self.page_size, limit - len(out))
            variables: dict[str, Any] = {
                "filter": wire.filter_input(combined), "order": wire.order_input(options.order_by),
                "first": first, "after": after}
            if context_id is not None:
                variables["context"] = context_id
            page = (await self.transport.execute(query, variables))[field]
            out.extend(convert(edge["node"]) for edge in page["edges"])
            after = page["pageInfo"]["endCursor"]
            if not page["pageInfo"]["hasNextPage"] or (limit is not None and len(out) >= limit):
                return out

    async def _by_field(self, kind: NodeKind, field: str, values: Sequence[str]) -> list[Any]:
        """The nodes whose `field` is one of `values`, in the order of `values`."""
        wanted = list(dict.fromkeys(values))
        if not wanted:
            return []
        found = await self._list(kind, None, Filter.where(field, Op.IN, wanted))
        key = "id" if field == "id" else "external_id" if field == "externalId" else field
        order = {v: i for i, v in enumerate(wanted)}
        return sorted(found, key=lambda n: (order.get(getattr(n, key), len(order)), n.id))

    async def get_artifacts(self, options: ListOptions | None = None) -> list[Artifact]:
        """Artifacts matching `options` (filter, order, limit; no options: all of them)."""
        return await self._list(NodeKind.ARTIFACT, options)

    async def get_executions(self, options: ListOptions | None = None) -> list[Execution]:
        return await self._list(NodeKind.EXECUTION, options)

    async def get_contexts(self, options: ListOptions | None = None) -> list[Context]:
        return await self._list(NodeKind.CONTEXT, options)

    async def get_artifacts_by_id(self, artifact_ids: Sequence[str]) -> list[Artifact]:
        """The artifacts with these ids, in that order; unknown ids are left out (MLMD)."""
        return await self._by_field(NodeKind.ARTIFACT, "id", artifact_ids)

    async def get_executions_by_id(self, execution_ids: Sequence[str]) -> list[Execution]:
        return await self._by_field(NodeKind.EXECUTION, "id", execution_ids)

    async def get_contexts_by_id(self, context_ids: Sequence[str]) -> list[Context]:
        return await self._by_field(NodeKind.CONTEXT, "id", context_ids)

    async def get_artifacts_by_external_ids(self, external_ids: Sequence[str]) -> list[Artifact]:
        return await self._by_field(NodeKind.ARTIFACT, "externalId", external_ids)

    async def get_executions_by_external_ids(self, external_ids: Sequence[str]
                                             ) -> list[Execution]:
        return await self._by_field(NodeKind.EXECUTION, "externalId", external_ids)

    async def get_contexts_by_external_ids(self, external_ids: Sequence[str]) -> list[Context]:
        return await self._by_field(NodeKind.CONTEXT, "externalId", external_ids)

    def _of_type(self, type_name: str, type_version: str | None) -> Filter:
        # The filter language has no typeVersion field: a version narrows client-side.
        return Filter.where("type", Op.EQ, type_name)

    async def _by_type(self, kind: NodeKind, type_name: str, type_version: str | None,
                       options: ListOptions | None) -> list[Any]:
        found = await self._list(kind, options, self._of_type(type_name, type_version))
        return [n for n in found if type_version is None or n.type_version == type_version]

    async def get_artifacts_by_type(self, type_name: str, type_version: str | None = None,
                                    options: ListOptions | None = None) -> list[Artifact]:
        return await self._by_type(NodeKind.ARTIFACT, type_name, type_version, options)

    async def get_executions_by_type(self, type_name: str, type_version: str | None = None,
                                     options: ListOptions | None = None) -> list[Execution]:
        return await self._by_type(NodeKind.EXECUTION, type_name, type_version, options)

    async def get_contexts_by_type(self, type_name: str, type_version: str | None = None,
                                   options: ListOptions | None = None) -> list[Context]:
        return await self._by_type(NodeKind.CONTEXT, type_name, type_version, options)

    async def get_artifacts_by_uri(self, uris: str | Sequence[str]) -> list[Artifact]:
        """The artifacts at these uris (one or many), oldest first."""
        wanted = [uris] if isinstance(uris, str) else list(uris)
        if not wanted:
            return []
        return await self._list(NodeKind.ARTIFACT, None, Filter.where("uri", Op.IN, wanted))

    async def get_context_by_type_and_name(self, type_name: str, context_name: str
                                           ) -> Context | None:
        """The context of this type and name, or None (MLMD)."""
        data = await self.transport.execute(
            f"query ($t: String!, $n: String!) {{ context(type: $t, name: $n) "
            f"{{ {wire.CONTEXT_FIELDS} }} }}", {"t": type_name, "n": context_name})
        row = data["context"]
        return None if row is None else wire.context(row)

    async def get_artifacts_by_context(self, context_id: str, options: ListOptions | None = None
                                       ) -> list[Artifact]:
        """The artifacts attributed to a context."""
        return await self._list(NodeKind.ARTIFACT, options, context_id=context_id)

    async def get_executions_by_context(self, context_id: str,
                                        options: ListOptions | None = None) -> list[Execution]:
        """The executions associated with a context."""
        return await self._list(NodeKind.EXECUTION, options, context_id=context_id)

    async def _contexts_of(self, field: str, node_id: str) -> list[Context]:
        data = await self.transport.execute(
            f"query ($id: ID!) {{ {field}(id: $id) {{ contexts {{ {wire.CONTEXT_FIELDS} }} }} }}",
            {"id": node_id})
        row = data[field]
        if row is None:
            raise NotFound(f"no {field} {node_id!r}", field="id")
        return [wire.context(c) for c in row["contexts"]]

    async def get_contexts_by_artifact(self, artifact_id: str) -> list[Context]:
        return await self._contexts_of("artifact", artifact_id)

    async def get_contexts_by_execution(self, execution_id: str) -> list[Context]:
        return await self._contexts_of("execution", execution_id)

    async def _related_contexts(self, field: str, context_id: str) -> list[Context]:
        data = await self.transport.execute(
            f"query ($id: ID!) {{ context(id: $id) {{ {field} {{ {wire.CONTEXT_FIELDS} }} }} }}",
            {"id": context_id})
        if data["context"] is None:
            raise NotFound(f"no context {context_id!r}", field="id")
        return [wire.context(c) for c in data["context"][field]]

    async def get_parent_contexts_by_context(self, context_id: str) -> list[Context]:
        return await self._related_contexts("parents", context_id)

    async def get_children_contexts_by_context(self, context_id: str) -> list[Context]:
        return await self._related_contexts("children", context_id)


__all__ = ["AsyncStore", "OrderBy", "with_external_id"]
