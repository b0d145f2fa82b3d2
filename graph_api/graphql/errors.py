"""Errors as clients see them: a stable `extensions.code` and a message naming the field.

Expected failures (the project's `LineageError`s) keep their message and gain
`extensions.code` (`NOT_FOUND`, `BAD_USER_INPUT`, `CONFLICT`, `UNAVAILABLE`, `TIMEOUT`,
`LIMIT_EXCEEDED`) and `extensions.field`. Anything else is masked — no stack trace, no
Cypher, no driver text — and logged with the request id, which the client also gets.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from pydantic import ValidationError
from strawberry.extensions import SchemaExtension

from graph_api.errors import LineageError

log = logging.getLogger(__name__)


def _shape(error: GraphQLError, request_id: str) -> GraphQLError:
    original = error.original_error
    if original is None:
        if error.extensions and "code" in error.extensions:
            return error
        # Syntax and validation errors: the document itself is wrong.
        return GraphQLError(error.message, nodes=error.nodes, source=error.source,
                            positions=error.positions, path=error.path,
                            extensions={"code": "BAD_USER_INPUT"})
    if isinstance(original, LineageError):
        extensions: dict[str, object] = {"code": original.code}
        if original.field:
            extensions["field"] = original.field
        return GraphQLError(original.message, nodes=error.nodes, path=error.path,
                            extensions=extensions)
    if isinstance(original, ValidationError):
        first = original.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "input"
        return GraphQLError(f"{where}: {first['msg']}", nodes=error.nodes, path=error.path,
                            extensions={"code": "BAD_USER_INPUT", "field": where})
    log.error("request %s: unexpected error", request_id, exc_info=original)
    return GraphQLError(f"Internal server error (request {request_id}).", nodes=error.nodes,
                        path=error.path, extensions={"code": "INTERNAL_SERVER_ERROR",
                                                     "requestId": request_id})


class ErrorCodes(SchemaExtension):
    """Give every error a code; mask the unexpected ones."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        context = self.execution_context.context
        request_id = getattr(context, "request_id", "-")
        result.errors = [_shape(e, request_id) for e in result.errors]
