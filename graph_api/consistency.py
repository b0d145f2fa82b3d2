"""Read-your-writes across API processes: a client's *position* in the database's history.

A response to a request that wrote carries the position after its writes (`Lineage-Position`
header: the database's bookmarks, opaque to clients). A request that sends a position
back, to this process or any other serving the same database, reads only from a database
that holds those writes (Neo4j waits for a cluster member to catch up), and the topology
index applies every delta its read sees before it answers — so the answer
contains the client's own writes.

The request's position and the writes' bookmarks travel in context variables: the HTTP
layer sets them around a request, the store reads and fills them around each transaction.
"""

from __future__ import annotations

import base64
import binascii
from contextvars import ContextVar

import orjson

from graph_api.errors import InvalidInput

HEADER = "Lineage-Position"
#: Bookmarks the current request's transactions must follow.
AFTER: ContextVar[tuple[str, ...]] = ContextVar("lineage_after", default=())
#: Where the current request's write transactions leave their bookmarks (None: nowhere).
WRITTEN: ContextVar[list[str] | None] = ContextVar("lineage_written", default=None)


def encode(bookmarks: list[str]) -> str:
    """A position as a header value."""
    body = orjson.dumps({"bookmarks": sorted(set(bookmarks))})
    return base64.urlsafe_b64encode(body).decode().rstrip("=")


def decode(value: str) -> tuple[str, ...]:
    """The bookmarks of a position header.

    Raises:
        InvalidInput: not a position this server made.
    """
    try:
        body = orjson.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        bookmarks = body["bookmarks"]
        if not isinstance(bookmarks, list) or not all(isinstance(b, str) for b in bookmarks):
            raise TypeError
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise InvalidInput(f"{HEADER}: not a position this API returned",
                           field=HEADER) from None
    return tuple(bookmarks)
