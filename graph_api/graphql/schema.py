"""The schema: composed from the feature packages, with error shaping and limits."""

from __future__ import annotations

import strawberry

from graph_api.config import Limits
from graph_api.graphql.errors import ErrorCodes, LineageSchema, RequireSchema
from graph_api.graphql.explore.queries import ExploreQuery
from graph_api.graphql.impact.queries import ImpactQuery
from graph_api.graphql.limits import document_limits
from graph_api.graphql.lineage.queries import LineageQuery
from graph_api.graphql.nodes.listing import ListingQuery
from graph_api.graphql.nodes.mutations import NodeMutation
from graph_api.graphql.nodes.queries import NodeQuery
from graph_api.graphql.openlineage.queries import OpenLineageQuery
from graph_api.graphql.versioning.mutations import VersioningMutation
from graph_api.graphql.versioning.queries import VersioningQuery


@strawberry.type(description="Read the metadata graph.")
class Query(NodeQuery, LineageQuery, ImpactQuery, ListingQuery, ExploreQuery, VersioningQuery,
            OpenLineageQuery):
    pass


@strawberry.type(description="Record ML metadata: types, nodes, events, memberships, steps.")
class Mutation(NodeMutation, VersioningMutation):
    pass


def build_schema(limits: Limits | None = None) -> strawberry.Schema:
    """The executable schema; `limits` configures the caps enforced per request."""
    return LineageSchema(query=Query, mutation=Mutation, extensions=[
        # The document caps with the parse and validation caches (`limits.py`), after
        # `ErrorCodes`, which shapes their errors once they are ours.
        ErrorCodes, RequireSchema, *document_limits(limits or Limits())])


def sdl() -> str:
    """The schema in GraphQL SDL, as committed in `schema.graphql`."""
    return build_schema().as_str() + "\n"
