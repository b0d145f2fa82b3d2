"""MLMD databases written by MLMD's own library, for the import tests; and the store's
node and edge counts, to see what an import wrote."""

from __future__ import annotations

from typing import Any

from ml_metadata.metadata_store import metadata_store
from ml_metadata.proto import metadata_store_pb2 as pb

from graph_api.store.connection import Database

STEPS, RAWS, PROJECTS = 25, 10, 5


def write_pipelines(config: pb.ConnectionConfig, pipelines: int, *, steps: int = STEPS,
                    raws: int = RAWS, projects: int = PROJECTS
                    ) -> metadata_store.MetadataStore:
    """Pipelines of `steps` steps each, written through MLMD's store at `config`: step 0
    reads a shared raw dataset, step i reads step i-1's output (and every fifth step a raw
    dataset too); a context per pipeline, under one of `projects` project contexts."""
    store = metadata_store.MetadataStore(config)
    data = store.put_artifact_type(pb.ArtifactType(name="Data", properties={"rows": pb.INT}))
    step = store.put_execution_type(pb.ExecutionType(name="Step",
                                                     properties={"index": pb.INT}))
    run = store.put_context_type(pb.ContextType(name="Run"))
    project = store.put_context_type(pb.ContextType(name="Project"))
    raw_ids = store.put_artifacts([pb.Artifact(type_id=data, uri=f"raw://{i}", name=f"raw-{i}")
                                   for i in range(raws)])
    project_ids = store.put_contexts([pb.Context(type_id=project, name=f"project-{i}")
                                      for i in range(projects)])
    for p in range(pipelines):
        executions = [pb.Execution(type_id=step, name=f"p{p}-s{s}",
                                   last_known_state=pb.Execution.COMPLETE,
                                   properties={"index": pb.Value(int_value=s)})
                      for s in range(steps)]
        artifacts = [pb.Artifact(type_id=data, uri=f"mem://p{p}/s{s}",
                                 properties={"rows": pb.Value(int_value=s * 10)},
                                 custom_properties={"owner": pb.Value(string_value="ml")})
                     for s in range(steps)]
        edges: list[tuple[int | None, int | None, Any]] = []  # (execution, artifact, event)
        for s in range(steps):
            out = pb.Event(type=pb.Event.OUTPUT)
            out.path.steps.add().key = "out"
            edges.append((s, s, out))
            if s > 0:
                edges.append((s, s - 1, pb.Event(type=pb.Event.INPUT)))
            if s % 5 == 0:
                edges.append((s, None, pb.Event(type=pb.Event.INPUT,
                                                artifact_id=raw_ids[(p + s) % raws])))
        _, _, [context_id] = store.put_lineage_subgraph(
            executions, artifacts, [pb.Context(type_id=run, name=f"run-{p}")], edges)
        store.put_parent_contexts([pb.ParentContext(child_id=context_id,
                                                    parent_id=project_ids[p % projects])])
    return store


async def graph_counts(db: Database) -> dict[str, int]:
    """How many artifacts, executions and contexts, and how many edges, `db` holds."""
    async with db.driver.session(database=db.database) as session:
        nodes = await (await session.run(
            "MATCH (n) WHERE n:Artifact OR n:Execution OR n:Context RETURN count(n) AS c")).single()
        edges = await (await session.run("MATCH ()-[r]->() RETURN count(r) AS c")).single()
    assert nodes is not None and edges is not None
    return {"nodes": nodes["c"], "edges": edges["c"]}
