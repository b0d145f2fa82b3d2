"""The `Lineage-Position` header (see `graph_api.consistency`): read from requests, so
their reads follow the client's earlier writes; written on responses to requests that
wrote."""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_api import consistency
from graph_api.errors import InvalidInput
from graph_api.http.errors import error_response


class PositionMiddleware:
    """Pure ASGI middleware: the request's position in, the writes' position out."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get(consistency.HEADER)
        try:
            after = consistency.decode(given) if given else ()
        except InvalidInput as error:
            await error_response(error)(scope, receive, send)
            return
        written: list[str] = []

        async def send_with_position(message: Message) -> None:
            if message["type"] == "http.response.start" and written:
                MutableHeaders(scope=message)[consistency.HEADER] = consistency.encode(written)
            await send(message)

        after_token = consistency.AFTER.set(after)
        written_token = consistency.WRITTEN.set(written)
        try:
            await self.app(scope, receive, send_with_position)
        finally:
            consistency.WRITTEN.reset(written_token)
            consistency.AFTER.reset(after_token)
