"""Errors as clients see them: a stable `extensions.code` and a message naming the field.

Expected failures (the project's `LineageError`s) keep their message and gain
`extensions.code` (`NOT_FOUND`, `BAD_USER_INPUT`, `CONFLICT`, `UNAVAILABLE`, `TIMEOUT`,
`LIMIT_EXCEEDED`) and `extensions.field`. A document that does not parse or validate is
`BAD_USER_INPUT`; one over a cap is `LIMIT_EXCEEDED` (`limits.py`). Anything else is
masked — no stack trace, no Cypher, no driver text — as "Internal server error (request
<id>)." with `INTERNAL_SERVER_ERROR`, and logged with the request id and the traceback.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import strawberry
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from pydantic import ValidationError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from graph_api.errors import LineageError

log = logging.getLogger(__name__)


def _unexpected(error: GraphQLError, original: BaseException | None,
                request_id: str) -> GraphQLError:
    where = ".".join(str(p) for p in error.path or ()) or "-"
    log.error("request %s: unexpected error at %s: %s", request_id, where, error.message,
              exc_info=original)
    return GraphQLError(f"Internal server error (request {request_id}).", nodes=error.nodes,
                        path=error.path, extensions={"code": "INTERNAL_SERVER_ERROR",
                                                     "requestId": request_id})


def _shape(error: GraphQLError, request_id: str) -> GraphQLError:
    original = error.original_error
    if isinstance(original, LineageError) and type(original) is not LineageError:
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
    if error.extensions and "code" in error.extensions:
        return error  # shaped already (a cap of limits.py)
    if error.path is None and (original is None or isinstance(original, GraphQLError)):
        # Before execution: the document does not parse or validate, or the variables do
        # not fit their types. graphql-core's message says where, and shows only input.
        return GraphQLError(error.message, nodes=error.nodes, source=error.source,
                            positions=error.positions, extensions={"code": "BAD_USER_INPUT"})
    # Anything else: an exception in a resolver or a loader, a bare LineageError (an
    # unexpected database error), graphql-core refusing what a resolver returned.
    return _unexpected(error, original, request_id)


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


class RequireSchema(SchemaExtension):
    """Run no operation before the database has its schema: answer UNAVAILABLE instead.

    The context's `ensure_schema` (when it has one) returns at once once the schema is
    applied; until then it tries to apply it, so the first request after the database
    comes back applies it rather than waiting for the background retry.
    """

    async def on_execute(self) -> AsyncIterator[None]:
        ensure: Callable[[], Awaitable[None]] | None = getattr(
            self.execution_context.context, "ensure_schema", None)
        if ensure is not None:
            try:
                await ensure()
            except Exception as error:  # shaped, or masked, by ErrorCodes
                # A result set here replaces execution.
                self.execution_context.result = GraphQLExecutionResult(
                    data=None, errors=[GraphQLError(str(error), original_error=error)])
        yield


class LineageSchema(strawberry.Schema):
    """strawberry's schema without its own error logging.

    strawberry logs every error of every request with a traceback, expected ones
    included; `ErrorCodes` logs the unexpected ones, with the request id.
    """

    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        return None

