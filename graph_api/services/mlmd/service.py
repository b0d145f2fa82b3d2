"""MLMD's `MetadataStoreService` on the domain's services: each method takes MLMD's
request message and returns its response message.

Writes go through the domain's batch writes (`IngestService`, `TypeService`), so every
node, edge and topology delta is written as through GraphQL; reads are MLMD's own
(`store.mlmd`), by the int64 ids MLMD clients see. Where MLMD's semantics are stricter
than the domain's upserts (a new node whose external id or (type, name) is taken, a
parent link that exists), the method checks first and refuses as MLMD does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ml_metadata.proto import metadata_store_pb2 as pb
from ml_metadata.proto import metadata_store_service_pb2 as rpc

from graph_api.config import Limits
from graph_api.errors import Conflict, InvalidInput, LimitExceeded, NotFound
from graph_api.model.enums import NodeKind
from graph_api.model.ingest import LineageAssociation, LineageAttribution, LineageEvent
from graph_api.model.mlmd import MlmdNode, MlmdOrder
from graph_api.model.nodes import (
    ArtifactInput,
    ContextInput,
    ExecutionInput,
    NodeInput,
)
from graph_api.model.relations import Association, Attribution, EventInput, ParentContext
from graph_api.model.types import NodeType
from graph_api.services.container import Services
from graph_api.services.ingest import IngestService
from graph_api.services.mlmd import convert
from graph_api.services.mlmd import walk as mlmd_walk
from graph_api.services.topology.cache import TopologyCache
from graph_api.services.topology.index import Topology
from graph_api.services.types import TypeService
from graph_api.store import mlmd as rows
from graph_api.store.connection import Database, Tx

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT
T = TypeVar("T")

_INPUTS: dict[NodeKind, type[NodeInput]] = {A: ArtifactInput, E: ExecutionInput,
                                             C: ContextInput}
_NAMES = {A: "artifact", E: "execution", C: "context"}
#: MLMD's default page size, and the most rows one page holds (MLMD's own cap).
DEFAULT_PAGE = 20
MAX_PAGE = 100
#: MLMD's cap on a lineage walk's hops.
MAX_HOPS = 100


class AlreadyExists(Conflict):
    """What MLMD answers ALREADY_EXISTS to: a new node takes a stored node's key."""


@dataclass
class _Known:
    """What `MlmdService._lookup` read for a write, by kind."""

    nodes: dict[NodeKind, dict[int, MlmdNode]] = field(
        default_factory=lambda: {A: {}, E: {}, C: {}})
    types: dict[NodeKind, dict[int, NodeType]] = field(
        default_factory=lambda: {A: {}, E: {}, C: {}})
    by_external_id: dict[NodeKind, dict[str, MlmdNode]] = field(
        default_factory=lambda: {A: {}, E: {}, C: {}})
    by_name: dict[NodeKind, dict[tuple[str, str | None, str], MlmdNode]] = field(
        default_factory=lambda: {A: {}, E: {}, C: {}})


class _Prepared:
    """A kind's nodes of one write, ready for the batch: rows to write, and nodes reused
    as they are stored (by the domain's id)."""

    def __init__(self) -> None:
        self.inputs: list[NodeInput] = []
        self.slots: list[tuple[str, int | str]] = []  # ("row", i) or ("stored", id)
        self.touched: set[int] = set()  # rows whose update time moves even if unchanged
        self.expected: dict[int, int] = {}  # rows written only if their node's time is this

    def add_row(self, item: NodeInput) -> None:
        self.slots.append(("row", len(self.inputs)))
        self.inputs.append(item)

    def add_stored(self, node_id: str) -> None:
        self.slots.append(("stored", node_id))


def _kind_options(options: pb.ListOperationOptions | None, limit_cap: int
                  ) -> tuple[MlmdOrder, bool, int, str | None, str]:
    if options is None:
        return MlmdOrder.ID, True, limit_cap, None, ""
    order = MlmdOrder.ID
    ascending = True
    if options.HasField("order_by_field"):
        field = options.order_by_field.field
        order = {pb.ListOperationOptions.OrderByField.CREATE_TIME: MlmdOrder.CREATE_TIME,
                 pb.ListOperationOptions.OrderByField.LAST_UPDATE_TIME:
                     MlmdOrder.LAST_UPDATE_TIME}.get(field, MlmdOrder.ID)
        if field == pb.ListOperationOptions.OrderByField.FIELD_UNSPECIFIED:
            order = MlmdOrder.CREATE_TIME
        ascending = options.order_by_field.is_asc
    size = options.max_result_size if options.HasField("max_result_size") else DEFAULT_PAGE
    if size < 1:
        raise InvalidInput("options.max_result_size: must be at least 1",
                           field="options.max_result_size")
    return (order, ascending, min(size, MAX_PAGE, limit_cap), options.next_page_token or None,
            options.filter_query)


def _reused(options: Any) -> set[NodeKind]:
    """The kinds whose new nodes MLMD's put options let a stored node of the same key
    stand for (`reuse_context_if_already_exist`,
    `reuse_artifact_if_already_exist_by_external_id`)."""
    return ({C} if options.reuse_context_if_already_exist else set()) | (
        {A} if options.reuse_artifact_if_already_exist_by_external_id else set())


class MlmdService:
    """MLMD's calls over the domain's database and services."""

    def __init__(self, db: Database, limits: Limits, types: TypeService,
                 ingest: IngestService, topology: TopologyCache) -> None:
        self.db = db
        self.limits = limits
        self.types = types
        self.ingest = ingest
        self.topology = topology

    @classmethod
    def of(cls, services: Services) -> MlmdService:
        """The service over the domain's services (and their database)."""
        return cls(services.ingest.db, services.limits, services.types, services.ingest,
                   services.topology)

    async def _read(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        return await self.db.read(work)

    # -- shared reads -----------------------------------------------------------------

    async def _nodes_by(self, kind: NodeKind, key: str, values: Iterable[Any], limit: int,
                        condition: str | None = None, **params: Any) -> list[MlmdNode]:
        """Nodes whose `key` is one of `values` (and that meet `condition`), by mlmdId."""
        listing = rows.Listing(kind, limit=limit).by(key, values)
        if condition is not None:
            listing.where(condition, **params)
        return (await self._read(lambda tx: rows.page(tx, listing)))[0]

    async def _by_mlmd_ids(self, kind: NodeKind, ids: Iterable[int]) -> dict[int, MlmdNode]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        found = await self._nodes_by(kind, "mlmdId", wanted, len(wanted))
        return {n.node.mlmd_id: n for n in found if n.node.mlmd_id is not None}

    async def _mlmd_ids(self, ids: dict[NodeKind, list[str]]) -> dict[NodeKind, list[int]]:
        """The mlmdIds of nodes written by their domain ids, every kind in one round trip."""
        found = await self._read(lambda tx: rows.mlmd_ids(tx, ids))
        return {kind: [int(x or 0) for x in found[kind]] for kind in ids}

    async def _listing(self, listing: rows.Listing, options: pb.ListOperationOptions | None,
                       ) -> tuple[list[MlmdNode], str | None]:
        order, ascending, limit, token, query = _kind_options(options, self.limits.max_page_size)
        listing.order, listing.ascending, listing.limit, listing.token = (
            order, ascending, limit, token)
        listing.filter_query(query)
        return await self._read(lambda tx: rows.page(tx, listing))

    # -- types ------------------------------------------------------------------------

    async def _put_type(self, kind: NodeKind, message: convert.TypeMessage, *,
                        can_add_fields: bool, can_omit_fields: bool) -> int:
        spec = convert.type_input(message, f"{_NAMES[kind]}_type")
        stored = await self.types.put(kind, spec, can_add_fields=can_add_fields,
                                      can_omit_fields=can_omit_fields)
        return int(stored.mlmd_id or 0)

    async def put_artifact_type(self, request: rpc.PutArtifactTypeRequest
                                ) -> rpc.PutArtifactTypeResponse:
        type_id = await self._put_type(A, request.artifact_type,
                                       can_add_fields=request.can_add_fields,
                                       can_omit_fields=request.can_omit_fields)
        return rpc.PutArtifactTypeResponse(type_id=type_id)

    async def put_execution_type(self, request: rpc.PutExecutionTypeRequest
                                 ) -> rpc.PutExecutionTypeResponse:
        type_id = await self._put_type(E, request.execution_type,
                                       can_add_fields=request.can_add_fields,
                                       can_omit_fields=request.can_omit_fields)
        return rpc.PutExecutionTypeResponse(type_id=type_id)

    async def put_context_type(self, request: rpc.PutContextTypeRequest
                               ) -> rpc.PutContextTypeResponse:
        type_id = await self._put_type(C, request.context_type,
                                       can_add_fields=request.can_add_fields,
                                       can_omit_fields=request.can_omit_fields)
        return rpc.PutContextTypeResponse(type_id=type_id)

    async def put_types(self, request: rpc.PutTypesRequest) -> rpc.PutTypesResponse:
        response = rpc.PutTypesResponse()
        for kind, messages, out in ((A, request.artifact_types, response.artifact_type_ids),
                                    (E, request.execution_types, response.execution_type_ids),
                                    (C, request.context_types, response.context_type_ids)):
            for message in messages:
                out.append(await self._put_type(kind, message,
                                                can_add_fields=request.can_add_fields,
                                                can_omit_fields=request.can_omit_fields))
        return response

    async def _get_type(self, kind: NodeKind, name: str, version: str) -> convert.TypeMessage:
        found = await self.types.by_keys(kind, [(name, version or None)])
        if not found:
            suffix = f" and version {version}" if version else ""
            raise NotFound(f"No type found for query, name: `{name}`{suffix}", field="type_name")
        return convert.type_message(found[0])

    async def get_artifact_type(self, request: rpc.GetArtifactTypeRequest
                                ) -> rpc.GetArtifactTypeResponse:
        found = await self._get_type(A, request.type_name, request.type_version)
        return rpc.GetArtifactTypeResponse(artifact_type=found)

    async def get_execution_type(self, request: rpc.GetExecutionTypeRequest
                                 ) -> rpc.GetExecutionTypeResponse:
        found = await self._get_type(E, request.type_name, request.type_version)
        return rpc.GetExecutionTypeResponse(execution_type=found)

    async def get_context_type(self, request: rpc.GetContextTypeRequest
                               ) -> rpc.GetContextTypeResponse:
        found = await self._get_type(C, request.type_name, request.type_version)
        return rpc.GetContextTypeResponse(context_type=found)

    async def _types(self, kind: NodeKind, *, ids: Sequence[int] | None = None,
                     external_ids: Sequence[str] | None = None) -> list[convert.TypeMessage]:
        found = await self._read(lambda tx: rows.types(tx, kind, ids=ids,
                                                       external_ids=external_ids))
        return [convert.type_message(t) for t in found]

    async def get_artifact_types(self, request: rpc.GetArtifactTypesRequest
                                 ) -> rpc.GetArtifactTypesResponse:
        return rpc.GetArtifactTypesResponse(artifact_types=await self._types(A))

    async def get_execution_types(self, request: rpc.GetExecutionTypesRequest
                                  ) -> rpc.GetExecutionTypesResponse:
        return rpc.GetExecutionTypesResponse(execution_types=await self._types(E))

    async def get_context_types(self, request: rpc.GetContextTypesRequest
                                ) -> rpc.GetContextTypesResponse:
        return rpc.GetContextTypesResponse(context_types=await self._types(C))

    async def get_artifact_types_by_id(self, request: rpc.GetArtifactTypesByIDRequest
                                       ) -> rpc.GetArtifactTypesByIDResponse:
        found = await self._types(A, ids=list(request.type_ids))
        return rpc.GetArtifactTypesByIDResponse(artifact_types=found)

    async def get_execution_types_by_id(self, request: rpc.GetExecutionTypesByIDRequest
                                        ) -> rpc.GetExecutionTypesByIDResponse:
        found = await self._types(E, ids=list(request.type_ids))
        return rpc.GetExecutionTypesByIDResponse(execution_types=found)

    async def get_context_types_by_id(self, request: rpc.GetContextTypesByIDRequest
                                      ) -> rpc.GetContextTypesByIDResponse:
        found = await self._types(C, ids=list(request.type_ids))
        return rpc.GetContextTypesByIDResponse(context_types=found)

    async def get_artifact_types_by_external_ids(
            self, request: rpc.GetArtifactTypesByExternalIdsRequest,
    ) -> rpc.GetArtifactTypesByExternalIdsResponse:
        found = await self._types(A, external_ids=list(request.external_ids))
        return rpc.GetArtifactTypesByExternalIdsResponse(artifact_types=found)

    async def get_execution_types_by_external_ids(
            self, request: rpc.GetExecutionTypesByExternalIdsRequest,
    ) -> rpc.GetExecutionTypesByExternalIdsResponse:
        found = await self._types(E, external_ids=list(request.external_ids))
        return rpc.GetExecutionTypesByExternalIdsResponse(execution_types=found)

    async def get_context_types_by_external_ids(
            self, request: rpc.GetContextTypesByExternalIdsRequest,
    ) -> rpc.GetContextTypesByExternalIdsResponse:
        found = await self._types(C, external_ids=list(request.external_ids))
        return rpc.GetContextTypesByExternalIdsResponse(context_types=found)

    # -- node writes ------------------------------------------------------------------

    async def _lookup(self, batches: Sequence[tuple[NodeKind, Sequence[convert.NodeMessage]]],
                      extra: Mapping[NodeKind, Iterable[int]] | None = None) -> _Known:
        """What a write's messages name, read in one transaction: the stored nodes their
        ids (and `extra` mlmdIds) name, the types their type ids name, and the stored nodes
        that hold the external ids or (type, name) keys of their new nodes."""
        ids: dict[NodeKind, set[int]] = {A: set(), E: set(), C: set()}
        type_ids: dict[NodeKind, set[int]] = {A: set(), E: set(), C: set()}
        for kind, messages in batches:
            for m in messages:
                if m.HasField("id"):
                    ids[kind].add(m.id)
                if m.HasField("type_id"):
                    type_ids[kind].add(m.type_id)
        for kind, more in (extra or {}).items():
            ids[kind] |= set(more)

        async def work(tx: Tx) -> _Known:
            known = _Known()
            for kind in (A, E, C):
                if ids[kind]:
                    listing = rows.Listing(kind, limit=len(ids[kind])).by("mlmdId", ids[kind])
                    known.nodes[kind] = {int(n.node.mlmd_id or 0): n
                                         for n in (await rows.page(tx, listing))[0]}
                    # An update's values are checked against its node's type.
                    type_ids[kind] |= {n.type_id for n in known.nodes[kind].values()
                                       if n.type_id is not None}
                if type_ids[kind]:
                    known.types[kind] = {int(t.mlmd_id or 0): t for t in await rows.types(
                        tx, kind, ids=sorted(type_ids[kind]))}
            for kind, messages in batches:
                new = [m for m in messages if not m.HasField("id")]
                xids = sorted({m.external_id for m in new if m.external_id})
                names = sorted({m.name for m in new if m.name})
                type_names = sorted({known.types[kind][m.type_id].name for m in new
                                     if m.type_id in known.types[kind]})
                found: list[MlmdNode] = []
                if xids:
                    listing = rows.Listing(kind, limit=len(xids)).by("externalId", xids)
                    found += (await rows.page(tx, listing))[0]
                if names and type_names:
                    listing = rows.Listing(kind, limit=self.limits.max_nodes).by(
                        "name", names).where("n.type IN $types", types=type_names)
                    found += (await rows.page(tx, listing))[0]
                for n in found:
                    if n.node.external_id:
                        known.by_external_id[kind][n.node.external_id] = n
                    if n.node.name:
                        key = (n.node.type, n.node.type_version, n.node.name)
                        known.by_name[kind][key] = n
            return known

        return await self._read(work)

    def _prepare(self, kind: NodeKind, messages: Sequence[convert.NodeMessage], where: str,
                 known: _Known, *, mask: Sequence[str] = (), reuse_by_key: bool = False,
                 reuse_stored: bool = False, expect_times: bool = False) -> _Prepared:
        """Turn MLMD's node messages into batch rows: a message with an id updates that
        node (the fields `mask` names, or all of them); one without creates a node.

        `reuse_by_key`: a new context whose (type, name) is taken, or a new artifact
        whose external id is, names the stored node as it is (MLMD's
        `reuse_context_if_already_exist`, `reuse_artifact_if_already_exist_by_external_id`);
        `reuse_stored`: a message with an id names its node as it is
        (`force_reuse_context`); `expect_times`: a message with an id updates its node
        only if the node's update time is still the message's
        (`abort_if_latest_updated_time_changed`). `known`: what `_lookup` read for these
        messages.

        Raises:
            InvalidInput: an id names no node; a new node has no type; a context no name;
                a value is not of its property's declared type.
            NotFound: a type id names no type.
            AlreadyExists: a new node takes a stored node's external id or (type, name).
        """
        stored, types = known.nodes[kind], known.types[kind]
        prepared = _Prepared()
        new: list[tuple[int, NodeInput]] = []
        for i, message in enumerate(messages):
            at = f"{where}[{i}]"
            fields = convert.node_fields(message, at)
            if message.HasField("id"):
                found = stored.get(message.id)
                if found is None:
                    raise InvalidInput(f"{at}.id: no {_NAMES[kind]} with id {message.id}",
                                       field=f"{at}.id")
                if reuse_stored:
                    prepared.add_stored(found.node.id)
                    continue
                if message.HasField("type_id") and message.type_id != found.type_id:
                    raise InvalidInput(f"{at}.type_id: a node's type cannot change",
                                       field=f"{at}.type_id")
                stored_type = types.get(found.type_id or 0)
                if stored_type is not None:
                    convert.check_declared_kinds(message.properties, stored_type.properties,
                                                 f"{at}.properties", _masked_names(mask))
                current = _INPUTS[kind].model_validate(convert.dump_node(
                    found.node, exclude={"created_at", "updated_at", "kind", "mlmd_id"}))
                if mask:
                    fields = convert.masked_fields(current, message, list(mask), at)
                elif kind is C and "name" not in fields:
                    fields["name"] = found.node.name
                if message.last_update_time_since_epoch != found.node.updated_at:
                    # MLMD compares the whole message with the stored node, times
                    # included: only a node sent back as read keeps its update time.
                    prepared.touched.add(len(prepared.inputs))
                if expect_times:
                    prepared.expected[len(prepared.inputs)] = message.last_update_time_since_epoch
                prepared.add_row(_INPUTS[kind].model_validate({
                    **fields, "id": found.node.id, "type": found.node.type,
                    "type_version": found.node.type_version}))
                continue
            if not message.HasField("type_id"):
                raise InvalidInput(f"{at}.type_id: a new {_NAMES[kind]} needs a type",
                                   field=f"{at}.type_id")
            node_type = types.get(message.type_id)
            if node_type is None:
                raise NotFound(f"{at}.type_id: no {_NAMES[kind]} type with id "
                               f"{message.type_id}", field=f"{at}.type_id")
            if kind is C and not fields.get("name"):
                raise InvalidInput(f"{at}.name: a context needs a name", field=f"{at}.name")
            convert.check_declared_kinds(message.properties, node_type.properties,
                                         f"{at}.properties")
            item = _INPUTS[kind].model_validate({**fields, "type": node_type.name,
                                                 "type_version": node_type.version})
            new.append((len(prepared.slots), item))
            prepared.add_row(item)
        if new:
            self._check_new(kind, prepared, new, where, known, reuse_by_key)
        return prepared

    @staticmethod
    def _check_new(kind: NodeKind, prepared: _Prepared, new: list[tuple[int, NodeInput]],
                   where: str, known: _Known, reuse: bool) -> None:
        """Refuse (or, with `reuse`, swap for the stored node) new nodes whose external
        id or (type, name) is taken, in the batch or in the store."""
        taken_x, taken_n = known.by_external_id[kind], known.by_name[kind]
        seen_x: set[str] = set()
        seen_n: set[tuple[str, str | None, str]] = set()
        for slot, item in new:
            at = f"{where}[{slot}]"
            name = getattr(item, "name", None)
            key = (item.type, item.type_version, name) if name else None
            reusable = (taken_n.get(key) if key is not None and kind is C
                        else taken_x.get(item.external_id or "") if kind is A else None)
            if reuse and reusable is not None:
                prepared.slots[slot] = ("stored", reusable.node.id)
                continue
            if item.external_id and (item.external_id in taken_x or item.external_id in seen_x):
                raise AlreadyExists(f"{at}.external_id: {item.external_id!r} is taken",
                                    field=f"{at}.external_id")
            if key is not None and (key in taken_n or key in seen_n):
                raise AlreadyExists(f"{at}.name: a {_NAMES[kind]} of type {item.type!r} "
                                    f"named {name!r} exists", field=f"{at}.name")
            if item.external_id:
                seen_x.add(item.external_id)
            if key is not None:
                seen_n.add(key)
        kept = list(prepared.slots)
        inputs = [prepared.inputs[int(i)] for tag, i in kept if tag == "row"]
        if len(inputs) != len(prepared.inputs):  # rows swapped for stored nodes
            touched, expected = prepared.touched, prepared.expected
            prepared.inputs, prepared.slots, prepared.touched, prepared.expected = [], [], set(), {}
            for tag, ref in kept:
                if tag == "row":
                    if int(ref) in touched:
                        prepared.touched.add(len(prepared.inputs))
                    if int(ref) in expected:
                        prepared.expected[len(prepared.inputs)] = expected[int(ref)]
                    prepared.add_row(inputs.pop(0))
                else:
                    prepared.add_stored(str(ref))

    async def _put_nodes(self, kind: NodeKind, messages: Sequence[convert.NodeMessage],
                         mask: Sequence[str], where: str, expect_times: bool = False
                         ) -> list[int]:
        known = await self._lookup([(kind, messages)])
        prepared = self._prepare(kind, messages, where, known, mask=mask,
                                 expect_times=expect_times)
        ids = await self.ingest.put_nodes(kind, prepared.inputs, new_only=True,
                                          touched=prepared.touched, expected=prepared.expected)
        return (await self._mlmd_ids({kind: ids}))[kind]

    async def put_artifacts(self, request: rpc.PutArtifactsRequest) -> rpc.PutArtifactsResponse:
        ids = await self._put_nodes(
            A, request.artifacts, request.update_mask.paths, "artifacts",
            expect_times=request.options.abort_if_latest_updated_time_changed)
        return rpc.PutArtifactsResponse(artifact_ids=ids)

    async def put_executions(self, request: rpc.PutExecutionsRequest
                             ) -> rpc.PutExecutionsResponse:
        ids = await self._put_nodes(E, request.executions, request.update_mask.paths,
                                    "executions")
        return rpc.PutExecutionsResponse(execution_ids=ids)

    async def put_contexts(self, request: rpc.PutContextsRequest) -> rpc.PutContextsResponse:
        ids = await self._put_nodes(C, request.contexts, request.update_mask.paths, "contexts")
        return rpc.PutContextsResponse(context_ids=ids)

    # -- edges ------------------------------------------------------------------------

    async def _domain_ids(self, kind: NodeKind, ids: Sequence[int], where: str) -> list[str]:
        """The domain's ids of nodes named by mlmdId.

        Raises:
            InvalidInput: an id is unset (0) or names no node (MLMD's answer to both).
        """
        found = await self._by_mlmd_ids(kind, ids)
        out = []
        for i, mlmd_id in enumerate(ids):
            if mlmd_id not in found:
                raise InvalidInput(f"{where}[{i}]: no {_NAMES[kind]} with id {mlmd_id}",
                                   field=f"{where}[{i}]")
            out.append(found[mlmd_id].node.id)
        return out

    async def put_events(self, request: rpc.PutEventsRequest) -> rpc.PutEventsResponse:
        for i, event in enumerate(request.events):
            for name in ("artifact_id", "execution_id"):
                if not event.HasField(name):
                    raise InvalidInput(f"events[{i}].{name}: an event needs both ends",
                                       field=f"events[{i}].{name}")
        artifacts = await self._domain_ids(A, [e.artifact_id for e in request.events], "events")
        executions = await self._domain_ids(E, [e.execution_id for e in request.events],
                                            "events")
        await self.ingest.put_events([
            EventInput(artifact_id=a, execution_id=x, type=convert.event_kind(e, f"events[{i}]"),
                       path=convert.path_of(e),
                       timestamp=e.milliseconds_since_epoch or None)
            for i, (a, x, e) in enumerate(zip(artifacts, executions, request.events,
                                              strict=True))])
        return rpc.PutEventsResponse()

    async def put_attributions_and_associations(
            self, request: rpc.PutAttributionsAndAssociationsRequest,
    ) -> rpc.PutAttributionsAndAssociationsResponse:
        attributions, associations = request.attributions, request.associations
        a_ids = await self._domain_ids(A, [a.artifact_id for a in attributions], "attributions")
        a_ctx = await self._domain_ids(C, [a.context_id for a in attributions], "attributions")
        x_ids = await self._domain_ids(E, [a.execution_id for a in associations],
                                       "associations")
        x_ctx = await self._domain_ids(C, [a.context_id for a in associations], "associations")
        await self.ingest.put_memberships(
            [Attribution(artifact_id=a, context_id=c) for a, c in zip(a_ids, a_ctx, strict=True)],
            [Association(execution_id=x, context_id=c) for x, c in zip(x_ids, x_ctx,
                                                                       strict=True)])
        return rpc.PutAttributionsAndAssociationsResponse()

    async def put_parent_contexts(self, request: rpc.PutParentContextsRequest
                                  ) -> rpc.PutParentContextsResponse:
        links = list(request.parent_contexts)
        for i, link in enumerate(links):
            if not link.HasField("child_id") or not link.HasField("parent_id"):
                raise InvalidInput(f"parent_contexts[{i}]: needs a child_id and a parent_id",
                                   field=f"parent_contexts[{i}]")
        children = await self._domain_ids(C, [x.child_id for x in links], "parent_contexts")
        parents = await self._domain_ids(C, [x.parent_id for x in links], "parent_contexts")
        pairs = [(x.child_id, x.parent_id) for x in links]
        existing = await self._read(lambda tx: rows.existing_links(tx, pairs))
        if existing:
            child, parent = sorted(existing)[0]
            raise AlreadyExists(f"parent_contexts: context {child} already has parent "
                                f"{parent}", field="parent_contexts")
        try:
            await self.ingest.put_parent_contexts([
                ParentContext(child_id=c, parent_id=p)
                for c, p in zip(children, parents, strict=True)])
        except Conflict as error:  # a cycle: MLMD refuses it as an invalid argument
            raise InvalidInput(error.message, field=error.field) from None
        return rpc.PutParentContextsResponse()

    # -- whole steps ------------------------------------------------------------------

    async def put_execution(self, request: rpc.PutExecutionRequest
                            ) -> rpc.PutExecutionResponse:
        options = request.options
        pairs = list(request.artifact_event_pairs)
        with_artifact = [p.artifact for p in pairs if p.HasField("artifact")]
        referenced = [p.event.artifact_id for p in pairs
                      if not p.HasField("artifact") and p.HasField("event")]
        known = await self._lookup([(C, request.contexts), (A, with_artifact),
                                    (E, [request.execution])], {A: referenced})
        contexts = self._prepare(
            C, request.contexts, "contexts", known,
            reuse_by_key=options.reuse_context_if_already_exist,
            reuse_stored=options.force_reuse_context)
        artifacts = self._prepare(
            A, with_artifact, "artifact_event_pairs", known,
            reuse_by_key=options.reuse_artifact_if_already_exist_by_external_id)
        executions = self._prepare(E, [request.execution], "execution", known)
        stored_artifacts = known.nodes[A]
        events: list[dict[str, Any]] = []
        returned: list[tuple[bool, int]] = []  # (a position among the artifacts, or an id)
        position = 0
        for i, pair in enumerate(pairs):
            if pair.HasField("artifact"):
                slot = artifacts.slots[position]
                returned.append((True, position))
                position += 1
            elif pair.HasField("event") and pair.event.HasField("artifact_id"):
                found = stored_artifacts.get(pair.event.artifact_id)
                if found is None:
                    raise InvalidInput(f"artifact_event_pairs[{i}].event.artifact_id: no "
                                       f"artifact with id {pair.event.artifact_id}",
                                       field=f"artifact_event_pairs[{i}].event.artifact_id")
                slot = ("stored", found.node.id)
                returned.append((False, pair.event.artifact_id))
            else:
                raise InvalidInput(f"artifact_event_pairs[{i}]: needs an artifact or an "
                                   "event with an artifact_id",
                                   field=f"artifact_event_pairs[{i}]")
            if pair.HasField("event"):
                events.append({"artifact": slot, "execution": executions.slots[0],
                               "event": pair.event, "where": f"artifact_event_pairs[{i}].event"})
        ids = await self._write_subgraph(
            contexts, artifacts, executions, events, reused=_reused(options),
            force_update=options.force_update_time)
        return rpc.PutExecutionResponse(
            execution_id=ids[E][0], context_ids=ids[C],
            artifact_ids=[ids[A][ref] if written else ref for written, ref in returned])

    async def put_lineage_subgraph(self, request: rpc.PutLineageSubgraphRequest
                                   ) -> rpc.PutLineageSubgraphResponse:
        options = request.options
        edges = list(request.event_edges)
        known = await self._lookup(
            [(C, request.contexts), (A, request.artifacts), (E, request.executions)],
            {A: [e.event.artifact_id for e in edges if not e.HasField("artifact_index")],
             E: [e.event.execution_id for e in edges if not e.HasField("execution_index")]})
        contexts = self._prepare(C, request.contexts, "contexts", known,
                                 reuse_by_key=options.reuse_context_if_already_exist)
        artifacts = self._prepare(
            A, request.artifacts, "artifacts", known,
            reuse_by_key=options.reuse_artifact_if_already_exist_by_external_id)
        executions = self._prepare(E, request.executions, "executions", known)
        stored_a, stored_x = known.nodes[A], known.nodes[E]
        events = []
        for i, edge in enumerate(edges):
            where = f"event_edges[{i}]"
            ends: dict[str, tuple[str, int | str]] = {}
            for name, prepared, stored, index_field, id_field in (
                    ("artifact", artifacts, stored_a, "artifact_index", "artifact_id"),
                    ("execution", executions, stored_x, "execution_index", "execution_id")):
                if edge.HasField(index_field):
                    index = getattr(edge, index_field)
                    if not 0 <= index < len(prepared.slots):
                        raise InvalidInput(f"{where}.{index_field}: {index} is outside the "
                                           f"request's {name}s", field=f"{where}.{index_field}")
                    ends[name] = prepared.slots[index]
                else:
                    found = stored.get(getattr(edge.event, id_field))
                    if found is None:
                        raise InvalidInput(f"{where}.event.{id_field}: no {name} with id "
                                           f"{getattr(edge.event, id_field)}",
                                           field=f"{where}.event.{id_field}")
                    ends[name] = ("stored", found.node.id)
            events.append({"artifact": ends["artifact"], "execution": ends["execution"],
                           "event": edge.event, "where": f"{where}.event"})
        ids = await self._write_subgraph(contexts, artifacts, executions, events,
                                         reused=_reused(options))
        return rpc.PutLineageSubgraphResponse(
            execution_ids=ids[E], artifact_ids=ids[A], context_ids=ids[C])

    async def _write_subgraph(self, contexts: _Prepared, artifacts: _Prepared,
                              executions: _Prepared, events: Sequence[dict[str, Any]], *,
                              reused: Collection[NodeKind] = (),
                              force_update: bool = False
                              ) -> dict[NodeKind, list[int]]:
        """One batch write: the rows, the events, every artifact attributed to and every
        execution associated with every context (MLMD's rule for both calls); returns the
        mlmdIds of each kind's slots, in order. A new row must create its node unless its
        kind is `reused` (a node another call created meanwhile is then reused); with
        `force_update`, the executions get a new update time even if unchanged."""

        def end(slot: tuple[str, int | str]) -> dict[str, Any]:
            tag, ref = slot
            return {"index": ref} if tag == "row" else {"id": ref}

        def pair(kind_a: str, a: tuple[str, int | str], kind_c: str,
                 c: tuple[str, int | str]) -> dict[str, Any]:
            x, y = end(a), end(c)
            return {f"{kind_a}_{k}": v for k, v in x.items()} | {
                f"{kind_c}_{k}": v for k, v in y.items()}

        lineage_events = [LineageEvent.model_validate({
            **pair("artifact", e["artifact"], "execution", e["execution"]),
            "type": convert.event_kind(e["event"], e["where"]),
            "path": convert.path_of(e["event"]),
            "timestamp": e["event"].milliseconds_since_epoch or None}) for e in events]
        attributions = [LineageAttribution.model_validate(pair("artifact", a, "context", c))
                        for a in _distinct(artifacts.slots) for c in _distinct(contexts.slots)]
        associations = [LineageAssociation.model_validate(pair("execution", x, "context", c))
                        for x in _distinct(executions.slots) for c in _distinct(contexts.slots)]
        written = await self.ingest.put_lineage_subgraph(
            contexts=[x for x in contexts.inputs if isinstance(x, ContextInput)],
            artifacts=[x for x in artifacts.inputs if isinstance(x, ArtifactInput)],
            executions=[x for x in executions.inputs if isinstance(x, ExecutionInput)],
            events=lineage_events, attributions=attributions, associations=associations,
            new_only={A, E, C} - set(reused), touched={
                C: contexts.touched, A: artifacts.touched,
                E: set(range(len(executions.inputs))) if force_update else executions.touched})
        return await self._mlmd_ids({
            kind: [ids[int(ref)] if tag == "row" else str(ref) for tag, ref in prepared.slots]
            for kind, prepared, ids in ((C, contexts, written.context_ids),
                                        (A, artifacts, written.artifact_ids),
                                        (E, executions, written.execution_ids))})

    # -- node reads -------------------------------------------------------------------

    @staticmethod
    def _messages(found: Iterable[MlmdNode]) -> list[Any]:
        return [convert.node_message(n) for n in found]

    async def _by_ids_response(self, kind: NodeKind, ids: Sequence[int]) -> list[Any]:
        found = await self._by_mlmd_ids(kind, ids)
        return self._messages(found[i] for i in dict.fromkeys(ids) if i in found)

    async def get_artifacts_by_id(self, request: rpc.GetArtifactsByIDRequest
                                  ) -> rpc.GetArtifactsByIDResponse:
        response = rpc.GetArtifactsByIDResponse(
            artifacts=await self._by_ids_response(A, list(request.artifact_ids)))
        if request.populate_artifact_types:
            type_ids = sorted({a.type_id for a in response.artifacts})
            response.artifact_types.extend(await self._types(A, ids=type_ids))
        return response

    async def get_executions_by_id(self, request: rpc.GetExecutionsByIDRequest
                                   ) -> rpc.GetExecutionsByIDResponse:
        return rpc.GetExecutionsByIDResponse(
            executions=await self._by_ids_response(E, list(request.execution_ids)))

    async def get_contexts_by_id(self, request: rpc.GetContextsByIDRequest
                                 ) -> rpc.GetContextsByIDResponse:
        return rpc.GetContextsByIDResponse(
            contexts=await self._by_ids_response(C, list(request.context_ids)))

    async def _list(self, kind: NodeKind, options: pb.ListOperationOptions | None, *,
                    type_name: str | None = None, type_version: str = "",
                    context_id: int | None = None) -> tuple[list[Any], str | None]:
        listing = rows.Listing(kind, context_id=context_id)
        if type_name is not None:
            listing.by("type", [type_name]).where(
                "n.typeVersion = $typeVersion", typeVersion=type_version)
        found, token = await self._listing(listing, options)
        return self._messages(found), token

    @staticmethod
    def _options(request: Any) -> pb.ListOperationOptions | None:
        return request.options if request.HasField("options") else None

    async def get_artifacts(self, request: rpc.GetArtifactsRequest) -> rpc.GetArtifactsResponse:
        found, token = await self._list(A, self._options(request))
        return rpc.GetArtifactsResponse(artifacts=found, next_page_token=token)

    async def get_executions(self, request: rpc.GetExecutionsRequest
                             ) -> rpc.GetExecutionsResponse:
        found, token = await self._list(E, self._options(request))
        return rpc.GetExecutionsResponse(executions=found, next_page_token=token)

    async def get_contexts(self, request: rpc.GetContextsRequest) -> rpc.GetContextsResponse:
        found, token = await self._list(C, self._options(request))
        return rpc.GetContextsResponse(contexts=found, next_page_token=token)

    async def get_artifacts_by_type(self, request: rpc.GetArtifactsByTypeRequest
                                    ) -> rpc.GetArtifactsByTypeResponse:
        found, token = await self._list(A, self._options(request),
                                        type_name=request.type_name,
                                        type_version=request.type_version)
        return rpc.GetArtifactsByTypeResponse(artifacts=found, next_page_token=token)

    async def get_executions_by_type(self, request: rpc.GetExecutionsByTypeRequest
                                     ) -> rpc.GetExecutionsByTypeResponse:
        found, token = await self._list(E, self._options(request),
                                        type_name=request.type_name,
                                        type_version=request.type_version)
        return rpc.GetExecutionsByTypeResponse(executions=found, next_page_token=token)

    async def get_contexts_by_type(self, request: rpc.GetContextsByTypeRequest
                                   ) -> rpc.GetContextsByTypeResponse:
        found, token = await self._list(C, self._options(request),
                                        type_name=request.type_name,
                                        type_version=request.type_version)
        return rpc.GetContextsByTypeResponse(contexts=found, next_page_token=token)

    async def _by_type_and_name(self, kind: NodeKind, type_name: str, type_version: str,
                                name: str) -> Any | None:
        found = await self._nodes_by(
            kind, "name", [name], 1, "n.type = $typeName AND n.typeVersion = $typeVersion",
            typeName=type_name, typeVersion=type_version)
        return convert.node_message(found[0]) if found else None

    async def get_artifact_by_type_and_name(self, request: rpc.GetArtifactByTypeAndNameRequest
                                            ) -> rpc.GetArtifactByTypeAndNameResponse:
        found = await self._by_type_and_name(A, request.type_name, request.type_version,
                                             request.artifact_name)
        return rpc.GetArtifactByTypeAndNameResponse(artifact=found)

    async def get_execution_by_type_and_name(
            self, request: rpc.GetExecutionByTypeAndNameRequest,
    ) -> rpc.GetExecutionByTypeAndNameResponse:
        found = await self._by_type_and_name(E, request.type_name, request.type_version,
                                             request.execution_name)
        return rpc.GetExecutionByTypeAndNameResponse(execution=found)

    async def get_context_by_type_and_name(self, request: rpc.GetContextByTypeAndNameRequest
                                           ) -> rpc.GetContextByTypeAndNameResponse:
        found = await self._by_type_and_name(C, request.type_name, request.type_version,
                                             request.context_name)
        return rpc.GetContextByTypeAndNameResponse(context=found)

    async def _all_by(self, kind: NodeKind, key: str, values: Sequence[Any]) -> list[Any]:
        """Every node whose `key` is one of `values` (up to the configured node cap, past
        which the caller is told)."""
        found = await self._nodes_by(kind, key, values, self.limits.max_nodes + 1)
        if len(found) > self.limits.max_nodes:
            raise LimitExceeded(f"more than {self.limits.max_nodes} matches (maxNodes)")
        return self._messages(found)

    async def get_artifacts_by_uri(self, request: rpc.GetArtifactsByURIRequest
                                   ) -> rpc.GetArtifactsByURIResponse:
        uris = sorted(set(request.uris))
        return rpc.GetArtifactsByURIResponse(
            artifacts=await self._all_by(A, "uri", uris) if uris else [])

    async def _by_external_ids(self, kind: NodeKind, external_ids: Sequence[str]) -> list[Any]:
        wanted = sorted(set(external_ids))
        if not wanted:
            return []
        return await self._all_by(kind, "externalId", wanted)

    async def get_artifacts_by_external_ids(
            self, request: rpc.GetArtifactsByExternalIdsRequest,
    ) -> rpc.GetArtifactsByExternalIdsResponse:
        return rpc.GetArtifactsByExternalIdsResponse(
            artifacts=await self._by_external_ids(A, request.external_ids))

    async def get_executions_by_external_ids(
            self, request: rpc.GetExecutionsByExternalIdsRequest,
    ) -> rpc.GetExecutionsByExternalIdsResponse:
        return rpc.GetExecutionsByExternalIdsResponse(
            executions=await self._by_external_ids(E, request.external_ids))

    async def get_contexts_by_external_ids(
            self, request: rpc.GetContextsByExternalIdsRequest,
    ) -> rpc.GetContextsByExternalIdsResponse:
        return rpc.GetContextsByExternalIdsResponse(
            contexts=await self._by_external_ids(C, request.external_ids))

    async def get_artifacts_by_context(self, request: rpc.GetArtifactsByContextRequest
                                       ) -> rpc.GetArtifactsByContextResponse:
        found, token = await self._list(A, self._options(request), context_id=request.context_id)
        return rpc.GetArtifactsByContextResponse(artifacts=found, next_page_token=token)

    async def get_executions_by_context(self, request: rpc.GetExecutionsByContextRequest
                                        ) -> rpc.GetExecutionsByContextResponse:
        found, token = await self._list(E, self._options(request), context_id=request.context_id)
        return rpc.GetExecutionsByContextResponse(executions=found, next_page_token=token)

    # -- relations --------------------------------------------------------------------

    async def _contexts_of(self, kind: NodeKind, node_id: int) -> list[Any]:
        pairs = await self._read(lambda tx: rows.contexts_of(tx, kind, [node_id]))
        return self._messages(sorted((c for _, c in pairs), key=lambda c: c.node.mlmd_id or 0))

    async def get_contexts_by_artifact(self, request: rpc.GetContextsByArtifactRequest
                                       ) -> rpc.GetContextsByArtifactResponse:
        return rpc.GetContextsByArtifactResponse(
            contexts=await self._contexts_of(A, request.artifact_id))

    async def get_contexts_by_execution(self, request: rpc.GetContextsByExecutionRequest
                                        ) -> rpc.GetContextsByExecutionResponse:
        return rpc.GetContextsByExecutionResponse(
            contexts=await self._contexts_of(E, request.execution_id))

    async def get_events_by_artifact_ids(self, request: rpc.GetEventsByArtifactIDsRequest
                                         ) -> rpc.GetEventsByArtifactIDsResponse:
        found = await self._read(lambda tx: rows.events(tx, A, list(request.artifact_ids)))
        return rpc.GetEventsByArtifactIDsResponse(
            events=[convert.event_message(e) for e in found])

    async def get_events_by_execution_ids(self, request: rpc.GetEventsByExecutionIDsRequest
                                          ) -> rpc.GetEventsByExecutionIDsResponse:
        found = await self._read(lambda tx: rows.events(tx, E, list(request.execution_ids)))
        return rpc.GetEventsByExecutionIDsResponse(
            events=[convert.event_message(e) for e in found])

    async def get_parent_contexts_by_context(
            self, request: rpc.GetParentContextsByContextRequest,
    ) -> rpc.GetParentContextsByContextResponse:
        pairs = await self._read(lambda tx: rows.parents_of(tx, [request.context_id]))
        return rpc.GetParentContextsByContextResponse(contexts=self._messages(c for _, c in pairs))

    async def get_children_contexts_by_context(
            self, request: rpc.GetChildrenContextsByContextRequest,
    ) -> rpc.GetChildrenContextsByContextResponse:
        pairs = await self._read(lambda tx: rows.children_of(tx, [request.context_id]))
        return rpc.GetChildrenContextsByContextResponse(
            contexts=self._messages(c for _, c in pairs))

    async def get_parent_contexts_by_contexts(
            self, request: rpc.GetParentContextsByContextsRequest,
    ) -> rpc.GetParentContextsByContextsResponse:
        ids = list(request.context_ids)
        pairs = await self._read(lambda tx: rows.parents_of(tx, ids))
        response = rpc.GetParentContextsByContextsResponse()
        for node_id, context in pairs:
            response.contexts[node_id].parent_contexts.append(convert.node_message(context))
        return response

    async def get_children_contexts_by_contexts(
            self, request: rpc.GetChildrenContextsByContextsRequest,
    ) -> rpc.GetChildrenContextsByContextsResponse:
        ids = list(request.context_ids)
        pairs = await self._read(lambda tx: rows.children_of(tx, ids))
        response = rpc.GetChildrenContextsByContextsResponse()
        for node_id, context in pairs:
            response.contexts[node_id].children_contexts.append(convert.node_message(context))
        return response

    # -- lineage ----------------------------------------------------------------------

    async def get_lineage_subgraph(self, request: rpc.GetLineageSubgraphRequest
                                   ) -> rpc.GetLineageSubgraphResponse:
        """MLMD's lineage walk: from the nodes the starting filter selects, `max_num_hops`
        events against the data flow (UPSTREAM), along it (DOWNSTREAM) or either way at
        each hop (BIDIRECTIONAL, the default: it also reaches siblings), stopping at the
        ending nodes; the answer holds what the read mask asks of the nodes reached and the
        events the walk crossed. Walked in the topology index when it is held and no
        ending nodes are given, else in Cypher (the same answers).

        Raises:
            InvalidInput: no starting filter, a bad filter, negative hops.
            LimitExceeded: the walk reaches more than the configured node cap.
        """
        query = request.lineage_subgraph_query_options
        which = query.WhichOneof("starting_nodes")
        if which is None:
            raise InvalidInput("lineage_subgraph_query_options: give starting_artifacts or "
                               "starting_executions", field="starting_nodes")
        if query.max_num_hops < 0:
            raise InvalidInput("max_num_hops: must not be negative", field="max_num_hops")
        hops = min(query.max_num_hops, MAX_HOPS)
        direction = query.direction or pb.LineageSubgraphQueryOptions.BIDIRECTIONAL
        up = direction in (pb.LineageSubgraphQueryOptions.UPSTREAM,
                           pb.LineageSubgraphQueryOptions.BIDIRECTIONAL)
        down = direction in (pb.LineageSubgraphQueryOptions.DOWNSTREAM,
                             pb.LineageSubgraphQueryOptions.BIDIRECTIONAL)
        start_kind = A if which == "starting_artifacts" else E
        cap = self.limits.max_nodes
        starting = rows.Listing(start_kind, limit=cap + 1).filter_query(
            getattr(query, which).filter_query)
        ending: dict[NodeKind, tuple[str, bool]] = {}
        for kind, name in ((A, "ending_artifacts"), (E, "ending_executions")):
            if query.HasField(name) and getattr(query, name).filter_query.strip():
                end = getattr(query, name)
                rows.Listing(kind).filter_query(end.filter_query)  # refused before the walk
                ending[kind] = (end.filter_query, end.include_ending_nodes)

        async def ends(tx: Tx, kind: NodeKind, ids: set[str]) -> set[str]:
            if kind not in ending or not ids:
                return set()
            listing = rows.Listing(kind, limit=len(ids)).by("id", ids).filter_query(
                ending[kind][0])
            return {n.node.id for n in (await rows.page(tx, listing))[0]}

        async def work(tx: Tx, topology: Topology | None) -> mlmd_walk.Walked:
            found, _ = await rows.page(tx, starting)
            if len(found) > cap:
                raise mlmd_walk.TooLarge
            starts = [n.node.id for n in found]
            if topology is not None:
                return mlmd_walk.indexed(topology, starts, start_kind, hops, up=up,
                                         down=down, cap=cap)
            return await mlmd_walk.in_cypher(
                tx, starts, start_kind, hops, up=up, down=down, cap=cap, ends=ends,
                include_ends={kind: end[1] for kind, end in ending.items()})

        try:
            walked = await self.topology.read(work, indexed=not ending)
        except mlmd_walk.TooLarge:
            raise LimitExceeded(f"the lineage reaches more than {cap} nodes (maxNodes)",
                                field="max_num_hops") from None
        return rpc.GetLineageSubgraphResponse(lineage_subgraph=await self._subgraph(
            walked, list(request.read_mask.paths)))

    async def _subgraph(self, walked: mlmd_walk.Walked, mask: list[str]) -> pb.LineageGraph:
        """The answer of a walk: its nodes, the events it crossed between them, their
        contexts, memberships and types, as `mask` asks (empty: all)."""
        want = set(mask) or {"artifacts", "executions", "contexts", "events", "attributions",
                             "associations", "artifact_types", "execution_types",
                             "context_types"}
        async def read(tx: Tx) -> pb.LineageGraph:
            graph = pb.LineageGraph()  # built anew if the transaction runs again
            nodes = []
            for kind in (A, E):
                ids = sorted(walked.nodes[kind])
                listing = rows.Listing(kind, limit=max(1, len(ids))).by("id", ids)
                nodes.append((await rows.page(tx, listing))[0] if ids else [])
            artifacts, executions = nodes
            artifact_ids = [int(n.node.mlmd_id or 0) for n in artifacts]
            execution_ids = [int(n.node.mlmd_id or 0) for n in executions]
            attributed = await rows.contexts_of(tx, A, artifact_ids) if artifact_ids else []
            associated = await rows.contexts_of(tx, E, execution_ids) if execution_ids else []
            contexts: dict[int, MlmdNode] = {}
            for _, c in (*attributed, *associated):
                contexts[int(c.node.mlmd_id or 0)] = c
            if "artifacts" in want:
                graph.artifacts.extend(self._messages(artifacts))
            if "executions" in want:
                graph.executions.extend(self._messages(executions))
            if "contexts" in want:
                graph.contexts.extend(self._messages(contexts[i] for i in sorted(contexts)))
            if "events" in want and execution_ids:
                artifact_of = {n.node.mlmd_id: n.node.id for n in artifacts}
                execution_of = {n.node.mlmd_id: n.node.id for n in executions}
                graph.events.extend(
                    convert.event_message(e) for e in await rows.events(tx, E, execution_ids)
                    if e.artifact_id in artifact_of
                    and (artifact_of[e.artifact_id], execution_of[e.execution_id], e.kind)
                    in walked.crossed)
            if "attributions" in want:
                graph.attributions.extend(
                    pb.Attribution(artifact_id=a, context_id=c.node.mlmd_id)
                    for a, c in attributed)
            if "associations" in want:
                graph.associations.extend(
                    pb.Association(execution_id=x, context_id=c.node.mlmd_id)
                    for x, c in associated)
            for kind, name, members in ((A, "artifact_types", artifacts),
                                        (E, "execution_types", executions),
                                        (C, "context_types", list(contexts.values()))):
                type_ids = sorted({int(n.type_id) for n in members if n.type_id is not None})
                if name in want and type_ids:
                    getattr(graph, name).extend(convert.type_message(t) for t in
                                                await rows.types(tx, kind, ids=type_ids))
            return graph

        return await self._read(read)


def _masked_names(mask: Sequence[str]) -> set[str] | None:
    """The declared properties an update mask writes; None for all of them (no mask, or
    `properties` whole)."""
    if not mask or "properties" in mask:
        return None
    return {path.partition(".")[2] for path in mask if path.startswith("properties.")}


def _distinct(slots: Sequence[tuple[str, int | str]]) -> list[tuple[str, int | str]]:
    return list(dict.fromkeys(slots))
