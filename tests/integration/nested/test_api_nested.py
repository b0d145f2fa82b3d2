"""Nested reads over HTTP: types, producers, consumers, inputs, outputs, events, contexts
and members of a small pipeline, each checked against the pipeline."""

from __future__ import annotations

from graph_api.services.container import Services
from tests.integration.nested.helpers import (
    ARTIFACT,
    CAP,
    Server,
    by_id,
    ms,
    names,
    pipeline,
    related,
)


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


