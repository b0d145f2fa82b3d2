"""Errors of the plain HTTP routes: JSON `{"code", "message"}` with a status that says what
went wrong, and no detail of an unexpected failure."""

from __future__ import annotations

from starlette.responses import JSONResponse

from graph_api.errors import InvalidInput, LimitExceeded, LineageError, NotFound, Timeout, Unavailable


def status_of(error: LineageError) -> int:
    """The HTTP status of an expected failure: 400 bad input or a cap, 404 not found, 503
    unavailable, 504 timeout, 500 anything else."""
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Unavailable):
        return 503
    if isinstance(error, Timeout):
        return 504
    if isinstance(error, InvalidInput | LimitExceeded):
        return 400
    return 500


def error_response(error: LineageError) -> JSONResponse:
    """The answer to a request that failed before its first byte."""
    status = status_of(error)
    message = error.message if status != 500 else "internal server error"
    return JSONResponse({"code": error.code, "message": message}, status_code=status)
