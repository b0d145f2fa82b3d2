"""The schema: composed from the feature packages, with error shaping and limits."""

from __future__ import annotations

import strawberry

from graph_api.config import Limits
from graph_api.graphql.errors import ErrorCodes
from graph_api.graphql.nodes.queries import NodeQuery


@strawberry.type(description="Read the metadata graph.")
class Query(NodeQuery):
    pass


def build_schema(limits: Limits | None = None) -> strawberry.Schema:
    """The executable schema; `limits` configures the caps enforced per request."""
    return strawberry.Schema(query=Query, extensions=[ErrorCodes])


def sdl() -> str:
    """The schema in GraphQL SDL, as committed in `schema.graphql`."""
    return build_schema().as_str() + "\n"
