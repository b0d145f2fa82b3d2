"""`GraphStore`: the repositories over one database, and MLMD's one-call step write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph_api.config import Limits
from graph_api.model.enums import EventType, NodeKind
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.relations import Association, Attribution, EventInput, PathStep
from graph_api.store.connection import Database, Tx
from graph_api.store.explore import ExploreRepository
from graph_api.store.lineage import LineageRepository
from graph_api.store.nodes import NodeRepository
from graph_api.store.relations import RelationRepository, require_ids
from graph_api.store.types import TypeRepository


class ArtifactAndEvent(BaseModel):
    """One artifact of a step: a new or updated artifact, or an existing one by id."""

    model_config = ConfigDict(frozen=True)

    artifact: ArtifactInput | None = None
    artifact_id: str | None = None
    event_type: EventType
    path: list[PathStep] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_artifact(self) -> ArtifactAndEvent:
        if (self.artifact is None) == (self.artifact_id is None):
            raise ValueError("give exactly one of artifact (new or updated) and artifactId")
        return self


@dataclass(frozen=True)
class PutExecutionResult:
    execution_id: str
    artifact_ids: list[str]
    context_ids: list[str]


class GraphStore:
    """Everything the services need from the graph database."""

    def __init__(self, db: Database, limits: Limits | None = None) -> None:
        self.db = db
        self.limits = limits or Limits()
        self.types = TypeRepository(db)
        self.nodes = NodeRepository(db, self.types, self.limits)
        self.relations = RelationRepository(db)
        self.lineage = LineageRepository(db, self.limits)
        self.explore = ExploreRepository(db, self.limits)

    async def put_execution(
        self,
        execution: ExecutionInput,
        artifact_and_events: Sequence[ArtifactAndEvent] = (),
        contexts: Sequence[ContextInput] = (),
    ) -> PutExecutionResult:
        """Record one step with its inputs, outputs and contexts in one transaction (MLMD).

        Artifacts given in full are upserted like `put_artifacts`; contexts like
        `put_contexts`. Every artifact is attributed to every context, the execution
        associated with every context. Re-sending the same call (with external ids)
        writes nothing new.

        Raises:
            NotFound, InvalidInput, Conflict: as the batch writes; nothing is written.
        """

        async def work(tx: Tx) -> PutExecutionResult:
            context_ids = await self.nodes.put_tx(tx, NodeKind.CONTEXT, list(contexts), "contexts")
            new = [(i, ae.artifact) for i, ae in enumerate(artifact_and_events)
                   if ae.artifact is not None]
            new_ids = await self.nodes.put_tx(
                tx, NodeKind.ARTIFACT, [a for _, a in new], "artifactEvents",
                [f"artifactEvents[{i}].artifact" for i, _ in new])
            by_index = {i: node_id for (i, _), node_id in zip(new, new_ids, strict=True)}
            refs = []
            for i, ae in enumerate(artifact_and_events):
                if ae.artifact_id is not None:
                    by_index[i] = ae.artifact_id
                    refs.append((f"artifactEvents[{i}].artifactId", ae.artifact_id))
            await require_ids(tx, NodeKind.ARTIFACT, refs)
            [execution_id] = await self.nodes.put_tx(tx, NodeKind.EXECUTION, [execution],
                                                     "execution", ["execution"])
            artifact_ids = [by_index[i] for i in range(len(artifact_and_events))]
            events = [
                EventInput(artifact_id=artifact_ids[i], execution_id=execution_id,
                           type=ae.event_type, path=ae.path)
                for i, ae in enumerate(artifact_and_events)
            ]
            await self.relations.put_events_tx(tx, events, "artifactEvents")
            await self.relations.put_memberships_tx(
                tx,
                [Attribution(artifact_id=a, context_id=c)
                 for a in dict.fromkeys(artifact_ids) for c in context_ids],
                [Association(execution_id=execution_id, context_id=c) for c in context_ids],
            )
            return PutExecutionResult(execution_id, artifact_ids, context_ids)

        return await self.db.write(work)
