"""The inputs of lineage questions: where a walk starts, which way it goes, where it stops,
what it lists; and which columns a table carries."""

from __future__ import annotations

import strawberry

from graph_api.graphql.enums import Direction, NodeKind
from graph_api.graphql.filters import FilterInput
from graph_api.model import lineage as domain
from graph_api.model.impact import Include


@strawberry.input(description=(
    "Which nodes of a lineage answer to list. The walk itself goes through every node; "
    "the start nodes are always listed."))
class LineageIncludeInput:
    kinds: list[NodeKind] | None = strawberry.field(
        default=None, description="List only nodes of these kinds; null: every kind.")
    types: list[str] | None = strawberry.field(
        default=None, description="List only nodes of these type names; null: every type.")

    def to_domain(self) -> Include:
        return Include.of(self.kinds, self.types)


@strawberry.input(description=(
    "Where a lineage walk starts, which way it goes, where it stops and what it lists. "
    "The start set is the union of the given artifacts, executions and the members of "
    "the given context; give at least one."))
class LineageInput:
    start_artifact_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Artifacts the walk starts from.")
    start_execution_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Executions the walk starts from.")
    start_context_id: strawberry.ID | None = strawberry.field(
        default=None, description="Start from every artifact and execution of this context.")
    direction: Direction = strawberry.field(
        default=Direction.BOTH, description="Which way to walk; BOTH is the union of the two.")
    max_hops: int | None = strawberry.field(default=None, description=(
        "Most edges from the start set (artifact -> execution is one hop, as in MLMD). "
        "Default LINEAGE_DEFAULT_HOPS; above LINEAGE_MAX_HOPS is LIMIT_EXCEEDED."))
    stop_at: FilterInput | None = strawberry.field(default=None, description=(
        "The walk does not continue past a node matching this filter."))
    include_stop_nodes: bool = strawberry.field(default=True, description=(
        "Whether nodes matching stopAt are part of the answer."))
    include: LineageIncludeInput | None = strawberry.field(default=None, description=(
        "Which of the reached nodes to list; default all."))
    max_nodes: int | None = strawberry.field(default=None, description=(
        "Most nodes in the answer, nearest first (then `truncated` is true). Default and "
        "cap LINEAGE_MAX_NODES; above it is LIMIT_EXCEEDED."))

    def to_domain(self) -> domain.LineageRequest:
        """The domain's request; raises pydantic's ValidationError for a malformed filter."""
        include = self.include or LineageIncludeInput()
        return domain.LineageRequest(
            start_artifact_ids=[str(i) for i in self.start_artifact_ids],
            start_execution_ids=[str(i) for i in self.start_execution_ids],
            start_context_id=(str(self.start_context_id) if self.start_context_id is not None
                              else None),
            direction=self.direction, max_hops=self.max_hops,
            stop_at=self.stop_at.to_domain() if self.stop_at is not None else None,
            include_stop_nodes=self.include_stop_nodes, include_kinds=include.kinds,
            include_types=include.types, max_nodes=self.max_nodes)
