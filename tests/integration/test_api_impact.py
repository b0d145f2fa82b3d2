"""Impact analysis over HTTP: GraphQL `impact` and the streaming export `GET /api/v1/impact`,
on a graph where a corrupted dataset feeds the runs of two pipelines, checked against a
reference walk computed here."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from graph_api.model.enums import Direction, NodeKind
from graph_api.model.nodes import ContextInput
from graph_api.model.relations import ParentContext
from graph_api.model.types import TypeInput
from graph_api.services.container import Services
from tests.graph_server import GraphServer
from tests.integration.api import WALK_PATHS, Api, on_each_walk_path, running_api, settings_for
from tests.integration.lineage_graphs import Steps, artifact_type, build, reference

IMPACT = """
query Impact($ids: [ID!]!, $hops: Int, $include: LineageIncludeInput, $maxNodes: Int) {
  impact(artifactIds: $ids, maxHops: $hops, include: $include, maxNodes: $maxNodes) {
    nodes { id kind type degree node { ... on Artifact { name uri } ... on Execution { name } } }
    contexts { id type name degree direct affectedMembers context { name typeName } }
    countsByKind { kind count }
    countsByType { kind type count }
    truncated
  }
}
"""

#: Two pipelines read the corrupted `raw_bad`; a third does not. Their runs sit in
#: experiments under one project; a report made from pipeline A's model and pipeline C's
#: sits in a run of its own, under another project.
PIPELINE_A: Steps = {
    "a_clean": (["raw_bad", "raw_ok"], ["a_features"]),
    "a_train": (["a_features"], ["model_a"]),
}
PIPELINE_B: Steps = {
    "b_join": (["raw_ok", "raw_bad"], ["b_joined"]),
    "b_train": (["b_joined"], ["model_b"]),
    "b_eval": (["model_b", "b_joined"], ["b_metrics"]),
}
PIPELINE_C: Steps = {"c_train": (["raw_ok"], ["model_c"])}
REPORT: Steps = {"report": (["model_a", "model_c"], ["report_doc"])}
#: context -> its parent
PARENTS = {"run_a": "exp_1", "run_b": "exp_2", "run_c": "exp_2", "exp_1": "proj",
           "exp_2": "proj", "reporting": "ops"}

#: Every test runs against a server with the topology index and one walking in Cypher.
api = pytest.fixture(params=WALK_PATHS)(on_each_walk_path)


@dataclass
class World:
    ids: dict[str, str]
    names: dict[str, str]
    edges: set[tuple[str, str]]
    kinds: dict[str, NodeKind]
    types: dict[str, str]
    members: dict[str, set[str]]  # context -> artifact and execution names

    def expected_contexts(self, degrees: dict[str, int]) -> dict[str, tuple[int, bool, int]]:
        """context name -> (degree, direct, affected members), by the module doc's rule."""
        out: dict[str, tuple[int, bool, int]] = {}
        for context, members in self.members.items():
            hit = [degrees[m] for m in members if m in degrees]
            if hit:
                out[context] = (min(hit), True, len(hit))
        changed = True
        while changed:
            changed = False
            for child, parent in PARENTS.items():
                if child in out and (parent not in out or out[parent][0] > out[child][0]):
                    old = out.get(parent, (0, False, 0))
                    out[parent] = (out[child][0], old[1], old[2])
                    changed = True
        return out


async def build_world(services: Services) -> World:
    parts = [(await build(services, steps, context=run), run) for steps, run in
             ((PIPELINE_A, "run_a"), (PIPELINE_B, "run_b"), (PIPELINE_C, "run_c"),
              (REPORT, "reporting"))]
    await services.types.put(NodeKind.CONTEXT, TypeInput(name="Experiment"))
    await services.types.put(NodeKind.CONTEXT, TypeInput(name="Project"))
    ids: dict[str, str] = {}
    edges: set[tuple[str, str]] = set()
    kinds: dict[str, NodeKind] = {}
    members: dict[str, set[str]] = {}
    for built, run in parts:
        ids.update(built.ids)
        edges |= built.edges
        kinds.update(built.kinds)
        members[run] = set(built.kinds)
    new = {"exp_1": "Experiment", "exp_2": "Experiment", "proj": "Project", "ops": "Project"}
    created = await services.ingest.put_nodes(NodeKind.CONTEXT, [
        ContextInput(type=t, name=n) for n, t in new.items()])
    ids.update(zip(new, created, strict=True))
    await services.ingest.put_parent_contexts([
        ParentContext(child_id=ids[c], parent_id=ids[p]) for c, p in PARENTS.items()])
    types = {n: ("RawData" if n.startswith("raw") else "Model" if n.startswith("model")
                 else "Dataset") for n, k in kinds.items() if k is NodeKind.ARTIFACT}
    types |= {n: "Step" for n, k in kinds.items() if k is NodeKind.EXECUTION}
    types |= {r: "PipelineRun" for r in members} | new
    return World(ids, {v: k for k, v in ids.items()}, edges, kinds, types, members)


def impact(api: Api, world: World, starts: list[str], **variables: Any) -> dict[str, Any]:
    result: dict[str, Any] = api.data(IMPACT, {"ids": [world.ids[s] for s in starts],
                                               **variables})["impact"]
    return result


def named(world: World, rows: list[dict[str, Any]]) -> dict[str, int]:
    return {world.names[r["id"]]: r["degree"] for r in rows}


def counts(world: World, names: set[str]) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    def kind(n: str) -> str:
        return world.kinds[n].name if n in world.kinds else "CONTEXT"

    by_type = Counter((kind(n), world.types[n]) for n in names)
    by_kind = Counter(kind(n) for n in names)
    return dict(by_kind), dict(by_type)


def answer_counts(answer: dict[str, Any]
                  ) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    return ({c["kind"]: c["count"] for c in answer["countsByKind"]},
            {(c["kind"], c["type"]): c["count"] for c in answer["countsByType"]})


# --- GraphQL impact -----------------------------------------------------------------------------

async def test_impact_lists_everything_downstream_and_every_context_holding_it(
        api: Api, services: Services) -> None:
    world = await build_world(services)

    answer = impact(api, world, ["raw_bad"])

    expected = reference(world.edges, ["raw_bad"], Direction.DOWNSTREAM, 100)
    assert named(world, answer["nodes"]) == expected
    assert {"model_a", "model_b", "b_metrics", "report", "report_doc"} <= set(expected)
    assert not {"raw_ok", "c_train", "model_c"} & set(expected)
    contexts = {world.names[c["id"]]: (c["degree"], c["direct"], c["affectedMembers"])
                for c in answer["contexts"]}
    assert contexts == world.expected_contexts(expected)
    # run_c holds no affected node; its parent exp_2 is listed as run_b's parent.
    assert contexts["reporting"] == (expected["model_a"], True, 3)  # model_a, report, doc
    assert contexts["ops"] == (expected["model_a"], False, 0)
    assert "run_c" not in contexts and contexts["exp_2"][1] is False
    assert answer_counts(answer) == counts(world, set(expected) | set(contexts))
    assert answer["truncated"] is False


async def test_impact_carries_node_and_context_properties(api: Api, services: Services) -> None:
    world = await build_world(services)

    answer = impact(api, world, ["raw_bad"])

    for n in answer["nodes"]:
        assert n["node"]["name"] == world.names[n["id"]]
        assert n["type"] == world.types[world.names[n["id"]]]
    for c in answer["contexts"]:
        assert c["name"] == c["context"]["name"] == world.names[c["id"]]
        assert c["type"] == c["context"]["typeName"] == world.types[c["name"]]


async def test_impact_of_several_artifacts_is_the_union_at_the_smallest_degree(
        api: Api, services: Services) -> None:
    world = await build_world(services)

    answer = impact(api, world, ["raw_bad", "model_c", "raw_bad"])

    expected = reference(world.edges, ["raw_bad", "model_c"], Direction.DOWNSTREAM, 100)
    assert named(world, answer["nodes"]) == expected
    contexts = {world.names[c["id"]]: (c["degree"], c["direct"], c["affectedMembers"])
                for c in answer["contexts"]}
    assert contexts == world.expected_contexts(expected)
    assert contexts["run_c"] == (0, True, 1)  # model_c itself


async def test_impact_max_hops_bounds_the_walk(api: Api, services: Services) -> None:
    world = await build_world(services)

    answer = impact(api, world, ["raw_bad"], hops=2)

    expected = reference(world.edges, ["raw_bad"], Direction.DOWNSTREAM, 2)
    assert named(world, answer["nodes"]) == expected
    assert {world.names[c["id"]] for c in answer["contexts"]} == set(
        world.expected_contexts(expected))


async def test_impact_include_narrows_what_is_listed_and_counted(api: Api, services: Services
                                                                 ) -> None:
    world = await build_world(services)
    full = reference(world.edges, ["raw_bad"], Direction.DOWNSTREAM, 100)

    models = impact(api, world, ["raw_bad"], include={"types": ["Model", "Experiment"]})
    no_contexts = impact(api, world, ["raw_bad"], include={"kinds": ["ARTIFACT", "EXECUTION"]})

    assert named(world, models["nodes"]) == {n: full[n] for n in ("raw_bad", "model_a", "model_b")}
    assert {world.names[c["id"]] for c in models["contexts"]} == {"exp_1", "exp_2"}
    assert answer_counts(models) == counts(world, {"raw_bad", "model_a", "model_b", "exp_1",
                                                   "exp_2"})
    # affectedMembers counts every affected member, whatever is listed:
    exp_1 = next(c for c in models["contexts"] if world.names[c["id"]] == "exp_1")
    assert exp_1["direct"] is False and exp_1["affectedMembers"] == 0
    assert named(world, no_contexts["nodes"]) == full and no_contexts["contexts"] == []


async def test_impact_max_nodes_keeps_the_nearest_and_says_truncated(
        api: Api, services: Services) -> None:
    world = await build_world(services)
    full = reference(world.edges, ["raw_bad"], Direction.DOWNSTREAM, 100)

    answer = impact(api, world, ["raw_bad"], maxNodes=3)

    got = named(world, answer["nodes"])
    assert answer["truncated"] is True and len(got) == 3
    assert all(full[n] == d for n, d in got.items())
    assert {world.names[c["id"]] for c in answer["contexts"]} == set(
        world.expected_contexts(got))


async def test_impact_errors(api: Api, services: Services) -> None:
    world = await build_world(services)

    unknown = api.error(IMPACT, {"ids": [world.ids["raw_bad"], "no-such-artifact"]})
    execution = api.error(IMPACT, {"ids": [world.ids["a_train"]]})
    empty = api.error(IMPACT, {"ids": []})
    over = api.error(IMPACT, {"ids": [world.ids["raw_bad"]], "hops": 101})
    too_many = api.error(IMPACT, {"ids": [world.ids["raw_bad"]], "maxNodes": 10_001})

    assert unknown["extensions"]["code"] == "NOT_FOUND"
    assert unknown["extensions"]["field"] == "artifactIds"
    assert "no-such-artifact" in unknown["message"]
    assert execution["extensions"]["code"] == "NOT_FOUND"
    assert empty["extensions"]["code"] == "BAD_USER_INPUT"
    assert over["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "maxHops" in over["message"] and "101" in over["message"]
    assert too_many["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "maxNodes" in too_many["message"]


# --- the streaming export -------------------------------------------------------------------------

def export(api: Api, world: World, starts: list[str], fmt: str, **params: Any
           ) -> tuple[dict[str, int], Any]:
    """The export's rows as {name: degree}, and the parsed body."""
    query: list[tuple[str, Any]] = [("artifactId", world.ids[s]) for s in starts]
    query += [("format", fmt), *params.items()]
    response = api.client.get(f"{api.url}/api/v1/impact", params=query)
    assert response.status_code == 200, response.text
    assert response.headers.get("transfer-encoding") == "chunked"  # streamed, not buffered
    if fmt == "csv":
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert list(rows[0]) == ["kind", "id", "type", "degree", "name", "uri"]
        got = {world.names[r["id"]]: int(r["degree"]) for r in rows}
        assert len(got) == len(rows)  # each node once
        for r in rows:
            assert r["name"] == world.names[r["id"]]
            assert r["type"] == world.types[r["name"]]
        return got, rows
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    got = {world.names[r["id"]]: r["degree"] for r in body["nodes"]}
    assert len(got) == len(body["nodes"])
    return got, body


def graphql_rows(world: World, answer: dict[str, Any]) -> dict[str, int]:
    return named(world, answer["nodes"]) | named(world, answer["contexts"])


@pytest.mark.parametrize("fmt", ["csv", "json"])
async def test_export_equals_the_graphql_answer(api: Api, services: Services, fmt: str) -> None:
    world = await build_world(services)
    answer = impact(api, world, ["raw_bad"])

    got, body = export(api, world, ["raw_bad"], fmt)

    assert got == graphql_rows(world, answer)
    if fmt == "json":
        assert body["artifactIds"] == [world.ids["raw_bad"]] and body["maxHops"] == 100
        assert {k: v for k, v in body["countsByKind"].items()} == answer_counts(answer)[0]
        assert {(c["kind"], c["type"]): c["count"] for c in body["countsByType"]} == (
            answer_counts(answer)[1])
        uris = {r["name"]: r["uri"] for r in body["nodes"]}
        assert uris["model_a"] == "mem://model_a" and uris["a_train"] is None
    else:
        kinds = {r["name"]: r["kind"] for r in body}
        assert kinds["raw_bad"] == "ARTIFACT" and kinds["a_train"] == "EXECUTION"
        assert kinds["proj"] == "CONTEXT"


@pytest.mark.parametrize("fmt", ["csv", "json"])
async def test_export_takes_the_same_options_as_graphql(api: Api, services: Services, fmt: str
                                                        ) -> None:
    world = await build_world(services)
    include = {"kinds": ["ARTIFACT", "CONTEXT"], "types": ["Model", "PipelineRun"]}
    answer = impact(api, world, ["raw_bad", "model_c"], hops=3, include=include)

    got, _ = export(api, world, ["raw_bad", "model_c"], fmt, maxHops=3, kind="ARTIFACT",
                    type="Model")
    got_runs, _ = export(api, world, ["raw_bad", "model_c"], fmt, maxHops=3, kind="CONTEXT",
                         type="PipelineRun")

    assert got | got_runs == graphql_rows(world, answer)


def test_export_without_an_artifact_id_is_400(api: Api) -> None:
    response = api.client.get(f"{api.url}/api/v1/impact", params={"format": "csv"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "BAD_USER_INPUT" and "artifactId" in body["message"]


@pytest.mark.parametrize(("params", "field", "code"), [
    ({"format": "xml"}, "format", "BAD_USER_INPUT"),
    ({"maxHops": "many"}, "maxHops", "BAD_USER_INPUT"),
    ({"maxHops": "-1"}, "maxHops", "BAD_USER_INPUT"),
    ({"maxHops": "101"}, "maxHops", "LIMIT_EXCEEDED"),
    ({"kind": "MODEL"}, "kind", "BAD_USER_INPUT"),
    ({"artifactIds": "x"}, "artifactIds", "BAD_USER_INPUT"),
])
async def test_export_with_a_bad_parameter_is_400_naming_it(
        api: Api, services: Services, params: dict[str, str], field: str, code: str) -> None:
    world = await build_world(services)

    response = api.client.get(f"{api.url}/api/v1/impact",
                              params={"artifactId": world.ids["raw_bad"], **params})

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert field in response.json()["message"]
    assert set(response.json()) == {"code", "message"}


async def test_export_of_an_unknown_artifact_is_404(api: Api, services: Services) -> None:
    world = await build_world(services)

    for missing in ("no-such-artifact", world.ids["a_train"]):
        response = api.client.get(f"{api.url}/api/v1/impact", params=[
            ("artifactId", world.ids["raw_bad"]), ("artifactId", missing), ("format", "csv")])

        assert response.status_code == 404
        assert response.json() == {"code": "NOT_FOUND",
                                   "message": f"artifactIds: no artifact {missing!r}"}


# --- the export has no node cap ----------------------------------------------------------------------

SMALL_CAP = 20


@pytest.fixture(scope="module")
def capped_api(graph_server: GraphServer, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[Api]:
    """A server whose maxNodes cap is small."""
    settings = settings_for(graph_server, tmp_path_factory.mktemp("capped"),
                            LINEAGE_MAX_NODES=str(SMALL_CAP))
    with running_api(settings) as api:
        yield api


async def test_export_returns_more_nodes_than_the_graphql_cap(
        capped_api: Api, services: Services) -> None:
    width = 3 * SMALL_CAP
    steps: Steps = {f"use{i:03d}": (["raw_hot"], [f"out{i:03d}"]) for i in range(width)}
    steps["merge"] = ([f"out{i:03d}" for i in range(width)], ["model_all"])
    built = await build(services, steps, context="big_run")
    types = {n: artifact_type(n) if k is NodeKind.ARTIFACT else "Step"
             for n, k in built.kinds.items()} | {"big_run": "PipelineRun"}
    world = World(built.ids, built.names, built.edges, built.kinds, types,
                  {"big_run": set(built.kinds)})
    expected = reference(built.edges, ["raw_hot"], Direction.DOWNSTREAM, 100)

    capped = impact(capped_api, world, ["raw_hot"])
    got_csv, _ = export(capped_api, world, ["raw_hot"], "csv")
    got_json, _ = export(capped_api, world, ["raw_hot"], "json")

    assert capped["truncated"] is True and len(capped["nodes"]) == SMALL_CAP
    assert len(expected) == 2 * width + 3 > SMALL_CAP
    assert got_csv == got_json == expected | {"big_run": 0}

