"""`lineage seed --demo`, and the GraphQL walk through it (docs/api.md, and the README's
excerpts of it), as a new user takes it.

The walk-through's ```graphql blocks are run as written, over HTTP, against the demo; their
answers are checked against what the text says and against the services' own answers.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from graph_api import demo
from graph_api.model.enums import Direction, NodeKind
from graph_api.model.filters import Filter, ListOptions
from graph_api.model.lineage import LineageRequest
from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.graph_server import GraphServer
from tests.integration.api import Api

ROOT = Path(__file__).resolve().parents[2]
LINEAGE = Path(sys.executable).parent / "lineage"


def section(path: Path, title: str) -> str:
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", path.read_text(),
                      re.S | re.M)
    assert found, f"{path.name} has no section '## {title}'"
    return found.group(1)


def walkthrough() -> str:
    """The demo walk-through of docs/api.md."""
    return section(ROOT / "docs" / "api.md", "A walk through the demo")


def queries_in(text: str) -> dict[str, str]:
    named = {}
    for block in re.findall(r"```graphql\n(.*?)```", text, re.S):
        name = re.match(r"query (\w+)", block)
        assert name, f"a documented query has no operation name:\n{block}"
        named[name.group(1)] = block
    return named


def readme_queries() -> dict[str, str]:
    """The walk-through's GraphQL documents, by operation name."""
    return queries_in(walkthrough())


def documented(*phrases: str) -> None:
    """The walk-through states these answers (collapsing line breaks)."""
    text = " ".join(walkthrough().split())
    for phrase in phrases:
        assert phrase in text, f"docs/api.md no longer says {phrase!r}"


def seed_cli(server: GraphServer, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """`lineage seed --demo` on the test database. (Its statements are not recorded for the
    linter: the store sends the same ones in the tests that seed in-process.)"""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "LINEAGE_"))}
    env.update(NEO4J_URI=server.uri, NEO4J_USER=server.user,
               NEO4J_PASSWORD=server.password or "", LINEAGE_DATA_DIR=str(data_dir))
    if server.database:
        env["NEO4J_DATABASE"] = server.database
    return subprocess.run([str(LINEAGE), "seed", "--demo"], env=env, capture_output=True,
                          text=True, timeout=300, check=False)


async def graph_counts(db: Database) -> tuple[int, Counter[str], int]:
    """Every node but the topology index's delta log (its deltas and its epoch node) and
    the sequences of MLMD's ids, every relationship by type, and the log's deltas, in the
    database."""
    async with db.driver.session(database=db.database) as session:
        nodes = await (await session.run(
            "MATCH (n) WHERE NOT n:TopologyDelta AND NOT n:TopologyLog AND NOT n:IdSequence "
            "RETURN count(n) AS n")).single()
        deltas = await (await session.run(
            "MATCH (d:TopologyDelta) RETURN count(d) AS n")).single()
        rels = await (await session.run(
            "MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS n")).data()
    assert nodes is not None and deltas is not None
    return nodes["n"], Counter({r["type"]: r["n"] for r in rels}), deltas["n"]


async def versioning_counts(db: Database) -> dict[str, int]:
    """Nodes of the versioning model by label (a blob counted once, under `Blob`)."""
    labels = ["Commit", "Tree", "Blob", "Branch", "Tag", "RefUpdate", "Repository",
              "IngredientsLink", "ModelVersion", "Alias"]
    async with db.driver.session(database=db.database) as session:
        rows = await (await session.run(
            "UNWIND $labels AS label MATCH (n) WHERE label IN labels(n) "
            "RETURN label, count(n) AS n", labels=labels)).data()
    return {r["label"]: r["n"] for r in rows}


async def test_seeding_twice_through_the_cli_creates_nothing_new(
    clean_db: Database, services: Services, graph_server: GraphServer, tmp_path: Path,
) -> None:
    first = await asyncio.to_thread(seed_cli, graph_server, tmp_path / "unused")
    assert first.returncode == 0, first.stderr
    assert "created 21 artifacts, 14 executions, 6 contexts" in first.stdout
    written = await graph_counts(clean_db)

    again = await asyncio.to_thread(seed_cli, graph_server, tmp_path / "unused")
    assert again.returncode == 0, again.stderr
    assert "nothing new: its 41 nodes were already there" in again.stdout
    assert await graph_counts(clean_db) == written  # no new delta either: no new edge
    nodes, relationships, deltas = written
    # the demo's 41 nodes and 16 types; then its versioning story's: the data the three
    # versioned runs' commits pin (2 artifacts, an INPUT per run), the registered model (a
    # context of a 17th type) and the repository's commits, trees, blobs, refs, their
    # updates, the model's versions and its alias
    versioning = await versioning_counts(clean_db)
    assert versioning == {"Commit": 12, "Tree": 11, "Blob": 11, "Branch": 5, "Tag": 2,
                          "RefUpdate": 24, "Repository": 1, "IngredientsLink": 3,
                          "ModelVersion": 3, "Alias": 1}
    assert nodes == 41 + 16 + 2 + 1 + 1 + sum(versioning.values())
    # one per step (each created its events), one for the parent links, and one each for
    # the three versioned runs' INPUT events
    assert deltas == 14 + 1 + 3
    assert relationships["CHILD_OF"] == 5
    assert relationships["INPUT"] + relationships["OUTPUT"] == 39 + 3
    # three runs linked to commits; the features-v2 runs' commits pin the same data (one
    # artifact, read by both), so two artifacts pin their blobs
    assert relationships["INGREDIENTS"] == 3
    assert relationships["PINS"] == 2
    assert not (tmp_path / "unused").exists()  # NEO4J_URI set: no embedded engine started

    # the last line holds the README's variables: the ids of the three starting points
    variables = json.loads(first.stdout.strip().splitlines()[-1])
    assert json.loads(again.stdout.strip().splitlines()[-1]) == variables
    for key, kind, external_id in [("deployedModel", NodeKind.ARTIFACT, demo.DEPLOYED_MODEL),
                                   ("corruptedDataset", NodeKind.ARTIFACT, demo.CORRUPTED_DATASET),
                                   ("experiment", NodeKind.CONTEXT, demo.EXPERIMENT)]:
        [node] = await services.nodes.by_external_ids(kind, [external_id])
        assert variables[key] == node.id
        assert node.id in first.stdout and external_id in first.stdout


async def test_seeding_twice_through_the_store_returns_the_same_ids(services: Services) -> None:
    first = await demo.seed(services)
    again = await demo.seed(services)
    assert first.created == {NodeKind.ARTIFACT: 21, NodeKind.EXECUTION: 14, NodeKind.CONTEXT: 6}
    assert again.created == {NodeKind.ARTIFACT: 0, NodeKind.EXECUTION: 0, NodeKind.CONTEXT: 0}
    assert again.ids == first.ids
    assert again.totals == first.totals


async def test_the_corrupted_dataset_is_found_by_its_custom_property(services: Services) -> None:
    report = await demo.seed(services)
    page = await services.nodes.list(NodeKind.ARTIFACT, ListOptions(
        filter=Filter.where("customProperties.quality", "EQ", "CORRUPTED")), with_total=True)
    assert page.total_count == 1
    assert [a.id for a in page.items] == [report.corrupted_dataset_id]


async def test_the_corrupted_dataset_reaches_the_deployment_and_several_runs(
    services: Services,
) -> None:
    report = await demo.seed(services)
    down = await services.lineage.lineage(LineageRequest(
        start_artifact_ids=[report.corrupted_dataset_id], direction=Direction.DOWNSTREAM))
    assert not down.truncated
    names = await names_of(services, [n.id for n in down.nodes])
    by_type = Counter(n.type for n in down.nodes)
    reached = {names[n.id] for n in down.nodes}
    assert by_type["Trainer"] == 3 and by_type["Model"] == 3
    assert {"deploy-v3", "churn-classifier-v3-prod", "churn-classifier-v3"} <= reached
    assert report.deployed_model_id in {n.id for n in down.nodes}
    # the baseline experiment never read it
    assert not any(name.startswith("baseline") for name in reached)

    members = await services.nodes.contexts_of(
        NodeKind.EXECUTION, [n.id for n in down.nodes if n.kind is NodeKind.EXECUTION])
    holding = {c.name for cs in members.values() for c in cs}
    assert holding == {"churn-prediction", "gbdt-features-v2", "features-v2-2026-11-04",
                       "release-2026-11-10"}


async def names_of(services: Services, ids: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for kind in (NodeKind.ARTIFACT, NodeKind.EXECUTION):
        names |= {n.id: n.name or "" for n in await services.nodes.by_ids(kind, ids)}
    return names


# -- the walk-through's queries ------------------------------------------------------------

@dataclass
class Demo:
    api: Api
    services: Services
    report: demo.SeedReport

    @property
    def variables(self) -> dict[str, str]:
        """What `lineage seed --demo` prints for GraphiQL's Variables pane."""
        return {"deployedModel": self.report.deployed_model_id,
                "corruptedDataset": self.report.corrupted_dataset_id,
                "experiment": self.report.experiment_id}

    def run(self, name: str) -> dict[str, Any]:
        return self.api.data(readme_queries()[name], self.variables)


@pytest.fixture
async def seeded(api: Api, services: Services) -> Demo:
    return Demo(api, services, await demo.seed(services))


async def check_demo_ids(d: Demo) -> None:
    data = d.run("DemoIds")
    assert {k: v["id"] for k, v in data.items()} == d.variables
    assert data["deployedModel"]["name"] == "churn-classifier-v3-prod"
    assert data["corruptedDataset"]["customProperties"]["quality"] == "CORRUPTED"


async def check_corrupted_datasets(d: Demo) -> None:
    documented("Answer: 1 artifact, `events-2026-10`, with `incident: \"INC-4127\"`")
    listing = d.run("CorruptedDatasets")["artifacts"]
    assert listing["totalCount"] == 1
    [edge] = listing["edges"]
    assert edge["node"]["id"] == d.report.corrupted_dataset_id
    assert edge["node"]["name"] == "events-2026-10"
    assert edge["node"]["customProperties"]["incident"] == "INC-4127"


async def check_corrupted_datasets_by_filter_query(d: Demo) -> None:
    listing = d.run("CorruptedDatasetsByFilterQuery")["artifacts"]
    assert [e["node"]["name"] for e in listing["edges"]] == ["events-2026-10"]
    assert listing["edges"][0]["node"]["id"] == d.report.corrupted_dataset_id


async def check_upstream(d: Demo) -> None:
    documented("Answer: 25 nodes — 16 artifacts and 9 executions — and 29 edges, not truncated",
               "at 10 all four raw datasets", "at 11 hops, the baseline's `validate-baseline`")
    graph = d.run("UpstreamOfDeployedModel")["lineage"]
    expected = await d.services.lineage.lineage(LineageRequest(
        start_artifact_ids=[d.report.deployed_model_id], direction=Direction.UPSTREAM,
        max_hops=20))
    assert graph["truncated"] is False
    names = await names_of(d.services, [n.id for n in expected.nodes])
    assert sorted((n["node"]["name"], n["degree"]) for n in graph["nodes"]) == sorted(
        (names[n.id], n.degree) for n in expected.nodes)
    assert len(graph["nodes"]) == 25
    assert Counter(n["kind"] for n in graph["nodes"]) == {"ARTIFACT": 16, "EXECUTION": 9}
    assert len(graph["edges"]) == 29 == len(expected.edges)
    at = {(n["kind"], n["node"]["name"]): n["degree"] for n in graph["nodes"]}
    assert at["EXECUTION", "deploy-v3"] == 1
    assert at["ARTIFACT", "features-v2-run-2"] == 4  # the model; its run is at 5
    assert at["ARTIFACT", "baseline-run-2"] == 6
    # the data the runs' versioned commits pin: features-v2-run-2's, then the baseline's
    assert sorted(n["degree"] for n in graph["nodes"] if n["node"]["name"] == "data/train"
                  ) == [6, 8]
    assert at["ARTIFACT", "events-2026-10"] == 10
    assert max(at.values()) == 11 == at["EXECUTION", "validate-baseline"]


async def check_impact(d: Demo) -> None:
    documented("Answer: 11 artifacts (the dataset itself at degree 0",
               "8 executions (validation, feature engineering, the 3 `Trainer` runs",
               "and 4 contexts: the project `churn-prediction`, the experiment "
               "`gbdt-features-v2`, and the pipeline runs `features-v2-2026-11-04` and "
               "`release-2026-11-10`")
    impact = d.run("ImpactOfCorruptedDataset")["impact"]
    expected = await d.services.lineage.lineage(LineageRequest(
        start_artifact_ids=[d.report.corrupted_dataset_id], direction=Direction.DOWNSTREAM))
    assert impact["truncated"] is False
    assert {c["kind"]: c["count"] for c in impact["countsByKind"]} == {
        "ARTIFACT": 11, "EXECUTION": 8, "CONTEXT": 4}
    types = {(c["kind"], c["type"]): c["count"] for c in impact["countsByType"]}
    assert types[("EXECUTION", "Trainer")] == 3 and types[("ARTIFACT", "Model")] == 3
    assert types[("EXECUTION", "Deployment")] == 1 and types[("ARTIFACT", "ServedModel")] == 1
    names = await names_of(d.services, [n.id for n in expected.nodes])
    assert sorted((n["node"]["name"], n["degree"]) for n in impact["nodes"]) == sorted(
        (names[n.id], n.degree) for n in expected.nodes)
    degree = {(n["kind"], n["node"]["name"]): n["degree"] for n in impact["nodes"]}
    assert degree["ARTIFACT", "events-2026-10"] == 0
    assert degree["ARTIFACT", "churn-classifier-v3-prod"] == 10
    assert {c["name"] for c in impact["contexts"]} == {
        "churn-prediction", "gbdt-features-v2", "features-v2-2026-11-04", "release-2026-11-10"}
    assert all(c["direct"] for c in impact["contexts"])


async def check_runs_by_auc(d: Demo) -> None:
    documented("Answer: 3 runs — `features-v2-run-2` (auc 0.894, learning_rate 0.03, "
               "max_depth 8), `features-v2-run-1` (auc 0.871), `features-v2-run-3` (auc 0.859)")
    runs = d.run("RunsByAuc")["executions"]
    assert runs["totalCount"] == 3
    assert runs["pageInfo"]["hasNextPage"] is False
    nodes = [e["node"] for e in runs["edges"]]
    assert [(n["name"], n["properties"]["auc"]) for n in nodes] == [
        ("features-v2-run-2", 0.894), ("features-v2-run-1", 0.871), ("features-v2-run-3", 0.859)]
    assert nodes[0]["properties"]["learning_rate"] == 0.03
    assert nodes[0]["properties"]["max_depth"] == 8
    assert all(n["state"] == "COMPLETE" for n in nodes)


async def check_search(d: Demo) -> None:
    documented("Answer: 2 artifacts, `events-2026-09` then `events-2026-10`",
               "and 17 counts, from `ARTIFACT Dataset 8` to `CONTEXT RegisteredModel 1`")
    data = d.run("FindEventsData")
    assert [(h["kind"], h["typeName"], h["name"]) for h in data["search"]] == [
        ("ARTIFACT", "RawDataset", "events-2026-09"), ("ARTIFACT", "RawDataset", "events-2026-10")]
    assert data["search"][1]["id"] == d.report.corrupted_dataset_id
    counts = [(c["kind"], c["typeName"], c["count"]) for c in data["typeCounts"]]
    assert len(counts) == 17 and counts[0] == ("ARTIFACT", "Dataset", 8)
    assert counts[-1] == ("CONTEXT", "RegisteredModel", 1)  # the versioning story's
    assert sum(c for kind, _, c in counts if kind == "ARTIFACT") == 21 + 2
    assert sum(c for kind, _, c in counts if kind == "EXECUTION") == 14


async def check_upstream_table(d: Demo) -> None:
    documented("Answer: the 25 nodes and 29 edges of `UpstreamOfDeployedModel`, in the same "
               "order", '"name": ["churn-classifier-v3-prod", "deploy-v3", …], "state": '
               '["LIVE", "COMPLETE", …]', '"types": [{"kind": "ARTIFACT", "name": '
               '"ServedModel"}, {"kind": "EXECUTION", "name": "Deployment"}, …]')
    table = d.run("UpstreamOfDeployedModelAsTable")["lineage"]["table"]
    typed = d.run("UpstreamOfDeployedModel")["lineage"]
    assert table["nodes"]["name"] == [n["node"]["name"] for n in typed["nodes"]]
    assert table["nodes"]["degree"] == [n["degree"] for n in typed["nodes"]]
    assert len(table["edges"]["source"]) == len(typed["edges"]) == 29
    assert set(table["nodes"]) == {"id", "type", "degree", "name", "state"}
    assert table["types"][:2] == [{"kind": "ARTIFACT", "name": "ServedModel"},
                                  {"kind": "EXECUTION", "name": "Deployment"}]
    assert table["nodes"]["name"][:2] == ["churn-classifier-v3-prod", "deploy-v3"]
    assert table["nodes"]["state"][:2] == ["LIVE", "COMPLETE"]
    assert table["truncated"] is False


CHECKS: dict[str, Callable[[Demo], Any]] = {
    "DemoIds": check_demo_ids,
    "CorruptedDatasets": check_corrupted_datasets,
    "CorruptedDatasetsByFilterQuery": check_corrupted_datasets_by_filter_query,
    "UpstreamOfDeployedModel": check_upstream,
    "UpstreamOfDeployedModelAsTable": check_upstream_table,
    "ImpactOfCorruptedDataset": check_impact,
    "RunsByAuc": check_runs_by_auc,
    "FindEventsData": check_search,
}


def test_every_documented_query_is_checked() -> None:
    assert sorted(readme_queries()) == sorted(CHECKS)


def test_the_readmes_queries_are_the_walk_throughs() -> None:
    excerpts = queries_in(section(ROOT / "README.md", "The API"))
    assert excerpts, "the README shows no query"
    assert {name: readme_queries().get(name) for name in excerpts} == excerpts


@pytest.mark.parametrize("name", list(CHECKS))
async def test_documented_query_gives_the_documented_answer(name: str, seeded: Demo) -> None:
    await CHECKS[name](seeded)


def test_the_walk_through_states_the_demo_s_size() -> None:
    documented("21 artifacts, 14 executions and 6 contexts of 16 declared types")
    assert len(demo.TYPES) == 16
