"""The web UI's shell: it loads in a browser, without errors, at its root and from a deep link."""

from __future__ import annotations

from playwright.async_api import Page, expect

from graph_api.demo import SeedReport
from tests.e2e.conftest import Screenshot

#: The app has rendered something into its mount point.
APP_RENDERED = "() => (document.getElementById('root')?.childElementCount ?? 0) > 0"


async def test_home_page_shows_the_app(page: Page, screenshot: Screenshot) -> None:
    response = await page.goto("/")
    assert response is not None and response.status == 200
    await page.wait_for_function(APP_RENDERED)
    await expect(page.get_by_test_id("search-input")).to_be_visible()
    await screenshot("home")


async def test_a_deep_link_loads_the_app(page: Page, demo: SeedReport, screenshot: Screenshot) -> None:
    link = f"/lineage/{demo.deployed_model_id}?direction=upstream&hops=3"
    response = await page.goto(link)
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    await page.wait_for_function(APP_RENDERED)
    await expect(page.get_by_test_id("centre-name")).to_have_text("churn-classifier-v3-prod")
    await expect(page.get_by_test_id("lineage-canvas")).to_be_attached()
    assert f"/lineage/{demo.deployed_model_id}" in page.url
    await screenshot("lineage")
