"""Import an MLMD database, read through MLMD's own library, into the store's batch writes.

Types first, then contexts, artifacts and executions in MLMD's id order (each node keeps
MLMD's id as its mlmdId), then events with their paths, attributions, associations and
parent contexts. A node whose mlmdId is stored already counts as imported and is not
written again, and the edges are merged, so a second import writes nothing and an
interrupted one, run again, resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ml_metadata.metadata_store import metadata_store as mlmd_store
from ml_metadata.proto import metadata_store_pb2 as pb

from graph_api.model.enums import NodeKind
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput, NodeInput
from graph_api.model.relations import Association, Attribution, EventInput, ParentContext
from graph_api.services.container import Services
from graph_api.services.mlmd import convert
from graph_api.store import mlmd as rows

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT
#: Nodes, or edges, per batch write.
CHUNK = 500

#: Called after each batch with (what, done, total).
Progress = Callable[[str, int, int], None]

_INPUTS: dict[NodeKind, type[NodeInput]] = {A: ArtifactInput, E: ExecutionInput,
                                             C: ContextInput}


@dataclass
class ImportReport:
    """What an import found in the MLMD database and what it wrote."""

    types: int = 0
    found: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, found: int, written: int) -> None:
        self.found[what] = self.found.get(what, 0) + found
        self.written[what] = self.written.get(what, 0) + written


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class MlmdImporter:
    """Copies one MLMD `MetadataStore` (a database MLMD's library opened) into the store."""

    def __init__(self, services: Services, source: mlmd_store.MetadataStore,
                 progress: Progress | None = None) -> None:
        self.services = services
        self.source = source
        self.progress = progress or (lambda what, done, total: None)

    async def run(self) -> ImportReport:
        """Import everything (see the module doc).

        Raises:
            InvalidInput, Conflict: a node MLMD holds that the store refuses (e.g. a
                double of NaN, which JSON cannot hold); what was written before stays, and
                a re-run resumes.
        """
        report = ImportReport()
        type_names: dict[NodeKind, dict[int, Any]] = {}
        # MLMD's type ids are kept where no stored type has them (three kinds, one sequence).
        taken = {t.mlmd_id for kind in (A, E, C) for t in await self.services.types.list(kind)}
        for kind, read in ((A, self.source.get_artifact_types),
                           (E, self.source.get_execution_types),
                           (C, self.source.get_context_types)):
            types = list(read())
            type_names[kind] = {t.id: t for t in types}
            for message in types:
                spec = convert.type_input(message, f"{kind.value.lower()}_type")
                if message.id not in taken:
                    spec = spec.model_copy(update={"mlmd_id": message.id})
                await self.services.types.put(kind, spec, can_add_fields=True,
                                              can_omit_fields=True)
            report.types += len(types)
        mapping: dict[NodeKind, dict[int, str]] = {}
        for kind, read in ((C, self.source.get_contexts), (A, self.source.get_artifacts),
                           (E, self.source.get_executions)):
            nodes = sorted(read(), key=lambda n: n.id)
            mapping[kind] = await self._nodes(kind, nodes, type_names[kind], report)
        await self._events(mapping, report)
        await self._memberships(mapping, report)
        await self._parents(mapping, report)
        return report

    async def _stored(self, kind: NodeKind, mlmd_ids: Sequence[int]) -> dict[int, str]:
        """The domain ids of the nodes with these mlmdIds that are stored already."""
        listing = rows.Listing(kind, limit=max(1, len(mlmd_ids))).by("mlmdId", mlmd_ids)
        found, _ = await self.services.ingest.db.read(lambda tx: rows.page(tx, listing))
        return {int(n.node.mlmd_id or 0): n.node.id for n in found}

    async def _nodes(self, kind: NodeKind, nodes: Sequence[Any], types: dict[int, Any],
                     report: ImportReport) -> dict[int, str]:
        what = f"{kind.value.lower()}s"
        mapping: dict[int, str] = {}
        done = 0
        for chunk in _chunks(nodes):
            stored = await self._stored(kind, [n.id for n in chunk])
            mapping |= stored
            new = [n for n in chunk if n.id not in stored]
            inputs = []
            for message in new:
                node_type = types[message.type_id]
                inputs.append(_INPUTS[kind].model_validate({
                    **convert.node_fields(message, f"{what}[{message.id}]"),
                    "type": node_type.name,
                    "type_version": node_type.version if node_type.HasField("version")
                    and node_type.version else None,
                    "mlmd_id": message.id}))
            if inputs:
                ids = await self.services.ingest.put_nodes(kind, inputs)
                mapping |= {m.id: i for m, i in zip(new, ids, strict=True)}
            report.add(what, len(chunk), len(new))
            done += len(chunk)
            self.progress(what, done, len(nodes))
        return mapping

    async def _events(self, mapping: dict[NodeKind, dict[int, str]], report: ImportReport
                      ) -> None:
        executions = sorted(mapping[E])
        events: list[Any] = []
        for chunk in _chunks(executions):
            events.extend(self.source.get_events_by_execution_ids(list(chunk)))
        done = 0
        for chunk in _chunks(events):
            await self.services.ingest.put_events([
                EventInput(artifact_id=mapping[A][e.artifact_id],
                           execution_id=mapping[E][e.execution_id],
                           type=pb.Event.Type.Name(e.type), path=convert.path_of(e),
                           timestamp=e.milliseconds_since_epoch or None)
                for e in chunk if e.type != pb.Event.UNKNOWN])
            done += len(chunk)
            report.add("events", len(chunk), 0)
            self.progress("events", done, len(events))

    async def _memberships(self, mapping: dict[NodeKind, dict[int, str]],
                           report: ImportReport) -> None:
        attributions: list[Attribution] = []
        associations: list[Association] = []
        for context_id, domain_id in sorted(mapping[C].items()):
            attributions += [Attribution(artifact_id=mapping[A][a.id], context_id=domain_id)
                             for a in self.source.get_artifacts_by_context(context_id)]
            associations += [Association(execution_id=mapping[E][x.id], context_id=domain_id)
                             for x in self.source.get_executions_by_context(context_id)]
        for start in range(0, len(attributions), CHUNK):
            await self.services.ingest.put_memberships(attributions[start:start + CHUNK], [])
            self.progress("attributions", min(start + CHUNK, len(attributions)),
                          len(attributions))
        for start in range(0, len(associations), CHUNK):
            await self.services.ingest.put_memberships([], associations[start:start + CHUNK])
            self.progress("associations", min(start + CHUNK, len(associations)),
                          len(associations))
        report.add("attributions", len(attributions), 0)
        report.add("associations", len(associations), 0)

    async def _parents(self, mapping: dict[NodeKind, dict[int, str]], report: ImportReport
                       ) -> None:
        links = [ParentContext(child_id=child, parent_id=mapping[C][p.id])
                 for context_id, child in sorted(mapping[C].items())
                 for p in self.source.get_parent_contexts_by_context(context_id)]
        for chunk in _chunks(links):
            await self.services.ingest.put_parent_contexts(chunk)
        report.add("parent contexts", len(links), 0)
