"""Small lineage graphs written through the services, and a reference walk to check answers.

A graph is described by its executions: `name: (inputs, outputs)`. Names become
external ids, so tests speak of "model" and "train" rather than generated ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graph_api.ids import new_id
from graph_api.model.enums import Direction, EventType, NodeKind
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.relations import Association, Attribution, EventInput
from graph_api.model.types import TypeInput
from graph_api.services.container import Services
from graph_api.store import topology as topology_rows
from graph_api.store.connection import Database

Steps = Mapping[str, tuple[list[str], list[str]]]


@dataclass
class Built:
    ids: dict[str, str]    # name -> id
    names: dict[str, str]  # id -> name
    edges: set[tuple[str, str]]  # (source name, target name), data-flow direction
    kinds: dict[str, NodeKind]

    def id(self, name: str) -> str:
        return self.ids[name]

    def named(self, ids: Iterable[str]) -> set[str]:
        return {self.names[i] for i in ids}


def artifact_type(name: str) -> str:
    """Artifacts named like 'raw…' are RawData, 'model…' Model, others Dataset."""
    if name.startswith("raw"):
        return "RawData"
    if name.startswith("model"):
        return "Model"
    return "Dataset"


async def build(services: Services, steps: Steps, context: str | None = None) -> Built:
    for t in ("RawData", "Dataset", "Model"):
        await services.types.put(NodeKind.ARTIFACT, TypeInput(name=t))
    await services.types.put(NodeKind.EXECUTION, TypeInput(name="Step"))
    artifacts = sorted({a for ins, outs in steps.values() for a in (*ins, *outs)})
    artifact_ids = await services.ingest.put_nodes(NodeKind.ARTIFACT, [
        ArtifactInput(type=artifact_type(a), external_id=a, name=a, uri=f"mem://{a}")
        for a in artifacts])
    execution_ids = await services.ingest.put_nodes(NodeKind.EXECUTION, [
        ExecutionInput(type="Step", external_id=e, name=e) for e in steps])
    ids = dict(zip(artifacts, artifact_ids, strict=True)) | dict(
        zip(steps, execution_ids, strict=True))
    events, edges = [], set()
    for e, (ins, outs) in steps.items():
        for a in ins:
            events.append(EventInput(artifact_id=ids[a], execution_id=ids[e],
                                     type=EventType.INPUT))
            edges.add((a, e))
        for a in outs:
            events.append(EventInput(artifact_id=ids[a], execution_id=ids[e],
                                     type=EventType.OUTPUT))
            edges.add((e, a))
    for start in range(0, len(events), 5000):
        await services.ingest.put_events(events[start:start + 5000])
    if context is not None:
        await services.types.put(NodeKind.CONTEXT, TypeInput(name="PipelineRun"))
        [cid] = await services.ingest.put_nodes(NodeKind.CONTEXT,
                                      [ContextInput(type="PipelineRun", name=context)])
        ids[context] = cid
        await services.ingest.put_memberships(
            [Attribution(artifact_id=ids[a], context_id=cid) for a in artifacts],
            [Association(execution_id=ids[e], context_id=cid) for e in steps])
    kinds = {a: NodeKind.ARTIFACT for a in artifacts} | {e: NodeKind.EXECUTION for e in steps}
    return Built(ids, {v: k for k, v in ids.items()}, edges, kinds)


def reference(edges: set[tuple[str, str]], starts: Iterable[str], direction: Direction,
              max_hops: int) -> dict[str, int]:
    """Smallest hop distance of every node within `max_hops`, by plain BFS over names."""
    def walk(forward: bool) -> dict[str, int]:
        dist = dict.fromkeys(starts, 0)
        frontier = list(dist)
        for hop in range(1, max_hops + 1):
            nxt = []
            for node in frontier:
                for s, t in edges:
                    src, dst = (s, t) if forward else (t, s)
                    if src == node and dst not in dist:
                        dist[dst] = hop
                        nxt.append(dst)
            frontier = nxt
        return dist

    if direction is Direction.DOWNSTREAM:
        return walk(True)
    if direction is Direction.UPSTREAM:
        return walk(False)
    down, up = walk(True), walk(False)
    return {n: min(down.get(n, 10**9), up.get(n, 10**9)) for n in down.keys() | up.keys()}


#: A small ML pipeline with a shared raw dataset and a diamond (features feeds train and eval).
PIPELINE: Steps = {
    "ingest": (["raw_a", "raw_b"], ["clean"]),
    "featurize": (["clean"], ["features"]),
    "split": (["features"], ["train_set", "test_set"]),
    "train": (["train_set", "raw_b"], ["model"]),
    "evaluate": (["model", "test_set"], ["metrics"]),
    "deploy": (["model", "metrics"], ["model_served"]),
    "other_use": (["raw_b"], ["other"]),
}


async def delete_execution(db: Database, execution_id: str) -> None:
    """Delete an execution, then renew the log's epoch as any deleting write does."""
    async with db.driver.session(database=db.database) as session:
        await session.run("MATCH (e:Execution {id: $id}) DETACH DELETE e", id=execution_id)
    await db.write(lambda tx: topology_rows.renew_epoch(tx, new_id()))
