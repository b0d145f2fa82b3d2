"""The GraphQL endpoint: strawberry's ASGI app with our per-request context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from graph_api.config import Limits
from graph_api.graphql.context import GraphContext
from graph_api.graphql.schema import build_schema
from graph_api.http.request_id import request_id
from graph_api.runtime import Runtime


@dataclass
class RequestContext(GraphContext):
    """The resolvers' context, plus the process's runtime for `RequireSchema`."""

    runtime: Runtime

    async def ensure_schema(self) -> None:
        await self.runtime.ensure_schema()


class GraphQLApp(GraphQL[GraphContext, None]):
    """`/graphql`: GraphiQL in a browser, JSON over POST for programs."""

    def __init__(self, limits: Limits) -> None:
        super().__init__(build_schema(limits), graphql_ide="graphiql")
        self.limits = limits

    def encode_json(self, data: object) -> bytes:
        """orjson, not the standard library: large lineage answers encode several times faster."""
        return orjson.dumps(data)

    async def get_context(self, request: Request | WebSocket,
                          response: Response | WebSocket | None = None) -> GraphContext:
        runtime: Runtime = request.app.state.runtime
        return RequestContext(services=runtime.services, limits=self.limits,
                              request_id=request_id(request.scope), runtime=runtime)

    async def process_result(self, request: Request | WebSocket, result: Any) -> Any:
        return await super().process_result(request, result)  # type: ignore[arg-type]
