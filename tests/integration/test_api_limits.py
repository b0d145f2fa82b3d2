"""Errors and limits over HTTP: every cap answers LIMIT_EXCEEDED naming itself and its value;
expected failures keep their code; unexpected ones are masked for the client and logged,
with the request id, for the operator.

The caps are checked on a server of its own, started with small caps; expectations
(depths, alias and token counts) are computed here from the documents sent. The depth
and token limiters stop counting at the cap: their errors say "more than" the cap.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from graphql import get_introspection_query

from graph_api.errors import (
    Conflict,
    InvalidInput,
    LimitExceeded,
    LineageError,
    NotFound,
    Timeout,
    Unavailable,
)
from graph_api.model.enums import EventType, NodeKind
from graph_api.model.ingest import ArtifactAndEvent
from graph_api.model.nodes import ArtifactInput, ContextInput, ExecutionInput
from graph_api.model.types import TypeInput
from graph_api.services.container import Services
from graph_api.services.health import HealthService
from graph_api.services.types import TypeService
from graph_api.store.connection import Database, Tx
from tests.graph_server import GraphServer
from tests.integration.api import Api, running_api, settings_for

MAX_DEPTH, MAX_ALIASES, MAX_TOKENS = 4, 3, 200
MAX_HOPS, MAX_NODES, MAX_PAGE_SIZE, QUERY_TIMEOUT = 5, 10, 5, 1
CAPS = {
    "LINEAGE_MAX_DEPTH": str(MAX_DEPTH), "LINEAGE_MAX_ALIASES": str(MAX_ALIASES),
    "LINEAGE_MAX_TOKENS": str(MAX_TOKENS), "LINEAGE_MAX_HOPS": str(MAX_HOPS),
    "LINEAGE_DEFAULT_HOPS": str(MAX_HOPS), "LINEAGE_MAX_NODES": str(MAX_NODES),
    "LINEAGE_MAX_PAGE_SIZE": str(MAX_PAGE_SIZE), "LINEAGE_QUERY_TIMEOUT": str(QUERY_TIMEOUT),
}

OVER_THE_TOKEN_CAP = f"query token count more than {MAX_TOKENS} exceeds maxTokens ({MAX_TOKENS})"

ERROR_CODES = [
    (NotFound, "NOT_FOUND"), (InvalidInput, "BAD_USER_INPUT"), (Conflict, "CONFLICT"),
    (Unavailable, "UNAVAILABLE"), (Timeout, "TIMEOUT"), (LimitExceeded, "LIMIT_EXCEEDED"),
]


@pytest.fixture(scope="module")
def capped_server(graph_server: GraphServer, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[Api]:
    with running_api(settings_for(graph_server, tmp_path_factory.mktemp("capped"), **CAPS)) as api:
        yield api


@pytest.fixture
def capped(capped_server: Api, clean_db: Database) -> Api:
    """The capped server over an emptied database."""
    return capped_server


def chain(levels: int) -> str:
    """A query `levels` fields deep: artifact { producedBy { inputs { producedBy … id } } }."""
    fields = ["artifact(id: $id)"] + [("producedBy", "inputs")[i % 2] for i in range(levels - 2)]
    return ("query($id: ID!) { " + " { ".join(fields) + " { id" + " }" * (levels - 1) + " }")


def only_error(answer: dict[str, Any]) -> dict[str, Any]:
    assert answer.get("data") is None, answer
    [error] = answer["errors"]
    return dict(error)


def assert_cap(error: dict[str, Any], cap: str, limit: int, value: int, message: str) -> None:
    assert error["message"] == message
    assert error["extensions"] == {"code": "LIMIT_EXCEEDED", "cap": cap, "limit": limit,
                                   "value": value}


# Depth ---------------------------------------------------------------------------------


def test_a_query_at_the_depth_cap_runs(capped: Api) -> None:
    assert capped.data(chain(MAX_DEPTH), {"id": "nope"}) == {"artifact": None}


def test_a_query_deeper_than_the_cap_is_refused_naming_the_cap(capped: Api) -> None:
    error = only_error(capped.graphql(chain(MAX_DEPTH + 1), {"id": "nope"}))

    assert_cap(error, "maxDepth", MAX_DEPTH, MAX_DEPTH,
               f"query depth more than {MAX_DEPTH} exceeds maxDepth ({MAX_DEPTH})")


def test_a_query_far_deeper_than_the_cap_gets_one_error(capped: Api) -> None:
    # Two branches past the cap (the limiter reports each): one error all the same.
    query = ("query($id: ID!) { artifact(id: $id) { producedBy { ... on Execution {"
             " inputs { producedBy { inputs { id } } } outputs { producedBy { id } } } } } }")

    error = only_error(capped.graphql(query, {"id": "nope"}))

    assert_cap(error, "maxDepth", MAX_DEPTH, MAX_DEPTH,
               f"query depth more than {MAX_DEPTH} exceeds maxDepth ({MAX_DEPTH})")


def test_a_query_with_many_fields_past_the_depth_cap_is_refused_naming_the_cap(
        capped: Api) -> None:
    # The limiter reports each field past the cap; past a hundred errors graphql-core
    # aborts the validation.
    query = ("query($id: ID!) { artifact(id: $id) { producedBy { inputs { producedBy {"
             + " id" * 110 + " } } } } }")

    error = only_error(capped.graphql(query, {"id": "nope"}))

    assert_cap(error, "maxDepth", MAX_DEPTH, MAX_DEPTH,
               f"query depth more than {MAX_DEPTH} exceeds maxDepth ({MAX_DEPTH})")


def test_depth_counts_through_fragments(capped: Api) -> None:
    query = """
    query($id: ID!) { artifact(id: $id) { ...Up } }
    fragment Up on Artifact { producedBy { ... on Execution { inputs { ...Leaf } } } }
    fragment Leaf on Artifact { producedBy { id } }
    """  # artifact > producedBy > inputs > producedBy > id
    error = only_error(capped.graphql(query, {"id": "nope"}))

    assert_cap(error, "maxDepth", MAX_DEPTH, MAX_DEPTH,
               f"query depth more than {MAX_DEPTH} exceeds maxDepth ({MAX_DEPTH})")


def test_introspection_is_not_held_to_the_depth_cap(capped: Api) -> None:
    # GraphiQL's schema query nests `ofType` far deeper than the cap.
    data = capped.data(get_introspection_query())

    assert data["__schema"]["queryType"]["name"] == "Query"


# Aliases -------------------------------------------------------------------------------


def aliases(count: int) -> str:
    return "{ " + " ".join(f"t{i}: artifactTypes {{ name }}" for i in range(count)) + " }"


def test_aliases_up_to_the_cap_run(capped: Api) -> None:
    assert capped.data(aliases(MAX_ALIASES)) == {f"t{i}": [] for i in range(MAX_ALIASES)}


def test_more_aliases_than_the_cap_are_refused_naming_the_cap(capped: Api) -> None:
    error = only_error(capped.graphql(aliases(MAX_ALIASES + 1)))

    assert_cap(error, "maxAliases", MAX_ALIASES, MAX_ALIASES + 1,
               f"query alias count {MAX_ALIASES + 1} exceeds maxAliases ({MAX_ALIASES})")


def test_aliases_count_once_per_fragment_spread(capped: Api) -> None:
    query = """
    { a: artifactTypes { ...Two } b: executionTypes { ...Two } }
    fragment Two on NodeTypeDefinition { n: name k: kind }
    """  # 2 aliases + 2 spreads x 2 aliases
    error = only_error(capped.graphql(query))

    assert_cap(error, "maxAliases", MAX_ALIASES, 6, f"query alias count 6 exceeds maxAliases ({MAX_ALIASES})")


def test_aliases_count_in_all_the_documents_operations_together(capped: Api) -> None:
    # The cap is on the document: two operations of two aliases each are four.
    query = ("query A { a: artifactTypes { name } b: artifactTypes { name } } "
             "query B { c: artifactTypes { name } d: artifactTypes { name } }")

    error = only_error(capped.graphql(query))

    assert_cap(error, "maxAliases", MAX_ALIASES, 4, f"query alias count 4 exceeds maxAliases ({MAX_ALIASES})")


def doubling(levels: int) -> str:
    """A document whose fragment F<i> spreads F<i-1> twice: it expands to 2**levels aliased
    fields, and 3 * 2**levels - 1 selections in all (spreads included)."""
    fragments = ["fragment F0 on Query { a: __typename }"] + [
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)]
    return f"query {{ ...F{levels} }} " + " ".join(fragments)


def test_aliases_count_as_the_document_expands(capped: Api) -> None:
    levels = 5  # 95 selections: within the token cap

    error = only_error(capped.graphql(doubling(levels)))

    assert_cap(error, "maxAliases", MAX_ALIASES, 2**levels,
               f"query alias count {2**levels} exceeds maxAliases ({MAX_ALIASES})")


def test_a_document_whose_fragments_expand_past_the_token_cap_is_refused_as_over_it(
        capped: Api) -> None:
    # 174 tokens as sent, 3 * 2**16 - 1 selections written out. The limiters walk each
    # fragment once per spread, and would take hours over 30 levels: a document expanding
    # to more than ten times the cap is refused before they walk it.
    error = only_error(capped.graphql(doubling(16)))

    assert_cap(error, "maxTokens", MAX_TOKENS, 10 * MAX_TOKENS,
               f"query token count more than {10 * MAX_TOKENS} exceeds maxTokens ({MAX_TOKENS})")


# Tokens --------------------------------------------------------------------------------


def typenames(count: int) -> str:
    """A document of exactly `count` + 2 tokens: braces around `count` names."""
    return "{ " + " __typename" * count + " }"


def test_a_document_at_the_token_cap_runs(capped: Api) -> None:
    assert capped.data(typenames(MAX_TOKENS - 2)) == {"__typename": "Query"}


def test_a_document_over_the_token_cap_is_refused_naming_the_cap(capped: Api) -> None:
    error = only_error(capped.graphql(typenames(MAX_TOKENS - 1)))

    assert_cap(error, "maxTokens", MAX_TOKENS, MAX_TOKENS, OVER_THE_TOKEN_CAP)


def test_a_huge_document_is_refused_without_being_counted_to_the_end(capped: Api) -> None:
    # The parser stops at the cap: a huge document gets the answer of one just over it.
    error = only_error(capped.graphql(typenames(100 * MAX_TOKENS)))

    assert_cap(error, "maxTokens", MAX_TOKENS, MAX_TOKENS, OVER_THE_TOKEN_CAP)


def test_comments_count_as_tokens(capped: Api) -> None:
    # Otherwise a document padded with comments would get around the cap.
    commented = "# a comment\n" * 10 + typenames(MAX_TOKENS - 2)

    error = only_error(capped.graphql(commented))

    assert_cap(error, "maxTokens", MAX_TOKENS, MAX_TOKENS, OVER_THE_TOKEN_CAP)


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

