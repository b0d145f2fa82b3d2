"""Failures are shown plainly, with the API's error code and message — never a blank page."""

from __future__ import annotations

from playwright.async_api import Page, Route, expect

from tests.e2e.conftest import Screenshot

MISSING = "00000000-0000-7000-8000-000000000000"


async def test_lineage_of_a_missing_node_says_not_found(page: Page, screenshot: Screenshot) -> None:
    await page.goto(f"/lineage/{MISSING}")
    error = page.get_by_test_id("error-message")
    await expect(error).to_be_visible()
    await expect(error).to_contain_text("NOT_FOUND")
    await expect(error).to_contain_text(MISSING)
    await screenshot("not-found")


async def test_impact_of_a_missing_artifact_says_not_found(page: Page) -> None:
    await page.goto(f"/impact/{MISSING}")
    await expect(page.get_by_test_id("error-message").first).to_contain_text("NOT_FOUND")


async def test_a_missing_context_says_not_found(page: Page) -> None:
    await page.goto(f"/contexts/{MISSING}")
    await expect(page.get_by_test_id("error-message").first).to_contain_text("NOT_FOUND")


async def test_an_unreachable_api_is_an_error_message(page: Page, screenshot: Screenshot) -> None:
    async def fail(route: Route) -> None:
        await route.fulfill(status=503, content_type="application/json",
                            body='{"errors": [{"message": "database unavailable", '
                                 '"extensions": {"code": "UNAVAILABLE"}}]}')

    await page.route("**/graphql", fail)
    await page.goto(f"/lineage/{MISSING}")
    error = page.get_by_test_id("error-message").first
    await expect(error).to_contain_text("UNAVAILABLE")
    await expect(error).to_contain_text("database unavailable")
    await screenshot("unavailable")


async def test_an_unknown_page_is_not_blank(page: Page) -> None:
    await page.goto("/no/such/view")
    await expect(page.get_by_text("No such page")).to_be_visible()
