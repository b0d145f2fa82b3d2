"""The caps the services enforce, the query timeout, error codes, masking and request ids, over HTTP."""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from typing import Any

import pytest

from graph_api.errors import (
    LineageError,
)
from graph_api.model.enums import EventType, NodeKind
from graph_api.model.ingest import ArtifactAndEvent
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.types import TypeInput
from graph_api.services.container import Services
from graph_api.services.health import HealthService
from graph_api.services.types import TypeService
from graph_api.store.connection import Tx
from tests.integration.api import Api
from tests.integration.limits.helpers import (
    ERROR_CODES,
    MAX_HOPS,
    MAX_NODES,
    MAX_PAGE_SIZE,
    QUERY_TIMEOUT,
)

# Caps the store enforces ---------------------------------------------------------------


@pytest.fixture
async def step(services: Services) -> tuple[str, str, list[str]]:
    """One execution that wrote MAX_NODES + 1 artifacts, all in one context.

    Returns (execution id, context id, artifact ids).
    """
    await services.types.put(NodeKind.ARTIFACT, TypeInput(name="Shard"))
    await services.types.put(NodeKind.EXECUTION, TypeInput(name="Split"))
    await services.types.put(NodeKind.CONTEXT, TypeInput(name="Run"))
    written = await services.ingest.put_execution(
        ExecutionInput(type="Split"),
        [ArtifactAndEvent(artifact=ArtifactInput(type="Shard", uri=f"s3://shards/{i}"),
                          event_type=EventType.OUTPUT) for i in range(MAX_NODES + 1)],
        [ContextInput(type="Run", name="split-1")])
    return written.execution_id, written.context_ids[0], written.artifact_ids


def test_a_page_larger_than_the_cap_is_refused_naming_the_cap(capped: Api) -> None:
    query = "query($first: Int!) { artifacts(first: $first) { edges { node { id } } } }"
    assert capped.data(query, {"first": MAX_PAGE_SIZE})["artifacts"]["edges"] == []

    error = capped.error(query, {"first": MAX_PAGE_SIZE + 1})

    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert error["extensions"]["field"] == "first"
    assert f"maxPageSize ({MAX_PAGE_SIZE})" in error["message"]
    assert str(MAX_PAGE_SIZE + 1) in error["message"]


@pytest.mark.parametrize("query", [
    "query($id: ID!, $hops: Int) { lineage(input: {startArtifactIds: [$id], maxHops: $hops})"
    " { truncated } }",
    "query($id: ID!, $hops: Int) { lineagePath(fromId: $id, toId: $id, maxHops: $hops)"
    " { truncated } }",
    "query($id: ID!, $hops: Int) { impact(artifactIds: [$id], maxHops: $hops) { truncated } }",
], ids=["lineage", "lineagePath", "impact"])
def test_more_hops_than_the_cap_are_refused_naming_the_cap(
        capped: Api, step: tuple[str, str, list[str]], query: str) -> None:
    artifact = step[2][0]
    capped.data(query, {"id": artifact, "hops": MAX_HOPS})

    error = capped.error(query, {"id": artifact, "hops": MAX_HOPS + 1})

    assert error["extensions"] == {"code": "LIMIT_EXCEEDED", "field": "maxHops"}
    assert f"{MAX_HOPS + 1} exceeds the cap maxHops ({MAX_HOPS})" in error["message"]


def test_more_nodes_than_the_cap_are_refused_naming_the_cap(
        capped: Api, step: tuple[str, str, list[str]]) -> None:
    query = ("query($id: ID!, $max: Int) { lineage(input: {startExecutionIds: [$id], "
             "direction: DOWNSTREAM, maxNodes: $max}) { truncated nodes { id } } }")

    error = capped.error(query, {"id": step[0], "max": MAX_NODES + 1})

    assert error["extensions"] == {"code": "LIMIT_EXCEEDED", "field": "maxNodes"}
    assert f"{MAX_NODES + 1} exceeds the cap maxNodes ({MAX_NODES})" in error["message"]


def test_an_answer_larger_than_the_node_cap_is_cut_and_says_so(
        capped: Api, step: tuple[str, str, list[str]]) -> None:
    query = ("query($id: ID!) { lineage(input: {startExecutionIds: [$id], "
             "direction: DOWNSTREAM}) { truncated nodes { id } } }")

    answer = capped.data(query, {"id": step[0]})["lineage"]

    assert answer["truncated"] is True
    assert len(answer["nodes"]) == MAX_NODES  # of the 1 + MAX_NODES + 1 reachable


def test_a_context_larger_than_the_node_cap_is_refused_naming_the_cap(
        capped: Api, step: tuple[str, str, list[str]]) -> None:
    members = 1 + len(step[2])

    error = capped.error("query($id: ID!) { contextGraph(contextId: $id) { truncated } }",
                         {"id": step[1]})

    assert error["extensions"] == {"code": "LIMIT_EXCEEDED", "field": "maxNodes"}
    assert f"{members} nodes, more than maxNodes ({MAX_NODES})" in error["message"]


# The query timeout ---------------------------------------------------------------------


def never_ending_list(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Make `artifactTypes` open a real read transaction that does not end until the
    returned event is set: it outlasts any query timeout, however fast or loaded the
    machine is. Set the event to let the abandoned transaction close."""
    release = threading.Event()

    async def hanging(self: TypeService, kind: NodeKind) -> list[Any]:
        async def work(tx: Tx) -> list[Any]:
            await tx.run("read/list_types", {}, {"type_label": kind.type_label})
            await asyncio.to_thread(release.wait)
            return []

        return await self.db.read(work)

    monkeypatch.setattr(TypeService, "list", hanging)
    return release


def test_a_query_running_past_the_timeout_answers_timeout(
        capped: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    release = never_ending_list(monkeypatch)
    try:
        error = capped.error("{ artifactTypes { name } }")
    finally:
        release.set()

    assert error["extensions"] == {"code": "TIMEOUT"}
    assert error["message"] == (
        f"the database query ran longer than queryTimeout ({QUERY_TIMEOUT} s)")
    monkeypatch.undo()
    assert capped.data("{ artifactTypes { name } }") == {"artifactTypes": []}


# Error codes, masking, request ids -----------------------------------------------------


def failing_list(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    async def fail(self: TypeService, kind: NodeKind) -> list[Any]:
        raise error

    monkeypatch.setattr(TypeService, "list", fail)


@pytest.mark.parametrize(("error_type", "code"), ERROR_CODES, ids=[c for _, c in ERROR_CODES])
def test_expected_failures_keep_their_code_message_and_field(
        api: Api, monkeypatch: pytest.MonkeyPatch, error_type: type[LineageError],
        code: str) -> None:
    failing_list(monkeypatch, error_type("kind: something is off", field="kind"))

    error = api.error("{ artifactTypes { name } }")

    assert error["message"] == "kind: something is off"
    assert error["extensions"] == {"code": code, "field": "kind"}
    assert error["path"] == ["artifactTypes"]


def test_a_document_that_does_not_validate_is_bad_user_input(api: Api) -> None:
    error = api.error("{ artifactTypes { nope } }")

    assert error["extensions"] == {"code": "BAD_USER_INPUT"}
    assert "nope" in error["message"]


@pytest.mark.parametrize(("variables", "named"), [
    ({"first": "ten"}, "$first"),
    ({"first": None}, "$first"),
    ({"first": 1, "filter": {"field": "name", "op": "SOUNDS_LIKE"}}, "SOUNDS_LIKE"),
], ids=["wrong type", "null for non-null", "unknown enum value"])
def test_variables_that_do_not_fit_their_types_are_bad_user_input(
        api: Api, variables: dict[str, Any], named: str) -> None:
    query = ("query($first: Int!, $filter: FilterInput) "
             "{ artifacts(first: $first, filter: $filter) { totalCount } }")

    error = api.error(query, variables)

    assert error["extensions"] == {"code": "BAD_USER_INPUT"}
    assert named in error["message"]


SECRET = "MATCH (n:Artifact) WHERE n.password = 'hunter2' RETURN n"


def test_an_unexpected_error_is_masked_for_the_client_and_logged_with_the_request_id(
        api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    failing_list(monkeypatch, RuntimeError(SECRET))

    response = api.client.post(f"{api.url}/graphql", json={"query": "{ artifactTypes { name } }"},
                               headers={"X-Request-Id": "req-mask-1"})

    assert response.headers["x-request-id"] == "req-mask-1"
    [error] = response.json()["errors"]
    assert error["message"] == "Internal server error (request req-mask-1)."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-mask-1"}
    for leak in ("hunter2", "MATCH", "RuntimeError", "Traceback", ".py"):
        assert leak not in response.text
    [logged] = [r for r in caplog.records if "req-mask-1" in r.getMessage()]
    assert logged.levelno == logging.ERROR
    assert logged.exc_info is not None and logged.exc_info[1] is not None
    assert SECRET in str(logged.exc_info[1])
    assert "Traceback" in caplog.text and SECRET in caplog.text


def test_an_unexpected_database_error_is_masked(
        api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    failing_list(monkeypatch, LineageError("internal database error"))

    response = api.client.post(f"{api.url}/graphql", json={"query": "{ artifactTypes { name } }"})

    request_id = response.headers["x-request-id"]
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["message"] == f"Internal server error (request {request_id})."
    assert any(request_id in r.getMessage() for r in caplog.records)


def test_a_request_id_is_generated_when_none_is_given(api: Api) -> None:
    ids = {api.client.post(f"{api.url}/graphql", json={"query": "{ __typename }"}
                           ).headers["x-request-id"] for _ in range(3)}

    assert len(ids) == 3
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


@pytest.mark.parametrize("given", ["has spaces", "x" * 200, "quote\"d", "ünïcode", ""])
def test_an_unusable_request_id_is_replaced(api: Api, given: str) -> None:
    response = api.client.get(f"{api.url}/healthz", headers={"X-Request-Id": given.encode()})

    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])


def test_every_route_returns_the_request_id(api: Api) -> None:
    for path in ("/healthz", "/readyz", "/nope"):
        response = api.client.get(f"{api.url}{path}", headers={"X-Request-Id": "trace-42.a:b"})
        assert response.headers["x-request-id"] == "trace-42.a:b"


def test_an_unexpected_error_outside_graphql_is_masked_and_logged(
        api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    async def broken(self: HealthService) -> list[str]:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(HealthService, "missing_schema", broken)

    response = api.client.get(f"{api.url}/readyz", headers={"X-Request-Id": "req-ready-1"})

    assert response.status_code == 500
    assert response.json() == {"error": "Internal server error (request req-ready-1)."}
    assert "hunter2" not in response.text
    [logged] = [r for r in caplog.records if "req-ready-1" in r.getMessage()]
    assert logged.exc_info is not None and SECRET in str(logged.exc_info[1])

