"""One GraphQL request over HTTP, with retries: the SDK's only way to the server.

A request is sent as one `POST /graphql`. Connection failures, a proxy's 502/503/504/429
and the server's `UNAVAILABLE` are retried with backoff (`retry.py`) when the request is
idempotent; any other error is raised at once as the typed exception of its code.

The `httpx.AsyncClient` belongs to the event loop that first used it; on another loop (an
atexit flush, `asyncio.run` called twice) the transport opens a new one, so the SDK works
from any loop without the caller managing connections.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx
import orjson

from graph_api.client.errors import ProtocolError, Timeout, Unavailable, from_graphql, is_retryable
from graph_api.client.retry import RETRY_STATUSES, RetryPolicy
from graph_api.errors import LineageError

log = logging.getLogger(__name__)

EventHook = Callable[..., Awaitable[None]]
#: The header that carries a client's position (read-your-writes across server processes).
POSITION = "Lineage-Position"


class Transport:
    """POSTs GraphQL documents to `url + "/graphql"`; never logs the token."""

    def __init__(self, url: str, token: str | None = None, *, retry: RetryPolicy | None = None,
                 timeout: float = 60.0,
                 event_hooks: Mapping[str, list[EventHook]] | None = None,
                 http_transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.url = url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self._headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._timeout = timeout
        self._event_hooks = {k: list(v) for k, v in (event_hooks or {}).items()}
        self._http_transport = http_transport
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        return f"Transport({self.url!r})"  # no headers: they hold the token

    def _http(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop or self._client.is_closed:
            self._client = httpx.AsyncClient(
                timeout=self._timeout, headers=self._headers, event_hooks=self._event_hooks,
                transport=self._http_transport)
            self._loop = loop
        return self._client

    def _follow(self, response: httpx.Response) -> None:
        """Keep the position a write answered with: every later request sends it, so it
        reads what this client wrote, whichever server process answers it."""
        position = response.headers.get(POSITION)
        if position:
            self._headers[POSITION] = position
            if self._client is not None:
                self._client.headers[POSITION] = position

    @property
    def position(self) -> str | None:
        """The position after this client's last write (None before any)."""
        return self._headers.get(POSITION)

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None and self._loop is asyncio.get_running_loop():
            await client.aclose()

    async def execute(self, query: str, variables: Mapping[str, Any] | None = None, *,
                      idempotent: bool = True) -> dict[str, Any]:
        """The `data` of the answer; raises the typed exception of the first error."""
        delays = self.retry.delays() if idempotent else iter(())
        body = orjson.dumps({"query": query, "variables": dict(variables or {})})
        while True:
            try:
                return await self._once(body)
            except LineageError as error:
                if not is_retryable(error):
                    raise
                delay = next(delays, None)
                if delay is None:
                    raise
                log.info("lineage API %s unavailable (%s); retrying in %.2f s", self.url,
                         error.message, delay)
                await asyncio.sleep(delay)

    async def _once(self, body: bytes) -> dict[str, Any]:
        try:
            response = await self._http().post(f"{self.url}/graphql", content=body)
        except httpx.TimeoutException as error:
            if isinstance(error, httpx.ConnectTimeout | httpx.PoolTimeout):
                raise Unavailable(f"cannot connect to {self.url}: {error!r}") from error
            raise Timeout(f"no answer from {self.url} in {self._timeout} s") from error
        except httpx.TransportError as error:
            raise Unavailable(f"cannot reach {self.url}: {error!r}") from error
        self._follow(response)
        if response.status_code in RETRY_STATUSES:
            raise Unavailable(f"{self.url} answered HTTP {response.status_code}")
        try:
            answer = orjson.loads(response.content)
        except orjson.JSONDecodeError:
            answer = None
        if not isinstance(answer, dict) or ("data" not in answer and "errors" not in answer):
            raise ProtocolError(f"{self.url}/graphql answered HTTP {response.status_code} "
                                "without a GraphQL answer")
        if answer.get("errors"):
            raise from_graphql(answer["errors"])
        data: dict[str, Any] = answer.get("data") or {}
        return data
