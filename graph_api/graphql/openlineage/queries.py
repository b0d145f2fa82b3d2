"""A dataset's columns with their column lineage, as OpenLineage events recorded them."""

from __future__ import annotations

import strawberry

from graph_api.graphql.context import Info
from graph_api.graphql.openlineage.types import DatasetColumn


@strawberry.type
class OpenLineageQuery:
    @strawberry.field(description=(
        "A dataset's columns — its schema facet's fields, then any other column its column "
        "lineage facet names — each with the input columns it derives from. Empty for an "
        "artifact that OpenLineage did not describe. Errors NOT_FOUND for an unknown id."))
    async def dataset_columns(self, info: Info, artifact_id: strawberry.ID
                              ) -> list[DatasetColumn]:
        columns = await info.context.services.openlineage.columns(str(artifact_id))
        return [DatasetColumn.from_domain(c) for c in columns]
