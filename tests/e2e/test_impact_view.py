"""The impact view of a bad dataset: the affected nodes the API's `impact` lists, and their export."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from typing import Any

from playwright.async_api import Page, expect

from graph_api.demo import SeedReport
from tests.e2e.conftest import Gql, Screenshot

IMPACT = """query ($id: ID!) {
  impact(artifactIds: [$id]) {
    nodes { id kind type } contexts { id type } truncated
    countsByKind { kind count } countsByType { kind type count }
  }
}"""
ROWS = '[data-testid="impact-table"] tbody tr'


def impact(gql: Gql, artifact_id: str) -> dict[str, Any]:
    answer: dict[str, Any] = gql(IMPACT, {"id": artifact_id})["impact"]
    return answer


def affected_ids(answer: dict[str, Any]) -> set[str]:
    return {n["id"] for n in answer["nodes"]} | {c["id"] for c in answer["contexts"]}


async def row_ids(page: Page) -> list[str]:
    return [await r.get_attribute("data-id") or "" for r in await page.locator(ROWS).all()]


async def test_lists_exactly_the_affected_nodes(page: Page, demo: SeedReport, gql: Gql,
                                                screenshot: Screenshot) -> None:
    dataset = demo.corrupted_dataset_id
    answer = impact(gql, dataset)
    expected = affected_ids(answer)
    await page.goto(f"/impact/{dataset}")
    await expect(page.locator(ROWS)).to_have_count(len(expected))
    ids = await row_ids(page)
    assert len(ids) == len(set(ids))
    assert set(ids) == expected
    counts = page.get_by_test_id("impact-counts")
    for c in answer["countsByKind"]:
        await expect(counts.locator(f'[data-kind="{c["kind"]}"]')).to_contain_text(str(c["count"]))
    # the downstream DAG is drawn with every affected artifact and execution highlighted
    canvas = page.get_by_test_id("lineage-canvas")
    await expect(canvas).to_have_attribute("data-layout", "ready")
    nodes = {n["id"] for n in answer["nodes"]}
    highlighted = {await n.get_attribute("data-id") for n in
                   await page.locator(".react-flow__node.affected, .react-flow__node.bad-source").all()}
    assert highlighted == nodes
    await screenshot("impact")


async def test_the_table_filters_and_sorts(page: Page, demo: SeedReport, gql: Gql) -> None:
    answer = impact(gql, demo.corrupted_dataset_id)
    await page.goto(f"/impact/{demo.corrupted_dataset_id}")
    await expect(page.locator(ROWS)).to_have_count(len(affected_ids(answer)))
    trainers = next(c["count"] for c in answer["countsByType"] if c["type"] == "Trainer")
    await page.get_by_test_id("impact-filter").fill("Trainer")
    await expect(page.locator(ROWS)).to_have_count(trainers)
    await page.get_by_test_id("impact-filter").fill("")
    await page.get_by_test_id("impact-kind").select_option("CONTEXT")
    await expect(page.locator(ROWS)).to_have_count(len(answer["contexts"]))
    await page.get_by_test_id("impact-kind").select_option("")
    # nearest first by default; a click on the header sorts by degree, largest first
    degrees = [int(t) for t in await page.locator(f"{ROWS} td.num").all_inner_texts()]
    assert degrees == sorted(degrees)
    await page.locator('[data-testid="impact-table"] th', has_text="Degree").click()
    await expect(page.locator('[data-testid="impact-table"] th[data-sort="desc"]')).to_have_count(1)
    degrees = [int(t) for t in await page.locator(f"{ROWS} td.num").all_inner_texts()]
    assert degrees == sorted(degrees, reverse=True)


async def test_csv_export_downloads_the_full_list(page: Page, demo: SeedReport, gql: Gql) -> None:
    dataset = demo.corrupted_dataset_id
    answer = impact(gql, dataset)
    await page.goto(f"/impact/{dataset}")
    await expect(page.locator(ROWS)).to_have_count(len(affected_ids(answer)))
    async with page.expect_download() as info:
        await page.get_by_test_id("export-csv").click()
    download = await info.value
    text = (await asyncio.to_thread((await download.path()).read_bytes)).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(affected_ids(answer))
    assert {r["id"] for r in rows} == affected_ids(answer)


async def test_json_export_downloads_the_full_list(page: Page, demo: SeedReport, gql: Gql) -> None:
    dataset = demo.corrupted_dataset_id
    answer = impact(gql, dataset)
    await page.goto(f"/impact/{dataset}")
    # The export asks for what the page shows: wait until the page has loaded it.
    await expect(page.locator(ROWS)).to_have_count(len(affected_ids(answer)))
    async with page.expect_download() as info:
        await page.get_by_test_id("export-json").click()
    download = await info.value
    exported = json.loads(await asyncio.to_thread((await download.path()).read_text))
    assert {n["id"] for n in exported["nodes"]} == affected_ids(answer)
