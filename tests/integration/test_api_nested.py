"""Nested fields walk the graph in one request, through per-request DataLoaders.

The graph is written through the store; expectations are computed here from what was
written. The server runs in this process, so the number of statements a request sends is
read from the server's own `Database.statements.sent`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from starlette.applications import Starlette

from graph_api.config import Limits, Settings
from graph_api.model.enums import EventType, NodeKind, PropertyType
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.relations import Association, Attribution, EventInput, ParentContext
from graph_api.model.types import TypeInput
from graph_api.server import create_app
from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.graph_server import GraphServer
from tests.integration import api as api_module
from tests.integration.api import Api, running_api, settings_for

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


@pytest.fixture(scope="module")
def server_in_process(graph_server: GraphServer, tmp_path_factory: pytest.TempPathFactory
                      ) -> Iterator[Server]:
    """A server of our own, whose app (and so whose database handle) the test can reach."""
    apps: list[Starlette] = []

    def capture(settings: Settings) -> Starlette:
        app = create_app(settings)
        apps.append(app)
        return app

    settings = settings_for(graph_server, tmp_path_factory.mktemp("nested"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(api_module, "create_app", capture)
        with running_api(settings) as api:
            patch.undo()
            yield Server(api, apps[0].state.runtime.db)


@pytest.fixture
def server(server_in_process: Server, clean_db: Database) -> Server:
    return server_in_process


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


async def test_an_artifacts_nested_fields(services: Services, server: Server) -> None:
    p = await pipeline(services)
    for name in ("raw", "features", "model-b", "metrics"):
        got = server.api.data(ARTIFACT, {"id": p.ids[name]})["artifact"]
        assert names(p, got["producedBy"]) == by_id(p, related(p, name, {"OUTPUT"}, True))
        assert names(p, got["consumedBy"]) == by_id(p, related(p, name, {"INPUT"}, True))
        assert names(p, got["contexts"]) == by_id(
            p, {c for c, members in p.attributions.items() if name in members})
        expected_events = sorted(
            (e for e in p.events if e.artifact_id == p.ids[name]), key=lambda e: e.timestamp)
        assert [(ev["artifactId"], ev["executionId"], ev["type"], ev["path"], ms(ev["timestamp"]))
                for ev in got["events"]] == [
            (e.artifact_id, e.execution_id, e.type.value, e.path, e.timestamp)
            for e in expected_events]
        names_by_id = {v: k for k, v in p.ids.items()}
        assert [(ev["artifact"]["id"], ev["execution"]["name"]) for ev in got["events"]] == [
            (e.artifact_id, names_by_id[e.execution_id]) for e in expected_events]
    model = server.api.data(ARTIFACT, {"id": p.ids["model-a"]})["artifact"]
    assert model["type"] == {"name": "Model", "version": "v2", "baseType": "MODEL",
                             "kind": "ARTIFACT", "properties": []}
    raw = server.api.data(ARTIFACT, {"id": p.ids["raw"]})["artifact"]
    assert raw["type"]["properties"] == [{"name": "rows", "type": "INT"}]


EXECUTION = """query($id: ID!) { execution(id: $id) {
  type { name kind properties { name type } }
  inputs { id } outputs { id }
  events { artifactId type path }
  contexts { id }
} }"""


async def test_an_executions_nested_fields(services: Services, server: Server) -> None:
    p = await pipeline(services)
    for name in ("prep", "train-a", "train-b", "eval"):
        got = server.api.data(EXECUTION, {"id": p.ids[name]})["execution"]
        assert got["type"] == {"name": "Trainer", "kind": "EXECUTION",
                               "properties": [{"name": "lr", "type": "DOUBLE"}]}
        assert names(p, got["inputs"]) == by_id(p, related(p, name, {"INPUT"}, False))
        assert names(p, got["outputs"]) == by_id(p, related(p, name, {"OUTPUT"}, False))
        assert names(p, got["contexts"]) == by_id(
            p, {c for c, members in p.associations.items() if name in members})
        expected = sorted((e for e in p.events if e.execution_id == p.ids[name]),
                          key=lambda e: e.timestamp)
        assert [(ev["artifactId"], ev["type"], ev["path"]) for ev in got["events"]] == [
            (e.artifact_id, e.type.value, e.path) for e in expected]


CONTEXT = """query($id: ID!, $first: Int!, $after: String) { context(id: $id) {
  type { name kind }
  parents { id } children { id }
  artifacts(first: $first, after: $after) {
    edges { node { id } } pageInfo { hasNextPage endCursor } totalCount }
  executions(first: $first) { edges { node { id } } totalCount }
} }"""


async def test_a_contexts_nested_fields(services: Services, server: Server) -> None:
    p = await pipeline(services)
    for name in ("project", "exp-1", "exp-2", "lonely"):
        got = server.api.data(CONTEXT, {"id": p.ids[name], "first": 10})["context"]
        kind = "Project" if name == "project" else "Experiment"
        assert got["type"] == {"name": kind, "kind": "CONTEXT"}
        assert names(p, got["parents"]) == by_id(p, p.parents[name])
        assert names(p, got["children"]) == by_id(
            p, {c for c, ps in p.parents.items() if name in ps})
        artifacts = got["artifacts"]
        assert names(p, [e["node"] for e in artifacts["edges"]]) == by_id(
            p, p.attributions[name])  # ids are time-ordered: creation order is id order
        assert artifacts["totalCount"] == len(p.attributions[name])
        assert artifacts["pageInfo"]["hasNextPage"] is False
        assert names(p, [e["node"] for e in got["executions"]["edges"]]) == by_id(
            p, p.associations[name])
        assert got["executions"]["totalCount"] == len(p.associations[name])


async def test_a_contexts_artifacts_page_through_every_member_once(
    services: Services, server: Server,
) -> None:
    p = await pipeline(services)
    seen: list[str] = []
    after = None
    while True:
        got = server.api.data(CONTEXT, {"id": p.ids["exp-2"], "first": 1,
                                        "after": after})["context"]["artifacts"]
        assert got["totalCount"] == 3
        seen += names(p, [e["node"] for e in got["edges"]])
        if not got["pageInfo"]["hasNextPage"]:
            break
        after = got["pageInfo"]["endCursor"]
    assert seen == by_id(p, p.attributions["exp-2"])


MEMBERS = """query($filter: FilterInput, $orderBy: OrderByInput, $first: Int!) {
  contexts(first: 100) { edges { node { id
    artifacts(filter: $filter, orderBy: $orderBy, first: $first) {
      edges { node { id name } } pageInfo { hasNextPage } totalCount }
  } } }
}"""


async def test_the_members_of_many_contexts_load_in_one_statement(
    services: Services, server: Server,
) -> None:
    p = await pipeline(services)
    variables = {"first": 2, "orderBy": {"field": "name", "descending": True},
                 "filter": {"field": "type", "op": "EQ", "value": "Dataset"}}
    data, sent = server.sent(MEMBERS, variables)
    datasets = {"raw", "extra", "features", "metrics"}
    for edge in data["contexts"]["edges"]:
        name = names(p, [edge["node"]])[0]
        members = sorted(p.attributions[name] & datasets, reverse=True)  # names: same order
        got = edge["node"]["artifacts"]
        assert [e["node"]["name"] for e in got["edges"]] == members[:2]
        assert got["totalCount"] == len(members)
        assert got["pageInfo"]["hasNextPage"] is (len(members) > 2)
    assert len(data["contexts"]["edges"]) == 4
    assert sent == 3  # contexts; one page of members for all four; their totals


async def test_nested_page_errors_name_the_argument(services: Services, server: Server) -> None:
    p = await pipeline(services)
    error = server.api.error(CONTEXT, {"id": p.ids["exp-1"], "first": CAP + 1})
    assert error["extensions"] == {"code": "LIMIT_EXCEEDED", "field": "first"}, error
    assert str(CAP) in error["message"]
    error = server.api.error(CONTEXT, {"id": p.ids["exp-1"], "first": 1, "after": "garbage"})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}, error
    error = server.api.error(MEMBERS, {"first": 1, "filter": {"field": "nope", "op": "EQ",
                                                               "value": 1}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter"}, error


async def test_one_request_walks_from_a_listing_through_several_levels(
    services: Services, server: Server,
) -> None:
    await pipeline(services)
    query = """{ artifacts(filter: {field: "type", op: EQ, value: "Model"}) { edges { node {
      name producedBy { name inputs { name consumedBy { name } } contexts { name
        parents { name children { name } } } } } } } }"""
    data, _ = server.sent(query)
    walked = {}
    for edge in data["artifacts"]["edges"]:
        [producer] = edge["node"]["producedBy"]
        walked[edge["node"]["name"]] = (
            producer["name"],
            {i["name"]: sorted(c["name"] for c in i["consumedBy"]) for i in producer["inputs"]},
            {c["name"]: [(x["name"], sorted(y["name"] for y in x["children"]))
                         for x in c["parents"]] for c in producer["contexts"]})
    assert walked == {
        "model-a": ("train-a", {"features": ["train-a", "train-b"]},
                    {"exp-1": [("project", ["exp-1", "exp-2"])]}),
        "model-b": ("train-b", {"features": ["train-a", "train-b"], "raw": ["prep", "train-b"]},
                    {"exp-2": [("project", ["exp-1", "exp-2"])]}),
    }


# -- the N+1 test ----------------------------------------------------------------------------

N_PLUS_ONE = """query($first: Int!) {
  artifacts(first: $first, filter: {field: "type", op: EQ, value: "Model"}) {
    edges { node { id producedBy { id inputs { id } contexts { id } } } }
  }
}"""


async def steps(services: Services, n: int) -> dict[str, tuple[str, set[str], set[str]]]:
    """`n` training steps, each reading a shared and an own dataset, writing one model, in
    its own run context and a shared experiment. Returns model id -> (step, inputs, contexts)."""
    await services.types.put(A, TypeInput(name="Dataset"))
    await services.types.put(A, TypeInput(name="Model"))
    await services.types.put(E, TypeInput(name="Trainer"))
    await services.types.put(C, TypeInput(name="Run"))
    [shared] = await services.ingest.put_nodes(A, [ArtifactInput(type="Dataset", name="shared")])
    own = await services.ingest.put_nodes(A, [ArtifactInput(type="Dataset", name=f"d{i}") for i in range(n)])
    models = await services.ingest.put_nodes(A, [ArtifactInput(type="Model", name=f"m{i}")
                                       for i in range(n)])
    execs = await services.ingest.put_nodes(E, [ExecutionInput(type="Trainer", name=f"t{i}")
                                      for i in range(n)])
    runs = await services.ingest.put_nodes(C, [ContextInput(type="Run", name=f"r{i}") for i in range(n)])
    [experiment] = await services.ingest.put_nodes(C, [ContextInput(type="Run", name="all")])
    await services.ingest.put_events([
        *(EventInput(artifact_id=a, execution_id=e, type=EventType.INPUT)
          for i, e in enumerate(execs) for a in (shared, own[i])),
        *(EventInput(artifact_id=m, execution_id=e, type=EventType.OUTPUT)
          for m, e in zip(models, execs, strict=True))])
    await services.ingest.put_memberships([], [
        Association(execution_id=e, context_id=c)
        for i, e in enumerate(execs) for c in (runs[i], experiment)])
    return {models[i]: (execs[i], {shared, own[i]}, {runs[i], experiment}) for i in range(n)}


async def test_listing_artifacts_with_producers_inputs_and_contexts_is_not_n_plus_one(
    services: Services, server: Server,
) -> None:
    expected = await steps(services, 100)
    counts = {}
    for first in (10, 100):
        data, counts[first] = server.sent(N_PLUS_ONE, {"first": first})
        nodes = [e["node"] for e in data["artifacts"]["edges"]]
        assert [n["id"] for n in nodes] == sorted(expected)[:first]
        for node in nodes:
            step, inputs, contexts = expected[node["id"]]
            [producer] = node["producedBy"]
            assert producer["id"] == step
            assert [i["id"] for i in producer["inputs"]] == sorted(inputs)
            assert [c["id"] for c in producer["contexts"]] == sorted(contexts)
    print(f"statements sent: {counts}")
    assert counts[10] == counts[100]
    assert counts[100] == 4  # the page, the producers, their inputs, their contexts


async def test_every_nested_field_batches_per_level(services: Services, server: Server) -> None:
    expected = await steps(services, 30)
    query = """query($first: Int!) {
      artifacts(first: $first, filter: {field: "type", op: EQ, value: "Model"}) {
      edges { node { id type { name } consumedBy { id } events { type } contexts { id }
        producedBy { type { name } outputs { id } events { path } contexts {
          type { name } parents { id } children { id }
          artifacts(first: 2) { edges { node { id } } }
          executions(first: 2) { edges { node { id } } totalCount } } } } } } }"""
    counts = {}
    for first in (10, 30):
        data, counts[first] = server.sent(query, {"first": first})
        nodes = [e["node"] for e in data["artifacts"]["edges"]]
        assert len(nodes) == first
        for node in nodes:
            [producer] = node["producedBy"]
            assert producer["outputs"] == [{"id": node["id"]}]
            assert (node["type"], producer["type"]) == ({"name": "Model"}, {"name": "Trainer"})
            assert [c["executions"]["totalCount"] for c in producer["contexts"]] == sorted(
                [1, 30], key=lambda n: (n == 30))
            assert producer["events"] and node["events"] == [{"type": "OUTPUT"}]
        assert all(n["id"] in expected for n in nodes)
    # The page; then per level one statement per loader with keys — artifacts: type,
    # consumers, events, contexts, producers; executions: type, outputs, events, contexts;
    # contexts: type, parents, children, artifact pages, execution pages and their totals.
    assert counts == {10: 16, 30: 16}


async def test_total_count_is_counted_only_when_selected(services: Services,
                                                         server: Server) -> None:
    await steps(services, 5)
    query = "{ artifacts(first: 2) { edges { node { id } } %s } }"
    without, sent_without = server.sent(query % "")
    with_total, sent_with = server.sent(query % "totalCount")
    assert (sent_without, sent_with) == (1, 2)
    assert with_total["artifacts"]["totalCount"] == 11
    assert with_total["artifacts"]["edges"] == without["artifacts"]["edges"]
    for query in (
        "{ artifacts(first: 2) { ... on ArtifactConnection { totalCount } } }",
        "{ artifacts(first: 2) { ...Total } } fragment Total on ArtifactConnection { totalCount }",
        "query($t: Boolean! = true) { artifacts(first: 2) { totalCount @include(if: $t) } }",
    ):
        data, sent = server.sent(query)
        assert data["artifacts"]["totalCount"] == 11
        assert sent == 2, query


async def test_loaders_live_for_one_request(services: Services, server: Server) -> None:
    expected = await steps(services, 2)
    model = sorted(expected)[0]
    query = "query($id: ID!) { artifact(id: $id) { producedBy { name } } }"
    first = server.api.data(query, {"id": model})["artifact"]["producedBy"]
    step = expected[model][0]
    await services.ingest.put_nodes(E, [ExecutionInput(id=step, type="Trainer", name="renamed")])
    second = server.api.data(query, {"id": model})["artifact"]["producedBy"]
    assert (first, second) == ([{"name": "t0"}], [{"name": "renamed"}])

