"""The context view: an experiment's DAG and the comparison of its runs."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Page, expect

from graph_api.demo import SeedReport
from tests.e2e.conftest import Gql, Screenshot

RUNS = """query ($id: ID!) {
  executions(contextId: $id, first: 50, filter: {field: "type", op: EQ, value: "Trainer"},
             orderBy: {field: "properties.auc", descending: true}) {
    edges { node { id name properties customProperties } }
  }
}"""
GRAPH = "query ($id: ID!) { contextGraph(contextId: $id) { nodes { id } edges { source target } } }"


def runs(gql: Gql, context_id: str) -> list[dict[str, Any]]:
    return [e["node"] for e in gql(RUNS, {"id": context_id})["executions"]["edges"]]


def shown(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


async def test_run_comparison_shows_the_runs_metrics(page: Page, demo: SeedReport, gql: Gql,
                                                     screenshot: Screenshot) -> None:
    experiment = demo.experiment_id
    trainer_runs = runs(gql, experiment)
    assert len(trainer_runs) == 3
    await page.goto(f"/contexts/{experiment}")
    table = page.get_by_test_id("runs-table")
    await expect(table.locator("tbody tr")).to_have_count(len(trainer_runs))
    for run in trainer_runs:
        row = table.locator(f'tbody tr[data-run-id="{run["id"]}"]')
        await expect(row).to_contain_text(run["name"])
        for key in ("auc", "logloss", "learning_rate", "max_depth", "n_estimators"):
            await expect(row.locator(f'td[data-column="{key}"]')).to_have_text(shown(run["properties"][key]))
        for key, value in run["customProperties"].items():
            label = re.sub(r"^(param|metric)_", "", key)
            await expect(row.locator(f'td[data-column="{label}"]')).to_have_text(shown(value))
    # auc differs between the runs: highlighted
    await expect(table.locator('th[data-column="auc"]')).to_have_class(re.compile("differs"))
    # sorted by auc, best first, as the API orders them
    await table.locator('th[data-column="auc"]').click()
    order = [await r.get_attribute("data-run-id") for r in await table.locator("tbody tr").all()]
    assert order == [r["id"] for r in trainer_runs]
    await screenshot("runs")
    # a run links to its lineage
    best = trainer_runs[0]
    await table.locator(f'tbody tr[data-run-id="{best["id"]}"] a').click()
    await expect(page).to_have_url(re.compile(f"/lineage/{best['id']}"))
    await expect(page.get_by_test_id("lineage-canvas")).to_have_attribute("data-layout", "ready")


async def test_the_context_graph_is_the_apis(page: Page, demo: SeedReport, gql: Gql,
                                             screenshot: Screenshot) -> None:
    experiment = demo.experiment_id
    answer = gql(GRAPH, {"id": experiment})["contextGraph"]
    await page.goto(f"/contexts/{experiment}")
    canvas = page.get_by_test_id("lineage-canvas")
    await expect(canvas).to_have_attribute("data-layout", "ready")
    drawn = {await n.get_attribute("data-id") for n in await page.locator(".react-flow__node").all()}
    assert drawn == {n["id"] for n in answer["nodes"]}
    await expect(canvas).to_have_attribute("data-edge-count", str(len(answer["edges"])))
    await expect(page.get_by_role("link", name=re.compile("churn-prediction"))).to_be_visible()
    await screenshot("graph")


async def test_selecting_runs_changes_the_comparison(page: Page, demo: SeedReport, gql: Gql) -> None:
    experiment = demo.experiment_id
    trainer_runs = runs(gql, experiment)
    await page.goto(f"/contexts/{experiment}")
    table = page.get_by_test_id("runs-table")
    await expect(table.locator("tbody tr")).to_have_count(3)
    await page.locator(f'input[data-run-id="{trainer_runs[0]["id"]}"]').uncheck()
    await expect(table.locator("tbody tr")).to_have_count(2)
    await expect(table.locator(f'tr[data-run-id="{trainer_runs[0]["id"]}"]')).to_have_count(0)
