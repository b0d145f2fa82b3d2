"""GraphQL types of search hits and counts by type."""

from __future__ import annotations

import strawberry

from graph_api.graphql.enums import NodeKind
from graph_api.model import explore as domain


@strawberry.type(description="A node that matches a search.")
class SearchHit:
    id: strawberry.ID = strawberry.field(description="The node's id.")
    kind: NodeKind = strawberry.field(description="ARTIFACT, EXECUTION or CONTEXT.")
    type_name: str = strawberry.field(description="Name of the node's type.")
    name: str | None = strawberry.field(description="The node's name.")
    uri: str | None = strawberry.field(description="The artifact's uri; null for other kinds.")
    external_id: str | None = strawberry.field(description="The node's external id.")

    @classmethod
    def from_domain(cls, h: domain.SearchHit) -> SearchHit:
        return cls(id=strawberry.ID(h.id), kind=h.kind, type_name=h.type, name=h.name,
                   uri=h.uri, external_id=h.external_id)


@strawberry.type(description="How many nodes of one kind have one type.")
class TypeCount:
    kind: NodeKind = strawberry.field(description="ARTIFACT, EXECUTION or CONTEXT.")
    type_name: str = strawberry.field(description="The type's name (all its versions).")
    count: int = strawberry.field(description="How many nodes have this type.")
