"""What the nested-read tests share: the pipeline they read, and the expected answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graph_api.config import Limits
from graph_api.model.enums import EventType, NodeKind, PropertyType
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.relations import Association, Attribution, EventInput, ParentContext
from graph_api.model.types import TypeInput
from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.integration.api import Api

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT
CAP = Limits().max_page_size


@dataclass
class Server:
    """The API over HTTP and the server's own database handle (for statement counts)."""

    api: Api
    db: Database

    def sent(self, query: str, variables: dict[str, Any] | None = None
             ) -> tuple[dict[str, Any], int]:
        """The data of a request that must succeed, and how many statements it sent."""
        before = self.db.statements.sent
        data = self.api.data(query, variables)
        return data, self.db.statements.sent - before






def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp() * 1000)


# -- a small pipeline --------------------------------------------------------------------------


@dataclass
class Pipeline:
    ids: dict[str, str]                       # name -> id, for every node below
    events: list[EventInput]                  # as written
    attributions: dict[str, set[str]]         # context -> artifacts
    associations: dict[str, set[str]]         # context -> executions
    parents: dict[str, set[str]]              # context -> parent contexts


async def pipeline(services: Services) -> Pipeline:
    """raw, extra -> prep -> features -> train (x2) -> model-a, model-b -> eval -> metrics."""
    await services.types.put(A, TypeInput(name="Dataset", base_type="DATASET",
                                       properties={"rows": PropertyType.INT}))
    await services.types.put(A, TypeInput(name="Model", version="v2", base_type="MODEL"))
    await services.types.put(E, TypeInput(name="Trainer", base_type="TRAIN",
                                       properties={"lr": PropertyType.DOUBLE}))
    await services.types.put(C, TypeInput(name="Experiment"))
    await services.types.put(C, TypeInput(name="Project"))
    artifacts = {"raw": ArtifactInput(type="Dataset", name="raw", properties={"rows": 10}),
                 "extra": ArtifactInput(type="Dataset", name="extra"),
                 "features": ArtifactInput(type="Dataset", name="features"),
                 "model-a": ArtifactInput(type="Model", type_version="v2", name="model-a"),
                 "model-b": ArtifactInput(type="Model", type_version="v2", name="model-b"),
                 "metrics": ArtifactInput(type="Dataset", name="metrics")}
    executions = {n: ExecutionInput(type="Trainer", name=n, properties={"lr": 0.1})
                  for n in ("prep", "train-a", "train-b", "eval")}
    contexts = {n: ContextInput(type=t, name=n) for n, t in (
        ("project", "Project"), ("exp-1", "Experiment"), ("exp-2", "Experiment"),
        ("lonely", "Experiment"))}
    ids = dict(zip(artifacts, await services.ingest.put_nodes(A, list(artifacts.values())), strict=True))
    ids |= dict(zip(executions, await services.ingest.put_nodes(E, list(executions.values())),
                    strict=True))
    ids |= dict(zip(contexts, await services.ingest.put_nodes(C, list(contexts.values())), strict=True))
    flows = [("raw", "prep", EventType.INPUT, ["data", 0]),
             ("extra", "prep", EventType.DECLARED_INPUT, ["data", 1]),
             ("features", "prep", EventType.OUTPUT, ["out"]),
             ("features", "train-a", EventType.INPUT, []),
             ("features", "train-b", EventType.INPUT, []),
             ("raw", "train-b", EventType.INPUT, ["raw"]),
             ("model-a", "train-a", EventType.OUTPUT, []),
             ("model-b", "train-b", EventType.OUTPUT, []),
             ("model-b", "train-b", EventType.DECLARED_OUTPUT, ["model"]),  # two events, one pair
             ("model-a", "eval", EventType.INPUT, ["candidates", 0]),
             ("model-b", "eval", EventType.INPUT, ["candidates", 1]),
             ("metrics", "eval", EventType.OUTPUT, [])]
    events = [EventInput(artifact_id=ids[a], execution_id=ids[e], type=t, path=p,
                         timestamp=1_700_000_000_000 + i)
              for i, (a, e, t, p) in enumerate(flows)]
    await services.ingest.put_events(events)
    attributions = {"exp-1": {"features", "model-a"}, "exp-2": {"features", "model-b", "raw"},
                    "project": set(), "lonely": set()}
    associations = {"exp-1": {"train-a"}, "exp-2": {"train-b", "eval"},
                    "project": {"prep"}, "lonely": set()}
    await services.ingest.put_memberships(
        [Attribution(artifact_id=ids[a], context_id=ids[c])
         for c, members in attributions.items() for a in members],
        [Association(execution_id=ids[e], context_id=ids[c])
         for c, members in associations.items() for e in members])
    parents = {"exp-1": {"project"}, "exp-2": {"project"}, "lonely": set(), "project": set()}
    await services.ingest.put_parent_contexts(
        [ParentContext(child_id=ids[c], parent_id=ids[p])
         for c, ps in parents.items() for p in ps])
    return Pipeline(ids, events, attributions, associations, parents)


def names(p: Pipeline, nodes: list[dict[str, Any]]) -> list[str]:
    by_id = {v: k for k, v in p.ids.items()}
    return [by_id[n["id"]] for n in nodes]


def by_id(p: Pipeline, items: set[str]) -> list[str]:
    """Names ordered as the API orders neighbour lists: by id."""
    return sorted(items, key=lambda n: p.ids[n])


def related(p: Pipeline, node: str, kinds: set[str], as_artifact: bool) -> set[str]:
    names_by_id = {v: k for k, v in p.ids.items()}
    out = set()
    for e in p.events:
        if e.type.relationship in kinds:
            if as_artifact and names_by_id[e.artifact_id] == node:
                out.add(names_by_id[e.execution_id])
            if not as_artifact and names_by_id[e.execution_id] == node:
                out.add(names_by_id[e.artifact_id])
    return out


ARTIFACT = """query($id: ID!) { artifact(id: $id) {
  id
  type { name version baseType kind properties { name type } }
  producedBy { id name } consumedBy { id }
  events { artifactId executionId type path timestamp artifact { id } execution { name } }
  contexts { id name }
} }"""
