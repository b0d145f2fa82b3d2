"""Nested reads cost a fixed number of statements, whatever the number of nodes (no N+1)."""

from __future__ import annotations

from graph_api.model.enums import EventType
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.relations import Association, EventInput
from graph_api.model.types import TypeInput
from graph_api.services.container import Services
from tests.integration.nested.helpers import (
    A,
    C,
    E,
    Server,
)

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

