"""What the limits tests share: the caps the server runs with, documents of a given size."""

from __future__ import annotations

from typing import Any

from graph_api.errors import (
    Conflict,
    InvalidInput,
    LimitExceeded,
    NotFound,
    Timeout,
    Unavailable,
)

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
