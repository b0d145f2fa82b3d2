"""Request ids: taken from `X-Request-Id` or generated, returned in the response header.

The id ties what a client saw to what the server logged: a masked error says "Internal
server error (request <id>)", and the log line with the traceback carries the same id. An
exception that escapes a route is logged here with the id and answered with a 500 that
shows nothing but the id.
"""

from __future__ import annotations

import logging
import re
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

HEADER = "X-Request-Id"

#: What an incoming id may look like (a UUID, a trace id…); anything else is replaced,
#: so a client cannot write arbitrary text into the server's log.
_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def request_id(scope: Scope) -> str:
    """The id the middleware gave this request ("-" outside of it)."""
    return str(scope.get("state", {}).get("request_id", "-"))


def _choose(scope: Scope) -> str:
    given = Headers(scope=scope).get(HEADER)
    if given is not None and _ACCEPTED.fullmatch(given):
        return given
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Pure ASGI middleware: sets `scope["state"]["request_id"]` and the response header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _choose(scope)
        scope.setdefault("state", {})["request_id"] = rid
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message)[HEADER] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("request %s: unhandled error in %s %s", rid, scope.get("method"),
                          scope.get("path"))
            if started:
                raise
            body = f'{{"error": "Internal server error (request {rid})."}}'.encode()
            await send({"type": "http.response.start", "status": 500,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode()),
                                    (HEADER.lower().encode(), rid.encode())]})
            await send({"type": "http.response.body", "body": body})
