"""Server errors as typed Python exceptions.

The API gives every error a stable `extensions.code`; the SDK raises the project's own
exception for it (the same classes the store raises in process), so `except NotFound`
reads the same whichever way a program talks to the metadata. Each carries the server's
`code`, its message, the offending input (`field`) and every error of the answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph_api.errors import (
    Conflict,
    InvalidInput,
    LimitExceeded,
    LineageError,
    NotFound,
    Timeout,
    Unavailable,
)

#: The server's name for invalid input (GraphQL's convention), as an alias.
BadUserInput = InvalidInput


class ServerError(LineageError):
    """An unexpected failure on the server; its log has the traceback under `request_id`."""

    code = "INTERNAL_SERVER_ERROR"


class ProtocolError(LineageError):
    """The server's answer is not a GraphQL answer (a proxy's error page, a wrong URL)."""

    code = "PROTOCOL_ERROR"


_BY_CODE: dict[str, type[LineageError]] = {
    cls.code: cls
    for cls in (NotFound, InvalidInput, Conflict, Unavailable, Timeout, LimitExceeded, ServerError)
}


def from_graphql(errors: Sequence[Mapping[str, Any]]) -> LineageError:
    """The exception for a GraphQL answer's `errors`: the first error's code decides."""
    first = errors[0]
    extensions = first.get("extensions") or {}
    code = str(extensions.get("code") or "INTERNAL_SERVER_ERROR")
    cls = _BY_CODE.get(code, ServerError)
    error = cls(str(first.get("message", "")), field=extensions.get("field"))
    error.code = code  # the server's code, also for one the SDK does not know
    error.request_id = extensions.get("requestId")  # type: ignore[attr-defined]
    error.errors = list(errors)  # type: ignore[attr-defined]
    return error


def is_retryable(error: LineageError) -> bool:
    """Whether the server said to try again (the database is unreachable or busy)."""
    return isinstance(error, Unavailable)


__all__ = [
    "BadUserInput",
    "Conflict",
    "InvalidInput",
    "LimitExceeded",
    "LineageError",
    "NotFound",
    "ProtocolError",
    "ServerError",
    "Timeout",
    "Unavailable",
    "from_graphql",
    "is_retryable",
]
