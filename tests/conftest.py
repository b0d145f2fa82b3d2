"""Shared test configuration: the graph database of design §6, and Cypher recording."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from graph_api.config import Limits
from graph_api.services.container import Services
from graph_api.store.connection import Database
from graph_api.store.migrations import apply_schema
from tests import summaries
from tests.graph_server import GraphServer, start_graph_server

RECORDED = "recorded_cypher.jsonl"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run tests marked `last` after everything else (they inspect what the suite did)."""
    items.sort(key=lambda item: item.get_closest_marker("last") is not None)


@pytest.fixture(scope="session")
def recorded_cypher(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every distinct statement the suite sends is appended here (one JSON string a line)."""
    return tmp_path_factory.getbasetemp() / RECORDED


@pytest.fixture(scope="session")
def graph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphServer]:
    server = start_graph_server(tmp_path_factory.mktemp("graph"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
async def database(graph_server: GraphServer, recorded_cypher: Path) -> AsyncIterator[Database]:
    db = Database.connect(
        graph_server.uri, graph_server.user, graph_server.password,
        database=graph_server.database, timeout=60.0, record_to=recorded_cypher,
    )
    await apply_schema(db)
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture
async def clean_db(database: Database) -> Database:
    """The session's database, emptied of nodes (the schema stays)."""
    async with database.driver.session(database=database.database) as session:
        await session.run("MATCH (n) DETACH DELETE n")
    return database


@pytest.fixture
def limits() -> Limits:
    return Limits(default_hops=20, max_hops=100, max_nodes=10_000, max_page_size=1_000)


@pytest.fixture
async def services(clean_db: Database, limits: Limits) -> Services:
    return Services.create(clean_db, limits)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter,
                            config: pytest.Config) -> None:
    """The lines tests asked to show (`tests.summaries.report`)."""
    for line in config.stash.get(summaries.LINES, []):
        terminalreporter.write_line(line)


def pytest_report_header() -> str:
    target = os.environ.get("NEO4J_URI") or "testcontainer if Docker answers, else embedded"
    return f"graph database: {target}"
