"""Home and search: type-ahead search finds nodes by name, uri, type, external id or id."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from graph_api.demo import SeedReport
from tests.e2e.conftest import Gql, Screenshot

CORRUPTED = "churn-demo/raw/events-2026-10"
HAS_SEARCH = '{ __type(name: "Query") { fields { name } } }'


def api_search(gql: Gql, text: str) -> set[str] | None:
    """The ids the API's `search` returns, or None on a server without it."""
    fields = {f["name"] for f in gql(HAS_SEARCH)["__type"]["fields"]}
    if "search" not in fields:
        return None
    hits = gql("query ($t: String!) { search(text: $t, first: 20) { id } }", {"t": text})["search"]
    return {h["id"] for h in hits}


async def hit_ids(page: Page) -> set[str]:
    hits = page.get_by_test_id("search-hit")
    return {await h.get_attribute("data-id") or "" for h in await hits.all()}


async def test_search_finds_the_corrupted_dataset_by_external_id(
        page: Page, demo: SeedReport, gql: Gql, screenshot: Screenshot) -> None:
    corrupted = demo.corrupted_dataset_id
    await page.goto("/")
    await page.get_by_test_id("search-input").fill(CORRUPTED)
    hit = page.locator(f'[data-testid="search-hit"][data-id="{corrupted}"]')
    await expect(hit).to_be_visible()
    await expect(hit).to_contain_text("events-2026-10")
    await expect(page).to_have_url(re.compile(r"/search\?q=churn-demo"))
    expected = api_search(gql, CORRUPTED)
    if expected is not None:
        assert await hit_ids(page) == expected
    await screenshot("hits")
    await hit.click()
    await expect(page).to_have_url(re.compile(f"/lineage/{corrupted}"))
    await expect(page.get_by_test_id("lineage-canvas")).to_have_attribute("data-layout", "ready")
    await expect(page.get_by_test_id("centre-name")).to_have_text("events-2026-10")


async def test_search_by_name_lists_what_the_api_finds(page: Page, demo: SeedReport, gql: Gql) -> None:
    await page.goto("/search?q=events-2026")
    await expect(page.get_by_test_id("search-input")).to_have_value("events-2026")
    hit = page.locator(f'[data-testid="search-hit"][data-id="{demo.corrupted_dataset_id}"]')
    await expect(hit).to_be_visible()
    expected = api_search(gql, "events-2026")
    if expected is not None:
        await expect(page.get_by_test_id("search-hit")).to_have_count(len(expected))
        assert await hit_ids(page) == expected


async def test_enter_opens_a_context_in_its_view(page: Page, demo: SeedReport) -> None:
    await page.goto("/")
    await page.get_by_test_id("search-input").fill("gbdt-features-v2")
    hit = page.locator(f'[data-testid="search-hit"][data-id="{demo.experiment_id}"]')
    await expect(hit).to_have_attribute("data-kind", "CONTEXT")
    await hit.click()
    await expect(page).to_have_url(re.compile(f"/contexts/{demo.experiment_id}$"))
    await expect(page.get_by_test_id("centre-name")).to_have_text("gbdt-features-v2")


async def test_home_shows_counts_newest_and_recent(
        page: Page, demo: SeedReport, gql: Gql, screenshot: Screenshot) -> None:
    newest = gql('{ artifacts(first: 1, orderBy: {field: "createdAt", descending: true}) '
                 "{ totalCount edges { node { id name } } } }")["artifacts"]
    await page.goto("/")
    first = newest["edges"][0]["node"]
    await expect(page.get_by_test_id("newest")).to_contain_text(first["name"])
    counts = page.get_by_test_id("type-counts")
    await expect(counts).to_be_visible()
    fields = {f["name"] for f in gql(HAS_SEARCH)["__type"]["fields"]}
    if "typeCounts" in fields:
        for row in gql("{ typeCounts { kind typeName count } }")["typeCounts"]:
            cell = counts.locator(f'tr[data-kind="{row["kind"]}"][data-type="{row["typeName"]}"] td')
            await expect(cell).to_have_text(str(row["count"]))
    # a visit is remembered
    await page.goto(f"/lineage/{demo.deployed_model_id}")
    await expect(page.get_by_test_id("lineage-canvas")).to_have_attribute("data-layout", "ready")
    await page.goto("/")
    await expect(page.get_by_test_id("recent")).to_contain_text("churn-classifier-v3-prod")
    await screenshot("home")
