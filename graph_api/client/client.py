"""The async client: MLMD's store calls plus the tracking API, over one transport."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine, Mapping
from types import TracebackType
from typing import Any

import httpx

from graph_api.client.retry import RetryPolicy
from graph_api.client.store_api import PAGE_SIZE, AsyncStore
from graph_api.client.tracking import schema
from graph_api.client.tracking.projects import AsyncProject, get_or_create_context
from graph_api.client.tracking.schema import TrackingTypes
from graph_api.client.transport import EventHook, Transport
from graph_api.client.versioning import VersioningCalls

DEFAULT_URL = "http://127.0.0.1:8000"


def resolve(url: str | None, token: str | None) -> tuple[str, str | None]:
    """The server URL and token: the arguments, else `LINEAGE_URL` / `LINEAGE_TOKEN`, else
    the local server of `lineage serve` and no token."""
    return (url or os.environ.get("LINEAGE_URL") or DEFAULT_URL,
            token or os.environ.get("LINEAGE_TOKEN") or None)


class AsyncLineageClient(AsyncStore, VersioningCalls):
    """A metadata store and experiment tracker at `url`, spoken to over GraphQL."""

    def __init__(self, url: str | None = None, token: str | None = None, *,
                 retry: RetryPolicy | None = None, timeout: float = 60.0,
                 page_size: int = PAGE_SIZE,
                 event_hooks: Mapping[str, list[EventHook]] | None = None,
                 http_transport: httpx.AsyncBaseTransport | None = None) -> None:
        url, token = resolve(url, token)
        super().__init__(Transport(url, token, retry=retry, timeout=timeout,
                                   event_hooks=event_hooks, http_transport=http_transport),
                         page_size)
        self.tracking_types = TrackingTypes()
        #: Runs coroutines for a run ended at interpreter exit (the sync facade sets its loop's).
        self._exit_runner: Any = None

    @property
    def url(self) -> str:
        return self.transport.url

    def __repr__(self) -> str:
        return f"AsyncLineageClient({self.url!r})"

    async def project(self, name: str, properties: dict[str, Any] | None = None) -> AsyncProject:
        """The tracking project `name` (a `Project` context), created if new."""
        return AsyncProject(self, await get_or_create_context(self, schema.PROJECT, name,
                                                              properties))

    async def close(self) -> None:
        await self.transport.close()

    async def __aenter__(self) -> AsyncLineageClient:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    def run_at_exit(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` at interpreter exit: on the sync facade's loop, else on a new one."""
        if self._exit_runner is not None:
            self._exit_runner(work)
        else:
            asyncio.run(work)
