"""OpenLineage runs and datasets in the web UI: drawn like any node, their facets in the side
panel, a job's context showing its runs."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import Page, expect

from graph_api.store.connection import Database
from tests.e2e.conftest import Gql, Screenshot
from tests.integration.openlineage_events import EVENT_FILES, load

#: The Airflow task that reads one Postgres table and writes another.
TASK = [load(p) for p in EVENT_FILES if "airflow-postgres-postgres_insert" in p.name]
RUN = "openlineage:run:d910f974-8a7c-58d3-8040-302dc44b78dd"
JOB = "openlineage:job:food_delivery:postgres_orders_popular_day_of_week.postgres_insert"
NODES = ".react-flow__node"
IDS = """query ($run: String!, $job: String!) {
  execution(externalId: $run) { id customProperties }
  context(externalId: $job) { id }
}"""


@pytest.fixture
async def posted(ui_server: str, database: Database) -> AsyncIterator[None]:
    """The task's events, posted as a client posts them; removed afterwards, so the other
    browser tests see the demo alone."""
    async with httpx.AsyncClient(base_url=ui_server, timeout=60) as http:
        for event in TASK:
            answer = await http.post("/api/v1/lineage", content=json.dumps(event),
                                     headers={"content-type": "application/json"})
            assert answer.status_code == 201, answer.text
    yield
    async with database.driver.session(database=database.database) as session:
        await session.run("MATCH (n) WHERE n.externalId STARTS WITH 'openlineage:' "
                          "DETACH DELETE n")
        await session.run("MATCH (n:DatasetAlias) DELETE n")


async def test_a_run_shows_its_facets_and_its_job_its_runs(
        page: Page, gql: Gql, posted: None, screenshot: Screenshot) -> None:
    found = gql(IDS, {"run": RUN, "job": JOB})
    run, job = found["execution"], found["context"]
    await page.goto(f"/lineage/{run['id']}")
    canvas = page.get_by_test_id("lineage-canvas")
    await expect(canvas).to_have_attribute("data-layout", "ready")
    await expect(canvas).to_have_attribute("data-node-count", "3")  # table → run → table
    await page.locator(f'{NODES}[data-id="{run["id"]}"]').click()
    panel = page.locator(f'[data-testid="side-panel"][data-node-id="{run["id"]}"]')
    custom = panel.get_by_test_id("side-custom-properties")
    for facet in ("airflow_runArgs", "job_sql", "runId"):
        assert facet in run["customProperties"]
        await expect(custom.locator(f'tr[data-key="{facet}"]')).to_be_visible()
    await expect(custom.locator('tr[data-key="job_sql"] td')).to_contain_text("INSERT INTO")
    await screenshot("run")
    await page.goto(f"/contexts/{job['id']}")
    await expect(page.get_by_test_id("lineage-canvas")).to_have_attribute("data-layout", "ready")
    await expect(page.locator(f'{NODES}[data-id="{run["id"]}"]')).to_be_visible()
    await screenshot("job")
