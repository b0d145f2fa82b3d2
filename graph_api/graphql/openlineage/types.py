"""GraphQL types of a dataset's columns and their column lineage (OpenLineage)."""

from __future__ import annotations

import strawberry

from graph_api.graphql.scalars import JSON
from graph_api.model import openlineage as domain


@strawberry.type(description="A column another column derives from (OpenLineage column "
                             "lineage).")
class ColumnInput:
    namespace: str = strawberry.field(description="The input dataset's namespace.")
    name: str = strawberry.field(description="The input dataset's name.")
    field: str = strawberry.field(description="The input column.")
    artifact_id: strawberry.ID | None = strawberry.field(description=(
        "The input dataset's artifact, when a dataset of that namespace and name is known "
        "(among the run's inputs or not); null otherwise."))
    transformations: JSON = strawberry.field(description=(
        "How the column derives from it: the facet's transformations (type, subtype, "
        "description, masking), as sent."))

    @classmethod
    def from_domain(cls, c: domain.ColumnInput) -> ColumnInput:
        return cls(namespace=c.namespace, name=c.name, field=c.field,
                   artifact_id=strawberry.ID(c.artifact_id) if c.artifact_id else None,
                   transformations=JSON(c.transformations))


@strawberry.type(description="A column of a dataset, and the columns it derives from.")
class DatasetColumn:
    name: str = strawberry.field(description="The column's name.")
    type: str | None = strawberry.field(description="Its type, from the schema facet.")
    description: str | None = strawberry.field(description="Its description, if any.")
    inputs: list[ColumnInput] = strawberry.field(description=(
        "The input columns it derives from (the column lineage facet); empty when none is "
        "recorded."))

    @classmethod
    def from_domain(cls, c: domain.DatasetColumn) -> DatasetColumn:
        return cls(name=c.name, type=c.type, description=c.description,
                   inputs=[ColumnInput.from_domain(i) for i in c.inputs])
