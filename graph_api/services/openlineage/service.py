"""OpenLineage: ingest events (each in one transaction), and read what they wrote the
ways OpenLineage tools ask: a dataset's columns with their column lineage, and Marquez's
lineage graph."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graph_api.config import Limits
from graph_api.errors import Conflict, InvalidInput, LimitExceeded, NotFound
from graph_api.model.enums import NodeKind
from graph_api.model.openlineage import (
    ColumnInput,
    DatasetColumn,
    EventKind,
    IngestResult,
    alias_key,
)
from graph_api.model.types import TypeInput
from graph_api.services.batches import Batch, BatchWriter, Ids
from graph_api.services.lineage import LineageService
from graph_api.services.openlineage import files, marquez
from graph_api.services.openlineage import mapping as m
from graph_api.services.openlineage.validation import validate
from graph_api.services.openlineage.writes import EventWrite, Raced
from graph_api.services.types import TypeService
from graph_api.store import nodes as node_rows
from graph_api.store import openlineage as ol_rows
from graph_api.store.connection import Database, Tx

#: The types events are written with; registered on first use, evolving, never
#: narrowing (the `Dataset` type is the SDK's too: no declared properties).
TYPES = (
    (NodeKind.ARTIFACT, TypeInput(name=m.DATASET_TYPE, base_type="DATASET")),
    (NodeKind.EXECUTION, TypeInput(name=m.RUN_TYPE, base_type="PROCESS",
                                   description="An OpenLineage run")),
    (NodeKind.CONTEXT, TypeInput(name=m.JOB_TYPE, description="An OpenLineage job")),
    (NodeKind.CONTEXT, TypeInput(name=m.NAMESPACE_TYPE,
                                 description="An OpenLineage namespace of jobs")),
    (NodeKind.CONTEXT, TypeInput(name=m.PARENT_RUN_TYPE,
                                 description="An OpenLineage run that has child runs")),
)


@dataclass(frozen=True)
class ImportOutcome:
    """One event of a bulk import: where it was read (`file:line`), and why it was not
    written (None: written)."""

    where: str
    error: str | None = None


#: Attempts of an event whose new nodes another event created meanwhile.
RACE_ATTEMPTS = 5


class OpenLineageService:
    """Writes OpenLineage events onto the graph and reads them back."""

    def __init__(self, db: Database, limits: Limits, batches: BatchWriter, types: TypeService,
                 lineage: LineageService) -> None:
        self.db = db
        self.limits = limits
        self.batches = batches
        self.types = types
        self.lineage = lineage
        self._types_ready = False

    async def ensure_types(self) -> None:
        """Register the types events are written with (idempotent)."""
        for kind, spec in TYPES:
            await self.types.put(kind, spec, can_add_fields=True, can_omit_fields=True)
        self._types_ready = True

    async def ingest(self, event: Any) -> IngestResult:
        """Validate one event and write it in one transaction.

        A run event upserts its datasets, its run (state from the strongest event so far,
        see `mapping`), its job, namespace and parent runs, and the run's INPUT and OUTPUT
        events; a dataset event its dataset; a job event its job and datasets. Re-sending
        an event writes nothing.

        Raises:
            InvalidEvent: not a valid OpenLineage event (names the field).
            InvalidInput: a facet too large to keep.
            Conflict: the parent facets of the runs form a cycle.
            Nothing is written when any is raised.
        """
        kind = validate(event)
        if not self._types_ready:
            await self.ensure_types()
        try:
            return await self._write(kind, event)
        except NotFound as error:
            if not (error.field or "").endswith(".type"):
                raise
            await self.ensure_types()  # the database was emptied since: register anew
            return await self._write(kind, event)

    async def _write(self, kind: EventKind, event: Mapping[str, Any]) -> IngestResult:
        plans: list[EventWrite] = []

        async def plan(tx: Tx) -> Batch:
            plans.append(EventWrite(kind, event))
            return await plans[-1].plan(tx)

        async def then(tx: Tx, ids: Ids) -> IngestResult:
            return await plans[-1].finish(tx, ids)

        for _ in range(RACE_ATTEMPTS - 1):
            try:
                return await self.batches.write_planned(plan, then)
            except Raced:  # rolled back: the next plan reads (and locks) what the other wrote
                continue
        try:
            return await self.batches.write_planned(plan, then)
        except Raced:
            raise Conflict("other events kept creating what this event writes; retry",
                           field="event") from None

    async def replay(self, located: Iterable[files.Located]) -> AsyncIterator[ImportOutcome]:
        """Write events read from files one by one (each in its own transaction), and say
        for each whether it was written or why not; a bad event never stops the others."""
        for item in located:
            if item.error is not None:
                yield ImportOutcome(item.where, item.error)
                continue
            try:
                await self.ingest(item.event)
            except (InvalidInput, Conflict, LimitExceeded, NotFound) as error:
                yield ImportOutcome(item.where, error.message)
            else:
                yield ImportOutcome(item.where)

    # -- reads ---------------------------------------------------------------------------

    async def columns(self, artifact_id: str) -> list[DatasetColumn]:
        """A dataset's columns — its schema facet's fields, then any other field its column
        lineage facet names — each with the input columns it derives from; an input's
        artifact is resolved when its dataset is known by that (namespace, name), among
        the run's inputs or not.

        Raises:
            NotFound: no artifact of that id.
        """

        async def work(tx: Tx) -> list[DatasetColumn]:
            found = await node_rows.by_ids(tx, NodeKind.ARTIFACT, [artifact_id])
            if not found:
                raise NotFound(f"artifactId: no artifact {artifact_id!r}", field="artifactId")
            custom = found[0].custom_properties
            lineage = _fields(custom.get(m.property_name("columnLineage")))
            refs = {alias_key(i["namespace"], i["name"])
                    for f in lineage.values() for i in _inputs(f)}
            owners = await ol_rows.artifacts_of(tx, sorted(refs))
            return _columns(custom.get(m.property_name("schema")), lineage, owners)

        return await self.db.read(work)

    async def marquez_lineage(self, node_id: str, depth: int) -> dict[str, Any]:
        """Marquez's lineage answer (`GET /api/v1/lineage`) around `dataset:NS:NAME` or
        `job:NS:NAME`, `depth` jobs away (see `marquez`).

        Raises:
            InvalidInput: a node id of another form, or a depth out of range.
            NotFound: no such dataset or job.
        """
        if depth < 0 or 2 * depth > self.limits.max_hops:
            raise InvalidInput(f"depth: must be between 0 and {self.limits.max_hops // 2} "
                               "(a job is two hops: dataset to run to dataset)", field="depth")
        return await marquez.lineage(self.db, self.lineage, node_id, depth)


def _fields(facet: Any) -> dict[str, Any]:
    fields = facet.get("fields") if isinstance(facet, dict) else None
    return fields if isinstance(fields, dict) else {}


def _inputs(column: Any) -> list[dict[str, Any]]:
    found = column.get("inputFields") if isinstance(column, dict) else None
    return [i for i in found or [] if isinstance(i, dict) and isinstance(i.get("namespace"), str)
            and isinstance(i.get("name"), str) and isinstance(i.get("field"), str)]


def _columns(schema: Any, lineage: Mapping[str, Any], owners: Mapping[str, str]
             ) -> list[DatasetColumn]:
    declared = [f for f in (schema.get("fields") if isinstance(schema, dict) else None) or []
                if isinstance(f, dict) and isinstance(f.get("name"), str)]
    names = [f["name"] for f in declared] + [n for n in lineage if n not in
                                             {f["name"] for f in declared}]
    info = {f["name"]: f for f in declared}
    columns = []
    for name in names:
        field = info.get(name, {})
        column = lineage.get(name)
        legacy = ([{"type": column.get("transformationType"),
                    "description": column.get("transformationDescription")}]
                  if isinstance(column, dict) and column.get("transformationType") else [])
        columns.append(DatasetColumn(
            name=name, type=_text(field.get("type")), description=_text(field.get("description")),
            inputs=[ColumnInput(i["namespace"], i["name"], i["field"],
                                owners.get(alias_key(i["namespace"], i["name"])),
                                [t for t in i.get("transformations") or []
                                 if isinstance(t, dict)] or legacy)
                    for i in _inputs(column)]))
    return columns


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None

