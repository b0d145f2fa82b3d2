"""Fixtures of the browser tests: the built web UI, served by the API, in headless Chromium.

The fixtures use Playwright's **async** API, so browser tests are `async def` (they run on
the session's event loop, like the rest of the suite). Playwright's sync API cannot be
used here: it leaves its own event loop marked as running in the main thread, and every
async test or fixture after it then fails ("Runner.run() cannot be called from a running
event loop").

- `ui_server` (session) — base URL (`http://127.0.0.1:PORT`) of the API server serving the
  built UI (`ui/dist`; `LINEAGE_UI_DIR` overrides) on the session's graph database. Fails
  (does not skip) when the build is missing: `npm run build --prefix ui`.
- `demo` (function, autouse) — the demo project of `lineage seed --demo`, (re)written
  before each test: the integration tests empty the same database, so ids can change
  between tests; take them from here, e.g. `demo.deployed_model_id`,
  `demo.corrupted_dataset_id`, `demo.experiment_id`, `demo.ids["churn-demo/…"]`.
- `browser` (session) — Debian's Chromium (`/usr/bin/chromium`), headless.
- `page` (function) — a fresh context and page: viewport 1400 x 900, downloads accepted,
  `base_url` = `ui_server` (so `await page.goto("/lineage/<id>")`). An uncaught error in
  the page fails the test at teardown; a failing test leaves a `failure` screenshot.
- `screenshot` (function) — `await screenshot("name")` saves a full-page PNG of `page` as
  `tests/e2e/screenshots/<test name>-<name>.png` (git-ignored) and returns its path.
- `gql` (function) — `gql(query, variables=None)` POSTs to the server's `/graphql` and
  returns `data`, asserting there were no errors: compare what the UI shows with the API.

An example:

    from playwright.async_api import Page, expect

    async def test_lineage_of_the_deployed_model(page: Page, demo: SeedReport, gql: Gql,
                                                 screenshot: Screenshot) -> None:
        await page.goto(f"/lineage/{demo.deployed_model_id}?direction=upstream")
        canvas = page.get_by_test_id("lineage-canvas")
        await expect(canvas).to_have_attribute("data-layout", "ready")
        answer = gql("query ($id: ID!) { lineage(input: {startArtifactIds: [$id], "
                     "direction: UPSTREAM}) { nodes { id } } }", {"id": demo.deployed_model_id})
        await expect(canvas).to_have_attribute("data-node-count", str(len(answer["lineage"]["nodes"])))
        await screenshot("upstream")

Set `LINEAGE_E2E_CDP=1` to attach to a Chromium started by hand over CDP (the fallback
used when Playwright's own launch hangs).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    Error,
    Page,
    Playwright,
    ViewportSize,
    async_playwright,
)
from playwright.async_api import TimeoutError as PlaywrightTimeout

from graph_api import demo as demo_project
from graph_api.config import Settings, default_ui_dir
from graph_api.demo import SeedReport
from graph_api.embedded import free_port
from graph_api.errors import Conflict, InvalidInput
from graph_api.model.enums import NodeKind
from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.graph_server import GraphServer
from tests.integration.api import running_api, settings_for

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LAUNCH_TIMEOUT = 30.0
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
VIEWPORT: ViewportSize = {"width": 1400, "height": 900}
#: Screenshots taken in this run, listed at the end of it.
SAVED: list[Path] = []

Gql = Callable[..., dict[str, Any]]
Screenshot = Callable[[str], Awaitable[Path]]


def built_ui() -> Path:
    """The UI build the tests run: `ui/dist`, or `LINEAGE_UI_DIR` when set."""
    directory = Settings.from_env().ui_dir if os.environ.get("LINEAGE_UI_DIR") else default_ui_dir()
    if not (directory / "index.html").is_file():
        pytest.fail(f"build the UI: npm run build --prefix ui (no index.html in {directory})")
    return directory


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Iterator[None]:
    """Keep each phase's report on the test, so `page` knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
async def ui_server(graph_server: GraphServer, database: Database,
                    tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    directory = built_ui()
    await seed(database)
    settings = settings_for(graph_server, tmp_path_factory.mktemp("ui-api"),
                            LINEAGE_UI_DIR=str(directory))
    with running_api(settings) as api:
        yield api.url


#: The last seeding, and what its nodes looked like right after it.
_seeded: list[tuple[SeedReport, dict[str, tuple[str, int]]]] = []


async def _snapshot(services: Services, external_ids: list[str]) -> dict[str, tuple[str, int]]:
    """(id, updatedAt) of the demo's nodes by external id."""
    found: dict[str, tuple[str, int]] = {}
    for kind in NodeKind:
        for node in await services.nodes.by_external_ids(kind, external_ids):
            found[node.external_id or ""] = (node.id, node.updated_at)
    return found


async def seed(database: Database) -> SeedReport:
    """The demo project as `lineage seed --demo` writes it.

    Nothing is written while every node of the last seeding is there unchanged (three
    reads). Otherwise the demo is written again (idempotent: what is there stays); when
    the database holds something that conflicts with it (left by other tests), the
    database is emptied first.
    """
    services = Services.create(database)
    if _seeded:
        report, snapshot = _seeded[-1]
        if await _snapshot(services, list(snapshot)) == snapshot:
            return report
    try:
        report = await demo_project.seed(services)
    except (Conflict, InvalidInput):  # other tests' types or contexts clash: start afresh
        async with database.driver.session(database=database.database) as session:
            await session.run("MATCH (n) DETACH DELETE n")
        report = await demo_project.seed(services)
    _seeded[:] = [(report, await _snapshot(services, list(report.ids)))]
    return report


@pytest.fixture(autouse=True)
async def demo(ui_server: str, database: Database) -> SeedReport:
    """The demo project, written again unless all of it is there (seeding is idempotent)."""
    return await seed(database)


@pytest.fixture
def gql(ui_server: str) -> Iterator[Gql]:
    with httpx.Client(base_url=ui_server, timeout=60) as client:
        def query(document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
            response = client.post("/graphql", json={"query": document, "variables": variables or {}})
            answer: dict[str, Any] = response.json()
            assert not answer.get("errors"), answer["errors"]
            data: dict[str, Any] = answer["data"]
            return data

        yield query


async def _launch(playwright: Playwright) -> Browser:
    return await playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                            args=CHROMIUM_ARGS, timeout=LAUNCH_TIMEOUT * 1000)


@contextlib.asynccontextmanager
async def _chromium_over_cdp(playwright: Playwright) -> AsyncIterator[Browser]:
    """Chromium started here, headless, attached to over the DevTools protocol."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="e2e-chromium-") as profile:
        process = await asyncio.create_subprocess_exec(
            CHROMIUM, "--headless=new", f"--remote-debugging-port={port}",
            "--remote-debugging-address=127.0.0.1", f"--user-data-dir={profile}",
            *CHROMIUM_ARGS, "about:blank",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        try:
            endpoint = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + LAUNCH_TIMEOUT
            async with httpx.AsyncClient(timeout=2) as client:
                while True:
                    assert process.returncode is None, f"chromium exited with {process.returncode}"
                    assert time.monotonic() < deadline, "chromium's DevTools endpoint never answered"
                    with contextlib.suppress(httpx.TransportError):
                        if (await client.get(f"{endpoint}/json/version")).status_code == 200:
                            break
                    await asyncio.sleep(0.1)
            browser = await playwright.chromium.connect_over_cdp(endpoint)
            try:
                yield browser
            finally:
                await browser.close()
        finally:
            if process.returncode is None:
                process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), 10)
                except TimeoutError:
                    process.kill()
                    await process.wait()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"the browser tests need Debian's chromium at {CHROMIUM}: scripts/install dev")
    async with async_playwright() as playwright:
        if os.environ.get("LINEAGE_E2E_CDP") != "1":
            try:
                launched = await asyncio.wait_for(_launch(playwright), LAUNCH_TIMEOUT + 5)
            except (PlaywrightTimeout, TimeoutError):
                pass  # hung (design §6): start it ourselves below
            else:
                try:
                    yield launched
                finally:
                    await launched.close()
                return
        async with _chromium_over_cdp(playwright) as attached:
            yield attached


def _test_file_name(item: pytest.Item) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", item.name).strip("_")


async def _save(page: Page, item: pytest.Item, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{_test_file_name(item)}-{name}.png"
    await page.screenshot(path=path, full_page=True)
    SAVED.append(path)
    return path


@pytest.fixture
async def page(browser: Browser, ui_server: str, request: pytest.FixtureRequest
               ) -> AsyncIterator[Page]:
    context: BrowserContext = await browser.new_context(
        accept_downloads=True, viewport=VIEWPORT, base_url=ui_server)
    errors: list[Error] = []
    try:
        fresh = await context.new_page()
        fresh.on("pageerror", lambda error: errors.append(error))
        yield fresh
        call = getattr(request.node, "report_call", None)
        if call is not None and call.failed:
            with contextlib.suppress(Error):
                await _save(fresh, request.node, "failure")
    finally:
        await context.close()
    assert not errors, "uncaught errors in the page:\n" + "\n".join(
        f"{e.name}: {e.message}\n{e.stack}" for e in errors)


@pytest.fixture
def screenshot(page: Page, request: pytest.FixtureRequest) -> Screenshot:
    async def take(name: str) -> Path:
        return await _save(page, request.node, re.sub(r"[^A-Za-z0-9_.-]+", "_", name))

    return take


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say where this run's screenshots are."""
    if SAVED:
        terminalreporter.write_sep("-", f"{len(SAVED)} screenshots in {SCREENSHOTS}")
        for path in SAVED:
            terminalreporter.write_line(path.name)
