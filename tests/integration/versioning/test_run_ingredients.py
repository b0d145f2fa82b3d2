"""`runIngredients`: the commits a lineage view's runs used, for all of them at once."""

from __future__ import annotations

from starlette.applications import Starlette

from graph_api import demo
from graph_api.model.enums import NodeKind
from graph_api.model.filters import ListOptions
from graph_api.services.container import Services
from tests.integration.api import Api, statements

QUERY = """query ($ids: [ID!]!) { runIngredients(runIds: $ids) {
  runId repository commit message entries { path kind } } }"""


async def test_the_demo_s_linked_runs_show_their_commits_and_the_others_nothing(
        counted: tuple[Api, Starlette], services: Services) -> None:
    api, _ = counted
    await demo.seed(services)
    runs = (await services.nodes.list(NodeKind.EXECUTION, ListOptions(first=100))).items
    name = {r.id: r.name for r in runs}

    found = api.data(QUERY, {"ids": [*name, "no-such-run"]})["runIngredients"]

    assert [(name[r["runId"]], r["repository"], r["message"]) for r in found] == sorted(
        [("baseline-run-2", "churn", "Baseline hyperparameters (gbdt, 400 trees)"),
         ("features-v2-run-1", "churn",
          "Features v2: October's events and session-depth features"),
         ("features-v2-run-2", "churn", "800 trees")],
        key=lambda r: list(name.values()).index(r[0]))
    for r in found:
        assert [(e["path"], e["kind"]) for e in r["entries"]] == [
            ("code", "CODE"), ("config/train", "CONFIG"), ("data/train", "DATASET"),
            ("env/train", "ENVIRONMENT")]


async def test_many_runs_cost_the_statements_of_one(
        counted: tuple[Api, Starlette], services: Services) -> None:
    api, app = counted
    await demo.seed(services)
    runs = [r.id for r in (await services.nodes.list(NodeKind.EXECUTION,
                                                     ListOptions(first=100))).items]

    before = statements(app)
    one = api.data(QUERY, {"ids": runs[:1]})["runIngredients"]
    middle = statements(app)
    every = api.data(QUERY, {"ids": runs})["runIngredients"]
    after = statements(app)

    assert len(one) <= 1 and len(every) == 3
    assert after - middle == middle - before
