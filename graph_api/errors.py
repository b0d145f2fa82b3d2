"""The project's own error types. Nothing above the store sees a driver exception."""

from __future__ import annotations


class LineageError(Exception):
    """Base of every expected failure; `code` is stable and safe to show to clients."""

    code = "INTERNAL"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, field={self.field!r})"


class NotFound(LineageError):
    """A referenced node or type does not exist."""

    code = "NOT_FOUND"


class InvalidInput(LineageError):
    """The request is malformed: wrong value type, undeclared property, bad filter…"""

    code = "BAD_USER_INPUT"


class Conflict(LineageError):
    """The write contradicts what is stored (a type change, a cycle, a duplicate)."""

    code = "CONFLICT"


class FailedPrecondition(LineageError):
    """The target is not in the state the operation needs (something depends on it, or it
    changed since the caller read it)."""

    code = "FAILED_PRECONDITION"


class Unavailable(LineageError):
    """The graph database cannot be reached."""

    code = "UNAVAILABLE"


class Timeout(LineageError):
    """The database did not answer within the configured query timeout."""

    code = "TIMEOUT"


class LimitExceeded(LineageError):
    """A configured cap was hit; the message names the cap and its value."""

    code = "LIMIT_EXCEEDED"
